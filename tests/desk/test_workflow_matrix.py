"""The permission matrix, through the service functions: every group × every transition.

The expected table is written out here rather than read from articles/workflow.py, so that a
wrong rule in the table fails a test. Allowed steps succeed and are logged; refused ones raise
and change nothing.
"""

from django.test import TestCase
from django.utils import timezone

from articles.models import Article
from desk import issue_services, parts_services, services, workflow
from desk.models import Transition
from issues.models import Issue
from tests import factories

ROLES = ["correspondent", "other_correspondent", "editor", "layout", "chief", "nobody"]

# Which roles may take each step (the correspondent is the author of the article).
EXPECTED = {
    "submit": {"correspondent", "editor"},
    "approve": {"editor"},
    "return_to_author": {"editor"},
    "place": {"layout"},
    "unplace": {"layout"},
    "withdraw": {"chief"},
    "correct": {"chief"},
    "start_layout": {"layout", "chief"},
    "mark_ready": {"layout", "chief"},
    "reopen_layout": {"layout", "chief"},
    "publish_issue": {"chief"},
    "unpublish_issue": {"chief"},
    "correct_issue": {"chief"},
}


class WorkflowMatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = factories.desk()

    # Each case builds fresh objects in the step's source state and returns
    # (object, call, expected state after the step).

    def _article(self, status, *, issue_status=Issue.Status.IN_LAYOUT):
        page = None
        published_at = None
        if status in (Article.Status.PLACED, Article.Status.PUBLISHED):
            issue = factories.open_issue(pages=1, status=issue_status)
            page = issue.pages.get()
            if status == Article.Status.PUBLISHED:
                published_at = timezone.now()
        return factories.article(
            page,
            status=status,
            created_by=self.desk.correspondent,
            published_at=published_at,
        )

    def case_submit(self):
        a = self._article(Article.Status.DRAFT)
        return a, lambda by: services.submit(article=a, by=by), "submitted"

    def case_approve(self):
        a = self._article(Article.Status.SUBMITTED)
        return a, lambda by: services.approve(article=a, by=by), "approved"

    def case_return_to_author(self):
        a = self._article(Article.Status.SUBMITTED)
        return (
            a,
            lambda by: services.return_to_author(article=a, by=by, note="导语再压缩一下"),
            "draft",
        )

    def case_place(self):
        a = self._article(Article.Status.APPROVED)
        page = factories.open_issue(pages=1, status=Issue.Status.IN_LAYOUT).pages.get()
        return a, lambda by: services.place(article=a, page=page, order=1, by=by), "placed"

    def case_unplace(self):
        a = self._article(Article.Status.PLACED)
        return a, lambda by: services.unplace(article=a, by=by), "approved"

    def case_withdraw(self):
        a = self._article(Article.Status.PUBLISHED, issue_status=Issue.Status.PUBLISHED)
        return a, lambda by: services.withdraw(article=a, by=by, note="当事人要求"), "withdrawn"

    def case_correct(self):
        a = self._article(Article.Status.PUBLISHED, issue_status=Issue.Status.PUBLISHED)
        return (
            a,
            lambda by: services.correct(article=a, by=by, text="更正后的正文。", note="错字"),
            "published",
        )

    def _issue(self, status, *, article_status=Article.Status.PLACED):
        issue = factories.open_issue(pages=1, status=status)
        factories.article(issue.pages.get(), status=article_status)
        return issue

    def case_start_layout(self):
        i = self._issue(Issue.Status.PLANNING)
        return i, lambda by: issue_services.start_layout(issue=i, by=by), "in_layout"

    def case_mark_ready(self):
        i = self._issue(Issue.Status.IN_LAYOUT)
        return i, lambda by: issue_services.mark_ready(issue=i, by=by), "ready"

    def case_reopen_layout(self):
        i = self._issue(Issue.Status.READY)
        return i, lambda by: issue_services.reopen_layout(issue=i, by=by), "in_layout"

    def case_publish_issue(self):
        i = self._issue(Issue.Status.READY)
        return i, lambda by: issue_services.publish_issue(issue=i, by=by), "published"

    def case_unpublish_issue(self):
        i = self._issue(Issue.Status.PUBLISHED, article_status=Article.Status.PUBLISHED)
        return (
            i,
            lambda by: issue_services.unpublish_issue(issue=i, by=by, reason="版面有误"),
            "ready",
        )

    def case_correct_issue(self):
        i = self._issue(Issue.Status.PUBLISHED, article_status=Article.Status.PUBLISHED)
        news = factories.photo(page=i.pages.get(), caption="图为罗塘夜景。")
        news.caption = "图为罗塘街道夜景。"
        return (
            i,
            lambda by: parts_services.save_photo(photo=news, by=by, note="图片说明有误"),
            "published",
        )

    def test_every_group_against_every_transition(self):
        for step, allowed in EXPECTED.items():
            for role in [*ROLES, "superuser"]:
                with self.subTest(step=step, role=role):
                    obj, call, target = getattr(self, f"case_{step}")()
                    before = obj.status
                    logged = Transition.objects.count()
                    user = getattr(self.desk, role)
                    if role in allowed or role == "superuser":
                        call(user)
                        obj.refresh_from_db()
                        self.assertEqual(obj.status, target)
                        entry = Transition.objects.order_by("-pk").first()
                        self.assertEqual(
                            (entry.action, entry.from_state, entry.to_state, entry.by),
                            (step, before, target, user),
                        )
                    else:
                        with self.assertRaises(workflow.NotAllowed):
                            call(user)
                        obj.refresh_from_db()
                        self.assertEqual(obj.status, before)
                        self.assertEqual(Transition.objects.count(), logged)

    def test_the_table_matches_the_expected_matrix(self):
        # Both directions: no step in the table that the matrix forgets.
        direct_or_service = set(EXPECTED)
        table = {name for name in workflow.TRANSITIONS if name not in ("publish", "unpublish")}
        self.assertEqual(table, direct_or_service)

    def test_steps_from_a_wrong_state_are_refused_and_change_nothing(self):
        draft = self._article(Article.Status.DRAFT)
        with self.assertRaises(workflow.InvalidTransition) as refused:
            services.approve(article=draft, by=self.desk.editor)
        self.assertIn("草稿", str(refused.exception))
        published = self._article(Article.Status.PUBLISHED, issue_status=Issue.Status.PUBLISHED)
        with self.assertRaises(workflow.InvalidTransition):
            services.submit(article=published, by=self.desk.editor)
        draft.refresh_from_db()
        published.refresh_from_db()
        self.assertEqual((draft.status, published.status), ("draft", "published"))
        self.assertFalse(Transition.objects.exists())

    def test_returning_a_story_needs_a_note(self):
        submitted = self._article(Article.Status.SUBMITTED)
        with self.assertRaises(workflow.InvalidTransition):
            services.return_to_author(article=submitted, by=self.desk.editor, note="  ")
        submitted.refresh_from_db()
        self.assertEqual(submitted.status, "submitted")

    def test_a_correspondent_cannot_submit_another_correspondents_draft(self):
        theirs = self._article(Article.Status.DRAFT)
        with self.assertRaises(workflow.NotAllowed):
            services.submit(article=theirs, by=self.desk.other_correspondent)
        theirs.refresh_from_db()
        self.assertEqual(theirs.status, "draft")

    def test_layout_cannot_place_on_an_issue_ready_for_sign_off(self):
        approved = self._article(Article.Status.APPROVED)
        page = factories.open_issue(pages=1, status=Issue.Status.READY).pages.get()
        with self.assertRaises(workflow.Blocked):
            services.place(article=approved, page=page, order=1, by=self.desk.layout)
        approved.refresh_from_db()
        self.assertEqual((approved.status, approved.page), ("approved", None))

    def test_an_empty_draft_cannot_be_submitted(self):
        empty = factories.article(body="", created_by=self.desk.correspondent)
        with self.assertRaises(workflow.Blocked) as refused:
            services.submit(article=empty, by=self.desk.correspondent)
        self.assertIn("正文", str(refused.exception))
