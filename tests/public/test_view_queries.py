"""Each public view fetches what it shows in a fixed number of queries, however many
articles, bylines and photos there are (1 or 30 articles, each with 2 bylines and a photo).

An anonymous reader with no session cookie costs no query for the user; the page cache is
empty at the start of each test (tests/conftest.py), so these count the rendering path.
"""

from django.test import TestCase
from django.urls import reverse

from articles.models import Photo
from issues.models import Issue, LayoutCredit
from tests.query_data import issue_with_articles


class QueryCountMixin:
    articles = None

    @classmethod
    def setUpTestData(cls):
        cls.issue, cls.article_rows, cls.correspondent = issue_with_articles(cls.articles)

    def get(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return response

    def test_issue_view(self):
        # 1 issue + publication + responsible editor, 2 layout credits + people, 3 pages,
        # 4 the pages' articles, 5 their bylines + people, 6 their photos and the pages'
        # photo news + photographers (each page's lead photo), 7 the issue's corrections,
        # 8 previous and next issue.
        with self.assertNumQueries(8):
            response = self.get(self.issue.get_absolute_url())
        self.assertContains(response, "罗塘街道新闻0")

    def test_page_view(self):
        # 1 page + issue + publication, 2 the issue's pages, 3 the issue's articles (this
        # page's and those continued here), 4 this page's articles' bylines + people, 5 their
        # photos and the page's photo news + photographers, 6 previous and next issue.
        url = self.issue.pages.get(number=1).get_absolute_url()
        with self.assertNumQueries(6):
            response = self.get(url)
        self.assertContains(response, "（下转2版）", count=self.articles)

    def test_continued_page_view(self):
        # The same queries; page 2 starts no article, so 4 (bylines) does not run.
        url = self.issue.pages.get(number=2).get_absolute_url()
        with self.assertNumQueries(5):
            response = self.get(url)
        self.assertContains(response, "（上接1版）", count=self.articles)

    def test_article_view(self):
        # 1 article + page + issue + publication + responsible editor, and whether it has
        # photos and corrections, 2 bylines + people, 3 photos + photographers (it has one),
        # 4 which of the pages it jumps to are there (it jumps to page 2), 5 the issue's
        # articles (ids and headlines, for previous/next and its place on the page), 6 the
        # issues numbered one before and after (117 and 119 are there). No corrections: no
        # query for them.
        url = self.article_rows[-1].get_absolute_url()
        with self.assertNumQueries(6):
            self.get(url)

    def test_person_view(self):
        # 1 person and whether they took photos, edited or laid out issues, 2 each role's
        # newest bylines + articles + pages + issues + publications and the role's total. A
        # correspondent who did nothing else: no query more.
        with self.assertNumQueries(2):
            response = self.get(self.correspondent.get_absolute_url())
        self.assertContains(response, "罗塘街道新闻", count=min(self.articles, 20))
        self.assertContains(response, f"共 {self.articles} 篇")

    def test_person_view_of_every_kind_of_work(self):
        # 1 person (and what they did), 2 bylines, 3 newest photos + articles or pages +
        # issues + publications and the total, 4 newest issues edited and the total, 5 the
        # same for issues laid out.
        everything = self.correspondent
        first = self.article_rows[0]
        Photo.objects.filter(pk=first.photos.get().pk).update(photographer=everything)
        Issue.objects.filter(pk=self.issue.pk).update(responsible_editor=everything)
        LayoutCredit.objects.create(issue=self.issue, person=everything, order=1)
        with self.assertNumQueries(5):
            response = self.get(everything.get_absolute_url())
        self.assertContains(response, "共 1 幅")
        self.assertContains(response, "共 1 期", count=2)

    def test_person_section_view(self):
        # 1 person, 2 count (pagination), 3 the page of bylines + articles + pages + issues
        # + publications.
        url = reverse(
            "people:section", kwargs={"pk": self.correspondent.pk, "section": "correspondent"}
        )
        with self.assertNumQueries(3):
            response = self.get(url)
        self.assertContains(response, "罗塘街道新闻", count=min(self.articles, 20))

    def test_person_photos_section_view(self):
        # The same three for photos, which reach their issue through the article or page.
        photographer = self.issue.layout_credits.get().person
        url = reverse("people:section", kwargs={"pk": photographer.pk, "section": "photos"})
        with self.assertNumQueries(3):
            response = self.get(url)
        self.assertContains(response, f"共 {self.articles + 1} 幅")

    def test_archive_view(self):
        # 1 publication, 2 months with issues (the picker), 3 the year's issues, 4 their
        # front pages (thumbnails).
        with self.assertNumQueries(4):
            response = self.get("/jinriluotang/issues/")
        self.assertContains(response, "总第118期")

    def test_archive_by_number(self):
        # 1 publication, 2 issues.
        with self.assertNumQueries(2):
            response = self.get("/jinriluotang/issues/numbers/")
        self.assertContains(response, "/jinriluotang/issues/118/")

    def test_home_with_on_this_day(self):
        # 1 the publications with their latest issue, then the issue view's queries for the
        # latest issue (119, which has no articles: no bylines query; its corrections), and
        # 往年今日.
        with self.assertNumQueries(9):
            self.get("/")

    def test_feed(self):
        # 1 publication, 2 articles + page + issue + publication, 3 their bylines + people.
        with self.assertNumQueries(3):
            self.get("/jinriluotang/feed/")

    def test_sitemap(self):
        # The index: 1 the months with published issues.
        with self.assertNumQueries(1):
            self.get("/sitemap.xml")
        # A month: 1 its issues, 2 their pages, 3 their published articles.
        month = self.issue.date.strftime("%Y-%m")
        with self.assertNumQueries(3):
            self.get(f"/sitemaps/{self.issue.publication.slug}/{month}.xml")
        # People: 1 count (paging) and 2 rows.
        with self.assertNumQueries(2):
            self.get("/sitemaps/people.xml")


class OneArticleQueryTests(QueryCountMixin, TestCase):
    articles = 1


class ThirtyArticlesQueryTests(QueryCountMixin, TestCase):
    articles = 30
