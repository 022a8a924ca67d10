"""Back issues with their pictures: `![](photos/118-1.jpg)` before a caption attaches that file.

The archive of 今日罗塘 comes with the photos the paper printed. Importing it stores each
picture once with its renditions; exporting writes the same bytes back beside the text, and
reading that folder again changes nothing. A missing or bad picture refuses the whole file at
its line and leaves no file behind.
"""

import hashlib
import json
import os
import tempfile
from pathlib import Path
from unittest import mock

from django.core.files.storage import default_storage
from django.test import TestCase

from articles.models import Article, Photo
from backissues.textformat import FormatError, parse, render
from imaging import renditions
from issues.models import Issue
from tests.articles.test_photo_files import FreshStorageMixin, stored_names
from tests.imaging import samples

from .importing import SAMPLE_TEXT, counts, dump_tables, run, write

CAPTION = "11月4日—6日"
FIRST = "2024年收官在即"


def text_with_images(*, second_as_block=True):
    """The sample with its photo news' picture, and a second photo (a PNG) in the first
    article, its image line as a block of its own."""
    text = SAMPLE_TEXT.replace(CAPTION, f"![](photos/118-1.jpg)\n{CAPTION}", 1)
    at = text.index(FIRST)
    end = text.index("\n\n", at)
    separator = "\n\n" if second_as_block else "\n"
    second = f"\n\n![](photos/稻田.png){separator}稻田收割忙。 记者 丁小勇 摄"
    return text[:end] + second + text[end:]


def sha(data):
    return hashlib.sha256(data).hexdigest()


def folder_hashes(root):
    root = Path(root)
    return {
        str(path.relative_to(root)): sha(path.read_bytes())
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


class ImageLinesInTheTextTests(TestCase):
    def test_the_image_line_names_the_picture_of_the_caption_after_it(self):
        for as_block in (True, False):
            data = parse(text_with_images(second_as_block=as_block))
            news = data.pages[0].photos[0]  # after the jump line: the page's photo news
            self.assertEqual(news.image, "photos/118-1.jpg")
            self.assertTrue(news.caption.startswith(CAPTION))
            second = data.pages[0].articles[0].photos[0]
            self.assertEqual((second.image, second.photographer), ("photos/稻田.png", "丁小勇"))
            self.assertEqual(second.caption, "稻田收割忙。")
            # The article's text is untouched by its photo.
            self.assertTrue(data.pages[0].articles[0].paragraphs[-1].startswith(FIRST))

    def test_render_writes_the_image_line_above_its_caption_and_reads_back(self):
        data = parse(text_with_images())
        text = render(data)
        self.assertIn(f"![](photos/118-1.jpg)\n{CAPTION}", text)
        self.assertEqual(parse(text), data)
        without = parse(SAMPLE_TEXT)
        self.assertNotIn("![]", render(without))

    def test_an_image_line_not_followed_by_a_caption_is_refused_at_its_line(self):
        cases = {
            "body text": f"![](photos/x.jpg)\n\n{FIRST}",
            "a headline": "![](photos/x.jpg)\n\n## 新标题",
            "two images": "![](photos/x.jpg)\n\n![](photos/y.jpg)\n稻田。 丁小勇 摄",
        }
        for what, inserted in cases.items():
            with self.subTest(what):
                text = SAMPLE_TEXT.replace(FIRST, f"{inserted}\n\n{FIRST}", 1)
                line = text[: text.index("![](photos/x.jpg)")].count("\n") + 1
                with self.assertRaises(FormatError) as refused:
                    parse(text)
                self.assertEqual(refused.exception.line, line)
                self.assertIn("must come directly before a photo caption", str(refused.exception))
        with self.assertRaises(FormatError):
            parse(SAMPLE_TEXT + "\n![](photos/last.jpg)\n")  # at the end of the file

    def test_an_image_path_must_stay_inside_the_issue_folder(self):
        for path in ("../118.jpg", "/etc/passwd", "photos/../../x.jpg", "C:/x.jpg", "a\\b.jpg"):
            with self.subTest(path):
                text = SAMPLE_TEXT.replace(CAPTION, f"![]({path})\n{CAPTION}", 1)
                with self.assertRaisesRegex(FormatError, "relative to the issue file"):
                    parse(text)

    def test_a_body_paragraph_that_looks_like_an_image_line_is_escaped(self):
        data = parse(SAMPLE_TEXT)
        # The last paragraph: not escaped for want of a full stop.
        data.pages[0].articles[1].paragraphs.append("![](photos/x.jpg)")
        self.assertIn("\\![](photos/x.jpg)", render(data))
        self.assertEqual(parse(render(data)), data)


class ImportWithImagesTests(FreshStorageMixin, TestCase):
    def setUp(self):
        super().setUp()
        self.folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        self.jpeg = samples.jpeg((1200, 800), artist="丁小勇", description="相机里的说明")
        self.png = samples.encode(samples.scene((600, 400)), "PNG")
        self.issue_file = self.write_issue(self.folder)

    def write_issue(self, folder, text=None, jpeg=None, png=None):
        write(folder, "photos/118-1.jpg", "")
        (folder / "photos" / "118-1.jpg").write_bytes(jpeg or self.jpeg)
        (folder / "photos" / "稻田.png").write_bytes(png or self.png)
        return write(folder, "118.md", text or text_with_images())

    def import_(self, *paths, **options):
        options.setdefault("verbosity", 1)
        return run("import_issues", *(paths or [self.issue_file]), **options)

    def photos(self):
        return {photo.caption[:6]: photo for photo in Photo.objects.all()}

    def test_each_picture_is_stored_once_with_its_renditions(self):
        result = self.import_()
        self.assertFalse(result.failed, result.stderr)
        news, paddy = self.photos()[CAPTION[:6]], self.photos()["稻田收割忙。"]
        for photo, data in ((news, self.jpeg), (paddy, self.png)):
            with default_storage.open(photo.image.name, "rb") as handle:
                self.assertEqual(sha(handle.read()), sha(data))  # the original, byte for byte
            self.assertEqual(
                photo.image.name, f"photos/{sha(data)[:2]}/{sha(data)}{photo.image.name[-4:]}"
            )
            self.assertEqual(photo.renditions["sha256"], sha(data))
            for entry in photo.renditions["renditions"]:
                self.assertTrue(default_storage.exists(entry["name"]))
        self.assertTrue(news.image.name.endswith(".jpg"))
        self.assertTrue(paddy.image.name.endswith(".png"))
        self.assertEqual(paddy.photographer.name, "丁小勇")
        self.assertEqual(paddy.article.headline, "罗塘街道(高新区)部署当前重点工作")
        exported = json.loads(run("export_issue", 118, format="json").stdout)
        self.assertIs(exported["pages"][0]["photos"][0]["image"], True)
        self.assertIs(exported["pages"][0]["articles"][0]["photos"][0]["image"], True)

    def test_export_writes_the_pictures_beside_the_text_and_reading_them_back_is_unchanged(self):
        self.import_()
        archive = Path(self.enterContext(tempfile.TemporaryDirectory()))
        result = run("export_issues", archive)
        self.assertFalse(result.failed, result.stderr)
        folder = archive / "jinriluotang"
        hashes = folder_hashes(folder)
        # The photo news is the 1st photo of the issue in text order, the paddy field the 2nd.
        self.assertEqual(hashes["photos/118-1.jpg"], sha(self.jpeg))
        self.assertEqual(hashes["photos/118-2.png"], sha(self.png))
        text = (folder / "118.md").read_text("utf-8")
        self.assertIn(f"第1版\n\n![](photos/118-1.jpg)\n{CAPTION}", text)
        self.assertIn("![](photos/118-2.png)\n稻田收割忙。 记者 丁小勇 摄", text)

        before = dump_tables()
        with mock.patch.object(
            renditions, "make_renditions", wraps=renditions.make_renditions
        ) as rendered:
            again = self.import_(archive, verbosity=2)
        self.assertIn("unchanged", again.stdout)
        self.assertEqual(dump_tables(), before)
        self.assertEqual(rendered.call_count, 0)

        # And the export of what was read back is the same archive, byte for byte.
        second = Path(self.enterContext(tempfile.TemporaryDirectory()))
        run("export_issues", second)
        self.assertEqual(folder_hashes(second / "jinriluotang"), hashes)

    def test_the_exported_archive_imports_into_an_empty_database_as_the_same_issue(self):
        self.import_()
        archive = Path(self.enterContext(tempfile.TemporaryDirectory()))
        run("export_issues", archive)
        json_before = run("export_issue", 118, format="json").stdout
        Article.objects.all().delete()
        Issue.objects.all().delete()
        result = self.import_(archive)
        self.assertFalse(result.failed, result.stderr)
        self.assertEqual(run("export_issue", 118, format="json").stdout, json_before)
        images = {photo.renditions["sha256"] for photo in Photo.objects.all()}
        self.assertEqual(images, {sha(self.jpeg), sha(self.png)})

    def test_importing_the_same_files_again_renders_nothing(self):
        self.import_()
        before = dump_tables()
        with mock.patch.object(
            renditions, "make_renditions", wraps=renditions.make_renditions
        ) as rendered:
            result = self.import_(verbosity=2)
            self.assertIn("unchanged", result.stdout)
            self.assertEqual(dump_tables(), before)
            # A corrected text with the same pictures: the photos' rows are rebuilt, their
            # stored renditions reused.
            corrected = text_with_images().replace("稻田收割忙。", "稻田收割正忙。")
            write(self.folder, "118.md", corrected)
            result = self.import_(replace=True, verbosity=2)
            self.assertIn("replaced", result.stdout, result.stderr)
        self.assertEqual(rendered.call_count, 0)
        self.assertEqual(
            {photo.renditions["sha256"] for photo in Photo.objects.all()},
            {sha(self.jpeg), sha(self.png)},
        )

    def test_a_changed_picture_is_a_changed_issue(self):
        self.import_()
        other = samples.jpeg((1200, 800), quality=70)
        self.write_issue(self.folder, jpeg=other)
        refused = self.import_()
        self.assertTrue(refused.failed)
        self.assertIn("already exists with different content", refused.stderr)
        replaced = self.import_(replace=True)
        self.assertFalse(replaced.failed, replaced.stderr)
        self.assertEqual(self.photos()[CAPTION[:6]].renditions["sha256"], sha(other))

    def test_a_caption_without_its_image_line_is_a_changed_issue(self):
        self.import_()
        write(self.folder, "118.md", SAMPLE_TEXT)
        refused = self.import_()
        self.assertIn("already exists with different content", refused.stderr)

    def test_a_missing_or_bad_picture_refuses_the_whole_file_at_its_line(self):
        text = text_with_images()
        news_line = text[: text.index("![](photos/118-1.jpg)")].count("\n") + 1
        paddy_line = text[: text.index("![](photos/稻田.png)")].count("\n") + 1
        truncated = self.jpeg[: len(self.jpeg) // 2]
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        cases = {
            "missing": (None, news_line, "not found"),
            "truncated": (truncated, news_line, "refused"),
            "svg": (svg, news_line, "refused"),
            "bomb": (samples.png_bomb(), news_line, "refused"),
            "second of two": ("paddy", paddy_line, "refused"),
        }
        for what, (data, line, message) in cases.items():
            with self.subTest(what):
                folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
                path = self.write_issue(folder)
                if data is None:
                    (folder / "photos" / "118-1.jpg").unlink()
                elif data == "paddy":
                    (folder / "photos" / "稻田.png").write_bytes(b"GIF89a not really")
                else:
                    (folder / "photos" / "118-1.jpg").write_bytes(data)
                before = counts()
                result = self.import_(path)
                self.assertTrue(result.failed)
                self.assertIn(f"{path}:{line}: ", result.stderr)
                self.assertIn(message, result.stderr)
                self.assertEqual(counts(), before)
                self.assertEqual(stored_names(), [])  # no original, no rendition

    def test_a_picture_linked_from_outside_the_folder_is_refused(self):
        outside = Path(self.enterContext(tempfile.TemporaryDirectory())) / "secret.jpg"
        outside.write_bytes(self.jpeg)
        target = self.folder / "photos" / "118-1.jpg"
        target.unlink()
        os.symlink(outside, target)
        result = self.import_()
        self.assertIn("leads outside the issue's folder", result.stderr)
        self.assertEqual(Photo.objects.count(), 0)

    def test_a_dry_run_leaves_no_file(self):
        result = self.import_(dry_run=True)
        self.assertFalse(result.failed, result.stderr)
        self.assertEqual(Photo.objects.count(), 0)
        self.assertEqual(stored_names(), [])

    def test_a_failure_after_the_pictures_were_stored_leaves_none_of_them(self):
        with mock.patch(
            "backissues.loader.index_articles", side_effect=RuntimeError("index is down")
        ):
            result = self.import_()
        self.assertTrue(result.failed)
        self.assertEqual(Photo.objects.count(), 0)
        self.assertEqual(stored_names(), [])

    def test_export_issue_writes_the_pictures_beside_its_output_file(self):
        self.import_()
        out = Path(self.enterContext(tempfile.TemporaryDirectory())) / "one" / "118.md"
        result = run("export_issue", 118, output=str(out))
        self.assertFalse(result.failed, result.stderr)
        self.assertEqual(folder_hashes(out.parent)["photos/118-1.jpg"], sha(self.jpeg))
        printed = run("export_issue", 118)
        self.assertNotIn("![]", printed.stdout)
        self.assertIn("2 photos' images are not in the printed text", printed.stderr)
