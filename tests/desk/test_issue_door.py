"""A published issue's pages, number, date, masthead and staff (issue #10, found 2).

Pages of a published issue are refused for everyone; its number and date never change; its
masthead and staff change only by a correction of the responsible editor, with a note shown on
the issue page. Before publication every change is logged on the issue's timeline."""

from django.urls import reverse

from articles.models import Article
from desk.models import Transition
from issues.models import Issue, IssueCorrection, LayoutCredit, Page
from tests import factories
from tests.desk.doors import DoorTestCase, form_values

A = Article.Status


class IssueDoorTests(DoorTestCase):
    def setUp(self):
        super().setUp()
        self.chief_person = self.desk.chief.person
        self.layout_person = self.desk.layout.person
        self.published = factories.issue(
            number=118,
            pages=2,
            published=True,
            responsible_editor=self.chief_person,
            layout=[self.layout_person],
        )
        self.page = self.published.pages.get(number=1)
        self.story = factories.article(self.page, headline="缪杰明带队走访辖区企业")
        factories.article(self.published.pages.get(number=2), headline="第二版稿件")
        self.open = factories.open_issue(number=119, pages=1, status=Issue.Status.IN_LAYOUT)

    def page_data(self, page, **changes):
        return {"issue": page.issue_id, "number": page.number, "name": page.name, **changes}

    def issue_form(self, issue):
        return form_values(self.client.get(reverse("admin:issues_issue_change", args=[issue.pk])))

    # Pages of a published issue.

    def test_layout_cannot_move_page_1_of_a_published_issue_to_another_issue(self):
        self.as_("layout")
        response = self.post(
            reverse("admin:issues_page_change", args=[self.page.pk]),
            self.page_data(self.page, issue=self.open.pk, number=2),
        )
        self.assertEqual(response.status_code, 403)
        self.page.refresh_from_db()
        self.assertEqual(self.page.issue, self.published)
        self.assertEqual(Article.objects.published().filter(pk=self.story.pk).count(), 1)

    def test_layout_cannot_add_or_rename_pages_of_a_published_issue(self):
        self.as_("layout")
        add = self.post(
            reverse("admin:issues_page_add"), self.page_data(Page(issue=self.published, number=3))
        )
        self.assertEqual(add.status_code, 302)
        self.assertFalse(self.published.pages.filter(number=3).exists())
        self.assertContains(self.client.get(add.url), "已签发")
        rename = self.post(
            reverse("admin:issues_page_change", args=[self.page.pk]),
            self.page_data(self.page, name="改名"),
        )
        self.assertEqual(rename.status_code, 403)
        self.page.refresh_from_db()
        self.assertEqual(self.page.name, "")
        self.assertFalse(Transition.objects.exists())

    def test_nobody_deletes_a_page_of_a_published_issue(self):
        empty = Page.objects.create(issue=self.published, number=3)
        for role in ("layout", "chief", "superuser"):
            with self.subTest(role=role):
                self.as_(role)
                single = self.post(
                    reverse("admin:issues_page_delete", args=[empty.pk]), {"post": "yes"}
                )
                bulk = self.post(
                    reverse("admin:issues_page_changelist"),
                    {"action": "delete_selected", "_selected_action": [empty.pk], "post": "yes"},
                )
                self.assertEqual(single.status_code, 403)
                self.assertIn(bulk.status_code, (200, 302, 403))  # 200: "you may not"
                self.assertTrue(Page.objects.filter(pk=empty.pk).exists())

    def test_the_issue_forms_page_rows_of_a_published_issue_are_read_only(self):
        self.as_("chief")
        data = self.issue_form(self.published)
        self.assertNotIn("pages-0-name", data)
        data.update({"pages-0-name": "要闻", "pages-0-id": self.page.pk, "pages-TOTAL_FORMS": 1})
        self.post(reverse("admin:issues_issue_change", args=[self.published.pk]), data)
        self.page.refresh_from_db()
        self.assertEqual(self.page.name, "")

    def test_layout_renames_and_adds_pages_of_an_open_issue_logged(self):
        page = self.open.pages.get()
        self.as_("layout")
        self.post(
            reverse("admin:issues_page_change", args=[page.pk]),
            self.page_data(page, name="要闻"),
        )
        self.post(reverse("admin:issues_page_add"), self.page_data(Page(issue=self.open, number=2)))
        page.refresh_from_db()
        self.assertEqual(page.name, "要闻")
        notes = list(
            Transition.objects.filter(issue=self.open, action="edit_page")
            .order_by("pk")
            .values_list("note", flat=True)
        )
        self.assertEqual(len(notes), 2)
        self.assertIn("第1版 要闻", notes[0])
        self.assertIn("第2版", notes[1])

    # The issue's own fields.

    def test_the_responsible_editor_cannot_renumber_or_redate_a_published_issue(self):
        self.as_("chief")
        data = self.issue_form(self.published)
        data.update({"number": "999", "date": "2030-01-01", "number_in_year": "99"})
        self.post(reverse("admin:issues_issue_change", args=[self.published.pk]), data)
        self.published.refresh_from_db()
        self.assertEqual(self.published.number, 118)
        self.assertEqual(self.client.get("/jinriluotang/issues/118/").status_code, 200)

    def test_a_published_masthead_changes_only_by_a_correction_with_a_note(self):
        self.as_("chief")
        url = reverse("admin:issues_issue_change", args=[self.published.pk])
        data = self.issue_form(self.published)
        data["sponsors"] = "姜堰区罗塘街道党工委"
        self.post(url, data)
        self.published.refresh_from_db()
        self.assertEqual(len(self.published.sponsors), 2)
        self.assertFalse(IssueCorrection.objects.exists())
        data["correction_note"] = "本期报头主办单位有误。"
        self.post(url, data)
        self.published.refresh_from_db()
        self.assertEqual(self.published.sponsors, ["姜堰区罗塘街道党工委"])
        self.assertEqual(IssueCorrection.objects.get().note, "本期报头主办单位有误。")
        entry = Transition.objects.get(issue=self.published)
        self.assertEqual((entry.action, entry.by), ("correct_issue", self.desk.chief))
        self.client.logout()
        self.assertContains(self.client.get("/jinriluotang/issues/118/"), "本期报头主办单位有误。")

    def test_a_published_layout_credit_is_corrected_once_with_the_masthead(self):
        right = factories.person("徐冬妹")
        self.as_("chief")
        data = self.issue_form(self.published)
        credit = self.published.layout_credits.get()
        data.update(
            {
                "layout_credits-0-person": right.pk,
                "submission_email": "luotang@example.cn",
                "correction_note": "组版人员姓名有误。",
            }
        )
        self.post(reverse("admin:issues_issue_change", args=[self.published.pk]), data)
        credit.refresh_from_db()
        self.assertEqual(credit.person, right)
        self.assertEqual(IssueCorrection.objects.count(), 1)
        self.assertEqual(
            Transition.objects.filter(issue=self.published, action="correct_issue").count(), 2
        )

    def test_layout_cannot_credit_itself_on_a_published_issue_from_the_board(self):
        newcomer = factories.person("新组版")
        self.as_("layout")
        self.post(
            reverse("admin:issues_issue_layout", args=[self.published.pk]),
            {"action": "credit", "person": newcomer.pk},
        )
        self.assertFalse(LayoutCredit.objects.filter(person=newcomer).exists())
        self.post(
            reverse("admin:issues_issue_layout", args=[self.open.pk]),
            {"action": "credit", "person": newcomer.pk},
        )
        self.assertTrue(LayoutCredit.objects.filter(person=newcomer, issue=self.open).exists())
        self.assertEqual(Transition.objects.get(issue=self.open).action, "edit_issue")

    def test_the_responsible_editor_changes_an_open_issue_logged(self):
        self.as_("chief")
        data = self.issue_form(self.open)
        data["number"] = "120"
        self.post(reverse("admin:issues_issue_change", args=[self.open.pk]), data)
        self.open.refresh_from_db()
        self.assertEqual(self.open.number, 120)
        entry = Transition.objects.get(issue=self.open)
        self.assertEqual(entry.action, "edit_issue")
        self.assertIn("总期号", entry.note)

    def test_nobody_deletes_a_published_issue(self):
        self.as_("superuser")
        single = self.post(
            reverse("admin:issues_issue_delete", args=[self.published.pk]), {"post": "yes"}
        )
        bulk = self.post(
            reverse("admin:issues_issue_changelist"),
            {"action": "delete_selected", "_selected_action": [self.published.pk], "post": "yes"},
        )
        self.assertEqual(single.status_code, 403)
        self.assertIn(bulk.status_code, (200, 302, 403))  # 200: "you may not"
        self.assertTrue(Issue.objects.filter(pk=self.published.pk).exists())
