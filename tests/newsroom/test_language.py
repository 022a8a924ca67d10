"""Every page is Chinese, whatever language the reader's browser asks for."""

from django.test import TestCase
from django.urls import reverse


class LanguageTests(TestCase):
    def test_the_search_page_is_chinese_for_an_english_browser(self):
        response = self.client.get(reverse("search"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        self.assertContains(response, "搜索")
        self.assertNotContains(response, ">Search<")
        self.assertEqual(response.headers.get("Content-Language", "zh-hans"), "zh-hans")

    def test_the_admin_login_is_chinese_for_an_english_browser(self):
        response = self.client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, "登录")
        self.assertNotContains(response, "Log in")
