"""Reading like a newspaper: the printed sample 118 read whole, display punctuation (and the
stored text untouched), the short link, 往年今日, share cards, reader tools and print."""

import datetime
import io
import json
import re
from unittest import mock

from django.test import TestCase, override_settings
from django.urls import reverse

from articles import photos
from articles.models import Article, Byline, Photo
from public.issue_views import on_this_day
from tests import factories
from tests.articles.test_photo_files import IN_MEMORY
from tests.backissues.importing import SAMPLE, run
from tests.imaging import samples
from tests.sample_site import build


class PrintedSampleTests(TestCase):
    """Issue 118 as imported from the printed text: half-width punctuation and a jump to a
    page 3 that the archive does not hold."""

    @classmethod
    def setUpTestData(cls):
        run("import_issues", SAMPLE)
        cls.lead = Article.objects.get(headline="缪杰明带队走访辖区企业")
        cls.first = Article.objects.get(headline="罗塘街道(高新区)部署当前重点工作")

    def test_a_jump_to_a_page_not_in_the_archive_says_so(self):
        response = self.client.get(self.lead.get_absolute_url())
        self.assertInHTML(
            '<p class="jump-marker">本文转第3版<span class="jump-missing">（第3版未收录）</span></p>',
            response.content.decode(),
        )
        self.assertNotContains(response, "（下转3版）")

    def test_the_reader_sees_full_width_punctuation_in_chinese_text(self):
        response = self.client.get(self.first.get_absolute_url())
        html = response.content.decode()
        self.assertIn('<h1 class="headline">罗塘街道（高新区）部署当前重点工作</h1>', html)
        self.assertIn("11月21日，罗塘街道（高新区）召开书记办公会，", html)
        self.assertNotIn("11月21日,罗塘", html)
        # The issue and page views read the same way.
        for url in (self.first.page.issue.get_absolute_url(), self.first.page.get_absolute_url()):
            self.assertContains(self.client.get(url), "罗塘街道（高新区）部署当前重点工作")

    def test_the_stored_and_exported_text_stays_as_printed(self):
        self.client.get(self.first.get_absolute_url())
        self.first.refresh_from_db()
        self.assertIn("11月21日,罗塘街道(高新区)召开书记办公会,", self.first.body)
        exported = run("export_issue", 118)
        self.assertIn("11月21日,罗塘街道(高新区)召开书记办公会,", exported.stdout)
        self.assertNotIn("11月21日，罗塘", exported.stdout)
        data = json.loads(run("export_issue", 118, format="json").stdout)
        self.assertEqual(data["pages"][0]["articles"][0]["headline"], self.first.headline)

    def test_search_matches_either_form(self):
        for q in ("21日,罗塘街道(高新区)", "21日，罗塘街道（高新区）", "罗塘街道（高新区）部署"):
            with self.subTest(q=q):
                response = self.client.get(reverse("search"), {"q": q})
                self.assertContains(response, f'href="{self.first.get_absolute_url()}"')


class DisplayPunctuationTests(TestCase):
    def test_marks_between_chinese_turn_full_width_and_others_stay(self):
        from articles.presentation import display_punctuation as shown

        cases = {
            "10月25日,罗塘街道": "10月25日，罗塘街道",
            "时间:11月;地点:罗塘": "时间：11月；地点：罗塘",
            "是吗?好!": "是吗？好！",
            "罗塘街道(高新区)党工委": "罗塘街道（高新区）党工委",
            "于(2024)年": "于（2024）年",
            "上午9:00,罗塘": "上午9:00，罗塘",
            "3,000人": "3,000人",
            "use f(x), please": "use f(x), please",
            "&quot;罗塘&quot;;": "&quot;罗塘&quot;;",
        }
        for printed, expected in cases.items():
            with self.subTest(printed=printed):
                self.assertEqual(shown(printed), expected)


class WholeArticleTests(TestCase):
    def setUp(self):
        self.issue = factories.issue(number=118, published=True, pages=3)
        self.pages = {page.number: page for page in self.issue.pages.all()}

    def blocks(self, body, pages, breaks):
        from articles.presentation import continuous_text

        article = factories.article(self.pages[1], body=body)
        article.pages, article.breaks = pages, breaks
        article.save()
        urls = {1: "/p1/", 2: "/p2/", 3: "/p3/"}
        return [
            (type(block).__name__, getattr(block, "text", getattr(block, "url", None)))
            for block in continuous_text(article, urls)
        ]

    def test_a_break_between_paragraphs_puts_the_marker_there(self):
        self.assertEqual(
            self.blocks("一段。\n二段。\n三段。", [1, 2], [len("一段。二段。")]),
            [("Paragraph", "一段。"), ("Paragraph", "二段。"), ("JumpMarker", "/p2/"),
             ("Paragraph", "三段。")],
        )  # fmt: skip

    def test_a_break_inside_a_sentence_puts_the_marker_after_its_paragraph(self):
        self.assertEqual(
            self.blocks("一段。\n二段前半，后半。\n三段。", [1, 3], [len("一段。二段前半，")]),
            [("Paragraph", "一段。"), ("Paragraph", "二段前半，后半。"), ("JumpMarker", "/p3/"),
             ("Paragraph", "三段。")],
        )  # fmt: skip

    def test_two_jumps_and_a_page_that_is_not_there(self):
        from articles.presentation import continuous_text

        article = factories.article(self.pages[1], body="甲。\n乙。\n丙。")
        article.pages, article.breaks = [1, 2, 4], [2, 4]
        article.save()
        blocks = continuous_text(article, {1: "/p1/", 2: "/p2/"}, anchor="#c1")
        self.assertEqual(
            [getattr(b, "text", None) for b in blocks], ["甲。", None, "乙。", None, "丙。"]
        )
        self.assertEqual((blocks[1].page_number, blocks[1].url), (2, "/p2/#c1"))
        self.assertEqual((blocks[3].page_number, blocks[3].url), (4, None))


class NavigationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = build()

    def test_issue_page_starts_with_the_page_navigation_by_name(self):
        response = self.client.get(self.site["issue"].get_absolute_url())
        html = response.content.decode()
        self.assertIn('<p class="page-nav-title" id="page-nav-title">版面导航</p>', html)
        self.assertLess(html.index("版面导航"), html.index('class="issue-page"'))
        for number, name in ((1, "要闻"), (2, "综合"), (4, "副刊")):
            url = self.site["pages"][number].get_absolute_url()
            self.assertInHTML(f'<a href="{url}">第{number}版 {name}</a>', html)

    def test_page_and_article_views_link_the_previous_issue(self):
        older = self.site["older"].get_absolute_url()
        for url in (self.site["pages"][2].get_absolute_url(), self.site["jump"].get_absolute_url()):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(
                    response,
                    f'<a rel="prev" href="{older}"><span class="pager-label">‹ 上一期</span> 总第117期</a>',
                    html=True,
                )
                # 119 is not signed off: no next issue.
                self.assertNotContains(response, "/issues/119/")

    def test_the_next_issue_is_linked_from_the_older_one(self):
        response = self.client.get(self.site["older_article"].get_absolute_url())
        self.assertContains(
            response, f'<a rel="next" href="{self.site["issue"].get_absolute_url()}">', count=1
        )


class ShortLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = build()

    def test_the_article_names_its_short_link_and_it_redirects_back(self):
        jump = self.site["jump"]
        response = self.client.get(jump.get_absolute_url())
        self.assertContains(response, 'value="http://testserver/jinriluotang/118/1/3/"')
        self.assertContains(response, 'data-share-url="http://testserver/jinriluotang/118/1/3/"')
        redirect = self.client.get("/jinriluotang/118/1/3/")
        self.assertEqual(redirect.status_code, 302)
        self.assertEqual(redirect["Location"], jump.get_absolute_url())

    def test_the_link_names_the_printed_place_so_rebuilt_rows_keep_it(self):
        jump = self.site["jump"]
        # Re-importing rebuilds rows: a new id in the same place on the page.
        Article.objects.filter(pk=jump.pk).delete()
        again = factories.article(self.site["pages"][1], headline="缪杰明带队走访辖区企业", order=3)
        redirect = self.client.get("/jinriluotang/118/1/3/")
        self.assertEqual(redirect["Location"], again.get_absolute_url())

    def test_a_withdrawn_article_keeps_its_place_and_is_gone_for_readers(self):
        first = self.site["first"]
        Article.objects.filter(pk=first.pk).update(status=Article.Status.WITHDRAWN)
        self.assertEqual(self.client.get("/jinriluotang/118/1/1/").status_code, 404)
        self.assertEqual(
            self.client.get("/jinriluotang/118/1/3/")["Location"],
            self.site["jump"].get_absolute_url(),
        )

    def test_places_that_do_not_exist_are_404s(self):
        for path in (
            "/jinriluotang/118/1/0/",
            "/jinriluotang/118/1/9/",
            "/jinriluotang/118/7/1/",
            "/jinriluotang/999/1/1/",
            "/luotangzhoumo/118/1/1/",
            "/jinriluotang/119/1/1/",  # not signed off
        ):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 404)

    def test_staff_reach_an_unsigned_article(self):
        self.client.force_login(factories.user("xudongmei"))
        response = self.client.get("/jinriluotang/119/1/1/")
        self.assertEqual(response["Location"], self.site["secret"].get_absolute_url())


class OnThisDayTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.pub = factories.publication()
        cls.earlier = {}
        for year, number in ((2021, 50), (2022, 70), (2023, 90)):
            issue = factories.issue(
                pub=cls.pub, number=number, date=datetime.date(year, 11, 28), published=True
            )
            for order in range(3):
                factories.article(
                    issue.pages.get(), headline=f"{year}年头版稿件{order}", order=order
                )
            cls.earlier[year] = issue
        factories.issue(pub=cls.pub, number=91, date=datetime.date(2023, 11, 29), published=True)
        factories.issue(pub=cls.pub, number=20, date=datetime.date(2020, 11, 28))  # unsigned
        cls.today = factories.issue(
            pub=cls.pub, number=118, date=datetime.date(2024, 11, 28), published=True
        )

    def test_earlier_years_newest_first_with_two_front_page_headlines_in_one_query(self):
        with self.assertNumQueries(1):
            found = on_this_day(self.pub, datetime.date(2024, 11, 28))
        self.assertEqual([issue.number for issue, _ in found], [90, 70, 50])
        self.assertEqual(
            [article.headline for article in found[0][1]], ["2023年头版稿件0", "2023年头版稿件1"]
        )

    def test_the_issue_on_show_is_left_out(self):
        found = on_this_day(self.pub, datetime.date(2024, 11, 28), besides=self.earlier[2023])
        self.assertEqual([issue.number for issue, _ in found], [70, 50])

    def test_29_february_looks_only_at_leap_years(self):
        leap = factories.issue(
            pub=self.pub, number=30, date=datetime.date(2020, 2, 29), published=True
        )
        factories.article(leap.pages.get(), headline="闰日稿件")
        found = on_this_day(self.pub, datetime.date(2024, 2, 29))
        self.assertEqual([issue for issue, _ in found], [leap])
        self.assertEqual(on_this_day(self.pub, datetime.date(2025, 2, 28)), [])

    @mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2024, 11, 28))
    def test_the_home_page_shows_it_and_keeps_a_copy_per_day(self, _today):
        response = self.client.get("/")
        self.assertContains(response, "往年今日")
        self.assertContains(response, "2023年头版稿件1")
        self.assertNotContains(response, "2023年头版稿件2")
        self.assertContains(response, "2021年11月28日")
        # A cached copy from the 28th is not served on the 29th.
        _today.return_value = datetime.date(2024, 11, 29)
        response = self.client.get("/")
        self.assertNotContains(response, "2023年头版稿件1")
        self.assertNotContains(response, "往年今日")

    def test_not_on_an_issue_page(self):
        self.assertNotContains(self.client.get(self.today.get_absolute_url()), "往年今日")


@override_settings(MEDIA_ROOT="/tmp/newsroom-test-media-15")
class ShareCardTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = build()

    def test_article_card_with_and_without_a_picture(self):
        jump = self.site["jump"]
        response = self.client.get(jump.get_absolute_url())
        self.assertContains(response, '<meta name="twitter:card" content="summary">')
        self.assertNotContains(response, "og:image")
        photo = jump.photos.get()
        with override_settings(STORAGES=IN_MEMORY):
            photos.attach_image(photo, io.BytesIO(samples.jpeg()), name="visit.jpg")
            response = self.client.get(jump.get_absolute_url())
            # A rendition, never the original (which keeps the camera's EXIF and GPS).
            rendition = photos.share_image_url(photo)
        self.assertIn("/media/renditions/", rendition)
        self.assertContains(
            response, f'<meta property="og:image" content="http://testserver{rendition}">'
        )
        self.assertContains(response, '<meta name="twitter:card" content="summary_large_image">')
        self.assertContains(
            response, '<meta property="og:description" content="日前，罗塘街道（高新区）'
        )

    def test_share_and_font_size_tools_are_plain_markup_driven_by_external_scripts(self):
        response = self.client.get(self.site["jump"].get_absolute_url())
        html = response.content.decode()
        self.assertIn('<div class="reader-tools" data-reader-tools hidden>', html)
        for size, label in (("s", "小"), ("m", "中"), ("l", "大"), ("xl", "特大")):
            self.assertRegex(html, rf'data-font-size="{size}"[^>]*>{label}</button>')
        self.assertIn('<button type="button" class="share-button"', html)

    def test_no_inline_script_or_event_handler_attribute_on_any_public_page(self):
        for url in (
            "/",
            self.site["issue"].get_absolute_url(),
            self.site["pages"][1].get_absolute_url(),
            self.site["jump"].get_absolute_url(),
            "/jinriluotang/issues/",
            "/jinriluotang/issues/numbers/",
            "/search/?q=罗塘",
        ):
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                scripts = re.findall(r"<script[^>]*>", html)
                self.assertTrue(scripts)
                for tag in scripts:
                    self.assertRegex(
                        tag, r'^<script src="/static/js/[a-z]+(\.[0-9a-f]+)?\.js"( defer)?>$'
                    )
                self.assertNotIn("</script>\n<script>", html)
                self.assertIsNone(re.search(r"<[^>]+\son[a-z]+=", html))

    def test_print_stylesheet_and_masthead_line(self):
        response = self.client.get(self.site["jump"].get_absolute_url())
        self.assertContains(
            response, '<link rel="stylesheet" href="/static/css/print.css" media="print">'
        )
        self.assertContains(
            response,
            '<p class="print-masthead">今日罗塘 2024年11月28日 第11期 总第118期 第1版 要闻</p>',
        )
        self.assertContains(response, '<p class="credits">责任编辑 郁菲菲</p>')


class SearchPageReadingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = build()
        chu = factories.person("储晓峰")
        Photo.objects.create(article=cls.site["first"], caption="会议现场。", photographer=chu)
        from search.index import index_articles

        index_articles(Article.objects.values_list("pk", flat=True))

    def test_one_search_box(self):
        response = self.client.get(reverse("search"), {"q": "罗塘"})
        self.assertEqual(response.content.decode().count('type="search"'), 1)

    def test_a_name_that_matched_is_labelled_and_the_snippet_starts_in_the_text(self):
        response = self.client.get(reverse("search"), {"q": "储晓峰"})
        html = response.content.decode()
        self.assertIn('<p class="snippet-names">通讯员 李书翔 · 摄影 <mark>储晓峰</mark></p>', html)
        snippet = re.search(r'<p class="snippet">(.*?)</p>', html).group(1)
        self.assertTrue(snippet.startswith("11月21日，罗塘街道"), snippet)

    def test_no_names_line_when_the_words_matched_the_text(self):
        response = self.client.get(reverse("search"), {"q": "网格化"})
        self.assertNotContains(response, "snippet-names")

    def test_a_result_links_to_its_page_with_the_query(self):
        response = self.client.get(reverse("search"), {"q": "走访"})
        page = self.site["pages"][1].get_absolute_url()
        self.assertContains(
            response, f'<a href="{page}?q=%E8%B5%B0%E8%AE%BF#hit-1">第1版</a>', html=True
        )
        self.assertContains(response, f'href="{self.site["jump"].get_absolute_url()}"')


class ByteIdentityTests(TestCase):
    """Display punctuation never reaches the row: saving through the model keeps the text."""

    def test_body_with_half_width_marks_is_stored_unchanged(self):
        page = factories.issue(published=True).pages.get()
        article = factories.article(page, body="10月25日,罗塘街道(高新区)召开会议?是的!")
        self.client.get(article.get_absolute_url())
        article.refresh_from_db()
        self.assertEqual(article.body, "10月25日,罗塘街道(高新区)召开会议?是的!")
        self.assertEqual(Byline.objects.count(), 0)
