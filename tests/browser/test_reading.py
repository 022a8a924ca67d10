"""A reader in Chromium: from the front page through a headline, a jump, a byline and the
person's other article; unpublished issues out of reach; axe-core finds no violation on
any kind of page.

Debian's Chromium (/usr/bin/chromium, installed by .ci/run), never a downloaded browser;
axe-core comes from the npm registry (package.json) and is injected into each page.
"""

import json
from pathlib import Path

from django.conf import settings

from tests.sample_site import build

from .chromium import ChromiumTestCase, needs_chromium

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = needs_chromium


class ReadingTests(ChromiumTestCase):
    def setUp(self):
        self.site = build()
        # A phone: most readers come on one.
        self.context = self.browser.new_context(viewport={"width": 390, "height": 844})
        self.page = self.context.new_page()

    def tearDown(self):
        self.context.close()

    def url(self, path):
        return self.live_server_url + path

    def test_reader_follows_headline_jump_byline_and_the_persons_other_article(self):
        page = self.page
        page.goto(self.url("/"))
        self.assertIn("第11期 总第118期", page.title())

        page.get_by_role("link", name="缪杰明带队走访辖区企业").first.click()
        page.wait_for_url(self.url(self.site["jump"].get_absolute_url()))
        self.assertEqual(page.locator("h1").inner_text(), "缪杰明带队走访辖区企业")

        page.get_by_role("link", name="本文转第3版").click()
        jump = self.site["jump"]
        page.wait_for_url(self.url(f"{self.site['pages'][3].get_absolute_url()}#c{jump.pk}"))
        self.assertIn("重点企业挂钩服务机制", page.locator("main").inner_text())

        page.get_by_role("link", name="（上接1版）").click()
        page.wait_for_url(self.url(self.site["pages"][1].get_absolute_url()))
        page.get_by_role("link", name="缪杰明带队走访辖区企业").click()

        page.locator(".byline").get_by_role("link", name="杨旭").click()
        page.wait_for_url(self.url(self.site["yang"].get_absolute_url()))
        self.assertEqual(page.locator("h1").inner_text(), "杨旭")

        page.get_by_role("link", name="罗塘街道人大工委召开全体（扩大）会议").click()
        page.wait_for_url(self.url(self.site["by_yang"].get_absolute_url()))
        self.assertIn("现已更正为11月15日", page.locator(".corrections").inner_text())

    def test_unpublished_issue_cannot_be_reached(self):
        page = self.page
        unsigned = self.site["unsigned"]
        for path in (
            unsigned.get_absolute_url(),
            unsigned.pages.get().get_absolute_url(),
            self.site["secret"].get_absolute_url(),
            "/jinriluotang/2024-12-12/",
        ):
            response = page.goto(self.url(path))
            self.assertEqual(response.status, 404, path)
        page.goto(self.url(self.site["issue"].get_absolute_url()))
        self.assertEqual(page.locator('a[rel="next"]').count(), 0)
        page.goto(self.url("/jinriluotang/issues/"))
        self.assertEqual(page.get_by_text("总第119期").count(), 0)
        page.goto(self.url(self.site["yang"].get_absolute_url()))
        self.assertEqual(page.get_by_text("尚未签发的稿件").count(), 0)

    def test_skip_link_is_the_first_stop_and_visible_on_focus(self):
        page = self.page
        page.goto(self.url(self.site["jump"].get_absolute_url()))
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.className")
        self.assertEqual(focused, "skip-link")
        box = page.locator(".skip-link").bounding_box()
        self.assertGreaterEqual(box["x"], 0)

    def test_no_axe_violations_on_any_kind_of_page(self):
        self.assertTrue(AXE.exists(), f"{AXE} is missing: run `npm install` (make install does)")
        paths = {
            "home": "/",
            "issue": self.site["issue"].get_absolute_url(),
            "page": self.site["pages"][1].get_absolute_url(),
            "continued page": self.site["pages"][3].get_absolute_url(),
            "article": self.site["jump"].get_absolute_url(),
            "article with correction": self.site["by_yang"].get_absolute_url(),
            "person": self.site["yang"].get_absolute_url(),
            "person's section": self.site["yang"].get_absolute_url() + "correspondent/",
            "archive": "/jinriluotang/issues/",
            "archive, one month": "/jinriluotang/issues/?year=2024&month=11",
            "archive by number": "/jinriluotang/issues/numbers/",
            "search": "/search/?q=罗塘",
            "search with filters open": "/search/?q=罗塘&sort=date",
            "search, nothing found": "/search/?q=无此词语",
        }
        # axe-core is injected as a script of its own, which the site's CSP (rightly) refuses:
        # this context bypasses it (tests/browser/test_csp.py checks the CSP itself).
        context = self.browser.new_context(bypass_csp=True)
        self.page = context.new_page()
        self.addCleanup(context.close)
        for width in (390, 1280):
            self.page.set_viewport_size({"width": width, "height": 900})
            for name, path in paths.items():
                with self.subTest(view=name, width=width):
                    self.page.goto(self.url(path))
                    self.page.add_script_tag(path=str(AXE))
                    violations = self.page.evaluate(
                        """async () => (await axe.run(document)).violations.map(v => ({
                            id: v.id, impact: v.impact,
                            nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}))"""
                    )
                    self.assertEqual(violations, [], json.dumps(violations, ensure_ascii=False))


class ReaderToolsTests(ChromiumTestCase):
    """The font-size and share buttons (static/js), and nothing wider than a small phone."""

    def setUp(self):
        self.site = build()
        self.context = self.browser.new_context(viewport={"width": 390, "height": 844})
        self.page = self.context.new_page()

    def tearDown(self):
        self.context.close()

    def url(self, path):
        return self.live_server_url + path

    def test_font_size_is_remembered_and_applied_before_the_first_paint(self):
        page = self.page
        page.goto(self.url(self.site["jump"].get_absolute_url()))
        body_size = "getComputedStyle(document.querySelector('.article .body')).fontSize"
        medium = page.evaluate(body_size)
        page.get_by_role("button", name="特大").click()
        self.assertEqual(
            page.get_by_role("button", name="特大").get_attribute("aria-pressed"), "true"
        )
        self.assertEqual(
            page.get_by_role("button", name="中").get_attribute("aria-pressed"), "false"
        )
        self.assertGreater(float(page.evaluate(body_size)[:-2]), float(medium[:-2]))
        cookies = {c["name"]: c["value"] for c in self.context.cookies()}
        self.assertEqual(cookies["fontsize"], "xl")
        # Another page, served from the page cache: the class is there when the body parses.
        page.add_init_script(
            "document.addEventListener('DOMContentLoaded', () => "
            "{ window.classAtParse = document.documentElement.className; });"
        )
        page.goto(self.url(self.site["pages"][1].get_absolute_url()))
        self.assertIn("fs-xl", page.evaluate("window.classAtParse"))
        page.get_by_role("button", name="中").click()
        self.assertNotIn("fs-", page.evaluate("document.documentElement.className"))

    def test_share_copies_the_short_link_where_there_is_no_share_sheet(self):
        self.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page = self.page
        page.add_init_script("delete Navigator.prototype.share;")
        page.goto(self.url(self.site["jump"].get_absolute_url()))
        page.get_by_role("button", name="分享").click()
        page.wait_for_function("document.querySelector('.share-status').textContent !== ''")
        self.assertEqual(page.locator(".share-status").inner_text(), "链接已复制")
        copied = page.evaluate("navigator.clipboard.readText()")
        self.assertEqual(copied, self.url("/jinriluotang/118/1/3/"))

    def test_share_uses_the_web_share_api_where_there_is_one(self):
        page = self.page
        page.add_init_script(
            "Navigator.prototype.share = function (data) { window.shared = data; "
            "return Promise.resolve(); };"
        )
        page.goto(self.url(self.site["jump"].get_absolute_url()))
        page.get_by_role("button", name="分享").click()
        shared = page.evaluate("window.shared")
        self.assertEqual(shared["title"], "缪杰明带队走访辖区企业")
        self.assertEqual(shared["url"], self.url("/jinriluotang/118/1/3/"))

    def test_nothing_is_wider_than_a_320_px_phone(self):
        self.page.set_viewport_size({"width": 320, "height": 700})
        for path in (
            "/",
            self.site["issue"].get_absolute_url(),
            self.site["pages"][1].get_absolute_url(),
            self.site["jump"].get_absolute_url(),
            "/jinriluotang/issues/",
            "/jinriluotang/issues/numbers/",
            "/search/?q=罗塘",
        ):
            with self.subTest(path=path):
                self.page.goto(self.url(path))
                width = self.page.evaluate("document.documentElement.scrollWidth")
                self.assertLessEqual(width, 320)
                # 上一期 / 往期 / 下一期 each on one line.
                for link in self.page.locator(".issue-pager a").all():
                    label = link.locator(".pager-label")
                    if label.count():
                        self.assertLess(label.bounding_box()["height"], 35, link.inner_text())
                    else:
                        self.assertLess(link.bounding_box()["height"], 60, link.inner_text())
