"""Photos' files through the desk over HTTP: a correspondent attaches a phone photo to a
draft; bad files are refused in Chinese and leave nothing behind; readers get renditions that
are upright and carry no metadata; replaced and deleted files go after the commit.

Storage is Django's InMemoryStorage: everything goes through the storage API."""

import io

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from PIL import Image

from articles import photos
from articles.models import Photo
from tests import factories
from tests.desk.test_admin_workflow import change_data
from tests.imaging import samples
from tests.imaging.test_validate import _document_javascript, pdf

IN_MEMORY = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def stored_names(storage=None, folder=""):
    storage = storage or default_storage
    dirs, files = storage.listdir(folder)
    names = [f"{folder}/{name}".lstrip("/") for name in files]
    for sub in dirs:
        names.extend(stored_names(storage, f"{folder}/{sub}".lstrip("/")))
    return sorted(names)


def photo_form(upload, **fields):
    data = {
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "0",
        "photos-0-caption": fields.get("caption", ""),
        "photos-0-photographer": fields.get("photographer", ""),
        "photos-0-credit_role": "",
        "photos-0-alt_text": "",
        "photos-0-order": "0",
    }
    if upload is not None:
        data["photos-0-image"] = upload
    return data


class FreshStorageMixin:
    """A new, empty in-memory storage for each test (files are not rolled back)."""

    def setUp(self):
        super().setUp()
        self.enterContext(override_settings(STORAGES=IN_MEMORY))


@override_settings(LANGUAGE_CODE="zh-hans")
class PhotoUploadTests(FreshStorageMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = factories.desk()
        cls.ding = factories.person("丁小勇")

    def setUp(self):
        super().setUp()
        self.article = factories.article(created_by=self.desk.correspondent)
        self.client.force_login(self.desk.correspondent)

    def post_photo(self, data: bytes, name="IMG_0001.jpg", **fields):
        self.article.refresh_from_db()
        upload = SimpleUploadedFile(name, data, content_type="image/jpeg")
        form = change_data(self.article)
        form.update(photo_form(upload, **fields))
        url = reverse("admin:articles_article_change", args=[self.article.pk])
        return self.client.post(url, form, HTTP_ACCEPT_LANGUAGE="zh-hans")

    def test_a_phone_photo_becomes_upright_renditions_without_metadata(self):
        data = samples.jpeg((800, 600), orientation=6, artist="丁小勇", description="稻田收割忙。")
        response = self.post_photo(data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        photo = Photo.objects.get(article=self.article)
        # Offered from the file because the form left them empty.
        self.assertEqual(photo.caption, "稻田收割忙。")
        self.assertEqual(photo.photographer, self.ding)
        manifest = photo.renditions
        self.assertEqual((manifest["width"], manifest["height"]), (800, 600))  # as seen
        formats = {entry["format"] for entry in manifest["renditions"]}
        self.assertEqual(formats, {"webp", "jpeg"})
        for entry in manifest["renditions"]:
            with default_storage.open(entry["name"], "rb") as fh:
                served = Image.open(io.BytesIO(fh.read()))
                served.load()
            self.assertEqual(served.size, (entry["w"], entry["h"]))
            self.assertGreater(served.width, served.height)  # turned as the camera said
            exif = served.getexif()
            self.assertFalse(dict(exif), entry["name"])
            self.assertNotIn(0x8825, exif)  # no GPS
            self.assertNotIn("xmp", served.info)
            # The red quadrant is at the top left, as the reader should see it.
            red, _green, blue = served.convert("RGB").getpixel((served.width // 5, 5))
            self.assertGreater(red, 200)
            self.assertLess(blue, 60)

    def test_caption_typed_in_the_form_wins_over_the_file(self):
        data = samples.jpeg(artist="无名氏", description="文件里的说明")
        self.post_photo(data, caption="记者手写的说明")
        photo = Photo.objects.get(article=self.article)
        self.assertEqual(photo.caption, "记者手写的说明")
        self.assertIsNone(photo.photographer)  # nobody of that name: none is guessed

    def test_bad_files_are_refused_in_chinese_and_leave_nothing(self):
        truncated = samples.jpeg((400, 300))
        cases = {
            "svg": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>', "SVG"),
            "html": (b"<!DOCTYPE html><html><body>x</body></html>", "网页"),
            "truncated": (truncated[: len(truncated) // 2], "已损坏或不完整"),
            "animated": (samples.animated("GIF"), "动图"),
            "bomb": (samples.png_bomb(), "百万像素的上限"),
            "empty": (b"", "文件是空的"),
            "text": (b"just some text, not an image at all" * 10, "不是可识别的图片"),
        }
        for case, (data, words) in cases.items():
            with self.subTest(case):
                response = self.post_photo(data, caption="说明")
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, words)
                self.assertFalse(Photo.objects.exists())
                self.assertEqual(stored_names(), [])

    @override_settings(PHOTO_UPLOAD_MAX_BYTES=10_000)
    def test_a_file_over_the_size_limit_is_refused(self):
        response = self.post_photo(samples.jpeg((1200, 900), quality=95), caption="说明")
        self.assertContains(response, "的上限")
        self.assertFalse(Photo.objects.exists())
        self.assertEqual(stored_names(), [])

    def test_a_photo_without_caption_anywhere_is_asked_for_one(self):
        response = self.post_photo(samples.jpeg())
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Photo.objects.exists())
        self.assertEqual(stored_names(), [])


class PhotoFilesLifecycleTests(FreshStorageMixin, TestCase):
    def setUp(self):
        super().setUp()
        self.article = factories.article()

    def photo_with(self, data, name="a.jpg"):
        photo = Photo(article=self.article, caption="说明")
        photos.attach_image(photo, io.BytesIO(data), name=name)
        return photo

    def test_the_same_image_is_not_rendered_twice(self):
        first = self.photo_with(samples.jpeg())
        before = stored_names()
        second = self.photo_with(samples.jpeg(), name="b.jpg")
        self.assertEqual(first.renditions, second.renditions)
        self.assertEqual(len(stored_names()), len(before) + 1)  # only the second original

    def test_replaced_files_go_after_commit_unless_shared(self):
        photo = self.photo_with(samples.jpeg())
        other = self.photo_with(samples.jpeg(), name="same.jpg")
        old_original, old_renditions = photo.image.name, photos.manifest_files(photo.renditions)
        with self.captureOnCommitCallbacks(execute=True):
            photos.attach_image(photo, io.BytesIO(samples.jpeg((640, 480))), name="new.jpg")
        now = set(stored_names())
        self.assertNotIn(old_original, now)
        self.assertIn(other.image.name, now)
        self.assertTrue(set(old_renditions) <= now)  # still used by the other photo
        self.assertTrue(set(photos.manifest_files(photo.renditions)) <= now)
        # Once the other photo is replaced too, nobody uses the first renditions.
        with self.captureOnCommitCallbacks(execute=True):
            photos.attach_image(other, io.BytesIO(samples.jpeg((320, 240))), name="x.jpg")
        self.assertFalse(set(old_renditions) & set(stored_names()))

    def test_deleted_photos_take_their_files_with_them(self):
        photo = self.photo_with(samples.jpeg())
        self.assertTrue(stored_names())
        with self.captureOnCommitCallbacks(execute=True):
            photo.delete()
        self.assertEqual(stored_names(), [])

    def test_a_deleted_article_takes_its_photos_files(self):
        self.photo_with(samples.jpeg())
        with self.captureOnCommitCallbacks(execute=True):
            self.article.delete()
        self.assertEqual(stored_names(), [])

    def test_nothing_is_deleted_before_the_commit(self):
        photo = self.photo_with(samples.jpeg())
        names = stored_names()
        with self.captureOnCommitCallbacks(execute=False):
            photo.delete()
        self.assertEqual(stored_names(), names)


class ScanValidationTests(TestCase):
    def test_a_scan_with_javascript_is_refused_and_a_plain_one_accepted(self):
        from django.core.exceptions import ValidationError

        from issues.models import validate_scan_file

        with self.assertRaises(ValidationError):
            validate_scan_file(SimpleUploadedFile("p1.pdf", pdf(_document_javascript)))
        with self.assertRaises(ValidationError):
            validate_scan_file(SimpleUploadedFile("p1.jpg", b"<html><script>1</script></html>"))
        validate_scan_file(SimpleUploadedFile("p1.pdf", pdf()))
        validate_scan_file(SimpleUploadedFile("p1.jpg", samples.jpeg()))
