"""The back-issue text format: the sample issue, each rule, round trips and fuzzing."""

import datetime
import json
import random
import unittest
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backissues.textformat import (
    ROLE_WORD_FOR,
    ROLE_WORDS,
    ArticleData,
    BylineData,
    FormatError,
    IssueData,
    PageData,
    PhotoData,
    PublicationData,
    from_dict,
    parse,
    render,
    to_dict,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = (ROOT / "backissues" / "fixtures" / "jinri-luotang-118.md").read_text(encoding="utf-8")
EXPECTED_118 = json.loads((Path(__file__).parent / "expected_118.json").read_text("utf-8"))

HEADER = (
    "# 今日罗塘\n\n"
    "姜堰区罗塘街道党工委  \n"
    "姜堰区融媒体中心\n\n"
    "联合主办\n\n"
    "2024年11月28日 星期四 | 第11期 总第118期\n\n"
    "责任编辑: 郁菲菲\n\n"
)


def issue_text(*blocks: str, header: str = HEADER) -> str:
    return header + "\n\n".join(blocks) + "\n"


def line_of(text: str, needle: str) -> int:
    """1-based number of the first line containing needle."""
    return text[: text.index(needle)].count("\n") + 1


def first_article(issue: IssueData) -> ArticleData:
    return issue.pages[0].articles[0]


class SampleIssueTests(unittest.TestCase):
    def test_sample_matches_the_hand_written_json(self):
        self.maxDiff = None
        self.assertEqual(to_dict(parse(SAMPLE)), EXPECTED_118)

    def test_sample_has_no_warnings(self):
        self.assertEqual(parse(SAMPLE).warnings, [])

    def test_sample_survives_render_and_parse(self):
        issue = parse(SAMPLE)
        self.assertEqual(to_dict(parse(render(issue))), to_dict(issue))
        self.assertEqual(parse(render(issue)), issue)

    def test_sample_survives_the_json_form(self):
        issue = parse(SAMPLE)
        self.assertEqual(from_dict(json.loads(json.dumps(to_dict(issue, full=True)))), issue)

    def test_crlf_and_bom_are_read_like_plain_text(self):
        windows = "\ufeff" + SAMPLE.replace("\n", "\r\n")
        self.assertEqual(parse(windows), parse(SAMPLE))


class HeaderTests(unittest.TestCase):
    def test_sponsors_are_one_a_line_with_their_role(self):
        issue = parse(issue_text())
        self.assertEqual(
            issue.publication,
            PublicationData("今日罗塘", ["姜堰区罗塘街道党工委", "姜堰区融媒体中心"], "联合主办"),
        )

    def test_date_line_with_full_width_bar_and_no_weekday(self):
        text = HEADER.replace("2024年11月28日 星期四 | 第11期", "2024年11月28日｜第 11 期")
        issue = parse(issue_text(header=text))
        self.assertEqual(issue.date, datetime.date(2024, 11, 28))
        self.assertEqual((issue.weekday, issue.number_in_year, issue.number), ("", 11, 118))

    def test_metadata_with_full_width_colon_and_wrapped_url(self):
        text = issue_text(
            "电子版：<http://epaper.routeryun.com/jyrb>",
            "投稿邮箱：1028974739@qq.com",
            "组版: 徐冬梅、李书翔 杨旭",
        )
        issue = parse(text)
        self.assertEqual(issue.epaper_url, "http://epaper.routeryun.com/jyrb")
        self.assertEqual(issue.submission_email, "1028974739@qq.com")
        self.assertEqual(issue.responsible_editor, "郁菲菲")
        self.assertEqual(issue.layout, ["徐冬梅", "李书翔", "杨旭"])

    def test_unknown_metadata_is_kept_and_reported(self):
        text = issue_text("印刷: 泰州日报印务中心", "校对: 吉祥")
        issue = parse(text)
        self.assertEqual(issue.extra, {"印刷": "泰州日报印务中心", "校对": "吉祥"})
        self.assertEqual(len(issue.warnings), 2)
        self.assertEqual(issue.warnings[0].line, line_of(text, "印刷"))
        self.assertIn("unknown key 印刷 kept as extra metadata", issue.warnings[0].message)
        self.assertEqual(parse(render(issue)).extra, issue.extra)

    def test_unknown_metadata_is_an_error_when_strict(self):
        text = issue_text("印刷: 泰州日报印务中心")
        with self.assertRaises(FormatError) as caught:
            parse(text, strict=True)
        self.assertEqual(caught.exception.line, line_of(text, "印刷"))

    def test_wrong_weekday_is_a_warning(self):
        text = issue_text(header=HEADER.replace("星期四", "星期五"))
        issue = parse(text)
        self.assertEqual(issue.weekday, "星期五")
        self.assertEqual(len(issue.warnings), 1)
        self.assertEqual(issue.warnings[0].line, line_of(text, "星期五"))
        self.assertIn("does not match 2024-11-28", issue.warnings[0].message)

    def test_wrong_weekday_is_an_error_when_strict(self):
        text = issue_text(header=HEADER.replace("星期四", "星期五"))
        with self.assertRaises(FormatError) as caught:
            parse(text, strict=True)
        self.assertEqual(caught.exception.line, line_of(text, "星期五"))
        self.assertTrue(str(caught.exception).startswith(f"{caught.exception.line}: "))

    def test_sunday_may_be_written_either_way(self):
        for weekday in ("星期日", "星期天", "周日"):
            text = issue_text(
                header=HEADER.replace("2024年11月28日 星期四", f"2024年12月1日 {weekday}")
            )
            self.assertEqual(parse(text, strict=True).weekday, weekday)


class RefusalTests(unittest.TestCase):
    def assertRefused(self, text: str, line: int | None, fragment: str):
        with self.assertRaises(FormatError) as caught:
            parse(text)
        self.assertEqual(caught.exception.line, line, str(caught.exception))
        self.assertIn(fragment, caught.exception.message)

    def test_no_publication_heading_is_refused(self):
        text = HEADER.replace("# 今日罗塘\n\n", "今日罗塘\n\n")
        self.assertRefused(text, 1, "no publication heading")

    def test_empty_file_is_refused(self):
        self.assertRefused("\n\n", 1, "no publication heading")

    def test_no_date_line_is_refused(self):
        text = HEADER.replace("2024年11月28日 星期四 | 第11期 总第118期\n\n", "")
        self.assertRefused(text, line_of(text, "责任编辑"), "no date line")

    def test_no_date_line_before_the_first_headline_is_refused(self):
        text = "# 今日罗塘\n\n主办\n\n## 缪杰明带队走访辖区企业\n"
        self.assertRefused(text, 5, "no date line")

    def test_february_30_is_not_a_real_date(self):
        text = issue_text(header=HEADER.replace("2024年11月28日 星期四", "2024年2月30日"))
        self.assertRefused(text, line_of(text, "2024年2月30日"), "not a real date: 2024年2月30日")

    def test_missing_cumulative_number_is_refused(self):
        text = issue_text(header=HEADER.replace(" 总第118期", ""))
        self.assertRefused(text, line_of(text, "第11期"), "missing cumulative number")

    def test_missing_number_in_year_is_refused(self):
        text = issue_text(header=HEADER.replace("第11期 ", ""))
        self.assertRefused(text, line_of(text, "总第118期"), "missing number in the year")

    def test_number_in_chinese_numerals_is_refused(self):
        text = issue_text(header=HEADER.replace("第11期", "第十一期"))
        self.assertRefused(text, line_of(text, "第十一期"), "is not a number: '十一'")

    def test_page_marker_going_backwards_is_refused(self):
        text = issue_text("第3版", "## 缪杰明带队走访辖区企业", "第2版 综合新闻")
        self.assertRefused(text, line_of(text, "第2版"), "第2版 goes backwards (after 第3版)")

    def test_repeated_page_marker_is_refused(self):
        text = issue_text("第2版", "第2版")
        self.assertRefused(text, line_of(text, "第2版") + 2, "第2版 repeats")

    def test_page_one_marker_after_articles_on_page_one_is_refused(self):
        text = issue_text("## 缪杰明带队走访辖区企业", "第1版")
        self.assertRefused(text, line_of(text, "第1版"), "repeats")

    def test_continuation_with_no_article_to_belong_to_is_refused(self):
        text = issue_text(
            "## 缪杰明带队走访辖区企业", "第3版", "## 缪杰明带队走访辖区企业", "(上接1版)要优化。"
        )
        self.assertRefused(
            text, line_of(text, "(上接1版)"), "no article jumps from page 1 to page 3"
        )

    def test_continuation_with_two_candidates_is_refused(self):
        text = issue_text(
            "## 区政协调研罗塘街道", "调研组参观。(下转3版)",
            "## 罗塘街道人大工委召开会议", "会议听取报告。(下转3版)",
            "第3版", "## 续文", "(上接1版)会议要求。",
        )  # fmt: skip
        self.assertRefused(text, line_of(text, "(上接1版)"), "several articles")

    def test_text_before_any_headline_is_refused(self):
        text = issue_text("第2版", "这是一段没有标题的文字。")
        self.assertRefused(text, line_of(text, "这是一段"), "before any headline")

    def test_body_text_after_the_jump_line_is_refused(self):
        text = issue_text("## 缪杰明带队走访辖区企业", "要优化服务。(下转3版)", "这不是图片说明。")
        self.assertRefused(text, line_of(text, "这不是"), "after the jump line")

    def test_jump_to_an_earlier_page_is_refused(self):
        text = issue_text("第2版", "## 缪杰明带队走访辖区企业", "要优化服务。(下转1版)")
        self.assertRefused(text, line_of(text, "(下转1版)"), "must point to a later page")

    def test_epaper_url_that_is_not_http_is_refused_with_its_line(self):
        for url in (
            "javascript:alert(document.cookie)",
            "<javascript:alert(1)>",
            "ftp://a.example/",
            "data:text/html,hi",
            "http://",
        ):
            with self.subTest(url=url):
                text = issue_text(f"电子版: {url}", "## 标题", "正文。")
                self.assertRefused(text, line_of(text, "电子版"), "电子版")

    def test_https_epaper_url_is_read(self):
        issue = parse(
            issue_text("电子版: <HTTPS://epaper.example.cn/jyrb?id=1>", "## 标题", "正文。")
        )
        self.assertEqual(issue.epaper_url, "HTTPS://epaper.example.cn/jyrb?id=1")

    def test_invalid_submission_email_is_refused_with_its_line(self):
        for email in ("1028974739qq.com", "a@b", "a b@qq.com", "<script>@x.cn", "a@@qq.com"):
            with self.subTest(email=email):
                text = issue_text(f"投稿邮箱: {email}", "## 标题", "正文。")
                self.assertRefused(text, line_of(text, "投稿邮箱"), "投稿邮箱")

    def test_subheadline_without_headline_is_refused(self):
        text = issue_text("## 缪杰明带队走访辖区企业", "正文。", "### 副题")
        self.assertRefused(text, line_of(text, "### 副题"), "subheadline")


class BylineTests(unittest.TestCase):
    def article(self, first_paragraph: str) -> ArticleData:
        return first_article(parse(issue_text("## 缪杰明带队走访辖区企业", first_paragraph)))

    def test_half_width_parentheses(self):
        article = self.article("本报讯(通讯员 李书翔)11月21日,罗塘街道召开书记办公会。")
        self.assertEqual(article.dateline, "本报讯")
        self.assertEqual(article.bylines, [BylineData("李书翔", "correspondent")])
        self.assertEqual(article.paragraphs, ["11月21日,罗塘街道召开书记办公会。"])

    def test_full_width_parentheses_with_two_role_words(self):
        article = self.article("本报讯（记者 郁菲菲 通讯员 杨旭）日前,罗塘街道走访企业。")
        self.assertEqual(
            article.bylines,
            [BylineData("郁菲菲", "reporter"), BylineData("杨旭", "correspondent")],
        )
        self.assertEqual(article.paragraphs, ["日前,罗塘街道走访企业。"])

    def test_a_role_word_covers_several_names(self):
        article = self.article("本报讯(通讯员 李书翔、吉祥 缪国华)日前,会议召开。")
        self.assertEqual(
            [(b.name, b.role) for b in article.bylines],
            [("李书翔", "correspondent"), ("吉祥", "correspondent"), ("缪国华", "correspondent")],
        )

    def test_special_trainee_and_staff_reporters(self):
        article = self.article("本报泰州讯(特约记者 丁小勇 见习记者 金慧霞 本报记者 郁菲菲)日前。")
        self.assertEqual(article.dateline, "本报泰州讯")
        self.assertEqual(
            [b.role for b in article.bylines],
            ["special_correspondent", "trainee_reporter", "reporter"],
        )
        self.assertEqual(article.paragraphs, ["日前。"])

    def test_space_before_the_parenthesis_is_tolerated(self):
        article = self.article("本报讯 （通讯员 李书翔）日前,会议召开。")
        self.assertEqual((article.dateline, article.paragraphs), ("本报讯", ["日前,会议召开。"]))

    def test_parenthesis_without_role_word_is_body_text(self):
        text = "罗塘街道(高新区)召开书记办公会。"
        article = self.article(text)
        self.assertEqual((article.dateline, article.bylines, article.paragraphs), ("", [], [text]))

    def test_only_the_first_paragraph_has_a_byline(self):
        article = first_article(
            parse(issue_text("## 会议", "会议召开。", "本报讯(记者 郁菲菲)这是正文。"))
        )
        self.assertEqual(article.bylines, [])
        self.assertEqual(article.paragraphs, ["会议召开。", "本报讯(记者 郁菲菲)这是正文。"])

    def test_role_words_map_to_stable_keys(self):
        self.assertEqual(ROLE_WORDS["记者"], "reporter")
        self.assertEqual(ROLE_WORDS["本报记者"], "reporter")
        self.assertEqual(ROLE_WORDS["特约记者"], "special_correspondent")
        self.assertEqual(ROLE_WORDS["见习记者"], "trainee_reporter")
        self.assertEqual(ROLE_WORDS["通讯员"], "correspondent")


class PageAndArticleTests(unittest.TestCase):
    def test_page_markers_with_and_without_name(self):
        issue = parse(
            issue_text("## 头版文章", "正文。", "第2版 综合新闻", "## 二版文章", "正文。", "第4版")
        )
        self.assertEqual(
            [(p.number, p.name) for p in issue.pages], [(1, ""), (2, "综合新闻"), (4, "")]
        )
        self.assertEqual([a.pages for p in issue.pages for a in p.articles], [[1], [2]])

    def test_headline_with_subheadline(self):
        article = first_article(parse(issue_text("## 主标题", "### 副标题", "正文。")))
        self.assertEqual((article.headline, article.subheadline), ("主标题", "副标题"))

    def test_subheadline_on_the_line_right_after_the_headline(self):
        blank_line = parse(issue_text("## 主标题", "### 副标题", "正文。"))
        for text in (
            issue_text("## 主标题\n### 副标题", "正文。"),
            issue_text("## 主标题  \n### 副标题", "正文。"),
        ):
            with self.subTest(text=text):
                article = first_article(parse(text))
                self.assertEqual((article.headline, article.subheadline), ("主标题", "副标题"))
                self.assertEqual(to_dict(parse(text)), to_dict(blank_line))

    def test_column_break_is_healed(self):
        article = first_article(
            parse(issue_text("## 会议", "按照“择优选派”的原", "则,除市、区3名指导员。"))
        )
        self.assertEqual(article.paragraphs, ["按照“择优选派”的原则,除市、区3名指导员。"])

    def test_paragraph_ending_with_a_pause_mark_or_letter_is_healed(self):
        for ending in ("突出要素资源招商、", "采用AI", "对涉及"):
            article = first_article(parse(issue_text("## 会议", ending, "加强招商。")))
            self.assertEqual(article.paragraphs, [ending + "加强招商。"])

    def test_closing_quote_after_full_stop_ends_a_paragraph(self):
        for ending in ("改观。”", "好！", "吗？", "了……", "见附件。）", "说：“好。」"):
            article = first_article(parse(issue_text("## 会议", "他说" + ending, "下一段。")))
            self.assertEqual(len(article.paragraphs), 2, ending)

    def test_closing_quote_without_full_stop_does_not_end_a_paragraph(self):
        article = first_article(parse(issue_text("## 会议", "所谓“网格化治理”", "就是这样。")))
        self.assertEqual(article.paragraphs, ["所谓“网格化治理”就是这样。"])

    def test_hard_break_keeps_lines_apart_and_soft_lines_are_joined(self):
        article = first_article(
            parse(issue_text("## 会议", "第一行\n接着写。", "诗一句，  \n诗二句。"))
        )
        self.assertEqual(article.paragraphs, ["第一行接着写。", "诗一句，\n诗二句。"])


class JumpTests(unittest.TestCase):
    def test_inline_jump_and_continuation_by_same_headline(self):
        text = issue_text(
            "## 缪杰明带队走访辖区企业", "本报讯(记者 郁菲菲)日前,走访企业。", "要优化服务保障,健全重点项目、(下转3版)",
            "## 罗塘街道人大工委召开会议", "会议召开。",
            "第3版",
            "## 缪杰明带队走访辖区企业", "(上接1版)重点企业联系制度。", "确保项目落地。",
        )  # fmt: skip
        issue = parse(text)
        article = issue.pages[0].articles[0]
        self.assertEqual(article.pages, [1, 3])
        self.assertEqual(
            article.paragraphs,
            [
                "日前,走访企业。",
                "要优化服务保障,健全重点项目、重点企业联系制度。",
                "确保项目落地。",
            ],
        )
        self.assertEqual(article.breaks, [len("日前,走访企业。要优化服务保障,健全重点项目、")])
        self.assertEqual(issue.pages[1].articles, [])
        self.assertEqual(parse(render(issue)), issue)

    def test_standalone_jump_line_with_full_width_parentheses(self):
        text = issue_text(
            "## 缪杰明带队走访辖区企业", "要优化服务保障。", "（下转２版）",
            "第2版", "## 另一个标题", "（上接1版）确保项目落地。",
        )  # fmt: skip
        article = first_article(parse(text))
        self.assertEqual(article.pages, [1, 2])
        self.assertEqual(article.paragraphs, ["要优化服务保障。", "确保项目落地。"])
        self.assertEqual(article.breaks, [len("要优化服务保障。")])

    def test_continuation_by_the_single_candidate_with_a_different_headline(self):
        text = issue_text(
            "## 缪杰明带队走访辖区企业", "要优化服务保障、(下转2版)",
            "## 会议", "会议召开。",
            "第2版", "## 罗塘新答卷", "(上接1版)确保项目落地。",
        )  # fmt: skip
        issue = parse(text)
        self.assertEqual(first_article(issue).paragraphs, ["要优化服务保障、确保项目落地。"])
        self.assertEqual(issue.pages[1].articles, [])

    def test_same_headline_chooses_between_two_candidates(self):
        text = issue_text(
            "## 区政协调研", "调研组参观。(下转3版)",
            "## 人大工委会议", "会议听取报告。(下转3版)",
            "第3版", "## 人大工委会议", "(上接1版)会议要求。", "## 区政协调研", "(上接1版)调研组要求。",
        )  # fmt: skip
        articles = parse(text).pages[0].articles
        self.assertEqual(articles[0].paragraphs, ["调研组参观。", "调研组要求。"])
        self.assertEqual(articles[1].paragraphs, ["会议听取报告。", "会议要求。"])

    def test_jump_to_a_page_not_in_the_file_is_kept(self):
        article = first_article(parse(issue_text("## 走访企业", "健全重点项目、(下转3版)")))
        self.assertEqual((article.pages, article.breaks), ([1, 3], [len("健全重点项目、")]))

    def test_article_can_jump_twice(self):
        text = issue_text(
            "## 长文", "第一段。(下转2版)",
            "第2版", "## 长文", "(上接1版)第二段。(下转4版)",
            "第4版", "## 长文", "(上接2版)第三段。",
        )  # fmt: skip
        issue = parse(text)
        article = first_article(issue)
        self.assertEqual((article.pages, article.breaks), ([1, 2, 4], [4, 8]))
        self.assertEqual(parse(render(issue)), issue)


class PhotoTests(unittest.TestCase):
    def test_caption_inside_an_article_belongs_to_it(self):
        issue = parse(issue_text("## 走访企业", "正文。", "图为缪杰明与企业负责人交流。 丁小勇 摄"))
        article = first_article(issue)
        self.assertEqual(article.paragraphs, ["正文。"])
        self.assertEqual(article.photos, [PhotoData("图为缪杰明与企业负责人交流。", "丁小勇")])
        self.assertEqual(issue.pages[0].photos, [])

    def test_caption_with_a_role_word(self):
        article = first_article(parse(issue_text("## 走访企业", "图为会场。 记者 郁菲菲 摄")))
        self.assertEqual(article.photos, [PhotoData("图为会场。", "郁菲菲", "reporter")])
        article = first_article(parse(issue_text("## 走访企业", "图为会场。 通讯员 杨旭 摄")))
        self.assertEqual(article.photos, [PhotoData("图为会场。", "杨旭", "correspondent")])

    def test_caption_before_any_headline_is_a_page_photo(self):
        issue = parse(issue_text("第2版", "银穆社区一角。 缪国华 摄", "## 走访企业", "正文。"))
        self.assertEqual(issue.pages[0].photos, [PhotoData("银穆社区一角。", "缪国华")])
        self.assertEqual(first_article(issue).photos, [])

    def test_caption_after_the_jump_line_is_a_page_photo(self):
        issue = parse(issue_text("## 走访企业", "健全重点项目、(下转3版)", "图为交流。 丁小勇 摄"))
        self.assertEqual(issue.pages[0].photos, [PhotoData("图为交流。", "丁小勇")])

    def test_caption_between_column_break_halves_does_not_stop_healing(self):
        article = first_article(
            parse(issue_text("## 走访企业", "健全重点", "图为交流。 丁小勇 摄", "项目。"))
        )
        self.assertEqual(article.paragraphs, ["健全重点项目。"])
        self.assertEqual(len(article.photos), 1)

    def test_shooting_in_body_text_is_not_a_credit(self):
        article = first_article(parse(issue_text("## 走访企业", "他们在银穆社区拍摄")))
        self.assertEqual((article.paragraphs, article.photos), (["他们在银穆社区拍摄"], []))


class RenderTests(unittest.TestCase):
    def make_issue(self, paragraphs: list[str], bylines=()) -> IssueData:
        article = ArticleData(
            headline="走访企业",
            dateline="本报讯" if bylines else "",
            bylines=list(bylines),
            paragraphs=paragraphs,
            pages=[1],
        )
        return IssueData(
            publication=PublicationData("今日罗塘", ["姜堰区融媒体中心"], "主办"),
            date=datetime.date(2024, 11, 28),
            weekday="星期四",
            number_in_year=11,
            number=118,
            pages=[PageData(1, "要闻", [article])],
        )

    def test_paragraphs_that_look_like_markers_are_escaped(self):
        tricky = [
            "本报讯(记者 郁菲菲)看似电头。",
            "#不是标题。",
            "第2版",
            "第3版 综合新闻",
            "这句话像图片说明。 丁小勇 摄",
            "(下转3版)",
            "(上接1版)并非续文。",
            "没有句号的段落",
            "\\反斜杠开头。",
            "结尾。",
        ]
        issue = self.make_issue(tricky)
        text = render(issue)
        self.assertIn("\n\\第2版\n", text)
        self.assertEqual(parse(text), issue)

    def test_byline_is_written_with_one_role_word_per_group(self):
        bylines = [BylineData("郁菲菲", "reporter"), BylineData("杨旭", "correspondent"),
                   BylineData("吉祥", "correspondent")]  # fmt: skip
        issue = self.make_issue(["日前,走访企业。"], bylines)
        self.assertIn("本报讯(记者 郁菲菲 通讯员 杨旭 吉祥)日前,走访企业。", render(issue))
        self.assertEqual(parse(render(issue)), issue)

    def test_continuation_for_a_missing_page_keeps_its_text(self):
        issue = self.make_issue(["要优化服务保障。", "确保项目落地。"])
        article = first_article(issue)
        article.pages, article.breaks = [1, 3], [len("要优化服务保障。")]
        reread = parse(render(issue))
        self.assertEqual(first_article(reread), article)
        self.assertEqual([page.number for page in reread.pages], [1, 3])

    def test_photo_without_photographer_cannot_be_written(self):
        issue = self.make_issue(["正文。"])
        first_article(issue).photos.append(PhotoData("银穆社区一角。"))
        with self.assertRaises(ValueError):
            render(issue)

    def test_every_role_can_be_written(self):
        bylines = [BylineData(f"王{i}芳", role) for i, role in enumerate(ROLE_WORD_FOR)]
        issue = self.make_issue(["正文。"], bylines)
        self.assertEqual(parse(render(issue)), issue)


# ----------------------------------------------------------------------------- properties

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤缪郁"
GIVEN = "菲书翔旭祥国华慧霞勇杰明金红信和冬梅芳静敏丽强磊军洋艳娟涛斌超秀英玲桂兰建平志刚晨宇轩浩然子涵欣怡"
BODY = "罗塘街道高新区党工委书记社区项目企业建设发展服务群众工作会议调研要求推进重点治理网格乡村振兴指导员银穆太平殷家民生实事安置房考核一二三四五六七八九十年月日在的了和与为是有对将把由"
BODY_CHARS = BODY + "0123456789、，,“”AB "
ENDINGS = ["。", "！", "？", "。”", "……", "!"]

names = st.builds(
    lambda s, g: s + g, st.sampled_from(SURNAMES), st.text(GIVEN, min_size=1, max_size=2)
)
cjk_words = st.text(BODY, min_size=1, max_size=10)
sentences = st.builds(
    lambda body, end: body.strip() + end,
    st.text(BODY_CHARS, min_size=1, max_size=30).filter(lambda s: s.strip()),
    st.sampled_from(ENDINGS),
)
plain_paragraphs = st.lists(sentences, min_size=1, max_size=3).map("".join)
TRICKY = [
    "#不是标题。", "第2版", "第3版 综合新闻", "这句话像图片说明。 丁小勇 摄", "记者 王芳 摄",
    "(下转3版)", "请看下文(下转2版)", "(上接1版)并非续文。", "没有句号的段落", "\\反斜杠开头。",
    "本报讯(记者 郁菲菲)看似电头。", "2024年11月28日 星期四 | 第11期 总第118期", "电子版: 非元数据。",
]  # fmt: skip
paragraphs_after_first = st.one_of(plain_paragraphs, plain_paragraphs, st.sampled_from(TRICKY))
photos = st.builds(
    PhotoData,
    caption=st.one_of(st.just(""), sentences),
    photographer=names,
    photographer_role=st.sampled_from(["", "reporter", "correspondent", "photographer"]),
)


@st.composite
def articles(draw, index: int) -> ArticleData:
    bylines = draw(
        st.lists(st.builds(BylineData, names, st.sampled_from(list(ROLE_WORD_FOR))), max_size=3)
    )
    paragraphs = draw(st.lists(plain_paragraphs, min_size=0, max_size=1))
    if paragraphs:
        paragraphs += draw(st.lists(paragraphs_after_first, max_size=4))
    return ArticleData(
        headline=draw(cjk_words) + str(index),
        subheadline=draw(st.one_of(st.just(""), cjk_words)),
        dateline=draw(st.sampled_from(["本报讯", "本报泰州讯", ""])) if bylines else "",
        bylines=bylines,
        paragraphs=paragraphs,
        photos=draw(st.lists(photos, max_size=2)),
    )


def legal_breaks(article: ArticleData) -> tuple[list[int], list[int]]:
    """Offsets where a jump may cut the text: between paragraphs, and inside plain words."""
    between, inside, start = [], [], 0
    for paragraph in article.paragraphs:
        between.append(start)
        if paragraph not in TRICKY:
            inside.extend(
                start + i
                for i in range(1, len(paragraph))
                if paragraph[i - 1] in BODY and paragraph[i] in BODY
            )
        start += len(paragraph)
    between.append(start)
    return between, inside


@st.composite
def issues(draw) -> IssueData:
    page_numbers = sorted(draw(st.sets(st.integers(1, 8), min_size=1, max_size=4)))
    pages, counter = [], 0
    for number in page_numbers:
        page_articles = []
        for _ in range(draw(st.integers(0, 3))):
            counter += 1
            page_articles.append(draw(articles(counter)))
        pages.append(
            PageData(
                number=number,
                name=draw(st.sampled_from(["", "要闻", "综合新闻", "副刊"])),
                articles=page_articles,
                photos=draw(st.lists(photos, max_size=2)),
            )
        )
    for page in pages:
        for article in page.articles:
            article.pages = [page.number]
            later = [n for n in page_numbers if n > page.number] + [9]
            if draw(st.booleans()):
                target = draw(st.sampled_from(later))
                between, inside = legal_breaks(article)
                offsets = inside if inside and draw(st.booleans()) else between
                if target == 9:
                    offsets = between[-1:]  # page 9 is not in the issue: the text stays here
                article.pages.append(target)
                article.breaks = [draw(st.sampled_from(offsets))]
    date = draw(st.dates(datetime.date(1990, 1, 1), datetime.date(2035, 12, 31)))
    extra_keys = draw(st.lists(st.text("印刷校对排版发行广告", min_size=1, max_size=4), max_size=2))
    return IssueData(
        publication=PublicationData(
            name=draw(cjk_words),
            sponsors=draw(st.lists(cjk_words.map(lambda s: s + "委"), max_size=3)),
            sponsor_role=draw(st.sampled_from(["主办", "联合主办", ""])),
        ),
        date=date,
        weekday=draw(st.sampled_from(["", "星期" + "一二三四五六日"[date.weekday()], "周三"])),
        number_in_year=draw(st.integers(1, 60)),
        number=draw(st.integers(1, 9999)),
        epaper_url=draw(st.sampled_from(["", "http://epaper.routeryun.com/jyrb"])),
        submission_email=draw(st.sampled_from(["", "1028974739@qq.com"])),
        responsible_editor=draw(st.one_of(st.just(""), names)),
        layout=draw(st.lists(names, max_size=3)),
        extra={key: draw(st.one_of(st.just(""), cjk_words)) for key in extra_keys},
        pages=pages,
    )


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class RoundTripTests(unittest.TestCase):
    @PROPERTY
    @given(issues())
    def test_render_then_parse_gives_the_same_issue(self, issue):
        self.assertEqual(parse(render(issue)), issue)

    @PROPERTY
    @given(issues())
    def test_json_form_gives_the_same_issue(self, issue):
        self.assertEqual(from_dict(json.loads(json.dumps(to_dict(issue, full=True)))), issue)

    def test_spec_json_has_exactly_the_documented_keys(self):
        data = to_dict(parse(SAMPLE))
        self.assertEqual(
            list(data),
            ["publication", "date", "number_in_year", "number", "epaper_url",
             "submission_email", "responsible_editor", "layout", "pages"],
        )  # fmt: skip
        article = data["pages"][0]["articles"][3]
        self.assertEqual(
            list(article),
            ["headline", "subheadline", "dateline", "bylines", "paragraphs", "pages", "photos"],
        )
        self.assertEqual(list(data["pages"][0]["photos"][0]), ["caption", "photographer"])

    def test_spec_json_reads_back_to_the_same_issue(self):
        issue = parse(SAMPLE)
        self.assertEqual(from_dict(json.loads(json.dumps(to_dict(issue)))), issue)

    def test_from_dict_refuses_a_bad_shape(self):
        with self.assertRaises(FormatError):
            from_dict({"publication": {"name": "今日罗塘"}})

    def test_from_dict_refuses_breaks_that_do_not_match_the_pages(self):
        data = to_dict(parse(SAMPLE), full=True)
        data["pages"][0]["articles"][3]["breaks"] = []
        with self.assertRaises(FormatError) as caught:
            from_dict(data)
        self.assertIn("缪杰明带队走访辖区企业", caught.exception.message)


MARKERS = ["# ", "## ", "### ", "第2版", "(下转3版)", "(上接1版)", "（", "）", " 丁小勇 摄", "本报讯(记者 郁菲菲)",
           ": ", "\\", "  ", "2024年2月30日", "总第", "期", "\r", "\ufeff", "\n", "\n\n"]  # fmt: skip


@st.composite
def mutated_samples(draw) -> str:
    lines = SAMPLE.split("\n")
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "cut"]))
        if action == "delete" and len(lines) > 1:
            del lines[where]
        elif action == "duplicate":
            lines.insert(where, lines[where])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[where], lines[other] = lines[other], lines[where]
        elif action == "insert":
            text = lines[where]
            at = draw(st.integers(0, len(text)))
            piece = draw(st.one_of(st.sampled_from(MARKERS), st.text(max_size=5)))
            lines[where] = text[:at] + piece + text[at:]
        elif action == "cut":
            lines[where] = lines[where][: draw(st.integers(0, len(lines[where])))]
    return "\n".join(lines)


class FuzzTests(unittest.TestCase):
    def assertParsesOrRefuses(self, text: str):
        try:
            issue = parse(text)
        except FormatError as error:
            # A refusal names what is wrong and, when it names a line, a line of the file.
            self.assertTrue(error.message.strip())
            if error.line is not None:
                self.assertGreaterEqual(error.line, 1)
                self.assertLessEqual(error.line, len(text.splitlines()) + 1)
        else:
            # What is read is an issue the loader can take: a name, a date, numbers, pages
            # that rise, a headline for every article, and a JSON form.
            self.assertTrue(issue.publication.name.strip())
            self.assertGreaterEqual(issue.number, 1)
            numbers = [page.number for page in issue.pages]
            self.assertEqual(numbers, sorted(set(numbers)))
            for page in issue.pages:
                for article in page.articles:
                    self.assertTrue(article.headline.strip())
            json.dumps(to_dict(issue))

    @settings(max_examples=200, deadline=None)
    @given(mutated_samples())
    def test_mutated_sample_is_read_or_refused(self, text):
        self.assertParsesOrRefuses(text)

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.sampled_from(MARKERS + list("罗塘讯记者摄。、12 \n")), max_size=40).map(
        lambda pieces: HEADER + "".join(pieces)))  # fmt: skip
    def test_random_body_text_is_read_or_refused(self, text):
        self.assertParsesOrRefuses(text)

    @settings(max_examples=100, deadline=None)
    @given(st.text(max_size=200))
    def test_random_text_is_read_or_refused(self, text):
        self.assertParsesOrRefuses(text)

    def test_mutations_with_a_fixed_seed(self):
        rng = random.Random(118)
        lines = SAMPLE.split("\n")
        for _ in range(200):
            mutated = list(lines)
            for _ in range(3):
                i = rng.randrange(len(mutated))
                mutated[i] = mutated[i][: rng.randrange(len(mutated[i]) + 1)] + rng.choice(MARKERS)
            self.assertParsesOrRefuses("\n".join(mutated))
