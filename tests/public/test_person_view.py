"""A person page: what they wrote, photographed, edited or laid out, newest first."""

import datetime
import re

from django.test import TestCase
from django.urls import reverse

from articles.models import Byline
from public.person_views import Section
from tests import factories
from tests.sample_site import build


class PersonViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = build()

    def test_lists_bylines_by_role_newest_first(self):
        li = self.site["first"].bylines.get().person
        response = self.client.get(li.get_absolute_url())
        html = response.content.decode()
        self.assertContains(response, '<h2 id="role-correspondent">通讯员</h2>', html=True)
        self.assertContains(
            response, '<h2 id="role-special_correspondent">特约记者</h2>', html=True
        )
        # Issue 118 (28 Nov) before issue 117 (14 Nov).
        self.assertLess(html.index("部署当前重点工作"), html.index("消防安全大检查"))

    def test_unpublished_work_is_absent_for_readers(self):
        response = self.client.get(self.site["yang"].get_absolute_url())
        self.assertContains(response, "缪杰明带队走访辖区企业")
        self.assertNotContains(response, "尚未签发的稿件")

    def test_editor_and_layout_and_photographer_sections(self):
        yu = self.site["issue"].responsible_editor
        response = self.client.get(yu.get_absolute_url())
        self.assertContains(response, "责任编辑")
        self.assertContains(response, "总第118期")
        self.assertNotContains(response, "总第119期")
        ding = self.site["jump"].photos.get().photographer
        response = self.client.get(ding.get_absolute_url())
        self.assertContains(response, '<h2 id="role-photos">摄影</h2>', html=True)
        self.assertContains(response, self.site["jump"].get_absolute_url())

    def test_person_with_only_unpublished_work_is_a_404_for_readers(self):
        hidden = factories.person("周末")
        factories.article(
            self.site["unsigned"].pages.get(),
            headline="另一篇未签发",
            status="placed",
            bylines=[(hidden, Byline.Role.REPORTER)],
        )
        self.assertEqual(self.client.get(hidden.get_absolute_url()).status_code, 404)
        self.client.force_login(factories.user("editor"))
        self.assertContains(self.client.get(hidden.get_absolute_url()), "另一篇未签发")


class PersonSectionTests(TestCase):
    """A busy reporter: 45 published stories over 45 weekly issues, one more in an issue not
    yet signed off and one placed but unpublished; only 20 fit on the person page."""

    @classmethod
    def setUpTestData(cls):
        cls.zhou = factories.person("周立新")
        reporter = [(cls.zhou, Byline.Role.REPORTER)]
        for week in range(45):
            issue = factories.issue(
                number=2001 + week,
                number_in_year=week + 1,
                date=datetime.date(2019, 1, 3) + datetime.timedelta(days=7 * week),
                published=True,
            )
            factories.article(issue.pages.get(), headline=f"罗塘快讯{week:02d}号", bylines=reporter)
        cls.placed = factories.article(
            issue.pages.get(),
            headline="排好未签发的稿件",
            status="placed",
            order=1,
            bylines=reporter,
        )
        unsigned = factories.issue(number=2046, date=datetime.date(2019, 12, 26))
        factories.article(unsigned.pages.get(), headline="未签发一期的稿件", bylines=reporter)
        cls.section_url = reverse(
            "people:section", kwargs={"pk": cls.zhou.pk, "section": "reporter"}
        )

    def headlines(self, response):
        return re.findall(r"罗塘快讯(\d\d)号", response.content.decode())

    def test_person_page_shows_the_newest_twenty_and_the_total(self):
        response = self.client.get(self.zhou.get_absolute_url())
        self.assertEqual(self.headlines(response), [f"{week:02d}" for week in range(44, 24, -1)])
        self.assertContains(response, "共 45 篇")
        self.assertContains(response, f'<a href="{self.section_url}">查看全部')

    def test_section_pages_list_everything_newest_first(self):
        pages = [self.client.get(self.section_url, {"page": n}) for n in (1, 2, 3)]
        listed = [self.headlines(response) for response in pages]
        self.assertEqual([len(headlines) for headlines in listed], [20, 20, 5])
        weeks = [int(week) for headlines in listed for week in headlines]
        self.assertEqual(weeks, list(range(44, -1, -1)))
        self.assertContains(pages[0], "共 45 篇")
        self.assertContains(pages[0], '<a rel="next" href="?page=2">较早 ›</a>', html=True)
        self.assertNotContains(pages[0], 'rel="prev"')
        self.assertContains(pages[2], '<a rel="prev" href="?page=2">‹ 较新</a>', html=True)
        self.assertNotContains(pages[2], 'rel="next"')
        # Without ?page= it is page 1.
        self.assertEqual(self.headlines(self.client.get(self.section_url)), listed[0])

    def test_unpublished_work_is_neither_counted_nor_listed_for_readers(self):
        pages = [self.client.get(self.zhou.get_absolute_url())]
        pages += [self.client.get(self.section_url, {"page": n}) for n in (1, 2, 3)]
        for response in pages:
            self.assertNotContains(response, "未签发")
            self.assertNotContains(response, "共 46 篇")
            self.assertNotContains(response, "共 47 篇")

    def test_staff_preview_counts_and_lists_placed_work(self):
        self.client.force_login(factories.user("editor"))
        response = self.client.get(self.zhou.get_absolute_url())
        self.assertContains(response, "共 47 篇")
        self.assertContains(response, "未签发一期的稿件")
        # The two previews are the newest, so they push seven published stories to page 3.
        page_3 = self.client.get(self.section_url, {"page": 3})
        self.assertEqual(self.headlines(page_3), [f"{week:02d}" for week in range(6, -1, -1)])
        self.assertContains(page_3, "共 47 篇")

    def test_bad_section_or_page_is_a_404(self):
        bad = [
            (self.section_url, {"page": page})
            for page in ("0", "-1", "4", "abc", "1.5", "", "9" * 40)
        ]
        for section in ("nonsense", "photos", "responsible-editor", "layout", "editor"):
            url = reverse("people:section", kwargs={"pk": self.zhou.pk, "section": section})
            bad.append((url, {}))
        bad.append((reverse("people:section", kwargs={"pk": 999999, "section": "reporter"}), {}))
        for url, params in bad:
            with self.subTest(url=url, params=params):
                self.assertEqual(self.client.get(url, params).status_code, 404)


class SmallSectionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = build()

    def test_a_short_section_shows_its_total_without_a_link(self):
        yang = self.site["yang"]
        response = self.client.get(yang.get_absolute_url())
        self.assertContains(response, "共 2 篇")
        self.assertNotContains(response, "查看全部")

    def test_issue_and_photo_sections_page_by_page(self):
        yu = self.site["issue"].responsible_editor
        url = reverse("people:section", kwargs={"pk": yu.pk, "section": "responsible-editor"})
        response = self.client.get(url)
        self.assertContains(response, "共 2 期")
        html = response.content.decode()
        self.assertLess(html.index("总第118期"), html.index("总第117期"))
        self.assertNotContains(response, "总第119期")
        ding = self.site["jump"].photos.get().photographer
        url = reverse("people:section", kwargs={"pk": ding.pk, "section": "photos"})
        self.assertContains(self.client.get(url), self.site["jump"].get_absolute_url())

    def test_totals_are_grouped_by_thousands(self):
        # zh-hans number formats do not group, and 共 1234 篇 reads worse than 共 1,234 篇.
        section = Section("reporter", "记者", "articles", [], 1234)
        self.assertEqual(section.shown_total, "1,234")
