"""`manage.py refresh_renditions`: photos stored with the widths of before (480, 960, 1600)
get their 720 and 1100 files (and only those: the 480 and 1600 files are kept, not encoded
again; the 960 ones are listed as obsolete, deleted with the photo and never served), the
reader's page offers them, and a second run does nothing."""

import functools
import io
from unittest import mock

from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from articles import photos
from articles.models import Photo
from imaging import renditions
from tests import factories
from tests.articles.test_photo_files import FreshStorageMixin, stored_names
from tests.imaging import samples

OLD_WIDTHS = (480, 960, 1600)


def run(*args):
    out = io.StringIO()
    call_command("refresh_renditions", *args, stdout=out)
    return out.getvalue()


@override_settings(PUBLIC_PAGE_LOCAL_SECONDS=0)
class RefreshRenditionsTests(FreshStorageMixin, TestCase):
    def setUp(self):
        super().setUp()
        issue = factories.issue(pages=1, published=True)
        self.article = factories.article(issue.pages.get(), headline="稻田收割忙")

    def old_photo(self, data, name="a.jpg"):
        """A photo as the code before 720 stored it: three widths, files and manifest."""
        old_store = functools.partial(renditions.store_renditions, widths=OLD_WIDTHS)
        photo = Photo(article=self.article, caption="农民在田间收割水稻。")
        with mock.patch.object(photos, "store_renditions", old_store):
            photos.attach_image(photo, io.BytesIO(data), name=name)
        self.assertEqual(sorted({e["w"] for e in photo.renditions["renditions"]}), [480, 960, 1600])
        return photo

    def test_old_photos_get_the_new_width_and_a_second_run_changes_nothing(self):
        data = samples.jpeg((2000, 1500))
        first = self.old_photo(data)
        same = self.old_photo(data, name="again.jpg")  # the same picture on another row
        other = self.old_photo(samples.jpeg((1800, 1200), artist="丁小勇"))
        Photo.objects.create(article=self.article, caption="只有说明，没有图片。")
        old = {e["name"]: e for e in first.renditions["renditions"]}
        before = set(stored_names())

        self.assertIn("3 photos lack", run("--dry-run"))
        self.assertEqual(set(stored_names()), before)

        encoded = []
        real_encode = renditions.encode

        def counting(image, fmt, **options):
            encoded.append((image.width, fmt))
            return real_encode(image, fmt, **options)

        with mock.patch.object(renditions, "encode", counting):
            self.assertIn("Refreshed the renditions of 3 photos", run())
        # Two pictures, each encoded at 720 and 1100 only; the third row found it done.
        new = [(720, "webp"), (720, "jpeg"), (1100, "webp"), (1100, "jpeg")]
        self.assertEqual(encoded, new * 2)
        for photo in (first, same, other):
            photo.refresh_from_db()
            self.assertTrue(renditions.is_current(photo.renditions))
            widths = sorted({e["w"] for e in photo.renditions["renditions"]})
            self.assertEqual(widths, [480, 720, 1100, 1600])
            obsolete = photo.renditions["obsolete"]
            self.assertEqual([name.rsplit("/", 1)[1] for name in obsolete], ["960.jpg", "960.webp"])
            self.assertTrue(set(obsolete) <= set(photos.manifest_files(photo.renditions)))
            for entry in photo.renditions["renditions"]:
                self.assertTrue(default_storage.exists(entry["name"]), entry)
        self.assertEqual(first.renditions, same.renditions)
        for entry in first.renditions["renditions"]:
            if entry["w"] not in (720, 1100):
                self.assertEqual(entry, old[entry["name"]])  # kept, not made again
        added = set(stored_names()) - before
        self.assertEqual(len(added), 8)  # the 720 and 1100 files of the two pictures
        self.assertTrue(
            all(
                name.endswith(("/720.webp", "/720.jpg", "/1100.webp", "/1100.jpg"))
                for name in added
            )
        )

        page = self.client.get(self.article.get_absolute_url()).content.decode()
        self.assertIn("/720.webp 720w", page)
        self.assertIn("/1100.webp 1100w", page)
        self.assertNotIn("/960.", page)
        self.assertIn(f'sizes="{photos.COLUMN_SIZES}"', page)

        after = set(stored_names())
        self.assertIn("0 photos lack", run("--dry-run"))
        with mock.patch.object(renditions, "encode", counting):
            self.assertIn("Refreshed the renditions of 0 photos", run())
        self.assertEqual(len(encoded), 8)
        self.assertEqual(set(stored_names()), after)

    def test_a_photo_whose_original_is_gone_is_reported_and_the_others_refreshed(self):
        lost = self.old_photo(samples.jpeg((2000, 1500)))
        kept = self.old_photo(samples.jpeg((2000, 1500), artist="丁小勇"))
        stale_manifest = lost.renditions
        default_storage.delete(lost.image.name)
        with self.assertRaisesMessage(CommandError, "1 photos could not be refreshed"):
            run()
        lost.refresh_from_db()
        kept.refresh_from_db()
        self.assertEqual(lost.renditions, stale_manifest)
        self.assertTrue(renditions.is_current(kept.renditions))
