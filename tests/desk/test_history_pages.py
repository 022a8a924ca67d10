"""历史 of an issue and of a page: the admin's stock history page (its own log, in login
names) is replaced by the desk's own: the issue's steps, the layout and publication steps
of the articles on it, and what was changed in the forms, with people's names, in Chinese.
Each role, over HTTP: who may see the issue or page sees its history; nobody else does."""

from django.db.models.fields.files import FieldFile
from django.test import TestCase
from django.urls import reverse

from articles.models import Article, Byline
from desk import issue_services, services
from issues.models import Issue
from tests import factories

LOGINS = ["lishuxiang", "chenjing", "xudongmei", "yufeifei", "intern"]


def form_data(response):
    """What the change form would post unchanged: its fields and its inlines."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or field.disabled:
            continue
        data[name] = "\n".join(value) if isinstance(value, list) else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for each in formset.forms:
            for name in each.fields:
                value = each[name].value()
                if value is not None and not isinstance(value, FieldFile):  # no uploads
                    data[each.add_prefix(name)] = value
    return data


class IssueAndPageHistoryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = factories.desk()
        cls.issue = factories.open_issue(pages=2, number=118)
        cls.page1 = cls.issue.pages.get(number=1)
        issue_services.start_layout(issue=cls.issue, by=cls.desk.layout)
        cls.story = services.file_article(
            article=Article(headline="缪杰明带队走访辖区企业", body="日前，缪杰明带队走访。"),
            by=cls.desk.correspondent,
        )
        Byline.objects.create(
            article=cls.story, person=cls.desk.correspondent.person, role="correspondent"
        )
        services.submit(article=cls.story, by=cls.desk.correspondent)
        services.approve(article=cls.story, by=cls.desk.editor)
        services.place(article=cls.story, page=cls.page1, order=1, by=cls.desk.layout)

    def as_(self, login):
        users = {u.username: u for u in vars(self.desk).values()}
        self.client.force_login(users[login])

    def issue_history(self):
        return self.client.get(reverse("admin:issues_issue_history", args=[self.issue.pk]))

    def page_history(self):
        return self.client.get(reverse("admin:issues_page_history", args=[self.page1.pk]))

    def test_the_issue_history_tells_the_desks_steps_by_name(self):
        self.as_("yufeifei")
        change = reverse("admin:issues_issue_change", args=[self.issue.pk])
        data = form_data(self.client.get(change))
        data["submission_email"] = "tougao@luotang.cn"
        data["_continue"] = "1"
        self.assertEqual(self.client.post(change, data).status_code, 302)

        response = self.issue_history()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f"《{self.issue}》的历史")
        # The issue's own step, with the name of who took it and the states in Chinese.
        self.assertContains(response, "徐冬梅</strong> 开始组版：策划 → 组版中", html=False)
        # The story placed on it, by layout, on which page.
        self.assertContains(response, "徐冬梅</strong> 放上版面《", html=False)
        self.assertContains(response, "缪杰明带队走访辖区企业")
        self.assertContains(response, "第1版，第 1 位")
        # The form's change, by the responsible editor's name, never her login.
        self.assertContains(response, "郁菲菲</strong> 已修改", html=False)
        self.assertContains(response, "投稿邮箱")
        main = response.content.decode().split('id="content"')[1]
        for login in LOGINS:
            self.assertNotIn(login, main)
        self.assertNotContains(response, "没有与这个对象相关的行动历史数据")

    def test_the_page_history_tells_what_was_placed_on_it(self):
        self.as_("xudongmei")
        response = self.page_history()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "第1版》的历史", html=False)
        self.assertContains(response, "徐冬梅</strong> 放上版面《", html=False)
        self.assertContains(response, "没有修改记录。")
        other = self.client.get(
            reverse("admin:issues_page_history", args=[self.issue.pages.get(number=2).pk])
        )
        self.assertNotContains(other, "缪杰明带队走访辖区企业")

    def test_who_may_see_the_issue_sees_its_history_and_nobody_else(self):
        expected = {
            "chenjing": 200,
            "xudongmei": 200,
            "yufeifei": 200,
            "lishuxiang": 403,  # 通讯员 work on their stories, not on issues
            "intern": 403,  # staff in no desk group
        }
        for login, status in expected.items():
            with self.subTest(login):
                self.as_(login)
                self.assertEqual(self.issue_history().status_code, status)
                self.assertEqual(self.page_history().status_code, status)
        # Refused in Chinese, with the way back to the desk (not Django's bare English page).
        self.as_("lishuxiang")
        refused = self.issue_history()
        self.assertContains(refused, "没有权限", status_code=403)
        self.assertContains(refused, 'href="/admin/"', status_code=403)
        self.assertNotContains(refused, "Forbidden", status_code=403)
        self.client.logout()
        for response in (self.issue_history(), self.page_history()):
            self.assertEqual(response.status_code, 302)
            self.assertIn(reverse("admin:login"), response["Location"])

    def test_an_issue_that_does_not_exist_is_a_404(self):
        self.as_("yufeifei")
        missing = Issue.objects.order_by("-pk").first().pk + 1
        response = self.client.get(reverse("admin:issues_issue_history", args=[missing]))
        self.assertEqual(response.status_code, 404)
