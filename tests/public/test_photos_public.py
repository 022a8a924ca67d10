"""Readers get photos as renditions: <picture> with srcset, sizes, width and height, lazy
below the fold, alt text from the caption, the credit; share cards carry a rendition; the
rendition files are served for a year, upright and without metadata."""

import io
import re

from django.core.files.storage import default_storage
from django.test import TestCase, override_settings
from PIL import Image

from articles import photos
from articles.models import Byline, Photo
from tests import factories
from tests.articles.test_photo_files import IN_MEMORY
from tests.imaging import samples


class PublicPhotoTests(TestCase):
    def setUp(self):
        self.enterContext(override_settings(STORAGES=IN_MEMORY, PUBLIC_PAGE_LOCAL_SECONDS=0))
        self.ding = factories.person("丁小勇")
        issue = factories.issue(pages=2, published=True)
        self.page1, self.page2 = issue.pages.order_by("number")
        self.article = factories.article(self.page1, headline="稻田收割忙")
        self.photo = Photo(
            article=self.article,
            caption="农民在田间收割水稻。",
            photographer=self.ding,
            credit_role=Byline.Role.REPORTER,
        )
        photos.attach_image(
            self.photo, io.BytesIO(samples.jpeg((1200, 900), orientation=6)), name="a.jpg"
        )

    def test_the_article_page_shows_a_sized_responsive_picture_with_caption_and_credit(self):
        html = self.client.get(self.article.get_absolute_url()).content.decode()
        self.assertIn("<picture>", html)
        self.assertIn('<source type="image/webp" srcset="', html)
        img = re.search(r"<img src=\"[^\"]+\" srcset=\"([^\"]+)\"[^>]*>", html)
        self.assertIsNotNone(img, html)
        tag = img.group(0)
        self.assertIn(' width="1200" height="900"', tag)
        self.assertIn('alt="农民在田间收割水稻。"', tag)
        self.assertIn('loading="lazy"', tag)
        self.assertIn('decoding="async"', tag)
        # As wide as the text column (tests/browser/test_photo_sizes.py measures the layout).
        self.assertIn(f'sizes="{photos.COLUMN_SIZES}"', tag)
        self.assertEqual(
            [w.split()[-1] for w in img.group(1).split(", ")], ["480w", "720w", "1200w"]
        )
        self.assertRegex(html, r"记者 <a [^>]+>丁小勇</a> 摄")
        self.assertNotIn("/media/photos/", html)  # never the original
        og = re.search(r'<meta property="og:image" content="([^"]+)"', html)
        self.assertIsNotNone(og)
        self.assertIn("/media/renditions/", og.group(1))
        self.assertIn('content="summary_large_image"', html)

    def test_rendition_files_are_served_for_a_year_upright_and_without_metadata(self):
        for entry in self.photo.renditions["renditions"]:
            url = default_storage.url(entry["name"])
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertEqual(response["Cache-Control"], "public, max-age=31536000, immutable")
            served = Image.open(io.BytesIO(b"".join(response.streaming_content)))
            self.assertEqual(served.size, (entry["w"], entry["h"]))
            self.assertGreater(served.width, served.height)
            self.assertFalse(dict(served.getexif()))
        self.assertEqual(self.client.get("/media/renditions/../photos/a.jpg").status_code, 404)
        self.assertEqual(self.client.get("/media/renditions/manifest.json").status_code, 404)

    def test_the_issue_page_shows_each_pages_lead_photo(self):
        news = Photo(page=self.page2, caption="第二版的图片新闻。", photographer=self.ding)
        photos.attach_image(news, io.BytesIO(samples.jpeg((800, 600))), name="b.jpg")
        html = self.client.get(self.page1.issue.get_absolute_url()).content.decode()
        self.assertEqual(html.count("<picture>"), 2)
        self.assertIn('alt="农民在田间收割水稻。"', html)  # page 1: its first article's photo
        self.assertIn('alt="第二版的图片新闻。"', html)  # page 2: its photo news
        first = html.index("<picture>")
        self.assertNotIn('loading="lazy"', html[first : html.index("</picture>", first)])

    def test_a_photographers_page_shows_their_photos_as_a_grid(self):
        html = self.client.get(self.ding.get_absolute_url()).content.decode()
        self.assertIn("photo-grid", html)
        self.assertIn("<picture>", html)
