"""Photos in Chromium: a correspondent attaches a phone photo to a draft on a 390-px phone;
a reader's article page with a photo does not shift as the photo loads (CLS 0) and the
phone gets a small rendition.

Set NEWSROOM_SCREENSHOTS=1 to save screenshots to screenshots/ (gitignored).
"""

import io
import os
import time
from pathlib import Path

from django.test import override_settings

from articles import photos
from articles.models import Photo
from tests import factories
from tests.articles.test_photo_files import IN_MEMORY
from tests.imaging import samples

from .chromium import ChromiumTestCase, needs_chromium

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PHONE = {"width": 390, "height": 844}

pytestmark = needs_chromium

LAYOUT_SHIFT = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 1500);
})"""


class PhotoBrowserTests(ChromiumTestCase):
    def setUp(self):
        factories.restore_desk_groups()
        self.enterContext(override_settings(STORAGES=IN_MEMORY, PUBLIC_PAGE_LOCAL_SECONDS=0))
        self.screenshots = bool(os.environ.get("NEWSROOM_SCREENSHOTS"))
        if self.screenshots:
            SHOTS.mkdir(exist_ok=True)

    def shot(self, page, name):
        if self.screenshots:
            page.screenshot(path=str(SHOTS / name), full_page=True)

    def test_a_correspondent_attaches_a_phone_photo_to_a_draft_on_a_phone(self):
        desk = factories.desk()
        factories.person("丁小勇")
        article = factories.article(created_by=desk.correspondent)
        context = self.browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
        page = context.new_page()
        base = self.live_server_url
        page.goto(f"{base}/admin/login/")
        page.fill("#id_username", desk.correspondent.username)
        page.fill("#id_password", "pw-" + desk.correspondent.username)
        page.click("input[type=submit]")
        page.wait_for_url(f"{base}/admin/")
        page.goto(f"{base}/admin/articles/article/{article.pk}/change/")
        page.locator("#photos-group .add-row a").click()
        page.set_input_files(
            "#id_photos-0-image",
            files=[
                {
                    "name": "IMG_0412.JPG",
                    "mimeType": "image/jpeg",
                    "buffer": samples.jpeg(
                        (1600, 1200), orientation=6, artist="丁小勇", description="稻田收割忙。"
                    ),
                }
            ],
        )
        self.shot(page, "photo-upload-390.png")
        # Nothing wider than the phone: the form is usable without sideways scrolling.
        overflow = page.evaluate("document.documentElement.scrollWidth")
        page.click("input[name=_continue]")
        page.wait_for_load_state()
        self.shot(page, "photo-uploaded-390.png")
        context.close()
        photo = Photo.objects.get(article=article)
        self.assertEqual(photo.caption, "稻田收割忙。")
        self.assertEqual(photo.photographer.name, "丁小勇")
        self.assertTrue(photo.renditions["renditions"])
        self.assertLessEqual(overflow, 430)

    def test_an_article_with_a_photo_does_not_shift_and_a_phone_gets_a_small_file(self):
        issue = factories.issue(pages=1, published=True)
        body = "日前，罗塘街道党工委书记缪杰明带队走访辖区企业。\n" * 3
        article = factories.article(issue.pages.get(), headline="稻田收割忙", body=body)
        photo = Photo(article=article, caption="农民在田间收割水稻。")
        photos.attach_image(photo, io.BytesIO(samples.jpeg((4000, 3000))), name="big.jpg")
        context = self.browser.new_context(viewport=PHONE, locale="zh-CN")
        page = context.new_page()
        page.goto(self.live_server_url + article.get_absolute_url())
        page.locator("figure.photo img").scroll_into_view_if_needed()
        page.wait_for_function("document.querySelector('figure.photo img').complete")
        shift = page.evaluate(LAYOUT_SHIFT)
        current = page.evaluate("document.querySelector('figure.photo img').currentSrc")
        self.shot(page, "photo-article-390.png")
        context.close()
        self.assertEqual(shift, 0)
        self.assertRegex(current, r"/media/renditions/[0-9a-f]{16}/480\.webp$")

    def test_an_article_with_several_photos_arriving_late_does_not_shift(self):
        """Three photos of different shapes (a phone photo stored turned, a portrait, a
        panorama) whose files arrive 400 ms after the page: the text must not move when they
        do, on a phone and on a desktop. bench/RESULTS.md records the figure."""
        issue = factories.issue(pages=1, published=True)
        body = "日前，罗塘街道党工委书记缪杰明带队走访辖区企业。\n" * 6
        article = factories.article(issue.pages.get(), headline="稻田收割忙", body=body)
        for size, orientation in (((4000, 3000), 6), ((1500, 2000), 1), ((3000, 900), 1)):
            photo = Photo(article=article, caption="农民在田间收割水稻。")
            data = samples.jpeg(size, orientation=orientation)
            photos.attach_image(photo, io.BytesIO(data), name="p.jpg")

        def late(route):
            time.sleep(0.4)
            route.continue_()

        for viewport in (PHONE, {"width": 1280, "height": 800}):
            context = self.browser.new_context(viewport=viewport, locale="zh-CN")
            page = context.new_page()
            page.route("**/media/**", late)
            page.goto(self.live_server_url + article.get_absolute_url())
            images = page.locator("figure.photo img")
            self.assertEqual(images.count(), 3)
            for index in range(3):
                images.nth(index).scroll_into_view_if_needed()
            page.wait_for_function(
                "[...document.querySelectorAll('figure.photo img')].every(i => i.complete)"
            )
            shift = page.evaluate(LAYOUT_SHIFT)
            sized = page.evaluate(
                "[...document.images].map(i => [i.getAttribute('width'), i.getAttribute('height'),"
                " i.naturalWidth, i.naturalHeight])"
            )
            context.close()
            with self.subTest(width=viewport["width"]):
                self.assertEqual(shift, 0)
                for width, height, natural_width, natural_height in sized:
                    self.assertTrue(width and height, sized)
                    # The attributes give the shape of the file the browser chose (a small
                    # rendition's height is rounded to whole pixels: within 1 %).
                    attributes = int(width) / int(height)
                    self.assertLess(abs(attributes / (natural_width / natural_height) - 1), 0.01)
