"""Security headers, the secret key's strength, and the login lock-out (django-axes)."""

from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings
from django.urls import reverse

from tests import factories
from tests.newsroom.test_settings import manage

LOGIN = "/admin/login/"


class HeaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        issue = factories.issue(published=True, number=118)
        factories.article(issue.pages.get())

    def test_public_and_desk_pages_send_a_strict_csp_and_a_permissions_policy(self):
        user = get_user_model().objects.create_superuser("chief", password="pw")
        for url, login in [("/jinriluotang/issues/118/", False), ("/admin/", True)]:
            with self.subTest(url):
                if login:
                    self.client.force_login(user)
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                policy = dict(
                    (part.strip().split(" ", 1) + [""])[:2]
                    for part in response["Content-Security-Policy"].split(";")
                )
                self.assertEqual(policy["script-src"], "'self'")
                self.assertEqual(policy["default-src"], "'self'")
                self.assertEqual(policy["object-src"], "'none'")
                self.assertEqual(policy["frame-ancestors"], "'none'")
                self.assertNotIn(
                    "unsafe", response["Content-Security-Policy"].split("style-src")[0]
                )
                self.assertIn("camera=()", response["Permissions-Policy"])
                self.assertIn("geolocation=()", response["Permissions-Policy"])

    def test_a_cached_public_page_keeps_its_headers(self):
        first = self.client.get("/jinriluotang/issues/118/")
        second = self.client.get("/jinriluotang/issues/118/")
        self.assertEqual(first["Content-Security-Policy"], second["Content-Security-Policy"])
        self.assertIn("Permissions-Policy", second)


class SecretKeyTests(TestCase):
    def test_a_short_secret_refuses_to_start_in_production(self):
        result = manage("check", DJANGO_DEBUG="off", DJANGO_SECRET_KEY="x" * 49)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("at least 50 characters", result.stderr)

    def test_a_development_secret_is_refused_in_production(self):
        key = "django-insecure-" + "k7$qz" * 10
        result = manage("check", DJANGO_DEBUG="off", DJANGO_SECRET_KEY=key)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("django-insecure", result.stderr)


class LoginLockoutTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_user(
            "yufeifei", password="correct-horse-battery", is_staff=True
        )

    def post(self, username, password, ip="203.0.113.7"):
        return self.client.post(
            LOGIN,
            {"username": username, "password": password, "next": "/admin/"},
            REMOTE_ADDR=ip,
        )

    def test_the_sixth_wrong_password_is_locked_out_in_chinese(self):
        # LOGIN_FAILURE_LIMIT = 5: four wrong passwords get the admin's own error, the fifth
        # locks the user name, and the sixth (and any after) is refused without being checked.
        for attempt in range(1, 5):
            with self.subTest(attempt=attempt):
                response = self.post("yufeifei", f"guess{attempt}")
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "请输入一个正确的")  # the admin's own error
        self.assertEqual(self.post("yufeifei", "guess5").status_code, 429)
        response = self.post("yufeifei", "guess6")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "登录失败次数过多", status_code=429)
        self.assertContains(response, "15 分钟后再试", status_code=429)
        # Locked means locked: the right password does not get in either, from anywhere.
        response = self.post("yufeifei", "correct-horse-battery", ip="198.51.100.9")
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_one_address_guessing_many_user_names_is_locked_out(self):
        for attempt in range(5):
            self.post(f"user{attempt}", "wrong")
        self.assertEqual(self.post("user9", "wrong").status_code, 429)
        # Another address is not affected.
        response = self.post("yufeifei", "correct-horse-battery", ip="198.51.100.9")
        self.assertEqual(response.status_code, 302)

    def test_a_right_password_before_the_limit_resets_the_count(self):
        for _ in range(4):
            self.post("yufeifei", "wrong")
        self.assertEqual(self.post("yufeifei", "correct-horse-battery").status_code, 302)
        self.client.logout()
        for _ in range(4):
            self.assertEqual(self.post("yufeifei", "wrong").status_code, 200)

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_the_load_balancer_the_forwarded_address_counts(self):
        for attempt in range(5):
            self.client.post(
                LOGIN,
                {"username": f"u{attempt}", "password": "x"},
                REMOTE_ADDR="10.0.0.2",
                HTTP_X_FORWARDED_FOR=f"1.2.3.4, 203.0.113.{attempt}",
            )
        # Five different readers behind one balancer: nobody is locked out by address.
        response = self.client.post(
            LOGIN,
            {"username": "yufeifei", "password": "correct-horse-battery"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="203.0.113.99",
        )
        self.assertEqual(response.status_code, 302)

    def test_the_login_page_itself_still_loads(self):
        self.assertEqual(self.client.get(LOGIN).status_code, 200)
        self.assertEqual(reverse("admin:login"), LOGIN)
