"""Media on S3 (MEDIA_STORAGE=s3) against a real S3-compatible server, moto's standalone server:
a photo uploaded at the desk and a bundle imported with its page PDF end up in the bucket;
readers fetch renditions and page images from the bucket's own URLs, anonymously, with their
type and a year of cache; the PDFs come through the site's views; the originals are private
objects behind the site's staff-only view; a refused upload leaves the bucket as it was."""

import json
import re
import unittest
from urllib.parse import unquote

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Photo
from issues.models import Page
from public.caching import invalidate_public_pages
from public.media import IMMUTABLE
from tests import factories
from tests.articles.test_photo_files import photo_form
from tests.backissues.importing import run
from tests.backissues.test_import_bundles import BUNDLE
from tests.desk.test_admin_workflow import change_data
from tests.imaging import samples
from tests.newsroom.test_settings import manage
from tests.s3server import MOTO_MISSING, MotoServer, anonymous_get

BUCKET = "newsroom-media-test"
PAGE_URL = "/jinriluotang/issues/118/pages/1/"


@unittest.skipIf(MOTO_MISSING, MOTO_MISSING)
class S3MediaTests(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = MotoServer()
        cls.server.start()
        cls.addClassCleanup(cls.server.stop)
        cls.s3 = cls.server.client()
        cls.s3.create_bucket(Bucket=BUCKET)
        cls.public_url = f"{cls.server.endpoint}/{BUCKET}"
        cls.enterClassContext(
            override_settings(
                STORAGES=cls.server.storages(BUCKET),
                MEDIA_PUBLIC_URL=cls.public_url,
                DEBUG=False,
                PUBLIC_PAGE_LOCAL_SECONDS=0,
            )
        )
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        result = run("import_issues", BUNDLE, no_prerender=True)
        assert not result.failed, result.stderr
        cls.page = Page.objects.get(number=1)
        cls.desk = factories.desk()

    def keys(self) -> set[str]:
        pages = self.s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    def is_public(self, key: str) -> bool:
        grants = self.s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
        return any(g["Grantee"].get("URI", "").endswith("/AllUsers") for g in grants)

    def upload_photo(self, data: bytes, name="IMG_0001.jpg"):
        article = factories.article(created_by=self.desk.correspondent)
        self.client.force_login(self.desk.correspondent)
        form = change_data(article)
        form.update(
            photo_form(SimpleUploadedFile(name, data, "image/jpeg"), caption="稻田收割忙。")
        )
        url = reverse("admin:articles_article_change", args=[article.pk])
        response = self.client.post(url, form)
        self.client.logout()
        return article, response

    def test_the_import_stores_the_page_pdf_and_its_images_in_the_bucket(self):
        keys = self.keys()
        self.assertIn(self.page.scan.name, keys)
        self.assertTrue(self.page.scan.name.endswith(".pdf"))
        for rendition in [*self.page.renditions["renditions"], self.page.renditions["thumbnail"]]:
            self.assertIn(rendition["name"], keys)
            self.assertTrue(self.is_public(rendition["name"]), rendition["name"])

    def test_readers_get_the_printed_page_from_the_bucket_with_type_and_a_year_of_cache(self):
        html = self.client.get(PAGE_URL).content.decode()
        urls = set(re.findall(rf"{re.escape(self.public_url)}/[^\s\"',]+", html))
        names = {r["name"] for r in self.page.renditions["renditions"]}
        self.assertEqual(
            {unquote(u.removeprefix(self.public_url + "/")) for u in urls} >= names, True
        )
        self.assertNotIn('src="/media/', html)
        for url in urls:
            status, headers, data = anonymous_get(url)
            self.assertEqual(status, 200, url)
            self.assertEqual(
                headers["Content-Type"], "image/webp" if url.endswith(".webp") else "image/jpeg"
            )
            self.assertEqual(headers["Cache-Control"], IMMUTABLE)
            self.assertNotIn("attachment", headers.get("Content-Disposition") or "")
            self.assertGreater(len(data), 100)

    def test_the_page_and_issue_pdfs_come_through_the_site_and_the_merged_one_is_kept(self):
        response = self.client.get("/jinriluotang/issues/118/pages/1.pdf")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(
            b"".join(response.streaming_content), (BUNDLE / "pages/1.pdf").read_bytes()
        )
        response = self.client.get("/jinriluotang/issues/118.pdf")
        self.assertEqual(response.status_code, 200)
        merged = [key for key in self.keys() if key.startswith("issues/")]
        self.assertEqual(len(merged), 1)
        status, headers, data = anonymous_get(default_storage.url(merged[0]))
        self.assertEqual((status, headers["Content-Type"]), (200, "application/pdf"))
        self.assertEqual(data, b"".join(response.streaming_content))

    def test_a_desk_photo_gives_public_renditions_and_a_private_original(self):
        data = samples.jpeg((1200, 900), artist="丁小勇")
        article, response = self.upload_photo(data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        photo = Photo.objects.get(article=article)
        original = photo.image.name
        self.assertTrue(original.startswith("photos/"))
        self.assertIn(original, self.keys())
        # The original: a private object, never a bucket URL; the site's view is for staff.
        self.assertFalse(self.is_public(original))
        status, _, _ = anonymous_get(f"{self.public_url}/{original}")
        self.assertEqual(status, 403)
        self.assertEqual(photo.image.url, f"/media/{original}")
        self.assertEqual(self.client.get(photo.image.url).status_code, 404)
        self.client.force_login(self.desk.editor)
        staff = self.client.get(photo.image.url)
        self.assertEqual(staff.status_code, 200)
        self.assertEqual(b"".join(staff.streaming_content), data)
        self.assertEqual(staff["Cache-Control"], "private, no-store")
        self.client.logout()
        # Published, its article shows renditions from the bucket, never the original.
        Article.objects.filter(pk=article.pk).update(
            page=self.page, status=Article.Status.PUBLISHED, published_at=timezone.now()
        )
        invalidate_public_pages()
        article.refresh_from_db()
        html = self.client.get(article.get_absolute_url()).content.decode()
        self.assertNotIn(original, html)
        self.assertNotIn("photos/", html)
        for entry in photo.renditions["renditions"]:
            url = default_storage.url(entry["name"])
            self.assertTrue(url.startswith(self.public_url), url)
            self.assertIn(url, html)
            status, headers, body = anonymous_get(url)
            self.assertEqual(status, 200, url)
            self.assertEqual(headers["Cache-Control"], IMMUTABLE)
            self.assertIn(headers["Content-Type"], {"image/webp", "image/jpeg"})
        # Its manifest is for the site, not for readers.
        self.assertFalse(self.is_public(photo.renditions["manifest"]))

    def test_a_refused_upload_leaves_nothing_in_the_bucket(self):
        before = self.keys()
        for name, data in [
            ("page.html", b"<!DOCTYPE html><html><body>x</body></html>"),
            ("cut.jpg", samples.jpeg((400, 300))[:2000]),
            ("bomb.png", samples.png_bomb()),
        ]:
            with self.subTest(name):
                article, response = self.upload_photo(data, name=name)
                self.assertEqual(response.status_code, 200)
                self.assertFalse(Photo.objects.filter(article=article).exists())
                self.assertEqual(self.keys(), before)


SHOW_SETTINGS = (
    "import json; from django.conf import settings; print(json.dumps({"
    "'default': settings.STORAGES['default'], 'public': settings.MEDIA_PUBLIC_URL, "
    "'img': settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']}))"
)


class S3SettingsTests(SimpleTestCase):
    def settings_with(self, **env) -> dict:
        result = manage(
            "shell", "-c", SHOW_SETTINGS, MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME=BUCKET, **env
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout.strip().splitlines()[-1])

    def test_the_environment_gives_the_storage_the_tests_use_and_pages_may_show_its_images(self):
        server = MotoServer()  # only for the names and the port: nothing is started
        found = self.settings_with(
            AWS_S3_ENDPOINT_URL=server.endpoint,
            AWS_S3_REGION_NAME="us-east-1",
            AWS_ACCESS_KEY_ID="newsroom-test",
            AWS_SECRET_ACCESS_KEY="newsroom-test-secret",
        )
        self.assertEqual(found["default"], server.storages(BUCKET)["default"])
        self.assertEqual(found["public"], f"{server.endpoint}/{BUCKET}")
        self.assertIn(server.endpoint, found["img"])
        # A CDN in front of the bucket: readers' URLs and the policy name it instead.
        found = self.settings_with(MEDIA_PUBLIC_URL="https://media.example.cn")
        self.assertIn("https://media.example.cn", found["img"])
        self.assertEqual(found["default"]["OPTIONS"]["endpoint_url"], None)
        # docker-compose passes unset variables as empty strings: AWS's own URL then.
        found = self.settings_with(
            AWS_S3_ENDPOINT_URL="", AWS_S3_REGION_NAME="", MEDIA_PUBLIC_URL=""
        )
        self.assertEqual(found["public"], f"https://{BUCKET}.s3.us-east-1.amazonaws.com")

    def test_an_unknown_storage_or_a_missing_bucket_refuses_to_start(self):
        result = manage("check", MEDIA_STORAGE="ftp")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("MEDIA_STORAGE must be files or s3", result.stderr)
        result = manage("check", MEDIA_STORAGE="s3")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("AWS_STORAGE_BUCKET_NAME", result.stderr)
