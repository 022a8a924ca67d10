"""The printed page on the web (数字报): the page image with a link per article region, the
版面导航 thumbnails, and the search hits of ?q= marked on the image."""

import io
import re
import tempfile
from unittest import mock
from urllib.parse import quote

from django.test import TestCase, override_settings
from pypdf import PdfReader

from articles.models import Article, Region
from articles.templatetags.newsroom import display
from issues.models import Issue, Page
from public.caching import invalidate_public_pages
from public.prerender import issue_urls, render_into_cache
from tests.backissues.importing import run
from tests.backissues.test_import_bundles import BUNDLE

MEDIA = tempfile.mkdtemp(prefix="newsroom-test-media-13p-")
PAGE_URL = "/jinriluotang/issues/118/pages/1/"


@override_settings(MEDIA_ROOT=MEDIA)
class PrintedPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        result = run("import_issues", BUNDLE, no_prerender=True)
        assert not result.failed, result.stderr

    def test_the_page_leads_with_its_image_at_every_width_without_layout_shift(self):
        html = self.client.get(PAGE_URL).content.decode()
        image = re.search(r'<img src="([^"]+-800\.webp)" srcset="([^"]+)"[^>]*>', html)
        self.assertIsNotNone(image, html[:3000])
        self.assertEqual(re.findall(r" (\d+)w", image.group(2)), ["800", "1600", "2400"])
        self.assertIn('width="800" height="1132"', image.group(0))
        self.assertLess(html.index("page-image"), html.index('class="page-article"'))

    def test_each_article_region_is_a_link_named_by_its_headline(self):
        html = self.client.get(PAGE_URL).content.decode()
        links = re.findall(r'<a class="region" href="([^"]+)" aria-label="([^"]+)">', html)
        articles = Article.objects.filter(page__number=1).order_by("order")
        self.assertEqual(
            links,
            [(article.get_absolute_url(), display(article.headline)) for article in articles],
        )
        # Each link draws its rectangles, in the 0..10000 square of the overlay.
        region = Region.objects.get(article=articles[0])
        x0, y0, x1, y1 = region.boxes[0]
        self.assertIn(
            f'<rect x="{round(x0 * 10000)}" y="{round(y0 * 10000)}" '
            f'width="{round((x1 - x0) * 10000)}"',
            html,
        )

    def test_an_unpublished_article_has_no_region_link(self):
        article = Article.objects.get(page__number=1, order=0)
        Article.objects.filter(pk=article.pk).update(status=Article.Status.PLACED)

        invalidate_public_pages()
        html = self.client.get(PAGE_URL).content.decode()
        self.assertNotIn(f'href="{article.get_absolute_url()}" aria-label', html)
        self.assertEqual(html.count('<a class="region"'), 4)

    def test_the_page_navigation_shows_thumbnails_on_the_issue_and_the_page(self):
        page = Page.objects.get(number=1)
        thumb = page.renditions["thumbnail"]["name"]
        for url in ("/jinriluotang/issues/118/", PAGE_URL):
            html = self.client.get(url).content.decode()
            nav = html[html.index('class="page-nav"') :]
            nav = nav[: nav.index("</nav>")]
            self.assertIn(f'<img src="/media/{thumb}" width="240" height="340" alt=""', nav)
            self.assertIn("第1版", nav)

    def test_the_query_marks_every_hit_on_the_image(self):
        response = self.client.get(PAGE_URL, {"q": "缪杰明"})
        html = response.content.decode()
        hits = re.findall(r'<rect class="hit" id="hit-(\d+)"', html)
        self.assertGreaterEqual(len(hits), 5)
        self.assertEqual(hits[0], "1")
        body = "".join(Article.objects.values_list("headline", "body").order_by().first())
        self.assertIn("缪杰明", body)
        # Half-width and full-width forms are one query.
        wide = self.client.get(PAGE_URL, {"q": "罗塘街道（高新区）"}).content.decode()
        self.assertIn('class="hit" id="hit-1"', wide)

    def test_a_hit_over_a_line_break_is_one_hit_with_a_box_on_each_line(self):
        # Printed as "…11月21日,罗塘" / "街道(高新区)召开书记办公会…": one occurrence, two lines.
        query = "罗塘街道(高新区)召开"
        html = self.client.get(PAGE_URL, {"q": query}).content.decode()
        rects = re.findall(r'<rect class="hit"( id="hit-\d+")? y?', html)
        self.assertEqual(len(rects), 2)
        self.assertEqual(re.findall(r'class="hit" id="(hit-\d+)"', html), ["hit-1"])
        self.assertIn(f"本版标出“{query}”1处", html)
        data = self.client.get(PAGE_URL + "words.json", {"q": query}).json()
        self.assertEqual((data["count"], len(data["hits"])), (1, 2))
        (first_line, second_line) = data["hits"]
        self.assertLess(first_line[1], second_line[1])  # the second box is on the next line

    def test_the_hit_count_counts_every_occurrence_once(self):
        page = Page.objects.get(number=1)
        printed = "".join(word[0] for word in page.words)
        expected = printed.count("缪杰明")
        html = self.client.get(PAGE_URL, {"q": "缪杰明"}).content.decode()
        self.assertEqual(len(re.findall(r'class="hit" id="hit-', html)), expected)
        self.assertIn(f"本版标出“缪杰明”{expected}处", html)
        data = self.client.get(PAGE_URL + "words.json", {"q": "缪杰明"}).json()
        self.assertEqual(data["count"], expected)

    def test_no_query_no_hits_and_a_query_of_nothing_printed_none(self):
        self.assertNotIn('class="hit"', self.client.get(PAGE_URL).content.decode())
        html = self.client.get(PAGE_URL, {"q": "不存在的词语"}).content.decode()
        self.assertNotIn('class="hit"', html)

    def test_a_page_without_images_has_no_viewer(self):
        Page.objects.filter(number=1).update(renditions={})

        invalidate_public_pages()
        html = self.client.get(PAGE_URL).content.decode()
        self.assertNotIn('class="page-viewer"', html)
        self.assertIn('class="page-article"', html)

    def test_the_page_pdf_downloads_with_a_chinese_file_name_and_long_cache(self):
        response = self.client.get("/jinriluotang/issues/118/pages/1.pdf")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        data = b"".join(response.streaming_content)
        self.assertEqual(data, (BUNDLE / "pages" / "1.pdf").read_bytes())
        self.assertEqual(
            response["Content-Disposition"],
            "inline; filename*=utf-8''" + quote("今日罗塘-总第118期-第1版.pdf"),
        )
        self.assertIn("max-age=2592000", response["Cache-Control"])
        again = self.client.get(
            "/jinriluotang/issues/118/pages/1.pdf", headers={"if-none-match": response["ETag"]}
        )
        self.assertEqual(again.status_code, 304)

    def test_the_issue_pdf_is_merged_once_and_kept_until_a_page_changes(self):
        url = "/jinriluotang/issues/118.pdf"
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
        self.assertEqual(len(reader.pages), 1)
        self.assertIn("罗塘", reader.pages[0].extract_text())
        self.assertEqual(
            response["Content-Disposition"],
            "inline; filename*=utf-8''" + quote("今日罗塘-总第118期.pdf"),
        )
        with mock.patch("public.pdf_views.merge_pages", side_effect=AssertionError("merged")):
            self.assertEqual(self.client.get(url).status_code, 200)
        # A page that changes gives another file (another name: the pages' hashes).
        Page.objects.filter(number=1).update(scan="pages/other.pdf")
        with mock.patch("public.pdf_views.merge_pages", return_value=b"%PDF-1.4 new") as merge:
            fresh = self.client.get(url)
        merge.assert_called_once()
        self.assertNotEqual(fresh["ETag"], response["ETag"])

    def test_pdfs_of_an_unpublished_issue_are_not_public(self):
        Issue.objects.update(status=Issue.Status.READY, published_at=None)
        for url in ("/jinriluotang/issues/118/pages/1.pdf", "/jinriluotang/issues/118.pdf"):
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_a_page_without_a_pdf_has_no_pdf(self):
        self.assertEqual(self.client.get("/jinriluotang/issues/118/pages/2.pdf").status_code, 404)
        Page.objects.update(scan="")
        self.assertEqual(self.client.get("/jinriluotang/issues/118.pdf").status_code, 404)

    def test_words_json_gives_the_hit_boxes_of_the_query(self):
        url = "/jinriluotang/issues/118/pages/1/words.json"
        data = self.client.get(url, {"q": "缪杰明"}).json()
        self.assertEqual(data["q"], "缪杰明")
        self.assertGreaterEqual(len(data["hits"]), 5)
        for x0, y0, x1, y1 in data["hits"]:
            self.assertTrue(0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1)
        html = self.client.get(PAGE_URL, {"q": "缪杰明"}).content.decode()
        self.assertEqual(len(re.findall(r'class="hit"', html)), len(data["hits"]))
        self.assertEqual(self.client.get(url).json()["hits"], [])
        Issue.objects.update(status=Issue.Status.READY, published_at=None)
        self.assertEqual(self.client.get(url, {"q": "缪杰明"}).status_code, 404)

    def test_a_search_result_links_to_its_page_with_the_query_and_the_first_hit(self):
        html = self.client.get("/search/", {"q": "缪杰明"}).content.decode()
        self.assertIn(f'href="{PAGE_URL}?q=%E7%BC%AA%E6%9D%B0%E6%98%8E#hit-1"', html)

    def test_prerendering_the_issue_builds_its_pdf(self):
        issue = Issue.objects.get(number=118)
        paths = issue_urls(issue)
        self.assertIn("/jinriluotang/issues/118.pdf", paths)
        self.assertIn(PAGE_URL, paths)
        statuses = render_into_cache(["/jinriluotang/issues/118.pdf"])
        self.assertEqual(set(statuses.values()), {200})
        # The reader's request finds it built.
        with mock.patch("public.pdf_views.merge_pages", side_effect=AssertionError("merged")):
            self.assertEqual(self.client.get("/jinriluotang/issues/118.pdf").status_code, 200)
