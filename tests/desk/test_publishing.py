"""Signing off an issue: one transaction, one timestamp, refused with reasons; unpublishing,
withdrawing and correcting published articles."""

from django.test import TestCase

from articles.models import Article, Correction
from desk import issue_services, services, workflow
from desk.models import Transition
from issues.models import Issue
from tests import factories

A = Article.Status


class PublishIssueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = factories.desk()

    def setUp(self):
        self.issue = factories.open_issue(pages=2, status=Issue.Status.READY)
        self.page1, self.page2 = self.issue.pages.order_by("number")
        self.lead = factories.article(self.page1, status=A.PLACED, headline="缪杰明带队走访")
        self.second = factories.article(self.page2, status=A.PLACED, headline="银穆社区义诊")

    def test_publishing_publishes_the_issue_and_its_placed_articles_with_one_timestamp(self):
        issue_services.publish_issue(issue=self.issue, by=self.desk.chief)
        self.lead.refresh_from_db()
        self.second.refresh_from_db()
        self.assertEqual(self.issue.status, Issue.Status.PUBLISHED)
        self.assertEqual({self.lead.status, self.second.status}, {A.PUBLISHED})
        self.assertEqual(self.lead.published_at, self.issue.published_at)
        self.assertEqual(self.second.published_at, self.issue.published_at)
        self.assertEqual(
            set(Article.objects.published().values_list("headline", flat=True)),
            {"缪杰明带队走访", "银穆社区义诊"},
        )
        # One entry for the issue and one for each article, all at the same moment.
        entries = Transition.objects.all()
        self.assertEqual(entries.count(), 3)
        self.assertEqual({entry.at for entry in entries}, {self.issue.published_at})

    def test_an_unapproved_article_on_a_page_blocks_publishing_and_nothing_changes(self):
        factories.article(self.page2, status=A.SUBMITTED, headline="罗塘街道消防演练")
        with self.assertRaises(workflow.Blocked) as refused:
            issue_services.publish_issue(issue=self.issue, by=self.desk.chief)
        self.assertIn("罗塘街道消防演练", str(refused.exception))
        self.issue.refresh_from_db()
        self.lead.refresh_from_db()
        self.assertEqual((self.issue.status, self.issue.published_at), ("ready", None))
        self.assertEqual((self.lead.status, self.lead.published_at), (A.PLACED, None))
        self.assertFalse(Transition.objects.exists())

    def test_an_issue_without_pages_cannot_be_published_at_the_service_or_over_http(self):
        empty = factories.open_issue(pages=0, status=Issue.Status.READY)
        with self.assertRaises(workflow.Blocked) as refused:
            issue_services.publish_issue(issue=empty, by=self.desk.chief)
        self.assertEqual(refused.exception.reasons, ["本期还没有版面"])
        self.client.force_login(self.desk.chief)
        response = self.client.post(
            f"/admin/issues/issue/{empty.pk}/step/publish_issue/", follow=True
        )
        self.assertContains(response, "本期还没有版面")
        empty.refresh_from_db()
        self.assertEqual((empty.status, empty.published_at), (Issue.Status.READY, None))
        self.assertFalse(Transition.objects.filter(issue=empty).exists())

    def test_an_empty_page_blocks_publishing(self):
        self.second.delete()
        with self.assertRaises(workflow.Blocked) as refused:
            issue_services.publish_issue(issue=self.issue, by=self.desk.chief)
        self.assertEqual(refused.exception.reasons, ["第2版还没有稿件"])
        self.lead.refresh_from_db()
        self.assertEqual(self.lead.status, A.PLACED)

    def test_unpublishing_returns_the_issue_to_ready_and_its_articles_to_placed(self):
        issue_services.publish_issue(issue=self.issue, by=self.desk.chief)
        self.lead.refresh_from_db()
        services.withdraw(article=self.lead, by=self.desk.chief, note="当事人要求撤稿")
        issue_services.unpublish_issue(issue=self.issue, by=self.desk.chief, reason="日期印错")
        self.lead.refresh_from_db()
        self.second.refresh_from_db()
        self.assertEqual((self.issue.status, self.issue.published_at), ("ready", None))
        self.assertEqual(self.second.status, A.PLACED)
        # Withdrawn stays withdrawn: unpublishing the issue does not bring it back.
        self.assertEqual(self.lead.status, A.WITHDRAWN)
        self.assertEqual(
            list(Transition.objects.filter(action="unpublish").values_list("note", flat=True)),
            ["日期印错"],
        )
        self.assertFalse(Article.objects.published().exists())

    def test_unpublishing_needs_a_reason(self):
        issue_services.publish_issue(issue=self.issue, by=self.desk.chief)
        with self.assertRaises(workflow.InvalidTransition):
            issue_services.unpublish_issue(issue=self.issue, by=self.desk.chief, reason="")
        self.issue.refresh_from_db()
        self.assertEqual(self.issue.status, Issue.Status.PUBLISHED)

    def test_a_withdrawn_article_is_no_longer_public(self):
        issue_services.publish_issue(issue=self.issue, by=self.desk.chief)
        self.lead.refresh_from_db()
        services.withdraw(article=self.lead, by=self.desk.chief, note="当事人要求撤稿")
        self.assertEqual(
            list(Article.objects.published().values_list("headline", flat=True)), ["银穆社区义诊"]
        )


class CorrectionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = factories.desk()

    def test_a_correction_changes_the_text_keeps_the_old_one_and_adds_a_public_note(self):
        page = factories.open_issue(pages=1, status=Issue.Status.PUBLISHED).pages.get()
        article = factories.article(
            page, status=A.PUBLISHED, body="缪杰明带队走访企业。\n企业负责人表示感谢。"
        )
        correction = services.correct(
            article=article,
            by=self.desk.chief,
            text="缪杰明带队走访辖区企业。\n企业负责人表示感谢。",
            note="本报11月28日第1版稿件漏字，特此更正。",
        )
        article.refresh_from_db()
        self.assertEqual(article.body, "缪杰明带队走访辖区企业。\n企业负责人表示感谢。")
        self.assertEqual(article.version, 2)
        self.assertEqual(Correction.objects.get(), correction)
        self.assertEqual(correction.created_by, self.desk.chief)
        old = article.history.filter(version=1).get()
        self.assertEqual(old.body, "缪杰明带队走访企业。\n企业负责人表示感谢。")
        entry = Transition.objects.get(article=article)
        self.assertEqual((entry.action, entry.note), ("correct", correction.note))

    def test_the_old_text_is_kept_even_for_an_article_without_history(self):
        page = factories.open_issue(pages=1, status=Issue.Status.PUBLISHED).pages.get()
        article = factories.article(page, status=A.PUBLISHED, body="旧正文。")
        article.history.all().delete()  # as after a bulk import
        services.correct(article=article, by=self.desk.chief, text="新正文。", note="更正")
        self.assertEqual(article.history.get(version=1).body, "旧正文。")

    def test_a_correction_of_an_unpublished_article_is_refused(self):
        article = factories.article(status=A.APPROVED, body="正文。")
        with self.assertRaises(workflow.InvalidTransition):
            services.correct(article=article, by=self.desk.chief, text="新正文。", note="更正")
        self.assertFalse(Correction.objects.exists())


class SaveTextTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = factories.desk()

    def test_two_editors_saving_from_the_same_version_second_is_refused(self):
        article = factories.article(status=A.SUBMITTED)
        first = Article.objects.get(pk=article.pk)
        second = Article.objects.get(pk=article.pk)
        first.headline = "罗塘街道走访辖区企业"
        services.save_text(article=first, by=self.desk.editor, expected_version=1)
        second.headline = "缪杰明走访企业"
        with self.assertRaises(workflow.StaleEdit) as refused:
            services.save_text(article=second, by=self.desk.editor, expected_version=1)
        self.assertIn("该稿件已被 陈静 于", str(refused.exception))
        article.refresh_from_db()
        self.assertEqual((article.headline, article.version), ("罗塘街道走访辖区企业", 2))

    def test_layout_cannot_save_text_through_the_service(self):
        article = factories.article(status=A.APPROVED)
        article.headline = "组版改的标题"
        with self.assertRaises(workflow.NotAllowed):
            services.save_text(article=article, by=self.desk.layout, expected_version=1)
        self.assertEqual(Article.objects.get(pk=article.pk).headline, "缪杰明带队走访辖区企业")
