"""The admin home shows each member of the desk what waits for them."""

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from articles.models import Article
from desk import services
from desk.desks import desk_for
from issues.models import Issue
from tests import factories

A = Article.Status


class DeskTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = factories.desk()
        cls.issue = factories.open_issue(pages=2, status=Issue.Status.IN_LAYOUT)
        page1 = cls.issue.pages.get(number=1)
        factories.article(page1, status=A.PLACED, headline="缪杰明带队走访辖区企业")
        factories.article(status=A.APPROVED, headline="罗塘街道开展消防演练")
        factories.article(
            status=A.SUBMITTED, headline="银穆社区开展义诊", created_by=cls.desk.correspondent
        )
        returned = factories.article(
            status=A.SUBMITTED, headline="罗塘小学运动会", created_by=cls.desk.correspondent
        )
        services.return_to_author(article=returned, by=cls.desk.editor, note="请补充获奖名单")
        factories.article(headline="杨旭的草稿", created_by=cls.desk.other_correspondent)

    def index(self, role):
        self.client.force_login(getattr(self.desk, role))
        return self.client.get(reverse("admin:index"))

    def test_a_correspondent_sees_their_drafts_and_returned_stories_with_the_note(self):
        response = self.index("correspondent")
        self.assertContains(response, "退回给我的稿件")
        self.assertContains(response, "罗塘小学运动会")
        self.assertContains(response, "请补充获奖名单")
        self.assertContains(response, "银穆社区开展义诊")  # waiting for the editor
        self.assertNotContains(response, "杨旭的草稿")

    def test_an_editor_sees_the_submitted_queue(self):
        response = self.index("editor")
        self.assertContains(response, "待审稿件（1）")
        self.assertContains(response, "银穆社区开展义诊")
        self.assertContains(response, "李书翔")
        self.assertNotContains(response, 'id="desk-layout"')

    def test_layout_sees_approved_articles_and_the_issue_in_layout(self):
        response = self.index("layout")
        self.assertContains(response, "罗塘街道开展消防演练")
        self.assertContains(response, reverse("admin:issues_issue_layout", args=[self.issue.pk]))
        self.assertNotContains(response, "银穆社区开展义诊")

    def test_the_responsible_editor_sees_the_pages_counts_and_what_blocks_publishing(self):
        response = self.index("chief")
        self.assertContains(response, "缪杰明带队走访辖区企业")
        self.assertContains(response, "已组版 1")
        self.assertContains(response, "暂不能签发")
        self.assertContains(response, "第2版还没有稿件")

    def test_staff_without_a_group_get_no_desk(self):
        response = self.index("nobody")
        self.assertNotContains(response, 'class="desk"')

    def test_each_desk_states_its_queries(self):
        def fresh(role):
            return get_user_model().objects.get(pk=getattr(self.desk, role).pk)

        correspondent, editor, layout, chief = (
            fresh(role) for role in ("correspondent", "editor", "layout", "chief")
        )
        # groups; then correspondent: their stories (with the latest step) = 2
        with self.assertNumQueries(2):
            desk_for(correspondent)
        # groups; the submitted queue with authors = 2
        with self.assertNumQueries(2):
            desk_for(editor)
        # groups; approved articles waiting; open issues with page counts = 3
        with self.assertNumQueries(3):
            desk_for(layout)
        # groups; current issue; pages; their articles; counts; blockers (pages, articles) = 7
        with self.assertNumQueries(7):
            desk_for(chief)
