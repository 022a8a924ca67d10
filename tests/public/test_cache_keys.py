"""The page cache is keyed by what changes the page: junk in a URL cannot fill it (issue 11,
cache flooding); huge pages are served and not kept; CDNs get s-maxage, tags and a purge."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from django.db import connection, transaction
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from tests.sample_site import build

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class CacheKeyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = build()
        cls.url = cls.site["issue"].get_absolute_url()

    def test_junk_query_strings_share_the_one_cached_page(self):
        first = self.client.get(self.url + "?utm_source=wechat")
        for n in range(20):
            with self.subTest(n=n), self.assertNumQueries(0):
                response = self.client.get(f"{self.url}?utm={n}&from=timeline&isappinstalled=0")
            self.assertEqual(response.content, first.content)
        with self.assertNumQueries(0):
            self.client.get(self.url)

    def test_a_number_written_with_a_leading_zero_is_the_same_page(self):
        self.client.get(self.url)
        with self.assertNumQueries(0):
            response = self.client.get("/jinriluotang/issues/0118/")
        self.assertContains(response, "总第118期")

    def test_parameters_a_view_reads_are_part_of_the_key(self):
        archive = "/jinriluotang/issues/"
        self.assertContains(self.client.get(archive + "?year=2024&month=11"), "总第118期")
        self.assertNotContains(self.client.get(archive + "?year=2023"), "总第118期")
        with self.assertNumQueries(0):
            self.assertContains(self.client.get(archive + "?month=11&year=2024&x=1"), "总第118期")

    def test_a_read_parameter_with_an_odd_value_is_answered_but_never_stored(self):
        archive = "/jinriluotang/issues/"
        # (The archive shows a whole year as calendars: it reads no ?page=.)
        for odd in ["?year=02024", "?year=2024&year=2023", "?month=x", "?year=" + "9" * 40]:
            with self.subTest(odd=odd):
                self.assertLess(self.client.get(archive + odd).status_code, 500)
                with CaptureQueriesContext(connection) as again:
                    self.client.get(archive + odd)
                self.assertGreater(len(again), 0, "rendered again, not served from the cache")

    def test_a_person_section_is_cached_by_page_number(self):
        yang = self.site["yang"]
        url = f"/people/{yang.pk}/correspondent/"
        self.assertContains(self.client.get(url), "罗塘街道人大工委")
        with self.assertNumQueries(0):
            self.client.get(url + "?utm=1")
        self.assertEqual(self.client.get(url + "?page=2").status_code, 404)

    @override_settings(PUBLIC_PAGE_MAX_BYTES=2000)
    def test_a_page_above_the_size_limit_is_served_whole_but_not_stored(self):
        article = self.site["jump"].get_absolute_url()
        first = self.client.get(article)
        self.assertGreater(len(first.content), 2000)
        self.assertContains(first, "重点企业挂钩服务机制")
        self.assertTrue(first["ETag"])
        with CaptureQueriesContext(connection) as again:
            second = self.client.get(article)
        self.assertGreater(len(again), 0, "rendered again, not served from the cache")
        self.assertEqual(second.content, first.content)
        # Conditional requests still get their 304.
        again = self.client.get(article, headers={"if-none-match": first["ETag"]})
        self.assertEqual(again.status_code, 304)

    def test_pages_carry_their_surrogate_keys(self):
        response = self.client.get(self.url)
        self.assertEqual(response["Surrogate-Key"], "reset pub-jinriluotang")
        self.assertEqual(response["Cache-Tag"], "reset,pub-jinriluotang")
        self.assertEqual(self.client.get("/")["Surrogate-Key"], "site")

    @override_settings(PUBLIC_PAGE_CDN_SECONDS=300)
    def test_a_cdn_may_hold_a_page_while_browsers_revalidate(self):
        response = self.client.get(self.url)
        self.assertEqual(
            response["Cache-Control"], "public, max-age=0, s-maxage=300, must-revalidate"
        )
        self.client.force_login(self._staff())
        self.assertEqual(self.client.get(self.url)["Cache-Control"], "private, no-store")

    def _staff(self):
        from tests import factories

        return factories.user("xudongmei", groups=["组版"])


class _PurgeReceiver(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


class CdnPurgeTests(TestCase):
    """A real HTTP server stands in for the CDN's purge endpoint."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = HTTPServer(("127.0.0.1", 0), _PurgeReceiver)
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()
        cls.purge_url = f"http://127.0.0.1:{cls.server.server_port}/purge"

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls):
        cls.site = build()

    def setUp(self):
        _PurgeReceiver.received.clear()

    def test_one_purge_per_committed_change_however_many_rows_it_saved(self):
        with (
            override_settings(CDN_PURGE_URL=self.purge_url, TASKS=IMMEDIATE),
            self.captureOnCommitCallbacks(execute=True),
            transaction.atomic(),
        ):
            for article in Article.objects.filter(page__issue=self.site["issue"]):
                article.headline += "（修订）"
                article.save()
        self.assertEqual(
            _PurgeReceiver.received,
            [{"surrogate_keys": ["site", "pub-jinriluotang"], "everything": False}],
        )

    def test_a_change_to_a_person_purges_everything(self):
        with (
            override_settings(CDN_PURGE_URL=self.purge_url, TASKS=IMMEDIATE),
            self.captureOnCommitCallbacks(execute=True),
        ):
            yang = self.site["yang"]
            yang.name = "杨旭东"
            yang.save()
        self.assertEqual(
            _PurgeReceiver.received, [{"surrogate_keys": ["site", "reset"], "everything": True}]
        )

    def test_no_purge_url_no_call_and_a_rolled_back_change_purges_nothing(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.site["jump"].save()
        with (
            override_settings(CDN_PURGE_URL=self.purge_url, TASKS=IMMEDIATE),
            self.captureOnCommitCallbacks(execute=True),
        ):
            try:
                with transaction.atomic():
                    self.site["jump"].save()
                    raise RuntimeError("rolled back")
            except RuntimeError:
                pass
        self.assertEqual(_PurgeReceiver.received, [])
