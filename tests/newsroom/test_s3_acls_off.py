"""Media on a bucket that refuses ACLs (AWS_S3_OBJECT_ACLS=off, "bucket owner enforced", the
modern AWS default), against moto's standalone S3 server: a bundle import and a desk upload
work, and not one request to the bucket carries an ACL (AWS would refuse each with
AccessControlListNotSupported; moto accepts them, so the requests themselves are watched).

And what S3 itself sends for each kind, read back from the objects: the type, a year of cache
for the public kinds, and `Content-Disposition: attachment` for anything that is not an image
or a PDF (S3 cannot send `nosniff`: the CDN adds it, README "Media in production")."""

import io
import unittest

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

BUCKET = "newsroom-no-acls"


@unittest.skipIf(MOTO_MISSING, MOTO_MISSING)
class BucketWithoutACLsTests(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = MotoServer()
        cls.server.start()
        cls.addClassCleanup(cls.server.stop)
        cls.s3 = cls.server.client()
        cls.s3.create_bucket(Bucket=BUCKET, ObjectOwnership="BucketOwnerEnforced")
        storages = cls.server.storages(BUCKET)
        storages["default"]["OPTIONS"]["object_acls"] = False
        cls.enterClassContext(
            override_settings(STORAGES=storages, MEDIA_PUBLIC_URL=f"{cls.server.endpoint}/{BUCKET}")
        )
        # Every request the site's storage sends to the bucket, with its parameters.
        cls.sent: list[tuple[str, dict]] = []
        client = default_storage.connection.meta.client
        client.meta.events.register(
            "before-parameter-build.s3",
            lambda params, event_name, **_: cls.record(event_name, params),
        )
        super().setUpClass()

    @classmethod
    def record(cls, event_name, params):
        # The operation, the key and the names of its parameters (the body is a stream).
        cls.sent.append((event_name.rsplit(".", 1)[-1], params.get("Key"), frozenset(params)))

    @classmethod
    def setUpTestData(cls):
        cls.sent.clear()
        result = run("import_issues", BUNDLE, no_prerender=True)
        assert not result.failed, result.stderr
        cls.page = Page.objects.get(number=1)
        photo = Photo(article=factories.article(), caption="稻田收割忙。")
        photos.attach_image(photo, io.BytesIO(samples.jpeg((1200, 900))), name="IMG_0001.jpg")
        cls.photo = Photo.objects.get(pk=photo.pk)
        cls.import_and_upload = tuple(cls.sent)

    def keys(self) -> set[str]:
        pages = self.s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    def head(self, key):
        return self.s3.head_object(Bucket=BUCKET, Key=key)

    def test_the_import_and_the_upload_store_their_files_without_sending_an_acl(self):
        stored = {
            self.page.scan.name,
            self.photo.image.name,
            self.photo.renditions["manifest"],
            *(e["name"] for e in self.page.renditions["renditions"]),
            *(e["name"] for e in self.photo.renditions["renditions"]),
        }
        self.assertLessEqual(stored, self.keys())
        # Each went up in a PutObject, watched below.
        puts = {key for operation, key, _ in self.import_and_upload if operation == "PutObject"}
        self.assertLessEqual(stored, puts)
        for operation, key, params in self.import_and_upload:
            self.assertNotIn("ACL", params, (operation, key))
            self.assertNotIn("GrantRead", params, (operation, key))
        self.assertNotIn("PutObjectAcl", {operation for operation, _, _ in self.import_and_upload})

    def test_the_public_kinds_still_carry_their_cache_and_type(self):
        # Public read comes from the bucket policy then; the headers are the objects' own.
        for entry in self.page.renditions["renditions"]:
            head = self.head(entry["name"])
            self.assertEqual(head["CacheControl"], IMMUTABLE)
            self.assertEqual(head["ContentType"], "image/webp")

    def test_s3_itself_sends_attachment_for_anything_not_an_image_or_a_pdf(self):
        # Inline: renditions, the page PDF, the original photo.
        for name, media_type in [
            (self.photo.renditions["renditions"][0]["name"], None),
            (self.page.scan.name, "application/pdf"),
            (self.photo.image.name, "image/jpeg"),
        ]:
            head = self.head(name)
            self.assertNotIn("ContentDisposition", head, name)
            if media_type:
                self.assertEqual(head["ContentType"], media_type, name)
        # A download: the manifest, and any other file stored under a kind of name.
        for name in [
            self.photo.renditions["manifest"],
            default_storage.save("scans/2026/page-1.html", ContentFile(b"<script>x</script>")),
            default_storage.save("photos/2026/notes.svg", ContentFile(b"<svg/>")),
        ]:
            head = self.head(name)
            self.assertEqual(head["ContentDisposition"], "attachment", name)
            self.assertEqual(head["ContentType"], "application/octet-stream", name)
