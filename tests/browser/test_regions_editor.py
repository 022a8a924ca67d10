"""徐冬梅 (组版) corrects a region with the mouse on 第1版's change form: she drags the first
article's rectangle up, resizes it by its corner, draws a new one on the empty page, and
saves. regions.js only fills the form of numbers in; the page runs under the site's CSP."""

import tempfile
from pathlib import Path

from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from articles.models import Article, Region
from issues.models import Issue, Page
from tests import factories
from tests.backissues.importing import run
from tests.backissues.test_import_bundles import BUNDLE

from .chromium import ChromiumTestCase, needs_chromium
from .test_csp import COLLECT

pytestmark = needs_chromium

MEDIA = Path(tempfile.mkdtemp(prefix="newsroom-test-media-13r-"))


@override_settings(MEDIA_ROOT=str(MEDIA))
class RegionsEditorBrowserTests(ChromiumTestCase):
    def setUp(self):
        factories.restore_desk_groups()
        result = run("import_issues", BUNDLE, no_prerender=True, unpublished=True)
        self.assertFalse(result.failed, result.stderr)
        Issue.objects.update(status=Issue.Status.IN_LAYOUT)
        self.page_obj = Page.objects.get(number=1)
        layout = factories.user("xudongmei", groups=["组版"], person_name="徐冬梅")
        client = Client()
        client.force_login(layout)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.context = self.browser.new_context(viewport={"width": 1280, "height": 1000})
        self.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": self.live_server_url}]
        )
        self.context.add_init_script(COLLECT)
        self.context.route("**/media/**", self.serve_media)
        self.page = self.context.new_page()

    def tearDown(self):
        self.context.close()

    def serve_media(self, route):
        path = MEDIA / route.request.url.split("/media/", 1)[1]
        if path.is_file():
            route.fulfill(path=str(path))
        else:
            route.fulfill(status=404, body="")

    def drag(self, start, end):
        mouse = self.page.mouse
        mouse.move(*start)
        mouse.down()
        mouse.move((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
        mouse.move(*end)
        mouse.up()

    def test_drag_resize_and_draw_fill_the_numbers_and_save(self):
        page = self.page
        url = reverse("admin:issues_page_change", args=[self.page_obj.pk])
        page.goto(self.live_server_url + url + "#regions")
        page.wait_for_selector(".regions-scripted")
        first = page.locator(".regions-overlay rect[data-row='0']")
        x_before = float(page.input_value("#id_rect-0-x"))
        y_before = float(page.input_value("#id_rect-0-y"))
        w_before = float(page.input_value("#id_rect-0-w"))
        box = first.bounding_box()
        frame = page.locator(".regions-overlay").bounding_box()
        centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        self.drag(centre, (centre[0], centre[1] - frame["height"] * 0.05))  # 5 % up
        self.assertAlmostEqual(float(page.input_value("#id_rect-0-x")), x_before, delta=0.3)
        self.assertAlmostEqual(float(page.input_value("#id_rect-0-y")), y_before - 5, delta=0.5)
        box = first.bounding_box()
        corner = (box["x"] + box["width"] - 2, box["y"] + box["height"] - 2)
        self.drag(corner, (corner[0] - frame["width"] * 0.10, corner[1]))  # 10 % narrower
        self.assertAlmostEqual(float(page.input_value("#id_rect-0-w")), w_before - 10, delta=0.5)
        # Draw a new rectangle on the empty masthead, into the first empty row (row 5).
        start = (frame["x"] + frame["width"] * 0.10, frame["y"] + frame["height"] * 0.02)
        self.drag(start, (frame["x"] + frame["width"] * 0.30, frame["y"] + frame["height"] * 0.07))
        self.assertAlmostEqual(float(page.input_value("#id_rect-5-x")), 10, delta=0.5)
        self.assertAlmostEqual(float(page.input_value("#id_rect-5-w")), 20, delta=0.5)
        second = Article.objects.filter(page=self.page_obj).order_by("order")[1]
        page.select_option("#id_rect-5-article", str(second.pk))
        # Typing a number moves the rectangle on the image too.
        page.fill("#id_rect-5-y", "80")
        self.assertAlmostEqual(
            float(page.locator(".regions-overlay rect[data-row='5']").get_attribute("y")), 80
        )
        page.click(".regions-form input[type=submit]")
        page.wait_for_url("**#regions")
        self.assertEqual(page.evaluate("window.__csp"), [])
        first_region = Region.objects.get(
            page=self.page_obj,
            article=Article.objects.filter(page=self.page_obj).order_by("order")[0],
        )
        self.assertEqual(first_region.source, "manual")
        second_region = Region.objects.get(page=self.page_obj, article=second)
        self.assertEqual(len(second_region.boxes), 2)
        self.assertAlmostEqual(second_region.boxes[1][1], 0.80, delta=0.001)
