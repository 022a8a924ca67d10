"""签发 with the whole issue in view, and 签发 for a time (published by
`manage.py publish_scheduled`), tested with a frozen clock."""

import datetime
import io
from unittest import mock

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from desk import confirm, scheduling, services
from desk.models import ScheduledPublication, Transition
from desk.views.confirm import tomorrow_morning
from issues.models import Issue
from tests import factories

A = Article.Status
EVENING = timezone.make_aware(datetime.datetime(2024, 11, 27, 21, 30))
SIX_AM = timezone.make_aware(datetime.datetime(2024, 11, 28, 6, 0))


def frozen(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


class SignOffTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = factories.desk()

    def setUp(self):
        self.issue = factories.open_issue(pages=2, status=Issue.Status.IN_LAYOUT, number=118)
        self.page1, self.page2 = self.issue.pages.order_by("number")
        # A story through the desk: filed, approved, edited after approval, placed.
        self.story = services.file_article(
            article=Article(
                headline="缪杰明带队走访辖区企业",
                body="日前，缪杰明带队走访辖区企业。\n现场了解企业生产经营情况。",
            ),
            by=self.desk.correspondent,
        )
        factories.photo(article=self.story, caption="图为缪杰明与企业负责人交流。")
        services.submit(article=self.story, by=self.desk.correspondent)
        services.approve(article=self.story, by=self.desk.editor)
        self.story.body = "日前，缪杰明带队走访辖区企业。\n现场详细了解企业生产经营和用工情况。"
        services.save_text(article=self.story, by=self.desk.editor, expected_version=1)
        services.place(article=self.story, page=self.page1, order=1, by=self.desk.layout)
        factories.article(self.page2, status=A.PLACED, headline="银穆社区开展冬季义诊")
        self.issue.status = Issue.Status.READY
        self.issue.save()

    def as_(self, role):
        self.client.force_login(getattr(self.desk, role))


class SignOffPageTests(SignOffTestCase):
    def test_every_page_as_readers_see_it_with_the_changes_since_approval(self):
        self.as_("chief")
        response = self.client.get(reverse("admin:issues_issue_signoff", args=[self.issue.pk]))
        self.assertContains(response, "第1版")
        self.assertContains(response, "第2版")
        self.assertContains(response, "现场详细了解企业生产经营和用工情况。")
        self.assertContains(response, "图为缪杰明与企业负责人交流。")
        self.assertContains(response, "陈静于")
        self.assertContains(response, "<ins>", html=False)
        self.assertContains(response, "银穆社区开展冬季义诊")
        self.assertContains(response, "未经本系统审核")
        # The checklist, in order, and 签发 that opens the confirmation.
        html = response.content.decode()
        self.assertLess(html.index("组版已交付签发"), html.index("每个版面至少有一篇稿件"))
        self.assertContains(
            response, reverse("admin:issues_issue_step", args=[self.issue.pk, "publish_issue"])
        )

    def test_what_blocks_publishing_is_listed(self):
        factories.article(self.page2, status=A.SUBMITTED, headline="罗塘小学运动会")
        self.as_("chief")
        response = self.client.get(reverse("admin:issues_issue_signoff", args=[self.issue.pk]))
        self.assertContains(response, "第2版的《罗塘小学运动会》")
        self.assertContains(response, 'class="todo"')

    def test_a_correspondent_cannot_open_the_sign_off_view(self):
        self.as_("correspondent")
        response = self.client.get(reverse("admin:issues_issue_signoff", args=[self.issue.pk]))
        self.assertEqual(response.status_code, 403)


class ScheduledSignOffTests(SignOffTestCase):
    def schedule_for_tomorrow_morning(self):
        self.as_("chief")
        url = reverse("admin:issues_issue_step", args=[self.issue.pk, "publish_issue"])
        with frozen(EVENING):
            return self.client.post(
                url, {"version": confirm.version_of(self.issue), "when": "tomorrow"}
            )

    def run_at(self, moment):
        out = io.StringIO()
        with frozen(moment):
            call_command("publish_scheduled", stdout=out, stderr=out)
        self.issue.refresh_from_db()
        return out.getvalue()

    def test_tomorrow_morning_is_six_oclock_local_time(self):
        self.assertEqual(tomorrow_morning(EVENING), SIX_AM)

    def test_scheduled_for_six_it_publishes_at_six_and_not_before(self):
        response = self.schedule_for_tomorrow_morning()
        self.assertEqual(response.status_code, 302)
        scheduled = ScheduledPublication.objects.get()
        self.assertEqual((scheduled.at, scheduled.by), (SIX_AM, self.desk.chief))
        self.run_at(SIX_AM - datetime.timedelta(minutes=1))
        self.assertEqual(self.issue.status, Issue.Status.READY)
        output = self.run_at(SIX_AM + datetime.timedelta(seconds=20))
        self.assertIn("published", output)
        self.assertEqual(self.issue.status, Issue.Status.PUBLISHED)
        self.assertEqual(self.issue.published_at, SIX_AM + datetime.timedelta(seconds=20))
        self.assertFalse(ScheduledPublication.objects.exists())
        step = Transition.objects.get(issue=self.issue, action="publish_issue")
        self.assertEqual((step.by, step.note), (self.desk.chief, "定时签发"))
        # Running it again publishes nothing twice.
        self.run_at(SIX_AM + datetime.timedelta(minutes=5))
        self.assertEqual(Transition.objects.filter(action="publish_issue").count(), 1)

    def test_a_cancelled_schedule_publishes_nothing(self):
        self.schedule_for_tomorrow_morning()
        url = reverse("admin:issues_issue_cancel_schedule", args=[self.issue.pk])
        self.as_("layout")
        self.client.post(url)
        self.assertTrue(ScheduledPublication.objects.exists())  # not theirs to cancel
        self.as_("chief")
        self.client.post(url)
        self.assertFalse(ScheduledPublication.objects.exists())
        self.run_at(SIX_AM + datetime.timedelta(hours=1))
        self.assertEqual(self.issue.status, Issue.Status.READY)

    def test_a_change_after_scheduling_stops_it_with_the_reason(self):
        self.schedule_for_tomorrow_morning()
        with frozen(EVENING + datetime.timedelta(minutes=30)):
            self.story.body += "\n补充一段。"
            services.save_text(article=self.story, by=self.desk.editor, expected_version=2)
        output = self.run_at(SIX_AM)
        self.assertEqual(self.issue.status, Issue.Status.READY)
        self.assertIn("改动", output)
        self.assertIn("改动", ScheduledPublication.objects.get().error)
        self.as_("chief")
        response = self.client.get(reverse("admin:issues_issue_signoff", args=[self.issue.pk]))
        self.assertContains(response, "定时签发之后本期有了改动")

    def test_a_time_in_the_past_is_refused(self):
        with frozen(EVENING), self.assertRaisesMessage(Exception, "发布时间必须晚于现在"):
            scheduling.schedule(
                issue=self.issue,
                by=self.desk.chief,
                at=EVENING - datetime.timedelta(hours=1),
                version=confirm.version_of(self.issue),
            )
        self.as_("chief")
        url = reverse("admin:issues_issue_step", args=[self.issue.pk, "publish_issue"])
        with frozen(EVENING):
            response = self.client.post(
                url,
                {
                    "version": confirm.version_of(self.issue),
                    "when": "at",
                    "at": "2024-11-27T08:00",
                },
            )
        self.assertContains(response, "发布时间必须晚于现在")
        self.assertFalse(ScheduledPublication.objects.exists())

    def test_only_the_responsible_editor_schedules(self):
        for role in ("correspondent", "editor", "layout"):
            with self.subTest(role=role):
                self.as_(role)
                url = reverse("admin:issues_issue_step", args=[self.issue.pk, "publish_issue"])
                response = self.client.post(
                    url, {"version": confirm.version_of(self.issue), "when": "tomorrow"}
                )
                self.assertEqual(response.status_code, 403)
                self.assertFalse(ScheduledPublication.objects.exists())
