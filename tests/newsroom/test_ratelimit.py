"""The rate limit on POSTs to the admin login (newsroom/ratelimit.py): past LOGIN_POST_RATE in a
window one address gets an immediate 429, before any session, database or template work. Each
test first runs an address up to the refusal, so that it fails with the limit switched off."""

from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import TestCase, override_settings

from tests import factories

LOGIN = "/admin/login/"
GUESSER = "203.0.113.50"
# The start of a 60 s window (a multiple of 60), so Retry-After is known.
WINDOW_START = 1_000_000_020.0


@override_settings(LOGIN_POST_RATE=10, LOGIN_POST_WINDOW=60)
class LoginPostRateLimitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        issue = factories.issue(published=True, number=118)
        factories.article(issue.pages.get())

    def setUp(self):
        cache.clear()
        clock = mock.patch("newsroom.ratelimit.time")
        self.clock = clock.start().time
        self.clock.return_value = WINDOW_START
        self.addCleanup(clock.stop)

    def guess(self, ip=GUESSER, n=0):
        return self.client.post(
            LOGIN, {"username": f"user{n}", "password": f"guess{n}"}, REMOTE_ADDR=ip
        )

    def run_up_to_the_limit(self, ip=GUESSER):
        # Ten POSTs reach the login (the admin's error, then axes' own 429 once it locks)...
        for n in range(10):
            response = self.guess(ip, n)
            self.assertNotIn("Retry-After", response)
        # ...the eleventh is refused before them.
        refused = self.guess(ip, 10)
        self.assertEqual(refused.status_code, 429)
        self.assertIn("Retry-After", refused)
        return refused

    def test_the_eleventh_post_in_a_minute_is_refused_at_once_in_chinese(self):
        self.clock.return_value = WINDOW_START + 15
        refused = self.run_up_to_the_limit()
        self.assertEqual(refused["Retry-After"], "45")
        self.assertEqual(refused["Content-Type"], "text/plain; charset=utf-8")
        self.assertEqual(refused.content.decode(), "登录尝试过于频繁，请 45 秒后再试。")
        # Nothing behind the middleware ran: no session cookie, and no query at all.
        self.assertNotIn("sessionid", refused.cookies)
        with self.assertNumQueries(0):
            again = self.guess(n=11)
        self.assertEqual(again.status_code, 429)
        self.assertIn("登录尝试过于频繁", again.content.decode())

    def test_the_login_form_and_public_pages_are_not_limited(self):
        self.run_up_to_the_limit()
        for url in [LOGIN, "/jinriluotang/issues/118/", "/"]:
            with self.subTest(url):
                response = self.client.get(url, REMOTE_ADDR=GUESSER)
                self.assertEqual(response.status_code, 200)
        self.assertContains(self.client.get(LOGIN, REMOTE_ADDR=GUESSER), 'name="password"')

    def test_another_address_is_not_affected(self):
        get_user_model().objects.create_user("yufeifei", password="correct", is_staff=True)
        self.run_up_to_the_limit()
        response = self.client.post(
            LOGIN,
            {"username": "yufeifei", "password": "correct", "next": "/admin/"},
            REMOTE_ADDR="198.51.100.9",
        )
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)

    def test_a_logged_in_editor_saving_many_times_is_not_limited(self):
        self.run_up_to_the_limit()
        chief = get_user_model().objects.create_superuser("chief", password="pw")
        self.client.force_login(chief)
        for n in range(15):
            response = self.client.post(
                "/admin/auth/group/add/", {"name": f"限流测试{n}"}, REMOTE_ADDR=GUESSER
            )
            self.assertEqual(response.status_code, 302, n)
        self.assertEqual(Group.objects.filter(name__startswith="限流测试").count(), 15)

    def test_the_count_starts_again_in_the_next_window(self):
        self.run_up_to_the_limit()
        self.clock.return_value = WINDOW_START + 59
        self.assertEqual(self.guess(n=20).status_code, 429)
        self.assertEqual(self.guess(n=20)["Retry-After"], "1")
        self.clock.return_value = WINDOW_START + 60
        response = self.guess(n=21)
        self.assertNotIn("Retry-After", response)
        self.assertNotIn("登录尝试过于频繁", response.content.decode())

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_a_trusted_load_balancer_the_forwarded_address_counts(self):
        def post(reader):
            return self.client.post(
                LOGIN,
                {"username": "u", "password": "x"},
                REMOTE_ADDR="10.0.0.2",
                HTTP_X_FORWARDED_FOR=f"1.2.3.4, {reader}",
            )

        for _ in range(10):
            post("203.0.113.1")
        self.assertEqual(post("203.0.113.1")["Retry-After"], "60")
        # Another reader behind the same balancer is not refused by the rate limit.
        self.assertNotIn("Retry-After", post("203.0.113.2"))
