"""Readers search the sample issue 今日罗塘 总第118期 for people, places and short words.

Every test here runs on SQLite (substring search) and on PostgreSQL (bigram tsvector + GIN):
the same queries give the same articles on both.
"""

import datetime
import io
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from articles.models import Article, Byline
from issues.models import Issue
from people.models import Person
from search import query
from search.models import ArticleSearch
from tests import factories

SAMPLE = Path(settings.BASE_DIR) / "backissues" / "fixtures" / "jinri-luotang-118.md"


def headlines(q, queryset=None, **options):
    queryset = Article.objects.published() if queryset is None else queryset
    return [a.headline for a in query.search_articles(queryset, q, **options).articles]


class SampleIssueSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("import_issues", str(SAMPLE), stdout=io.StringIO())
        cls.issue = Issue.objects.get(number=118)

    def test_the_import_indexed_every_article(self):
        self.assertEqual(ArticleSearch.objects.count(), Article.objects.count())
        self.assertGreaterEqual(Article.objects.count(), 5)

    def test_a_person_named_in_the_text(self):
        found = headlines("缪杰明")
        self.assertIn("缪杰明带队走访辖区企业", found)
        self.assertIn("罗塘街道(高新区)部署当前重点工作", found)
        self.assertNotIn("三个“聚焦”锻造过硬乡村振兴指导员队伍", found)

    def test_a_correspondent_whose_name_is_a_word_is_found_by_byline(self):
        self.assertEqual(headlines("吉祥"), ["区政协调研罗塘街道“网格化治理”协商议事工作"])

    def test_places(self):
        self.assertEqual(len(headlines("罗塘")), Article.objects.count())
        self.assertEqual(headlines("银穆社区"), ["三个“聚焦”锻造过硬乡村振兴指导员队伍"])

    def test_a_topic(self):
        found = headlines("网格化")
        self.assertCountEqual(
            found,
            ["区政协调研罗塘街道“网格化治理”协商议事工作", "罗塘街道人大工委召开全体(扩大)会议"],
        )

    def test_a_two_character_word(self):
        self.assertEqual(headlines("殷家"), ["三个“聚焦”锻造过硬乡村振兴指导员队伍"])

    def test_a_standalone_page_photo_is_no_article(self):
        # The sample's only photo (丁小勇 摄) follows a jump line: it is 图片新闻 of the page.
        self.assertEqual(headlines("丁小勇"), [])

    def test_numbers_and_mixed_words(self):
        self.assertEqual(headlines("2025年"), ["罗塘街道(高新区)部署当前重点工作"])
        self.assertIn("罗塘街道(高新区)部署当前重点工作", headlines("2024年"))
        self.assertEqual(headlines("123"), ["区政协调研罗塘街道“网格化治理”协商议事工作"])

    def test_a_word_that_is_not_in_the_issue(self):
        self.assertEqual(headlines("溱湖"), [])

    def test_one_character_queries_still_work(self):
        found = headlines("亩")
        self.assertEqual(found, ["罗塘街道人大工委召开全体(扩大)会议"])

    def test_every_term_must_match(self):
        self.assertEqual(headlines("缪杰明 银穆"), [])
        self.assertEqual(headlines("罗塘 吉祥"), ["区政协调研罗塘街道“网格化治理”协商议事工作"])

    def test_headline_matches_rank_first(self):
        found = headlines("缪杰明", sort="relevance")
        self.assertEqual(found[0], "缪杰明带队走访辖区企业")

    def test_the_view_lists_headline_issue_page_date_and_snippet(self):
        response = self.client.get(reverse("search"), {"q": "银穆社区"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "找到 1 篇")
        self.assertContains(response, "三个“聚焦”锻造过硬乡村振兴指导员队伍")
        self.assertContains(response, "第11期 总第118期")
        self.assertContains(response, "第1版")
        self.assertContains(response, "2024年11月28日")
        self.assertContains(response, "<mark>银穆社区</mark>")
        article = Article.objects.get(headline="三个“聚焦”锻造过硬乡村振兴指导员队伍")
        self.assertContains(response, f'href="{article.get_absolute_url()}"')

    def test_no_result_says_so(self):
        response = self.client.get(reverse("search"), {"q": "溱湖"})
        self.assertContains(response, "没有找到与“溱湖”相关的稿件")


class PhraseSemanticsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        page = factories.issue(published=True).pages.get()
        cls.apart = factories.article(page, headline="罗马与池塘", body="罗马城外有一方池塘。")
        cls.across_punctuation = factories.article(page, headline="会议", body="新罗，塘边人家。")
        cls.together = factories.article(page, headline="走进罗塘", body="罗塘街道的秋天。")
        cls.latin = factories.article(
            page, headline="数字经济", body="全区GDP增长5.2%，APP用户过万。"
        )

    def test_two_characters_match_only_side_by_side(self):
        self.assertEqual(headlines("罗塘"), ["走进罗塘"])

    def test_three_characters_are_an_exact_substring(self):
        self.assertEqual(headlines("塘街道"), ["走进罗塘"])
        self.assertEqual(headlines("罗塘道"), [])

    def test_latin_words_are_case_insensitive(self):
        self.assertEqual(headlines("gdp"), ["数字经济"])
        self.assertEqual(headlines("GDP增长"), ["数字经济"])
        self.assertEqual(headlines("ａｐｐ"), ["数字经济"])  # full-width, NFKC-normalised

    def test_a_term_never_spans_punctuation(self):
        self.assertEqual(headlines("新罗"), ["会议"])
        self.assertNotIn("会议", headlines("新罗塘"))


class PublishedOnlyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.published_issue = factories.issue(published=True)
        page = cls.published_issue.pages.get()
        cls.article = factories.article(page, headline="银穆社区道路维修完工")
        cls.draft = factories.article(None, headline="银穆社区停车场新建（草稿）")
        planned_page = factories.issue().pages.get()
        cls.placed = factories.article(
            planned_page, headline="银穆社区新闻（待签发）", status=Article.Status.PLACED
        )

    def test_only_the_published_article_is_found(self):
        self.assertEqual(headlines("银穆社区"), ["银穆社区道路维修完工"])
        # The index itself holds all three: the admin searches it too.
        self.assertEqual(ArticleSearch.objects.filter(document__contains="银穆社区").count(), 3)

    def test_an_article_unpublished_without_saving_is_not_found(self):
        Article.objects.filter(pk=self.article.pk).update(status=Article.Status.DRAFT)
        self.assertEqual(headlines("银穆社区"), [])
        response = self.client.get(reverse("search"), {"q": "银穆社区"})
        self.assertNotContains(response, "道路维修完工")

    def test_an_issue_unpublished_without_saving_hides_its_articles(self):
        Issue.objects.filter(pk=self.published_issue.pk).update(status=Issue.Status.PLANNING)
        self.assertEqual(headlines("银穆社区"), [])

    def test_a_one_character_query_hides_them_too(self):
        Article.objects.filter(pk=self.article.pk).update(status=Article.Status.WITHDRAWN)
        self.assertEqual(headlines("穆"), [])


class KeptCurrentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = factories.issue(published=True).pages.get()
        cls.article = factories.article(cls.page, headline="社区新闻", body="居民议事会召开。")
        cls.lishuxiang = factories.person("李书翔")

    def test_saving_an_article_reindexes_it(self):
        self.article.body = "太平社区居民议事会召开。"
        self.article.save()
        self.assertEqual(headlines("太平社区"), ["社区新闻"])

    def test_a_new_byline_and_a_renamed_person_are_found(self):
        Byline.objects.create(article=self.article, person=self.lishuxiang, role="correspondent")
        self.assertEqual(headlines("李书翔"), ["社区新闻"])
        Person.objects.filter(pk=self.lishuxiang.pk).get().save()  # unchanged name: still found
        self.lishuxiang.name = "李书香"
        self.lishuxiang.save()
        self.assertEqual(headlines("李书翔"), [])
        self.assertEqual(headlines("李书香"), ["社区新闻"])

    def test_a_photo_caption_is_found_and_forgotten_when_deleted(self):
        photo = factories.photo(
            article=self.article, caption="图为居民代表发言。", photographer=self.lishuxiang
        )
        self.assertEqual(headlines("居民代表"), ["社区新闻"])
        self.assertEqual(headlines("李书翔"), ["社区新闻"])
        photo.delete()
        self.assertEqual(headlines("居民代表"), [])

    def test_deleting_an_article_deletes_its_index_row(self):
        Byline.objects.create(article=self.article, person=self.lishuxiang, role="correspondent")
        self.article.delete()
        self.assertFalse(ArticleSearch.objects.exists())

    def test_a_changed_issue_date_moves_the_article(self):
        issue = self.page.issue
        issue.date = datetime.date(2019, 5, 4)
        issue.save()
        self.assertEqual(ArticleSearch.objects.get().date, datetime.date(2019, 5, 4))

    def test_rebuild_command_is_safe_to_run_twice(self):
        ArticleSearch.objects.all().delete()
        out = io.StringIO()
        call_command("rebuild_search_index", stdout=out)
        self.assertIn("Indexed 1 articles", out.getvalue())
        call_command("rebuild_search_index", stdout=out)
        self.assertEqual(ArticleSearch.objects.count(), 1)
        self.assertEqual(headlines("议事会"), ["社区新闻"])

    def test_rebuild_dry_run_writes_nothing(self):
        ArticleSearch.objects.all().delete()
        out = io.StringIO()
        call_command("rebuild_search_index", "--dry-run", stdout=out)
        self.assertIn("Would index 1 articles", out.getvalue())
        self.assertFalse(ArticleSearch.objects.exists())
