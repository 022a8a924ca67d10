"""Bundles: an issue text file with its printed pages (pages/<n>.pdf or an image scan).

徐冬梅 (组版) imports the PDF of page 1 with the issue text: the page gets its renditions, its
words and a region for each of its 5 articles; the photo news gets its picture from the PDF.
"""

import io
import json
import shutil
import tempfile
from pathlib import Path
from unittest import mock

from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.test import TestCase, override_settings
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from articles.models import Article, Photo, Region
from issues.models import Page

from .importing import counts, dump_tables, run

BUNDLE = Path(__file__).resolve().parents[1] / "fixtures" / "epaper-118"
MEDIA = tempfile.mkdtemp(prefix="newsroom-test-media-13-")


def stored_files():
    root = Path(MEDIA)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def rewrite(path, javascript=None):
    """Another version of the same page: the PDF written again by pypdf (other bytes)."""
    writer = PdfWriter(clone_from=PdfReader(path))
    writer.add_metadata({"/Title": "第1版 另一版本"})
    if javascript:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject(javascript),
            }
        )
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())


def copy_bundle(directory, text=None):
    target = Path(directory) / "118"
    shutil.copytree(BUNDLE, target)
    if text is not None:
        (target / "118.md").write_text(text, encoding="utf-8")
    return target


@override_settings(MEDIA_ROOT=MEDIA)
class BundleImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.first = run("import_issues", BUNDLE, no_prerender=True)

    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)

    def test_the_page_pdf_gives_renditions_words_and_a_region_per_article(self):
        self.assertFalse(self.first.failed, self.first.stderr)
        page = Page.objects.get(issue__number=118, number=1)
        self.assertTrue(page.scan.name.endswith(f"{page.scan_sha256}.pdf"))
        widths = [rendition["width"] for rendition in page.rendition_list()]
        self.assertEqual(widths, [800, 1600, 2400])
        for rendition in [*page.rendition_list(), page.renditions["thumbnail"]]:
            with default_storage.open(rendition["name"]) as handle, Image.open(handle) as image:
                self.assertEqual(image.format, "WEBP")
                self.assertEqual(image.size, (rendition["width"], rendition["height"]))
        self.assertGreater(len(page.words), 1000)
        articles = Article.objects.filter(page=page)
        self.assertEqual(Region.objects.filter(page=page, article__in=articles).count(), 5)
        for region in Region.objects.filter(page=page):
            self.assertEqual(region.source, Region.Source.AUTO)
            for box in region.boxes:
                self.assertTrue(0 <= box[0] < box[2] <= 1 and 0 <= box[1] < box[3] <= 1)

    def test_the_photo_news_gets_its_picture_from_the_pdf_at_full_resolution(self):
        photo = Photo.objects.get(page__issue__number=118)
        self.assertTrue(photo.image)
        with default_storage.open(photo.image.name) as handle, Image.open(handle) as image:
            truth = Image.open(BUNDLE.parent / "epaper-118-truth" / "page1-photo.jpg")
            self.assertEqual(image.size, truth.size)
        region = Region.objects.get(photo=photo)
        self.assertEqual(len(region.boxes), 1)

    def test_importing_the_same_bundle_again_is_unchanged_and_renders_nothing(self):
        before, files = dump_tables(), stored_files()
        with mock.patch("backissues.pages.render_page", side_effect=AssertionError("rendered")):
            result = run("import_issues", BUNDLE, no_prerender=True)
        self.assertFalse(result.failed, result.stderr)
        self.assertIn("unchanged 1", result.stdout)
        self.assertEqual(dump_tables(), before)
        self.assertEqual(stored_files(), files)

    def test_export_writes_the_bundle_back_and_its_import_is_unchanged(self):
        result = run("export_issues", self.directory.name)
        self.assertFalse(result.failed, result.stderr)
        folder = Path(self.directory.name) / "jinriluotang" / "118"
        self.assertEqual(
            (folder / "pages" / "1.pdf").read_bytes(), (BUNDLE / "pages" / "1.pdf").read_bytes()
        )
        self.assertTrue((folder / "118.md").is_file())
        again = run("import_issues", self.directory.name, no_prerender=True)
        self.assertIn("unchanged 1", again.stdout)

    def test_json_export_holds_regions_photo_box_and_image_and_scan(self):
        result = run("export_issue", 118, format="json")
        data = json.loads(result.stdout)
        page = data["pages"][0]
        self.assertIs(page["scan"], True)
        self.assertEqual([len(article["regions"]) for article in page["articles"]], [1] * 5)
        self.assertEqual(page["articles"][0]["regions"][0]["page"], 1)
        photo = page["photos"][0]
        self.assertIs(photo["image"], True)
        self.assertEqual(len(photo["box"]), 4)

    def test_a_page_file_for_a_page_the_text_does_not_have_is_refused(self):
        bundle = copy_bundle(self.directory.name)
        shutil.copy(bundle / "pages" / "1.pdf", bundle / "pages" / "7.pdf")
        before, files = counts(), stored_files()
        result = run("import_issues", bundle, no_prerender=True, replace=True)
        self.assertTrue(result.failed)
        self.assertIn(f"{bundle / 'pages' / '7.pdf'}: the issue text has no page 7", result.stderr)
        self.assertEqual((counts(), stored_files()), (before, files))

    def test_an_unreadable_pdf_is_refused(self):
        bundle = copy_bundle(self.directory.name)
        pdf = bundle / "pages" / "1.pdf"
        pdf.write_bytes(pdf.read_bytes()[:5000])  # an interrupted upload
        result = run("import_issues", bundle, no_prerender=True, replace=True)
        self.assertTrue(result.failed)
        self.assertIn(f"{pdf}: ", result.stderr)
        self.assertNotIn("Traceback", result.stderr)

    def test_a_pdf_with_javascript_is_refused(self):
        bundle = copy_bundle(self.directory.name)
        pdf = bundle / "pages" / "1.pdf"
        rewrite(pdf, javascript="app.alert('hi')")
        result = run("import_issues", bundle, no_prerender=True, replace=True)
        self.assertTrue(result.failed)
        self.assertIn(str(pdf), result.stderr)

    def test_a_failed_import_leaves_no_stored_files(self):
        text = (BUNDLE / "118.md").read_text("utf-8").replace("日前,", "近日,")
        bundle = copy_bundle(self.directory.name, text)
        pdf = bundle / "pages" / "1.pdf"
        rewrite(pdf)
        before, files = dump_tables(), stored_files()
        with mock.patch(
            "backissues.pages.Region.objects.bulk_create",
            side_effect=IntegrityError("forced in test"),
        ):
            result = run("import_issues", bundle, no_prerender=True, replace=True)
        self.assertTrue(result.failed)
        self.assertEqual(dump_tables(), before)
        self.assertEqual(stored_files(), files)

    def test_a_dry_run_leaves_no_stored_files(self):
        bundle = copy_bundle(self.directory.name)
        pdf = bundle / "pages" / "1.pdf"
        rewrite(pdf)
        files = stored_files()
        result = run("import_issues", bundle, no_prerender=True, replace=True, dry_run=True)
        self.assertFalse(result.failed, result.stderr)
        self.assertEqual(stored_files(), files)

    def test_manual_regions_survive_a_reimport_unless_the_article_text_changed(self):
        page = Page.objects.get(issue__number=118, number=1)
        first, second = Article.objects.filter(page=page).order_by("order")[:2]
        for article in (first, second):
            region = Region.objects.get(page=page, article=article)
            region.boxes = [[0.1, 0.1, 0.2, 0.2]]
            region.source = Region.Source.MANUAL
            region.save()
        text = (BUNDLE / "118.md").read_text("utf-8")
        changed = text.replace(second.body.split("\n")[0][:20], second.body[:19] + "又", 1)
        bundle = copy_bundle(self.directory.name, changed)
        result = run("import_issues", bundle, no_prerender=True, replace=True)
        self.assertIn("replaced 1", result.stdout, result.stderr)
        kept = Region.objects.get(page=page, article__headline=first.headline)
        self.assertEqual((kept.source, kept.boxes), ("manual", [[0.1, 0.1, 0.2, 0.2]]))
        redone = Region.objects.get(page=page, article__headline=second.headline)
        self.assertEqual(redone.source, "auto")

    def test_a_replaced_bundle_keeps_its_article_and_photo_ids_and_regions(self):
        ids = dict(Article.objects.values_list("headline", "pk"))
        photo = Photo.objects.get(page__isnull=False)
        text = (BUNDLE / "118.md").read_text("utf-8").replace("日前,", "近日,")
        bundle = copy_bundle(self.directory.name, text)
        result = run("import_issues", bundle, no_prerender=True, replace=True)
        self.assertIn("replaced 1", result.stdout, result.stderr)
        self.assertEqual(dict(Article.objects.values_list("headline", "pk")), ids)
        kept = Photo.objects.get(page__isnull=False)
        self.assertEqual((kept.pk, kept.image.name), (photo.pk, photo.image.name))
        self.assertEqual(
            Region.objects.filter(article__isnull=False).count(), 5, "a region per article"
        )

    def test_an_image_scan_imports_with_its_image_no_regions_and_a_warning(self):
        bundle = copy_bundle(self.directory.name)
        (bundle / "pages" / "1.pdf").unlink()
        buffer = io.BytesIO()
        Image.new("RGB", (900, 1270), "white").save(buffer, "PNG")
        (bundle / "pages" / "1.png").write_bytes(buffer.getvalue())
        result = run("import_issues", bundle, no_prerender=True, replace=True)
        self.assertFalse(result.failed, result.stderr)
        self.assertIn("image scan: no text layer, no regions", result.stderr)
        page = Page.objects.get(issue__number=118, number=1)
        self.assertTrue(page.scan.name.endswith(".png"))
        self.assertEqual([r["width"] for r in page.rendition_list()], [800])
        self.assertEqual(page.words, [])
        self.assertFalse(Region.objects.filter(page=page).exists())

    def test_a_region_belongs_to_an_article_or_a_photo_never_both(self):
        page = Page.objects.get(issue__number=118, number=1)
        with self.assertRaises(IntegrityError):
            Region.objects.create(
                page=page,
                article=Article.objects.filter(page=page).first(),
                photo=Photo.objects.get(page=page),
                boxes=[[0, 0, 1, 1]],
            )

    def test_a_page_file_over_the_size_limit_is_refused_before_it_is_read(self):
        text = (BUNDLE / "118.md").read_text("utf-8").replace("日前,", "近日,")
        bundle = copy_bundle(self.directory.name, text)
        pdf = bundle / "pages" / "1.pdf"
        rewrite(pdf)
        before, files = dump_tables(), stored_files()
        limit = pdf.stat().st_size - 1
        with (
            override_settings(SCAN_UPLOAD_MAX_BYTES=limit),
            mock.patch("backissues.pages.validate_pdf", side_effect=AssertionError("read")),
        ):
            result = run("import_issues", bundle, no_prerender=True, replace=True)
        self.assertTrue(result.failed)
        self.assertIn(
            f"{bundle / '118.md'}: {pdf}: 0.8 MB is larger than the 0.8 MB", result.stderr
        )
        self.assertIn("SCAN_UPLOAD_MAX_BYTES", result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        self.assertEqual((dump_tables(), stored_files()), (before, files))
        with override_settings(SCAN_UPLOAD_MAX_BYTES=limit + 1):
            result = run("import_issues", bundle, no_prerender=True, replace=True)
        self.assertIn("replaced 1", result.stdout, result.stderr)

    def test_an_image_scan_with_too_many_pixels_is_refused_with_the_setting_named(self):
        bundle = copy_bundle(self.directory.name)
        (bundle / "pages" / "1.pdf").unlink()
        buffer = io.BytesIO()
        Image.new("RGB", (1000, 2000), "white").save(buffer, "PNG")
        (bundle / "pages" / "1.png").write_bytes(buffer.getvalue())
        before = dump_tables()
        with override_settings(SCAN_MAX_MEGAPIXELS=1):
            result = run("import_issues", bundle, no_prerender=True, replace=True)
        self.assertTrue(result.failed)
        self.assertIn("1.png: the image has 2 megapixels, more than the 1", result.stderr)
        self.assertEqual(dump_tables(), before)

    def test_a_replaced_page_keeps_its_old_files_in_storage(self):
        """Page files are named by their content and never deleted: a reader's cached page, a
        CDN copy, the whole-issue PDF or another issue with the same page may still use them."""
        page = Page.objects.get(issue__number=118, number=1)
        old = [page.scan.name, page.renditions["thumbnail"]["name"]]
        old += [rendition["name"] for rendition in page.rendition_list()]
        text = (BUNDLE / "118.md").read_text("utf-8").replace("日前,", "近日,")
        bundle = copy_bundle(self.directory.name, text)
        rewrite(bundle / "pages" / "1.pdf")
        result = run("import_issues", bundle, no_prerender=True, replace=True)
        self.assertIn("replaced 1", result.stdout, result.stderr)
        page.refresh_from_db()
        self.assertNotEqual(page.scan.name, old[0])
        for name in old:
            self.assertTrue(default_storage.exists(name), name)

    def test_a_dry_run_of_another_issue_with_the_same_page_leaves_this_page_its_files(self):
        page = Page.objects.get(issue__number=118, number=1)
        text = (BUNDLE / "118.md").read_text("utf-8").replace("总第118期", "总第119期")
        text = text.replace("2024年11月28日 星期四", "2024年12月5日 星期四")
        bundle = copy_bundle(self.directory.name, text)
        result = run("import_issues", bundle, no_prerender=True, dry_run=True)
        self.assertFalse(result.failed, result.stderr)
        for rendition in [*page.rendition_list(), page.renditions["thumbnail"]]:
            self.assertTrue(default_storage.exists(rendition["name"]))
        self.assertTrue(default_storage.exists(page.scan.name))
