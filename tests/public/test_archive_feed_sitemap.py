"""Archive by year and month, Atom feed, sitemap and robots.txt: published rows only."""

import datetime
import re

from django.test import TestCase

from articles.models import Article
from tests import factories
from tests.sample_site import build


class ArchiveTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        pub = factories.publication()
        cls.jan = factories.issue(
            pub=pub, number=101, date=datetime.date(2023, 1, 5), published=True
        )
        cls.mar = factories.issue(
            pub=pub, number=102, date=datetime.date(2023, 3, 2), published=True
        )
        cls.nov = factories.issue(
            pub=pub, number=118, date=datetime.date(2024, 11, 28), published=True
        )
        cls.draft = factories.issue(pub=pub, number=119, date=datetime.date(2024, 12, 12))

    def test_the_newest_year_shows_by_default_with_a_calendar_of_each_month(self):
        response = self.client.get("/jinriluotang/issues/")
        html = response.content.decode()
        main = html[html.index("<main") : html.index("</main>") + 7]
        self.assertEqual(list(response.context["issues"]), [self.nov])
        self.assertIn('<h2 id="m2024-11" class="month-title">2024年11月</h2>', main)
        # 28 November 2024 is a Thursday: the fourth column of its week, linked.
        self.assertInHTML(
            '<td class="has-issue"><a href="/jinriluotang/issues/118/"><span class="day">28</span>'
            '<span class="cal-number"><span class="visually-hidden">2024年11月28日 </span>'
            "总第118期</span></a></td>",
            main,
        )
        self.assertRegex(main, r"<tr><td[^>]*>(?:(?!</tr>).)*<span class=\"day\">25</span>")
        self.assertNotIn("总第119期", main)
        self.assertNotIn("总第101期", main)

    def test_year_and_month_are_links_not_text_boxes(self):
        response = self.client.get("/jinriluotang/issues/", {"year": 2023})
        html = response.content.decode()
        self.assertNotIn("<input", html[html.index("<main") :])
        self.assertInHTML('<span aria-current="page">2023</span>', html)
        self.assertContains(response, '<a href="?year=2024">2024</a>', html=True)
        self.assertContains(response, '<a href="?year=2023&amp;month=1">1月</a>', html=True)
        self.assertContains(response, '<a href="?year=2023&amp;month=3">3月</a>', html=True)
        self.assertNotContains(response, "month=2")
        self.assertLess(html.index('id="m2023-3"'), html.index('id="m2023-1"'))

    def test_filter_by_year_and_month(self):
        response = self.client.get("/jinriluotang/issues/", {"year": 2023, "month": 3})
        self.assertEqual(list(response.context["issues"]), [self.mar])
        self.assertContains(response, '<span aria-current="page">3月</span>', html=True)

    def test_the_list_by_cumulative_number(self):
        response = self.client.get("/jinriluotang/issues/numbers/")
        html = response.content.decode()
        self.assertIn("总第101–200期", html)
        self.assertLess(html.index("/issues/118/"), html.index("/issues/101/"))
        self.assertNotIn("/issues/119/", html)
        self.assertContains(
            self.client.get("/jinriluotang/issues/"), "/jinriluotang/issues/numbers/"
        )

    def test_bad_filter_input_is_a_clear_message_not_an_error(self):
        response = self.client.get("/jinriluotang/issues/", {"year": "abc", "month": 13})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(list(response.context["issues"]), [])
        self.assertContains(response, 'class="error"')

    def test_unknown_publication_is_a_404(self):
        self.assertEqual(self.client.get("/nosuchpaper/issues/").status_code, 404)


class FeedSitemapRobotsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = build()

    def test_atom_feed_lists_published_articles_with_bylines(self):
        response = self.client.get("/jinriluotang/feed/")
        self.assertEqual(response["Content-Type"], "application/atom+xml; charset=utf-8")
        body = response.content.decode()
        self.assertIn("缪杰明带队走访辖区企业", body)
        self.assertIn("<name>记者 郁菲菲 通讯员 杨旭</name>", body)
        self.assertIn(f"http://testserver{self.site['jump'].get_absolute_url()}", body)
        self.assertNotIn("尚未签发的稿件", body)

    def test_feed_leaves_out_withdrawn_articles_and_keeps_thirty(self):
        Article.objects.filter(pk=self.site["jump"].pk).update(status=Article.Status.WITHDRAWN)
        page = self.site["pages"][4]
        for i in range(35):
            factories.article(page, headline=f"副刊{i}", order=10 + i)
        body = self.client.get("/jinriluotang/feed/").content.decode()
        self.assertNotIn(f"/articles/{self.site['jump'].pk}/", body)
        self.assertEqual(body.count("<entry>"), 30)

    def sitemaps(self):
        """The sitemap index's entries, and every URL of the sitemaps it lists."""
        index = self.client.get("/sitemap.xml")
        self.assertEqual(index["Content-Type"], "application/xml")
        entries = re.findall(r"<loc>(.*?)</loc>", index.content.decode())
        urls = []
        for entry in entries:
            response = self.client.get(entry.removeprefix("http://testserver"))
            self.assertEqual(response.status_code, 200, entry)
            urls += re.findall(r"<loc>(.*?)</loc>", response.content.decode())
        return entries, urls

    def test_sitemap_has_published_issues_pages_articles_and_people_only(self):
        _entries, urls = self.sitemaps()
        body = "\n".join(urls)
        self.assertIn("http://testserver/jinriluotang/issues/118/", body)
        self.assertIn("http://testserver/jinriluotang/issues/118/pages/3/", body)
        self.assertIn(f"http://testserver{self.site['jump'].get_absolute_url()}", body)
        self.assertIn(f"http://testserver{self.site['yang'].get_absolute_url()}", body)
        self.assertNotIn("/issues/119/", body)
        self.assertNotIn(self.site["secret"].get_absolute_url(), body)
        self.assertEqual(len(urls), len(set(urls)))
        nobody = factories.person("无名")
        factories.article(
            self.site["unsigned"].pages.get(),
            headline="未发",
            status="placed",
            bylines=[(nobody, "reporter")],
        )
        self.assertNotIn(nobody.get_absolute_url(), "\n".join(self.sitemaps()[1]))

    def test_the_sitemap_is_an_index_of_one_sitemap_a_month_and_one_of_people(self):
        # Publishing an issue makes stale only its month's sitemap, not the whole archive's.
        entries, _urls = self.sitemaps()
        self.assertEqual(
            entries,
            [
                "http://testserver/sitemaps/people.xml",
                "http://testserver/sitemaps/jinriluotang/2024-11.xml",
            ],
        )
        month = self.client.get("/sitemaps/jinriluotang/2024-11.xml").content.decode()
        self.assertIn("/jinriluotang/issues/117/", month)
        self.assertIn("/jinriluotang/issues/118/", month)
        self.assertNotIn("/people/", month)
        # 119 (December) is not published; no month of no published issue, no such paper.
        for path in [
            "/sitemaps/jinriluotang/2024-12.xml",
            "/sitemaps/jinriluotang/2024-13.xml",
            "/sitemaps/nosuchpaper/2024-11.xml",
        ]:
            self.assertEqual(self.client.get(path).status_code, 404, path)

    def test_robots_points_to_the_sitemap_and_keeps_out_of_admin_and_search(self):
        response = self.client.get("/robots.txt")
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        body = response.content.decode()
        self.assertIn("Disallow: /admin/", body)
        self.assertIn("Disallow: /search/", body)
        self.assertIn("Sitemap: http://testserver/sitemap.xml", body)
