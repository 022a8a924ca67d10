"""Layout's page plan (buttons, 下转N版, the masthead's 组版 credit), the monthly 稿费 report,
and `manage.py demo_staff`."""

import csv
import datetime
import io

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from articles.models import Article, Byline
from issues.models import Issue, LayoutCredit
from people.models import Person
from tests import factories

A = Article.Status


class PagePlanTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = factories.desk()

    def setUp(self):
        self.issue = factories.open_issue(pages=3, status=Issue.Status.IN_LAYOUT)
        self.page1, self.page2, self.page3 = self.issue.pages.order_by("number")
        self.url = reverse("admin:issues_issue_layout", args=[self.issue.pk])
        self.client.force_login(self.desk.layout)

    def test_the_board_shows_length_photos_and_state_of_each_story(self):
        waiting = factories.article(status=A.APPROVED, body="一二三四五\n六七八九十")
        factories.photo(article=waiting)
        factories.article(self.page1, status=A.PLACED, headline="缪杰明带队走访")
        response = self.client.get(self.url)
        self.assertContains(response, "10字 · 1幅图")
        self.assertContains(response, "已组版")
        self.assertContains(response, "放上第3版")

    def test_one_button_places_a_story_last_on_the_page(self):
        factories.article(self.page1, status=A.PLACED, order=4)
        story = factories.article(status=A.APPROVED, headline="罗塘街道开展消防演练")
        self.client.post(self.url, {"action": "place", "article": story.pk, "page": self.page1.pk})
        story.refresh_from_db()
        self.assertEqual((story.status, story.page, story.order), (A.PLACED, self.page1, 5))

    def test_up_and_down_swap_neighbours(self):
        first = factories.article(self.page1, status=A.PLACED, order=1, headline="甲")
        second = factories.article(self.page1, status=A.PLACED, order=2, headline="乙")
        self.client.post(self.url, {"action": "up", "article": second.pk})
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual((second.order, first.order), (1, 2))

    def test_a_story_jumps_to_another_page_and_back(self):
        story = factories.article(
            self.page1, status=A.PLACED, body="第一段文字。\n第二段文字。\n第三段文字。"
        )
        self.client.post(self.url, {"action": "jump", "article": story.pk, "page": self.page3.pk})
        story.refresh_from_db()
        self.assertEqual(story.pages, [1, 3])
        self.assertEqual(story.breaks, [6])  # at a paragraph end nearest the middle
        self.assertContains(self.client.get(self.url), "下转3版")
        self.client.post(self.url, {"action": "jump", "article": story.pk})
        story.refresh_from_db()
        self.assertEqual((story.pages, story.breaks), ([1], []))

    def test_layout_staff_credit_themselves_in_the_masthead(self):
        response = self.client.get(self.url)
        self.assertContains(response, "在报头署我的名（徐冬梅）")
        self.client.post(self.url, {"action": "credit"})
        self.client.post(self.url, {"action": "credit"})  # twice: once
        self.assertEqual(
            list(
                LayoutCredit.objects.filter(issue=self.issue).values_list("person__name", flat=True)
            ),
            ["徐冬梅"],
        )
        # Not once the issue is published: its masthead is then the printed record, which
        # only 责任编辑 corrects, with a public note (issue #10; tests/desk/test_issue_door.py).
        self.issue.status = Issue.Status.PUBLISHED
        self.issue.published_at = self.issue.updated_at
        self.issue.save()
        self.client.post(self.url, {"action": "uncredit", "person": self.desk.layout.person.pk})
        self.assertTrue(LayoutCredit.objects.exists())

    def test_only_layout_staff_change_the_plan_or_the_credit(self):
        story = factories.article(status=A.APPROVED)
        for role in ("correspondent", "editor", "chief"):
            with self.subTest(role=role):
                self.client.force_login(getattr(self.desk, role))
                self.client.post(self.url, {"action": "credit"})
                self.client.post(
                    self.url, {"action": "place", "article": story.pk, "page": self.page1.pk}
                )
                story.refresh_from_db()
                self.assertEqual(story.status, A.APPROVED)
                self.assertFalse(LayoutCredit.objects.exists())

    def test_bad_board_input_is_a_message(self):
        for garbage in (
            {"action": "jump", "article": "x"},
            {"action": "nonsense"},
            {"action": "up"},
        ):
            response = self.client.post(self.url, garbage, follow=True)
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, 'class="error"')


class MonthlyReportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = factories.desk()
        li = cls.desk.correspondent.person
        yu = factories.person("郁菲菲")
        issue = factories.issue(
            number=118, date=datetime.date(2024, 11, 28), pages=2, published=True
        )
        page1, page2 = issue.pages.order_by("number")
        factories.article(
            page1,
            body="一二三四五\n六七八九十",
            bylines=[(li, Byline.Role.CORRESPONDENT), (yu, Byline.Role.REPORTER)],
        )
        second = factories.article(page2, body="一二三", bylines=[(li, Byline.Role.CORRESPONDENT)])
        factories.photo(article=second, photographer=li)
        # Not counted: a draft, and an issue of another month.
        factories.article(body="草稿", bylines=[(li, Byline.Role.CORRESPONDENT)])
        december = factories.issue(number=119, date=datetime.date(2024, 12, 5), published=True)
        factories.article(december.pages.get(), bylines=[(li, Byline.Role.CORRESPONDENT)])

    def get(self, role="chief", **params):
        self.client.force_login(getattr(self.desk, role))
        return self.client.get(reverse("admin:issues_issue_report"), {"month": "2024-11", **params})

    def test_each_person_by_role_with_characters_per_issue_and_page(self):
        response = self.get()
        totals = [
            (line.person, line.role, line.articles, line.characters, line.photos)
            for line in response.context["totals"]
        ]
        self.assertEqual(
            totals,
            [
                ("李书翔", "摄影", 0, 0, 1),
                ("李书翔", "通讯员", 2, 13, 0),
                ("郁菲菲", "记者", 1, 10, 0),
            ],
        )
        detail = response.context["detail"]
        self.assertEqual(
            [(line.person, line.page, line.articles) for line in detail if line.articles],
            [("李书翔", "第1版", 1), ("李书翔", "第2版", 1), ("郁菲菲", "第1版", 1)],
        )
        self.assertContains(response, "下载CSV表格")

    def test_csv_has_a_bom_for_excel_and_xlsx_opens(self):
        response = self.get(format="csv")
        self.assertTrue(response.content.startswith("\ufeff".encode()))
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0], ["人员", "身份", "期", "版面", "稿件", "字数", "图片"])
        self.assertIn("李书翔", rows[1][0])
        response = self.get(format="xlsx")
        book = load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["汇总", "按期次和版面"])
        self.assertEqual(book["汇总"]["A2"].value, "李书翔")

    def test_correspondents_and_layout_cannot_read_the_report(self):
        for role in ("correspondent", "layout"):
            with self.subTest(role=role):
                self.assertEqual(self.get(role).status_code, 403)

    def test_a_bad_month_is_a_form_error(self):
        response = self.get(month="2024-13")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "errorlist")


class DemoStaffTests(TestCase):
    @override_settings(DEBUG=False)
    def test_refuses_when_debug_is_off(self):
        with self.assertRaisesMessage(CommandError, "DJANGO_DEBUG"):
            call_command("demo_staff", stdout=io.StringIO())
        self.assertFalse(get_user_model().objects.exists())

    @override_settings(DEBUG=True)
    def test_one_login_a_group_linked_to_the_samples_people_passwords_printed_once(self):
        li = Person.objects.create(name="李书翔")
        out = io.StringIO()
        call_command("demo_staff", stdout=out)
        users = get_user_model().objects.filter(is_staff=True)
        self.assertEqual(users.count(), 4)
        tongxun = users.get(username="tongxun")
        self.assertEqual(tongxun.person, li)
        self.assertEqual(list(tongxun.groups.values_list("name", flat=True)), ["通讯员"])
        line = next(row for row in out.getvalue().splitlines() if row.startswith("通讯员"))
        password = line.split("\t")[3]
        self.assertTrue(tongxun.check_password(password))
        again = io.StringIO()
        call_command("demo_staff", stdout=again)
        self.assertNotIn(password, again.getvalue())
        self.assertEqual(get_user_model().objects.count(), 4)
        tongxun.refresh_from_db()
        self.assertTrue(tongxun.check_password(password))
