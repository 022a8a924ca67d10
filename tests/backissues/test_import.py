"""import_issues with the sample issue 今日罗塘 总第118期: what lands in the database."""

import datetime
import json
import zoneinfo

from django.test import TestCase

from articles.models import Article, Byline, Photo
from issues.models import Issue, LayoutCredit, Publication
from people.models import Person

from .importing import EXPECTED_118, SAMPLE, counts, run, with_empty_additions


class ImportSampleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.result = run("import_issues", SAMPLE)

    def test_command_reports_the_import(self):
        self.assertFalse(self.result.failed, self.result.stderr)
        self.assertIn("imported 今日罗塘 总第118期 (2024-11-28)", self.result.stdout)
        self.assertIn(
            "imported 1, unchanged 0, replaced 0, failed 0; 5 articles, 1 photos, 8 new people",
            self.result.stdout,
        )

    def test_export_equals_the_hand_written_json(self):
        exported = run("export_issue", 118, format="json")
        self.assertEqual(
            json.loads(exported.stdout),
            with_empty_additions(json.loads(EXPECTED_118.read_text("utf-8"))),
        )

    def test_publication_is_created_with_a_pinyin_slug_and_the_masthead(self):
        publication = Publication.objects.get()
        self.assertEqual(publication.name, "今日罗塘")
        self.assertEqual(publication.slug, "jinriluotang")
        self.assertEqual(publication.sponsor_role, "联合主办")
        self.assertEqual(len(publication.sponsors), 5)
        self.assertEqual(publication.sponsors[0], "姜堰现代科技产业园区党工委")
        self.assertEqual(publication.epaper_url, "http://epaper.routeryun.com/jyrb")
        self.assertEqual(publication.submission_email, "1028974739@qq.com")

    def test_issue_is_published_on_its_date(self):
        issue = Issue.objects.get()
        self.assertEqual((issue.number, issue.number_in_year), (118, 11))
        self.assertEqual(issue.date, datetime.date(2024, 11, 28))
        self.assertEqual(issue.status, Issue.Status.PUBLISHED)
        shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
        self.assertEqual(issue.published_at, datetime.datetime(2024, 11, 28, 6, tzinfo=shanghai))
        self.assertEqual(list(issue.pages.values_list("number", flat=True)), [1])

    def test_articles_are_published_in_printed_order(self):
        articles = list(Article.objects.in_issue(Issue.objects.get()))
        self.assertEqual(len(articles), 5)
        self.assertEqual([article.order for article in articles], [0, 1, 2, 3, 4])
        self.assertEqual(articles[0].headline, "罗塘街道(高新区)部署当前重点工作")
        self.assertTrue(all(article.status == Article.Status.PUBLISHED for article in articles))
        self.assertEqual(Article.objects.published().count(), 5)

    def test_jumping_article_keeps_its_pages_and_break(self):
        article = Article.objects.get(headline="缪杰明带队走访辖区企业")
        self.assertEqual(article.pages, [1, 3])
        self.assertEqual(article.dateline, "本报讯")
        self.assertEqual(len(article.paragraphs), 3)
        self.assertTrue(article.body.startswith("日前,罗塘街道(高新区)党工委书记缪杰明"))
        # The continuation is not in the file: the break is at the end of the text.
        self.assertEqual(article.breaks, [len(article.body.replace("\n", ""))])

    def test_column_breaks_are_healed_in_the_body(self):
        article = Article.objects.get(headline="三个“聚焦”锻造过硬乡村振兴指导员队伍")
        self.assertIn("择优选派”的原则,除市、区3名指导员", article.body)
        self.assertEqual(len(article.paragraphs), 5)

    def test_bylines_keep_their_roles_and_order(self):
        article = Article.objects.get(headline="缪杰明带队走访辖区企业")
        self.assertEqual(
            [(byline.person.name, byline.role) for byline in article.bylines.all()],
            [("郁菲菲", Byline.Role.REPORTER), ("杨旭", Byline.Role.CORRESPONDENT)],
        )
        self.assertEqual(
            Byline.objects.filter(role=Byline.Role.CORRESPONDENT).count(), 5
        )  # 李书翔, 吉祥, 缪国华, 杨旭, 金慧霞

    def test_page_photo_is_credited_to_its_photographer(self):
        photo = Photo.objects.get()
        self.assertIsNone(photo.article)
        self.assertEqual(photo.page.number, 1)
        self.assertEqual(photo.photographer.name, "丁小勇")
        self.assertEqual(photo.credit_role, "")
        self.assertTrue(photo.caption.endswith("图为缪杰明与相关企业负责人交流。"))

    def test_one_person_is_both_reporter_and_responsible_editor(self):
        yu = Person.objects.get(name="郁菲菲")
        issue = Issue.objects.get()
        self.assertEqual(issue.responsible_editor, yu)
        self.assertEqual(list(yu.bylines.values_list("role", flat=True)), ["reporter"])

    def test_layout_credit_goes_to_xu_dongmei(self):
        credit = LayoutCredit.objects.get()
        self.assertEqual(credit.person.name, "徐冬梅")
        self.assertEqual(credit.issue, Issue.objects.get())

    def test_everyone_named_is_one_person(self):
        self.assertEqual(
            sorted(Person.objects.values_list("name", flat=True)),
            sorted(["李书翔", "吉祥", "缪国华", "郁菲菲", "杨旭", "金慧霞", "丁小勇", "徐冬梅"]),
        )
        self.assertEqual(counts()["Person"], 8)
