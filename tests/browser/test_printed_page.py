"""A reader on a phone taps the printed page 第1版 of 总第118期 (imported from its PDF) region
by region and reaches each of its 5 articles; the photo news shows the picture taken from
the PDF; axe finds no violation on the page at 390 and 1280 px, with and without ?q=."""

import json
import tempfile
from pathlib import Path

from django.test import override_settings

from articles.models import Article
from tests.backissues.importing import run
from tests.backissues.test_import_bundles import BUNDLE

from .chromium import ChromiumTestCase, needs_chromium
from .test_reading import AXE

pytestmark = needs_chromium

MEDIA = Path(tempfile.mkdtemp(prefix="newsroom-test-media-13b-"))
PAGE_URL = "/jinriluotang/issues/118/pages/1/"
SCREENSHOTS = Path(tempfile.gettempdir()) / "newsroom-screenshots-13"


@override_settings(MEDIA_ROOT=str(MEDIA))
class PrintedPageBrowserTests(ChromiumTestCase):
    def setUp(self):
        result = run("import_issues", BUNDLE, no_prerender=True)
        self.assertFalse(result.failed, result.stderr)
        self.context = self.browser.new_context(
            viewport={"width": 390, "height": 844},
            has_touch=True,
            is_mobile=True,
            bypass_csp=True,  # axe-core is injected as an inline script
        )
        # Media files are served by the web server in production (DEBUG off here).
        self.context.route("**/media/**", self.serve_media)
        self.page = self.context.new_page()

    def tearDown(self):
        self.context.close()

    def serve_media(self, route):
        name = route.request.url.split("/media/", 1)[1]
        path = MEDIA / name
        if path.is_file():
            route.fulfill(path=str(path))
        else:
            route.fulfill(status=404, body="")

    def url(self, path):
        return self.live_server_url + path

    def test_a_reader_taps_each_region_to_reach_its_article(self):
        page = self.page
        articles = list(Article.objects.filter(page__number=1).order_by("order"))
        self.assertEqual(len(articles), 5)
        for article in articles:
            with self.subTest(article=article.headline):
                page.goto(self.url(PAGE_URL))
                region = page.locator(f'a.region[href="{article.get_absolute_url()}"]')
                name = region.get_attribute("aria-label")
                box = region.bounding_box()
                self.assertGreater(box["width"], 50)
                page.tap(".page-image", position=self.centre_in(page, box))
                page.wait_for_url(self.url(article.get_absolute_url()))
                self.assertEqual(page.locator("h1").inner_text(), name)

    def centre_in(self, page, box):
        image = page.locator(".page-image").bounding_box()
        return {
            "x": box["x"] - image["x"] + box["width"] / 2,
            "y": box["y"] - image["y"] + box["height"] / 2,
        }

    def test_regions_are_reached_with_the_keyboard_in_reading_order(self):
        page = self.page
        page.goto(self.url(PAGE_URL))
        page.locator("a.zoom-in").focus()
        names = []
        for _ in range(6):
            page.keyboard.press("Tab")
            names.append(page.evaluate("document.activeElement.getAttribute('aria-label')"))
        urls = [
            a.get_absolute_url() for a in Article.objects.filter(page__number=1).order_by("order")
        ]
        expected = [
            page.locator(f'a.region[href="{url}"]').get_attribute("aria-label") for url in urls
        ]
        self.assertEqual([name for name in names if name][:5], expected)
        self.assertTrue(all(expected))

    def test_the_page_image_loads_and_the_photo_news_shows_the_picture_from_the_pdf(self):
        page = self.page
        page.goto(self.url(PAGE_URL))
        loaded = page.evaluate(
            "() => [...document.images].filter(i => i.complete && i.naturalWidth)"
            ".map(i => i.currentSrc)"
        )
        self.assertTrue(any(src.endswith("-800.webp") for src in loaded), loaded)
        photo = page.locator(".photo-news figure.photo img")
        photo.scroll_into_view_if_needed()
        page.wait_for_function(
            "() => document.querySelector('.photo-news figure.photo img').naturalWidth > 0"
        )
        # Readers get a rendition of the picture taken from the PDF, sized for the screen.
        width, source = photo.evaluate("i => [i.naturalWidth, i.currentSrc]")
        self.assertIn("/media/renditions/", source)
        self.assertGreaterEqual(width, 240, source)

    def test_no_axe_violations_and_screenshots(self):
        SCREENSHOTS.mkdir(exist_ok=True)
        for width in (390, 1280):
            self.page.set_viewport_size({"width": width, "height": 900})
            for name, path in (("page", PAGE_URL), ("hits", PAGE_URL + "?q=缪杰明#hit-1")):
                with self.subTest(view=name, width=width):
                    self.page.goto(self.url(path))
                    self.page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"))
                    self.page.add_script_tag(path=str(AXE))
                    violations = self.page.evaluate(
                        """async () => (await axe.run(document)).violations.map(v => ({
                            id: v.id, impact: v.impact,
                            nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}))"""
                    )
                    self.assertEqual(violations, [], json.dumps(violations, ensure_ascii=False))
