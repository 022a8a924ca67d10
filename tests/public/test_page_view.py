"""A page (版面): its articles in order, their text on this page, jumps, photos, scan."""

from django.core.files.base import ContentFile
from django.test import TestCase, override_settings

from tests import factories
from tests.imaging import samples
from tests.sample_site import build


class PageViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = build()
        cls.pages = cls.site["pages"]

    def test_articles_in_order_with_their_text_on_this_page_and_jump_link(self):
        response = self.client.get(self.pages[1].get_absolute_url())
        html = response.content.decode()
        main = html[html.index("<main") :]
        self.assertLess(main.index("部署当前重点工作"), main.index("网格化治理"))
        self.assertLess(main.index("网格化治理"), main.index("缪杰明带队走访辖区企业"))
        self.assertIn("健全重点项目、", html)
        # The text after the jump is on page 3, not here.
        self.assertNotIn("重点企业挂钩服务机制", html)
        self.assertInHTML(
            f'<a class="jump" href="{self.pages[3].get_absolute_url()}">'
            '<span class="jump-text">（下转3版）</span></a>',
            html,
        )
        self.assertContains(response, "图片新闻")

    def test_continued_page_shows_the_rest_with_a_link_back(self):
        response = self.client.get(self.pages[3].get_absolute_url())
        self.assertContains(response, "重点企业挂钩服务机制")
        self.assertNotContains(response, "健全重点项目、")
        self.assertInHTML(
            f'<a class="jump" href="{self.pages[1].get_absolute_url()}">'
            '<span class="jump-text">（上接1版）</span></a>',
            response.content.decode(),
        )

    def test_page_navigation_lists_every_page_of_the_issue(self):
        response = self.client.get(self.pages[2].get_absolute_url())
        for number in (1, 3, 4):
            self.assertContains(response, self.pages[number].get_absolute_url())
        self.assertContains(response, '<span aria-current="page">第2版 综合</span>', html=True)
        self.assertContains(
            response, f'<a href="{self.pages[1].get_absolute_url()}">第1版 要闻</a>', html=True
        )

    def test_page_of_an_unpublished_issue_is_a_404_for_readers(self):
        page = self.site["unsigned"].pages.get()
        self.assertEqual(self.client.get(page.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.get("/jinriluotang/issues/118/pages/9/").status_code, 404)

    def test_staff_preview_an_unpublished_page(self):
        self.client.force_login(factories.user("xudongmei"))
        response = self.client.get(self.site["unsigned"].pages.get().get_absolute_url())
        self.assertContains(response, "预览：本期尚未签发")

    @override_settings(MEDIA_ROOT="/tmp/newsroom-test-media")
    def test_printed_scan_is_linked_when_there_is_one(self):
        page = self.pages[4]
        page.scan.save("p4.pdf", ContentFile(b"%PDF-1.4"), save=True)
        response = self.client.get(page.get_absolute_url())
        # A PDF is served under the page's own URL, with its Chinese file name (issue 13).
        self.assertContains(response, '<a href="/jinriluotang/issues/118/pages/4.pdf"')
        self.assertContains(response, "本版PDF")
        self.assertContains(response, '<a href="/jinriluotang/issues/118.pdf"')
        self.assertNotContains(response, '<img src="' + page.scan.url)

    @override_settings(MEDIA_ROOT="/tmp/newsroom-test-media")
    def test_image_scan_is_shown_small_inside_its_link(self):
        page = self.pages[2]
        png = samples.encode(samples.scene((300, 420)), "PNG")
        page.scan.save("p2.png", ContentFile(png), save=True)
        response = self.client.get(page.get_absolute_url())
        self.assertContains(
            response,
            f'<img src="{page.scan.url}" width="300" height="420" alt="" loading="lazy">',
        )

    def test_an_unreadable_image_scan_is_only_a_link(self):
        # No size to give its <img>: the link alone, rather than a page that shifts.
        page = self.pages[2]
        page.scan.save("p2.png", ContentFile(b"\x89PNG"), save=True)
        response = self.client.get(page.get_absolute_url())
        self.assertContains(response, f'<a href="{page.scan.url}">')
        self.assertNotContains(response, f'<img src="{page.scan.url}"')


class JumpToMissingPageTests(TestCase):
    def test_jump_to_a_page_not_in_the_issue_is_plain_text(self):
        issue = factories.issue(number=118, published=True, pages=1)
        article = factories.article(issue.pages.get(), body="一段。\n二段")
        article.pages = [1, 3]
        article.save()
        response = self.client.get(article.get_absolute_url())
        # The article reads whole and says that page 3 is not here.
        self.assertInHTML(
            '<p class="jump-marker">本文转第3版<span class="jump-missing">（第3版未收录）</span></p>',
            response.content.decode(),
        )
        self.assertNotContains(response, 'class="jump"')
        # So does its page, at the printed jump.
        response = self.client.get(issue.pages.get().get_absolute_url())
        self.assertInHTML(
            '<span class="jump-text">（下转3版）</span><span class="jump-missing">（第3版未收录）</span>',
            response.content.decode(),
        )
