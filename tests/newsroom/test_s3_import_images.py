"""Back issues with their pictures on S3 (MEDIA_STORAGE=s3), against moto's standalone server:
the import stores each picture once (a private original, public renditions), reading it again
is `unchanged` and stores nothing, the export copies the originals back byte for byte, and a
bad picture leaves the bucket as it was."""

import hashlib
import tempfile
import unittest
from pathlib import Path
from unittest import mock

from django.test import TestCase, override_settings

from articles.models import Photo
from imaging import renditions
from tests.backissues.importing import run, write
from tests.backissues.test_import_images import text_with_images
from tests.imaging import samples
from tests.s3server import MOTO_MISSING, MotoServer

BUCKET = "newsroom-import-images-test"


def sha(data):
    return hashlib.sha256(data).hexdigest()


@unittest.skipIf(MOTO_MISSING, MOTO_MISSING)
class ImportWithImagesOnS3Tests(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = MotoServer()
        cls.server.start()
        cls.addClassCleanup(cls.server.stop)
        cls.s3 = cls.server.client()
        cls.s3.create_bucket(Bucket=BUCKET)
        cls.enterClassContext(
            override_settings(
                STORAGES=cls.server.storages(BUCKET),
                MEDIA_PUBLIC_URL=f"{cls.server.endpoint}/{BUCKET}",
                PUBLIC_PAGE_LOCAL_SECONDS=0,
            )
        )
        super().setUpClass()

    def setUp(self):
        self.folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        self.jpeg = samples.jpeg((1200, 800), artist="丁小勇")
        self.png = samples.encode(samples.scene((600, 400)), "PNG")
        (self.folder / "photos").mkdir()
        (self.folder / "photos" / "118-1.jpg").write_bytes(self.jpeg)
        (self.folder / "photos" / "稻田.png").write_bytes(self.png)
        self.issue_file = write(self.folder, "118.md", text_with_images())

    def keys(self) -> set[str]:
        pages = self.s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    def is_public(self, key: str) -> bool:
        grants = self.s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
        return any(g["Grantee"].get("URI", "").endswith("/AllUsers") for g in grants)

    def test_import_reimport_and_export_with_pictures_in_the_bucket(self):
        result = run("import_issues", self.issue_file, no_prerender=True)
        self.assertFalse(result.failed, result.stderr)
        keys = self.keys()
        self.assertEqual(Photo.objects.exclude(image="").count(), 2)
        for photo in Photo.objects.all():
            digest = photo.renditions["sha256"]
            self.assertIn(digest, (sha(self.jpeg), sha(self.png)))
            self.assertIn(photo.image.name, keys)
            self.assertFalse(self.is_public(photo.image.name))  # originals stay private
            body = self.s3.get_object(Bucket=BUCKET, Key=photo.image.name)["Body"].read()
            self.assertEqual(sha(body), digest)
            for entry in photo.renditions["renditions"]:
                self.assertIn(entry["name"], keys)
                self.assertTrue(self.is_public(entry["name"]), entry["name"])

        with mock.patch.object(
            renditions, "make_renditions", wraps=renditions.make_renditions
        ) as rendered:
            again = run("import_issues", self.issue_file, no_prerender=True, verbosity=2)
        self.assertIn("unchanged", again.stdout)
        self.assertEqual(rendered.call_count, 0)
        self.assertEqual(self.keys(), keys)

        archive = Path(self.enterContext(tempfile.TemporaryDirectory()))
        exported = run("export_issues", archive)
        self.assertFalse(exported.failed, exported.stderr)
        folder = archive / "jinriluotang"
        self.assertEqual(sha((folder / "photos" / "118-1.jpg").read_bytes()), sha(self.jpeg))
        self.assertEqual(sha((folder / "photos" / "118-2.png").read_bytes()), sha(self.png))
        back = run("import_issues", archive, no_prerender=True, verbosity=2)
        self.assertIn("unchanged", back.stdout)
        self.assertEqual(self.keys(), keys)

    def test_a_bad_picture_leaves_the_bucket_as_it_was(self):
        before = self.keys()
        (self.folder / "photos" / "稻田.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
        result = run("import_issues", self.issue_file, no_prerender=True)
        self.assertTrue(result.failed)
        self.assertIn("稻田.png is refused", result.stderr)
        self.assertEqual(Photo.objects.count(), 0)
        self.assertEqual(self.keys(), before)

    def test_a_failure_after_the_pictures_were_stored_leaves_none_in_the_bucket(self):
        before = self.keys()
        with mock.patch(
            "backissues.loader.index_articles", side_effect=RuntimeError("index is down")
        ):
            result = run("import_issues", self.issue_file, no_prerender=True)
        self.assertTrue(result.failed)
        self.assertEqual(self.keys(), before)
