"""The Content-Security-Policy breaks nothing: every kind of public page, and the desk's pages
as each role, load in Chromium without a single CSP violation (no inline script, no style or
image from elsewhere). Violations are collected from the page's `securitypolicyviolation`
events and from the console."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests import factories
from tests.sample_site import build

from .chromium import ChromiumTestCase, needs_chromium

pytestmark = needs_chromium

COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
});
"""


class CspTests(ChromiumTestCase):
    def setUp(self):
        factories.restore_desk_groups()
        self.site = build()
        self.desk = factories.desk()

    def open(self, user=None):
        context = self.browser.new_context(viewport={"width": 1280, "height": 900})
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [{"name": cookie.key, "value": cookie.value, "url": self.live_server_url}]
            )
        context.add_init_script(COLLECT)
        page = context.new_page()
        console = []
        page.on(
            "console",
            lambda message: (
                console.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        return context, page, console

    def assert_no_violations(self, page, console, path):
        response = page.goto(self.live_server_url + path)
        self.assertLess(response.status, 500, path)  # the 404 page is a page too
        self.assertIn("script-src 'self'", response.headers["content-security-policy"])
        page.wait_for_load_state("load")
        violations = page.evaluate("window.__csp") + console
        self.assertEqual(violations, [], path)

    def test_public_pages(self):
        context, page, console = self.open()
        paths = [
            "/",
            self.site["issue"].get_absolute_url(),
            self.site["pages"][1].get_absolute_url(),
            self.site["jump"].get_absolute_url(),
            self.site["by_yang"].get_absolute_url(),
            self.site["yang"].get_absolute_url(),
            "/jinriluotang/issues/",
            "/search/?q=罗塘",
            "/no-such-paper/",
        ]
        for path in paths:
            with self.subTest(path=path):
                self.assert_no_violations(page, console, path)
        context.close()

    def test_desk_pages_as_each_role(self):
        article = self.site["jump"]
        draft = factories.article(None, headline="草稿", created_by=self.desk.correspondent)
        issue = self.site["issue"]
        desk_paths = [
            "/admin/login/",
            "/admin/",
            reverse("admin:articles_article_changelist"),
            reverse("admin:articles_article_changelist") + "?q=罗塘",
            reverse("admin:articles_article_add"),
            reverse("admin:articles_article_change", args=[draft.pk]),
            reverse("admin:articles_article_change", args=[article.pk]),
            reverse("admin:articles_article_history", args=[article.pk]),
            reverse("admin:issues_issue_changelist"),
            reverse("admin:issues_issue_change", args=[issue.pk]),
            reverse("admin:issues_issue_layout", args=[issue.pk]),
            reverse("admin:issues_page_change", args=[issue.pages.first().pk]),
            reverse("admin:people_person_changelist"),
            reverse("admin:issues_publication_change", args=[self.site["publication"].pk]),
        ]
        for role in ("correspondent", "editor", "layout", "chief", "superuser"):
            context, page, console = self.open(getattr(self.desk, role))
            for path in desk_paths:
                with self.subTest(role=role, path=path):
                    response = page.goto(self.live_server_url + path)
                    if response.status in (403, 404):
                        continue  # not this role's page: nothing rendered to check
                    self.assert_no_violations(page, console, path)
            context.close()
        self.assertTrue(Article.objects.filter(pk=draft.pk).exists())
