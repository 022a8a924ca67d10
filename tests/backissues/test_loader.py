"""load_issue: people, publications and the rules the file format leaves open."""

import datetime
import random

from django.db import connection
from django.test import TestCase

from articles.models import Article, Byline
from backissues.loader import LoadError, load_issue, publication_slug
from backissues.textformat import (
    ArticleData,
    BylineData,
    IssueData,
    PageData,
    PhotoData,
    PublicationData,
)
from bench.synth import generate_issue
from issues.models import Issue, Publication
from people.models import Person
from tests import factories


def issue_data(number=118, date=datetime.date(2024, 11, 28), sponsors=("姜堰区融媒体中心",), **kw):
    article = ArticleData(
        headline="缪杰明带队走访辖区企业",
        dateline="本报讯",
        bylines=[BylineData("郁菲菲", "reporter"), BylineData("吉祥", "correspondent")],
        paragraphs=["日前,罗塘街道党工委书记缪杰明带队走访辖区企业。", "企业负责人介绍了情况。"],
        pages=[1],
        photos=[PhotoData("缪杰明与企业负责人交流。", "丁小勇", "reporter")],
        line=20,
    )
    fields = {
        "publication": PublicationData("今日罗塘", list(sponsors), "主办"),
        "date": date,
        "weekday": "",
        "number_in_year": 11,
        "number": number,
        "responsible_editor": "郁菲菲",
        "layout": ["徐冬梅"],
        "pages": [PageData(1, "要闻", articles=[article], line=18)],
    }
    fields.update(kw)
    return IssueData(**fields)


class PeopleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.older = factories.person("吉祥")
        cls.newer = factories.person("吉祥", affiliation="太平社区")

    def test_the_oldest_person_of_a_name_is_reused(self):
        result = load_issue(data=issue_data())
        byline = Byline.objects.get(role="correspondent")
        self.assertEqual(byline.person, self.older)
        self.assertEqual(result.new_people, 3)  # 郁菲菲, 丁小勇, 徐冬梅
        self.assertEqual(Person.objects.filter(name="吉祥").count(), 2)

    def test_photo_credit_keeps_the_role_word(self):
        load_issue(data=issue_data())
        photo = Article.objects.get().photos.get()
        self.assertEqual((photo.photographer.name, photo.credit_role), ("丁小勇", "reporter"))

    def test_staff_person_with_a_login_is_matched_by_name(self):
        account = factories.user("yufeifei", person_name="郁菲菲")
        load_issue(data=issue_data())
        self.assertEqual(Issue.objects.get().responsible_editor.user, account)


class PublicationTests(TestCase):
    def test_slug_is_the_pinyin_of_the_name(self):
        self.assertEqual(publication_slug("今日罗塘"), "jinriluotang")
        self.assertEqual(publication_slug("姜堰日报 2024"), "jiangyanribao-2024")
        self.assertEqual(publication_slug("《》"), "publication")

    def test_slug_taken_by_another_paper_gets_a_number(self):
        factories.publication(name="金日罗塘", slug="jinriluotang")
        load_issue(data=issue_data())
        self.assertEqual(Publication.objects.get(name="今日罗塘").slug, "jinriluotang-2")

    def test_each_issue_keeps_its_masthead_and_the_newest_sets_the_defaults(self):
        load_issue(data=issue_data(sponsors=["罗塘街道党工委"], epaper_url="http://a.example/"))
        older = issue_data(number=117, date=datetime.date(2024, 11, 21), sponsors=["旧主办单位"])
        result = load_issue(data=older)
        publication = Publication.objects.get()
        # The publication's defaults for new issues follow the newest issue ...
        self.assertEqual(publication.sponsors, ["罗塘街道党工委"])
        self.assertEqual(publication.epaper_url, "http://a.example/")
        self.assertEqual(result.notes, [])
        # ... and each issue keeps what it printed.
        self.assertEqual(Issue.objects.get(number=117).sponsors, ["旧主办单位"])
        self.assertEqual(Issue.objects.get(number=117).epaper_url, "")
        self.assertEqual(Issue.objects.get(number=118).sponsors, ["罗塘街道党工委"])
        self.assertEqual(Issue.objects.get(number=118).epaper_url, "http://a.example/")
        # The older file is still the same issue when read again.
        self.assertEqual(load_issue(data=older).status, "unchanged")
        load_issue(data=issue_data(number=119, date=datetime.date(2024, 12, 5), sponsors=["新"]))
        publication.refresh_from_db()
        self.assertEqual(publication.sponsors, ["新"])
        self.assertEqual(publication.epaper_url, "")
        self.assertEqual(Issue.objects.get(number=118).sponsors, ["罗塘街道党工委"])

    def test_file_without_a_role_line_prints_none_and_keeps_the_papers_default(self):
        factories.publication(sponsor_role="联合主办")
        data = issue_data()
        data.publication.sponsor_role = ""
        load_issue(data=data)
        self.assertEqual(Publication.objects.get().sponsor_role, "联合主办")
        self.assertEqual(Issue.objects.get().sponsor_role, "")
        self.assertEqual(load_issue(data=data).status, "unchanged")

    def test_json_form_with_a_bad_epaper_url_or_email_is_refused(self):
        for fields in (
            {"epaper_url": "javascript:alert(1)"},
            {"epaper_url": "ftp://epaper.example/"},
            {"submission_email": "not-an-address"},
        ):
            with self.subTest(fields), self.assertRaises(LoadError):
                load_issue(data=issue_data(**fields))
        self.assertFalse(Issue.objects.exists())


class ContentTests(TestCase):
    def test_hard_break_in_a_paragraph_becomes_a_paragraph_break(self):
        data = issue_data()
        article = data.pages[0].articles[0]
        article.paragraphs = ["第一行。\n第二行。", "第三段。"]
        article.pages, article.breaks = [1, 3], [len("第一行。\n第二行。第三")]
        load_issue(data=data)
        stored = Article.objects.get()
        self.assertEqual(stored.body, "第一行。\n第二行。\n第三段。")
        # The break moves back by the one character (the hard break) that is not text.
        self.assertEqual(stored.breaks, [len("第一行。第二行。第三")])
        self.assertEqual(load_issue(data=data).status, "unchanged")

    def test_weekday_is_not_part_of_the_content(self):
        load_issue(data=issue_data(weekday="星期五"))
        self.assertEqual(load_issue(data=issue_data(weekday="")).status, "unchanged")

    def test_publish_false_leaves_the_issue_ready_for_sign_off(self):
        load_issue(data=issue_data(), publish=False)
        issue = Issue.objects.get()
        self.assertEqual((issue.status, issue.published_at), (Issue.Status.READY, None))
        self.assertEqual(Article.objects.get().status, Article.Status.PLACED)

    def test_headline_too_long_for_the_column_is_refused_with_its_line(self):
        data = issue_data()
        data.pages[0].articles[0].headline = "长" * 201
        with self.assertRaisesMessage(LoadError, "headline is longer than 200 characters"):
            load_issue(data=data)
        try:
            load_issue(data=data)
        except LoadError as error:
            self.assertEqual(error.line, 20)
        self.assertFalse(Publication.objects.exists())

    def test_name_repeated_in_layout_is_refused(self):
        with self.assertRaisesMessage(LoadError, "a name is repeated in 组版: 徐冬梅、徐冬梅"):
            load_issue(data=issue_data(layout=["徐冬梅", "徐冬梅"]))
        self.assertFalse(Issue.objects.exists())

    def test_replace_removes_articles_that_are_gone(self):
        load_issue(data=issue_data())
        data = issue_data()
        data.pages[0].articles[0].headline = "罗塘街道人大工委召开全体(扩大)会议"
        with self.assertRaisesMessage(LoadError, "use --replace"):
            load_issue(data=data)
        self.assertEqual(load_issue(data=data, replace=True).status, "replaced")
        self.assertEqual(
            list(Article.objects.values_list("headline", flat=True)),
            ["罗塘街道人大工委召开全体(扩大)会议"],
        )


class QueryCountTests(TestCase):
    def test_a_new_issue_takes_the_same_queries_whatever_its_size(self):
        rng = random.Random(5)
        first, small, large = (generate_issue(n, rng) for n in (1, 2, 3))
        load_issue(data=first)  # creates the publication and most of the people
        small.pages = small.pages[:1]
        small.pages[0].articles = small.pages[0].articles[:1]
        for data in (small, large):
            names = {b.name for p in data.pages for a in p.articles for b in a.bylines}
            Person.objects.bulk_create(Person(name=name) for name in names)
        # savepoint, publication, later issue?, existing issue, same date, people, new people
        # (none), issue, layout credits, pages, articles, bylines, photos; then the search
        # index: articles, their bylines, people and photos, one write of the index rows;
        # release.
        # New names are looked up again under their lock (issues.locks.lock_names): one
        # more query, and on PostgreSQL the lock itself, and the import lock of the issue.
        expected = 19 if connection.vendor != "postgresql" else 21
        with self.assertNumQueries(expected) as small_queries:
            load_issue(data=small)
        with self.assertNumQueries(expected):
            load_issue(data=large)
        self.assertEqual(Article.objects.count(), 20 + 1 + 20, small_queries)
