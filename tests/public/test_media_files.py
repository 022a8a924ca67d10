"""Media as production serves it (DEBUG off, files on disk): every file a reader's page links
to answers 200 with its type, `nosniff` and a year of cache when its name is its hash; the
desk's scans only as far as their page is visible; photo originals (EXIF, GPS) to staff only;
anything that is not an image or a PDF as a download; unknown names and traversal a 404."""

import io
import re
import tempfile
from urllib.parse import unquote

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import TestCase, override_settings

from articles import photos
from articles.models import Photo
from issues.models import Issue, Page
from public.caching import invalidate_public_pages
from public.media import IMMUTABLE, content_type
from tests import factories
from tests.backissues.importing import run
from tests.backissues.test_import_bundles import BUNDLE
from tests.imaging import samples

MEDIA = tempfile.mkdtemp(prefix="newsroom-test-media-i11-")
ISSUE_URL = "/jinriluotang/issues/118/"
PAGE_URL = "/jinriluotang/issues/118/pages/1/"
MEDIA_LINK = re.compile(r'(?:src|href)="(/media/[^"]+)"|(/media/[^\s",]+) \d+w')


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def media_links(html: str) -> set[str]:
    return {unquote(a or b) for a, b in MEDIA_LINK.findall(html)}


@override_settings(MEDIA_ROOT=MEDIA, DEBUG=False, PUBLIC_PAGE_LOCAL_SECONDS=0)
class ReaderMediaTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        result = run("import_issues", BUNDLE, no_prerender=True)
        assert not result.failed, result.stderr
        cls.page = Page.objects.get(number=1)
        cls.article = factories.article(cls.page, headline="稻田收割忙")
        cls.photo = Photo(article=cls.article, caption="农民在田间收割水稻。")
        photos.attach_image(cls.photo, io.BytesIO(samples.jpeg((1200, 900))), name="稻田.jpg")
        cls.photo.save()

    def assert_served_for_a_year(self, url, media_type):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        self.assertEqual(response["Content-Type"], media_type, url)
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Cache-Control"], IMMUTABLE)
        self.assertNotIn("attachment", response.get("Content-Disposition", ""))
        data = body(response)
        with default_storage.open(url.removeprefix("/media/"), "rb") as stored:
            self.assertEqual(data, stored.read())
        return response

    def test_every_media_file_the_printed_page_links_to_is_served(self):
        html = self.client.get(PAGE_URL).content.decode()
        links = media_links(html)
        renditions = [r["name"] for r in self.page.renditions["renditions"]]
        thumbnail = self.page.renditions["thumbnail"]["name"]
        self.assertLessEqual({f"/media/{name}" for name in [*renditions, thumbnail]}, links)
        for url in links:
            self.assert_served_for_a_year(url, content_type(url)[0])

    def test_the_issue_page_and_the_article_page_link_only_to_files_that_are_served(self):
        for url in (ISSUE_URL, self.article.get_absolute_url()):
            links = media_links(self.client.get(url).content.decode())
            self.assertTrue(links, url)
            for link in links:
                response = self.client.get(link)
                self.assertEqual(response.status_code, 200, link)
                self.assertTrue(response["Content-Type"].startswith("image/"), link)
                self.assertEqual(response["Cache-Control"], IMMUTABLE)

    def test_photo_renditions_are_served_and_the_original_is_not(self):
        for entry in self.photo.renditions["renditions"]:
            media_type = "image/webp" if entry["name"].endswith(".webp") else "image/jpeg"
            self.assert_served_for_a_year(f"/media/{entry['name']}", media_type)
        original = f"/media/{self.photo.image.name}"
        self.assertTrue(self.photo.image.name.startswith("photos/"))
        self.assertTrue(default_storage.exists(self.photo.image.name))
        self.assertEqual(self.client.get(original).status_code, 404)
        html = self.client.get(self.article.get_absolute_url()).content.decode()
        self.assertNotIn("/media/photos/", html)

    def test_page_and_issue_pdfs_are_served_inline_by_their_views_and_their_stored_names(self):
        page_pdf = self.client.get("/jinriluotang/issues/118/pages/1.pdf")
        self.assertEqual(page_pdf.status_code, 200)
        self.assertEqual(page_pdf["Content-Type"], "application/pdf")
        self.assertEqual(page_pdf["X-Content-Type-Options"], "nosniff")
        self.assertEqual(body(page_pdf), (BUNDLE / "pages" / "1.pdf").read_bytes())
        issue_pdf = self.client.get("/jinriluotang/issues/118.pdf")
        self.assertEqual(issue_pdf.status_code, 200)
        self.assertTrue(body(issue_pdf).startswith(b"%PDF"))
        # The files behind them, by their content-addressed names.
        self.assertRegex(self.page.scan.name, r"^pages/[0-9a-f]{2}/[0-9a-f]{64}\.pdf$")
        self.assert_served_for_a_year(self.page.scan.url, "application/pdf")
        (folder,), _ = default_storage.listdir("issues")
        _, (merged,) = default_storage.listdir(f"issues/{folder}")
        self.assert_served_for_a_year(f"/media/issues/{folder}/{merged}", "application/pdf")

    def test_a_content_addressed_file_answers_a_conditional_request_with_304(self):
        url = f"/media/{self.page.renditions['thumbnail']['name']}"
        first = self.client.get(url)
        again = self.client.get(url, headers={"if-none-match": first["ETag"]})
        self.assertEqual(again.status_code, 304)
        self.assertEqual(self.client.head(url).status_code, 200)
        self.assertEqual(self.client.post(url).status_code, 405)

    def test_a_desk_scan_is_served_as_far_as_its_page_is_visible(self):
        page = Page.objects.create(issue=self.page.issue, number=2)
        name = default_storage.save("scans/2026/第2版.jpg", ContentFile(samples.jpeg((300, 400))))
        Page.objects.filter(pk=page.pk).update(scan=name)
        url = default_storage.url(name)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/jpeg")
        self.assertEqual(response["Cache-Control"], "public, max-age=86400")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        # The scan of an issue not yet published: staff see it, nobody caches it.
        Issue.objects.update(status=Issue.Status.READY, published_at=None)
        invalidate_public_pages()
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(factories.user("zuban", groups=["组版"]))
        staff = self.client.get(url)
        self.assertEqual(staff.status_code, 200)
        self.assertEqual(staff["Cache-Control"], "private, no-store")
        # A file in scans/ that is no page's scan is nobody's.
        other = default_storage.save("scans/2026/other.jpg", ContentFile(samples.jpeg()))
        self.assertEqual(self.client.get(default_storage.url(other)).status_code, 404)

    def test_a_scan_that_is_not_an_image_or_a_pdf_is_only_ever_a_download(self):
        for filename, data in [
            ("notes.html", b"<script>alert(1)</script>"),
            ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ]:
            name = default_storage.save(f"scans/2026/{filename}", ContentFile(data))
            Page.objects.filter(pk=self.page.pk).update(scan=name)
            response = self.client.get(default_storage.url(name))
            self.assertEqual(response.status_code, 200, filename)
            self.assertEqual(response["Content-Type"], "application/octet-stream")
            self.assertEqual(response["Content-Disposition"], "attachment")
            self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_photo_originals_are_for_staff_who_may_see_photos_only(self):
        url = self.photo.image.url
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(factories.user("nobody-in-particular"))  # staff, no group
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(factories.user("bianji", groups=["编辑"]))
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], "private, no-store")
        self.assertEqual(response["Content-Type"], "image/jpeg")
        # An original imported with a back issue is stored by its hash: staff only too.
        imported = default_storage.save(f"photos/ab/{'ab' * 32}.jpg", ContentFile(samples.jpeg()))
        Photo.objects.filter(pk=self.photo.pk).update(image=imported)
        self.assertEqual(self.client.get(default_storage.url(imported)).status_code, 200)
        self.client.logout()
        self.assertEqual(self.client.get(default_storage.url(imported)).status_code, 404)
        self.client.force_login(factories.user("zuban", groups=["组版"]))
        # Even staff get only the files that are a photo's.
        stray = default_storage.save("photos/2026/stray.jpg", ContentFile(samples.jpeg()))
        self.assertEqual(self.client.get(default_storage.url(stray)).status_code, 404)

    def test_unknown_names_and_traversal_are_404_never_500(self):
        thumb = self.page.renditions["thumbnail"]["name"]
        base = thumb.removesuffix("-thumb.webp")
        rendition_folder = self.photo.renditions["renditions"][0]["name"].rsplit("/", 1)[0]
        self.client.force_login(factories.user("zeren", groups=["责任编辑"]))
        for url in [
            "/media/",
            "/media/renditions/../photos/2026/a.jpg",
            f"/media/{rendition_folder}/manifest.json",
            f"/media/{base}.sizes",
            f"/media/{base}-thumb.webp.html",
            f"/media/{base.replace('pages/', 'pages/../photos/')}.pdf",
            "/media/pages/00/" + "0" * 64 + "-800.webp",  # the right shape, no such file
            "/media/issues/00/" + "0" * 64 + ".pdf",
            "/media/scans/2026/..",
            "/media/scans/2026/%00.pdf",
            "/media/scans/2026/..%2f..%2fsettings.py",
            "/media/photos/2026/%2e%2e",
            "/media/photos/2026/" + "a" * 300 + ".jpg",
            "/media/%2e%2e/%2e%2e/etc/passwd",
            "/media//etc/passwd",
            "/media/db.sqlite3",
            "/media/manifest.json",
        ]:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 404, url)
