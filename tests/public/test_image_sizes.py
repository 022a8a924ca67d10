"""No layout shift: every <img> a reader (or the desk's sign-off page) gets says its width and
height, so the browser keeps the room before the image arrives. A page scan uploaded at the
desk as a plain image, which has no renditions, gets the size read from the file's header."""

import io
import re

from django.core.files.base import ContentFile
from django.test import TestCase, override_settings
from django.urls import reverse

from articles import photos
from articles.models import Photo
from issues.models import Issue
from tests import factories
from tests.articles.test_photo_files import IN_MEMORY
from tests.imaging import samples

IMG = re.compile(r"<img\b[^>]*>", re.DOTALL)
SIZED = re.compile(r'\bwidth="[1-9]\d*"[^>]*\bheight="[1-9]\d*"', re.DOTALL)


def unsized(html):
    return [tag for tag in IMG.findall(html) if not SIZED.search(tag)]


class EveryImageHasItsSizeTests(TestCase):
    def setUp(self):
        self.enterContext(override_settings(STORAGES=IN_MEMORY, PUBLIC_PAGE_LOCAL_SECONDS=0))
        self.ding = factories.person("丁小勇")
        self.issue = factories.issue(pages=2, published=True)
        self.page1, self.page2 = self.issue.pages.order_by("number")
        self.article = factories.article(self.page1, headline="稻田收割忙")
        for size, orientation in (((1200, 900), 6), ((900, 1200), 1), ((1600, 500), 1)):
            photo = Photo(
                article=self.article, caption="农民在田间收割水稻。", photographer=self.ding
            )
            data = samples.jpeg(size, orientation=orientation)
            photos.attach_image(photo, io.BytesIO(data), name="a.jpg")
        news = Photo(page=self.page1, caption="图片新闻。", photographer=self.ding)
        photos.attach_image(news, io.BytesIO(samples.jpeg((800, 600))), name="n.jpg")
        # Page 2: a scan uploaded at the desk as a plain image, stored turned (EXIF 6).
        self.page2.scan.save("p2.jpg", ContentFile(samples.jpeg((700, 500), orientation=6)))

    def pages(self):
        return {
            "home": "/",
            "issue": self.issue.get_absolute_url(),
            "page 1": self.page1.get_absolute_url(),
            "page 2 (image scan)": self.page2.get_absolute_url(),
            "article": self.article.get_absolute_url(),
            "photographer": self.ding.get_absolute_url(),
            "archive": reverse("issues:archive", kwargs={"pub": self.issue.publication.slug}),
        }

    def test_every_img_on_the_reader_pages_has_width_and_height(self):
        seen = 0
        for name, url in self.pages().items():
            with self.subTest(name):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200, url)
                html = response.content.decode()
                self.assertEqual(unsized(html), [])
                seen += len(IMG.findall(html))
        self.assertGreater(seen, 8)

    def test_an_image_scan_without_renditions_is_sized_as_shown(self):
        html = self.client.get(self.page2.get_absolute_url()).content.decode()
        scan = next(tag for tag in IMG.findall(html) if "p2" in tag)
        # Stored 500 wide and 700 high, shown 700 × 500 as its EXIF orientation says.
        self.assertIn('width="700" height="500"', scan)

    def test_the_sign_off_page_sizes_the_scans_too(self):
        self.issue.status = Issue.Status.READY
        self.issue.published_at = None
        self.issue.save()
        desk = factories.desk()
        factories.restore_desk_groups()
        self.client.force_login(desk.chief)
        url = reverse("admin:issues_issue_signoff", args=[self.issue.pk])
        html = self.client.get(url).content.decode()
        scan = next(tag for tag in IMG.findall(html) if "p2" in tag)
        self.assertIn('width="700" height="500"', scan)
        self.assertEqual(unsized(html), [])
