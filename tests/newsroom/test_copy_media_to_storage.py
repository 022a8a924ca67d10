"""`manage.py copy_media_to_storage`: a site that kept its files in MEDIA_ROOT switches to
MEDIA_STORAGE=s3 and copies them into the bucket (moto's standalone S3 server), keeping their
names, each object as the storage makes that kind; twice is safe; a file that fails is named
and the others are copied."""

import io
import itertools
import shutil
import tempfile
import unittest
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import TestCase, override_settings

from articles import photos
from articles.models import Photo
from issues.models import Page
from public.media import IMMUTABLE
from tests import factories
from tests.backissues.importing import run
from tests.backissues.test_import_bundles import BUNDLE
from tests.imaging import samples
from tests.s3server import MOTO_MISSING, MotoServer

BUCKETS = itertools.count(1)
# Not referenced by any row: only --all copies them.
ISSUE_PDF = "issues/ab/" + "ab" * 32 + ".pdf"
STRAY = "notes/todo.txt"


@unittest.skipIf(MOTO_MISSING, MOTO_MISSING)
class CopyMediaToStorageTests(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = MotoServer()
        cls.server.start()
        cls.addClassCleanup(cls.server.stop)
        cls.s3 = cls.server.client()
        folder = tempfile.mkdtemp(prefix="newsroom-media-")
        cls.addClassCleanup(shutil.rmtree, folder)
        cls.media_root = Path(folder)
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        # The site as it ran before: files in MEDIA_ROOT.
        files = {
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(cls.media_root)},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        with override_settings(STORAGES=files, MEDIA_ROOT=str(cls.media_root)):
            result = run("import_issues", BUNDLE, no_prerender=True)
            assert not result.failed, result.stderr
            photo = Photo(article=factories.article(), caption="稻田收割忙。")
            photos.attach_image(photo, io.BytesIO(samples.jpeg((1200, 900))), name="IMG_0001.jpg")
            for name, data in [(ISSUE_PDF, b"%PDF-1.4 merged"), (STRAY, b"a note")]:
                default_storage.save(name, ContentFile(data))
        cls.photo = photo
        cls.page = Page.objects.get(number=1)

    def setUp(self):
        self.bucket = f"newsroom-copy-{next(BUCKETS)}"
        self.s3.create_bucket(Bucket=self.bucket)
        self.enterContext(
            override_settings(
                STORAGES=self.server.storages(self.bucket),
                MEDIA_PUBLIC_URL=f"{self.server.endpoint}/{self.bucket}",
                MEDIA_ROOT=str(self.media_root),
            )
        )

    def keys(self) -> set[str]:
        pages = self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    def head(self, key):
        return self.s3.head_object(Bucket=self.bucket, Key=key)

    def is_public(self, key: str) -> bool:
        grants = self.s3.get_object_acl(Bucket=self.bucket, Key=key)["Grants"]
        return any(g["Grantee"].get("URI", "").endswith("/AllUsers") for g in grants)

    def referenced(self) -> set[str]:
        """What the rows refer to: every file the import and the upload left in MEDIA_ROOT
        (originals, renditions, manifests, page files and their .sizes), not the two others."""
        found = {p.relative_to(self.media_root).as_posix() for p in self.media_root.rglob("*")}
        names = {name for name in found if (self.media_root / name).is_file()}
        self.assertIn(self.photo.renditions["manifest"], names)
        self.assertIn(self.page.scan.name, names)
        return names - {ISSUE_PDF, STRAY}

    def test_a_dry_run_says_what_it_would_copy_and_copies_nothing(self):
        result = run("copy_media_to_storage", dry_run=True)
        self.assertFalse(result.failed, result.stderr)
        count = len(self.referenced())
        self.assertIn(
            f"{count} files (referenced by the database): would copy {count} (", result.stdout
        )
        self.assertIn("0 already there, 0 failed.", result.stdout)
        self.assertEqual(self.keys(), set())

    def test_every_referenced_file_lands_under_its_name_as_its_kind(self):
        result = run("copy_media_to_storage")
        self.assertFalse(result.failed, result.stderr)
        self.assertEqual(self.keys(), self.referenced())
        for name in self.keys():
            self.assertEqual(
                self.s3.get_object(Bucket=self.bucket, Key=name)["Body"].read(),
                (self.media_root / name).read_bytes(),
                name,
            )
        # Renditions and page images: public, a year, their type, shown inline.
        for entry in [*self.photo.renditions["renditions"], *self.page.renditions["renditions"]]:
            head = self.head(entry["name"])
            self.assertTrue(self.is_public(entry["name"]), entry["name"])
            self.assertEqual(head["CacheControl"], IMMUTABLE)
            self.assertIn(head["ContentType"], {"image/webp", "image/jpeg"})
            self.assertNotIn("ContentDisposition", head)
        # The page's PDF: public, a PDF.
        self.assertTrue(self.is_public(self.page.scan.name))
        self.assertEqual(self.head(self.page.scan.name)["ContentType"], "application/pdf")
        # The original (EXIF, GPS) and the manifest: private; the manifest is a download.
        self.assertFalse(self.is_public(self.photo.image.name))
        self.assertNotIn("CacheControl", self.head(self.photo.image.name))
        manifest = self.head(self.photo.renditions["manifest"])
        self.assertFalse(self.is_public(self.photo.renditions["manifest"]))
        self.assertEqual(manifest["ContentType"], "application/octet-stream")
        self.assertEqual(manifest["ContentDisposition"], "attachment")
        # Readers' pages now point into the bucket, where the files are.
        self.assertTrue(
            default_storage.url(self.page.renditions["thumbnail"]["name"]).startswith(
                f"{self.server.endpoint}/{self.bucket}/"
            )
        )

    def test_a_second_run_copies_nothing(self):
        self.assertFalse(run("copy_media_to_storage").failed)
        before = {key: self.head(key)["LastModified"] for key in self.keys()}
        result = run("copy_media_to_storage")
        self.assertFalse(result.failed, result.stderr)
        self.assertIn(f"copied 0 (0.0 MB), {len(before)} already there, 0 failed.", result.stdout)
        self.assertEqual({key: self.head(key)["LastModified"] for key in self.keys()}, before)

    def test_all_copies_the_files_no_row_refers_to_as_well(self):
        result = run("copy_media_to_storage", all=True)
        self.assertFalse(result.failed, result.stderr)
        self.assertEqual(self.keys(), self.referenced() | {ISSUE_PDF, STRAY})
        self.assertTrue(self.is_public(ISSUE_PDF))
        self.assertEqual(self.head(ISSUE_PDF)["CacheControl"], IMMUTABLE)
        # Not a kind readers get: private, and a download.
        self.assertFalse(self.is_public(STRAY))
        self.assertEqual(self.head(STRAY)["ContentDisposition"], "attachment")

    def test_a_file_that_fails_is_named_and_the_others_are_copied(self):
        missing = self.photo.image.name
        moved = Path(tempfile.mkdtemp()) / "away.jpg"
        shutil.move(self.media_root / missing, moved)
        self.addCleanup(shutil.rmtree, moved.parent)
        self.addCleanup(shutil.move, moved, self.media_root / missing)
        # Another file already in the bucket under one of the names, with other bytes.
        taken = self.page.scan.name
        self.s3.put_object(Bucket=self.bucket, Key=taken, Body=b"something else")
        result = run("copy_media_to_storage")
        self.assertTrue(result.failed)
        self.assertIn(f"{missing}: FileNotFoundError", result.stderr)
        self.assertIn(f"{taken}: FileExistsError: already stored with other bytes", result.stderr)
        self.assertIn("2 failed.", result.stdout)
        self.assertIn("2 files were not copied", str(result.error))
        self.assertEqual(self.keys(), self.referenced() - {missing})  # the rest is there
        body = self.s3.get_object(Bucket=self.bucket, Key=taken)["Body"].read()
        self.assertEqual(body, b"something else")  # never overwritten

    def test_copying_a_folder_into_itself_is_refused(self):
        with override_settings(
            STORAGES={
                "default": {
                    "BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(self.media_root)},
                },
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            }
        ):
            result = run("copy_media_to_storage")
        self.assertTrue(result.failed)
        self.assertIn("set MEDIA_STORAGE=s3", str(result.error))
