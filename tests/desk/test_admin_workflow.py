"""The permission matrix through the admin over HTTP: each role posts the workflow buttons,
the layout forms, the correction form and the article change form. Allowed posts change the
object; refused ones (403, 404, or an error message) leave it as it was."""

from django.test import TestCase
from django.urls import reverse

from articles.models import Article, Correction
from desk import confirm
from desk.models import Transition
from issues.models import Issue
from tests import factories

ROLES = ["correspondent", "other_correspondent", "editor", "layout", "chief", "nobody"]
A = Article.Status


def management_forms(**overrides):
    data = {}
    for prefix in ("bylines", "photos", "corrections"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(overrides)
    return data


def change_data(article, **changes):
    data = {
        "headline": article.headline,
        "subheadline": article.subheadline,
        "dateline": article.dateline,
        "body": article.body,
        "expected_version": str(article.version),
        **management_forms(),
    }
    data.update(changes)
    return data


class DeskTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = factories.desk()

    def as_(self, role):
        self.client.force_login(getattr(self.desk, role))

    def article(self, status, *, issue_status=Issue.Status.IN_LAYOUT, **fields):
        page = None
        if status in (A.PLACED, A.PUBLISHED, A.WITHDRAWN):
            page = factories.open_issue(pages=1, status=issue_status).pages.get()
        return factories.article(page, status=status, created_by=self.desk.correspondent, **fields)


class ArticleStepsOverHttpTests(DeskTestCase):
    EXPECTED = {
        # step: (source state, issue state, roles allowed, target state)
        "submit": (A.DRAFT, None, {"correspondent", "editor"}, A.SUBMITTED),
        "approve": (A.SUBMITTED, None, {"editor"}, A.APPROVED),
        "return_to_author": (A.SUBMITTED, None, {"editor"}, A.DRAFT),
        "unplace": (A.PLACED, Issue.Status.IN_LAYOUT, {"layout"}, A.APPROVED),
        "withdraw": (A.PUBLISHED, Issue.Status.PUBLISHED, {"chief"}, A.WITHDRAWN),
    }

    def test_each_role_posts_each_article_step(self):
        for step, (source, issue_status, allowed, target) in self.EXPECTED.items():
            for role in [*ROLES, "superuser"]:
                with self.subTest(step=step, role=role):
                    article = self.article(source, issue_status=issue_status or "in_layout")
                    self.as_(role)
                    url = reverse("admin:articles_article_step", args=[article.pk, step])
                    # 撤稿 is confirmed: the POST carries the version its page showed.
                    data = {"note": "请补充采访对象", "version": confirm.version_of(article)}
                    response = self.client.post(url, data)
                    article.refresh_from_db()
                    if role in allowed or role == "superuser":
                        self.assertEqual(response.status_code, 302)
                        self.assertEqual(article.status, target)
                    else:
                        self.assertIn(response.status_code, (302, 403, 404))
                        self.assertEqual(article.status, source)
                        self.assertFalse(Transition.objects.filter(article=article).exists())

    def test_a_refused_step_says_why(self):
        article = self.article(A.SUBMITTED)
        self.as_("layout")
        url = reverse("admin:articles_article_step", args=[article.pk, "approve"])
        response = self.client.post(url, follow=True)
        self.assertContains(response, "编辑")
        article.refresh_from_db()
        self.assertEqual(article.status, A.SUBMITTED)

    def test_a_correspondent_cannot_reach_another_correspondents_draft(self):
        article = self.article(A.DRAFT)
        self.as_("other_correspondent")
        changelist = self.client.get(reverse("admin:articles_article_changelist"))
        self.assertNotContains(changelist, article.headline)
        step = reverse("admin:articles_article_step", args=[article.pk, "submit"])
        self.assertEqual(self.client.post(step).status_code, 404)
        change = self.client.get(reverse("admin:articles_article_change", args=[article.pk]))
        # The admin answers an object outside the user's queryset with "does not exist".
        self.assertRedirects(change, reverse("admin:index"))

    def test_steps_need_a_post(self):
        article = self.article(A.DRAFT)
        self.as_("correspondent")
        url = reverse("admin:articles_article_step", args=[article.pk, "submit"])
        self.assertEqual(self.client.get(url).status_code, 405)
        article.refresh_from_db()
        self.assertEqual(article.status, A.DRAFT)

    def test_the_change_page_shows_only_the_steps_the_user_may_take(self):
        article = self.article(A.SUBMITTED)
        url = reverse("admin:articles_article_change", args=[article.pk])
        self.as_("editor")
        response = self.client.get(url)
        self.assertContains(response, "step-approve")
        self.assertContains(response, "step-return_to_author")
        self.as_("layout")
        response = self.client.get(url)
        self.assertNotContains(response, "step-approve")
        self.assertNotContains(response, "step-")


class IssueStepsOverHttpTests(DeskTestCase):
    EXPECTED = {
        "start_layout": (Issue.Status.PLANNING, {"layout", "chief"}, Issue.Status.IN_LAYOUT),
        "mark_ready": (Issue.Status.IN_LAYOUT, {"layout", "chief"}, Issue.Status.READY),
        "reopen_layout": (Issue.Status.READY, {"layout", "chief"}, Issue.Status.IN_LAYOUT),
        "publish_issue": (Issue.Status.READY, {"chief"}, Issue.Status.PUBLISHED),
        "unpublish_issue": (Issue.Status.PUBLISHED, {"chief"}, Issue.Status.READY),
    }

    def test_each_role_posts_each_issue_step(self):
        for step, (source, allowed, target) in self.EXPECTED.items():
            for role in [*ROLES, "superuser"]:
                with self.subTest(step=step, role=role):
                    issue = factories.open_issue(pages=1, status=source)
                    status = A.PUBLISHED if source == Issue.Status.PUBLISHED else A.PLACED
                    factories.article(issue.pages.get(), status=status)
                    self.as_(role)
                    url = reverse("admin:issues_issue_step", args=[issue.pk, step])
                    # 签发 and 撤回本期 are confirmed: the POST carries the version.
                    data = {"note": "版面有误", "version": confirm.version_of(issue)}
                    response = self.client.post(url, data)
                    issue.refresh_from_db()
                    if role in allowed or role == "superuser":
                        self.assertEqual(response.status_code, 302)
                        self.assertEqual(issue.status, target)
                    else:
                        self.assertIn(response.status_code, (302, 403))
                        self.assertEqual(issue.status, source)
                        self.assertFalse(Transition.objects.filter(issue=issue).exists())

    def test_publishing_with_an_unapproved_article_is_refused_and_changes_nothing(self):
        issue = factories.open_issue(pages=2, status=Issue.Status.READY)
        page1, page2 = issue.pages.order_by("number")
        placed = factories.article(page1, status=A.PLACED, headline="罗塘街道召开安全生产会")
        factories.article(page2, status=A.SUBMITTED, headline="银穆社区开展义诊")
        self.as_("chief")
        url = reverse("admin:issues_issue_step", args=[issue.pk, "publish_issue"])
        response = self.client.post(url, {"version": confirm.version_of(issue)}, follow=True)
        self.assertContains(response, "银穆社区开展义诊")
        self.assertContains(response, "待审")
        issue.refresh_from_db()
        placed.refresh_from_db()
        self.assertEqual((issue.status, issue.published_at), (Issue.Status.READY, None))
        self.assertEqual((placed.status, placed.published_at), (A.PLACED, None))
        self.assertFalse(Transition.objects.exists())


class LayoutOverHttpTests(DeskTestCase):
    def test_only_layout_places_approved_articles_from_the_layout_page(self):
        for role in [*ROLES, "superuser"]:
            with self.subTest(role=role):
                issue = factories.open_issue(pages=2, status=Issue.Status.IN_LAYOUT)
                page2 = issue.pages.get(number=2)
                article = self.article(A.APPROVED)
                self.as_(role)
                url = reverse("admin:issues_issue_layout", args=[issue.pk])
                response = self.client.post(
                    url, {"article": article.pk, "page": page2.pk, "order": "3"}
                )
                article.refresh_from_db()
                if role in ("layout", "superuser"):
                    self.assertEqual(response.status_code, 302)
                    self.assertEqual(
                        (article.status, article.page, article.order), (A.PLACED, page2, 3)
                    )
                else:
                    self.assertIn(response.status_code, (302, 403))
                    self.assertEqual((article.status, article.page), (A.APPROVED, None))

    def test_layout_page_lists_waiting_articles_and_pages_with_forms(self):
        issue = factories.open_issue(pages=2, status=Issue.Status.IN_LAYOUT)
        waiting = self.article(A.APPROVED, headline="罗塘街道开展消防演练")
        factories.article(issue.pages.get(number=1), status=A.PLACED, headline="缪杰明带队走访")
        self.as_("layout")
        response = self.client.get(reverse("admin:issues_issue_layout", args=[issue.pk]))
        self.assertContains(response, waiting.headline)
        self.assertContains(response, "缪杰明带队走访")
        self.assertContains(response, f'name="article" value="{waiting.pk}"')
        self.assertContains(response, "第2版")

    def test_moving_and_taking_off_a_placed_article(self):
        issue = factories.open_issue(pages=2, status=Issue.Status.IN_LAYOUT)
        article = factories.article(issue.pages.get(number=1), status=A.PLACED)
        self.as_("layout")
        url = reverse("admin:issues_issue_layout", args=[issue.pk])
        page2 = issue.pages.get(number=2)
        self.client.post(url, {"article": article.pk, "page": page2.pk, "order": "2"})
        article.refresh_from_db()
        self.assertEqual((article.page, article.order), (page2, 2))
        self.client.post(url, {"article": article.pk, "unplace": "1"})
        article.refresh_from_db()
        self.assertEqual((article.status, article.page), (A.APPROVED, None))

    def test_bad_layout_input_is_an_error_message_not_a_crash(self):
        issue = factories.open_issue(pages=1, status=Issue.Status.IN_LAYOUT)
        article = self.article(A.APPROVED)
        self.as_("layout")
        url = reverse("admin:issues_issue_layout", args=[issue.pk])
        response = self.client.post(
            url, {"article": article.pk, "page": issue.pages.get().pk, "order": "-1"}, follow=True
        )
        self.assertEqual(response.status_code, 200)
        for garbage in ({"article": "abc", "unplace": "1"}, {"article": "abc", "page": "x"}):
            response = self.client.post(url, garbage, follow=True)
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, 'class="error"')
        article.refresh_from_db()
        self.assertEqual(article.status, A.APPROVED)


class ProtectedFieldsOverHttpTests(DeskTestCase):
    # state: roles that may change the text in that state.
    EDITABLE = {
        A.DRAFT: {"correspondent", "editor", "superuser"},
        A.SUBMITTED: {"editor", "superuser"},
        A.APPROVED: {"editor", "superuser"},
        A.PLACED: {"editor", "superuser"},
        A.PUBLISHED: set(),
        A.WITHDRAWN: set(),
    }

    def test_each_role_posts_the_change_form_in_each_state(self):
        for status, allowed in self.EDITABLE.items():
            issue_status = (
                Issue.Status.PUBLISHED
                if status in (A.PUBLISHED, A.WITHDRAWN)
                else Issue.Status.IN_LAYOUT
            )
            for role in [*ROLES, "superuser"]:
                with self.subTest(status=status, role=role):
                    article = self.article(status, issue_status=issue_status)
                    self.as_(role)
                    url = reverse("admin:articles_article_change", args=[article.pk])
                    response = self.client.post(
                        url, change_data(article, headline="改过的标题", body="改过的正文。")
                    )
                    article.refresh_from_db()
                    if role in allowed:
                        self.assertEqual(response.status_code, 302)
                        self.assertEqual(article.headline, "改过的标题")
                        self.assertEqual(article.version, 2)
                    else:
                        self.assertIn(response.status_code, (302, 403))
                        self.assertEqual(article.headline, "缪杰明带队走访辖区企业")
                        self.assertEqual(article.version, 1)

    def test_a_crafted_post_cannot_change_status_or_placement(self):
        article = self.article(A.SUBMITTED)
        page = factories.open_issue(pages=1, status=Issue.Status.IN_LAYOUT).pages.get()
        self.as_("editor")
        url = reverse("admin:articles_article_change", args=[article.pk])
        data = change_data(article, status="published", page=str(page.pk), order="5")
        self.client.post(url, data)
        article.refresh_from_db()
        self.assertEqual((article.status, article.page, article.order), (A.SUBMITTED, None, 0))

    def test_layout_cannot_change_bylines(self):
        article = self.article(A.PLACED)
        reporter = factories.person("丁小勇")
        self.as_("layout")
        url = reverse("admin:articles_article_change", args=[article.pk])
        data = change_data(
            article,
            **{
                "bylines-TOTAL_FORMS": "1",
                "bylines-0-role": "reporter",
                "bylines-0-person": str(reporter.pk),
                "bylines-0-order": "0",
            },
        )
        self.assertEqual(self.client.post(url, data).status_code, 403)
        add_byline = self.client.post(
            reverse("admin:articles_byline_add"),
            {"article": article.pk, "person": reporter.pk, "role": "reporter", "order": 0},
        )
        self.assertEqual(add_byline.status_code, 403)
        self.assertFalse(article.bylines.exists())

    def test_published_text_changes_only_through_a_correction(self):
        article = self.article(A.PUBLISHED, issue_status=Issue.Status.PUBLISHED)
        url = reverse("admin:articles_article_correct", args=[article.pk])
        for role in [*ROLES, "superuser"]:
            with self.subTest(role=role):
                self.as_(role)
                response = self.client.post(
                    url, {"text": f"{role} 改过的正文。", "note": "原文人名有误，特此更正。"}
                )
                article.refresh_from_db()
                if role in ("chief", "superuser"):
                    self.assertEqual(response.status_code, 302)
                    self.assertEqual(article.body, f"{role} 改过的正文。")
                else:
                    self.assertIn(response.status_code, (403, 404))
                    self.assertNotEqual(article.body, f"{role} 改过的正文。")
        self.assertEqual(Correction.objects.filter(article=article).count(), 2)

    def test_staff_without_a_group_can_do_nothing(self):
        article = self.article(A.DRAFT)
        self.as_("nobody")
        self.assertEqual(
            self.client.get(reverse("admin:articles_article_changelist")).status_code, 403
        )
        self.assertEqual(self.client.get(reverse("admin:articles_article_add")).status_code, 403)
        url = reverse("admin:articles_article_change", args=[article.pk])
        self.assertEqual(self.client.get(url).status_code, 403)


class ConcurrentEditTests(DeskTestCase):
    def test_the_second_save_from_the_same_version_is_refused_and_overwrites_nothing(self):
        article = self.article(A.SUBMITTED)
        url = reverse("admin:articles_article_change", args=[article.pk])
        self.as_("editor")
        first = change_data(article, headline="罗塘街道走访辖区企业")
        second = change_data(article, headline="缪杰明走访企业")  # read at the same version
        self.assertEqual(self.client.post(url, first).status_code, 302)
        response = self.client.post(url, second)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "该稿件已被 陈静 于")
        self.assertContains(response, "修改，请刷新后再改")
        article.refresh_from_db()
        self.assertEqual((article.headline, article.version), ("罗塘街道走访辖区企业", 2))

    def test_a_post_without_the_version_is_refused(self):
        article = self.article(A.DRAFT)
        self.as_("correspondent")
        url = reverse("admin:articles_article_change", args=[article.pk])
        data = change_data(article, headline="新标题")
        del data["expected_version"]
        self.assertEqual(self.client.post(url, data).status_code, 200)
        article.refresh_from_db()
        self.assertEqual(article.headline, "缪杰明带队走访辖区企业")


class TimelineAndHistoryTests(DeskTestCase):
    def test_the_article_page_shows_the_timeline_and_a_diff_of_the_text(self):
        self.as_("correspondent")
        response = self.client.post(
            reverse("admin:articles_article_add"),
            {
                "headline": "罗塘街道开展消防演练",
                "subheadline": "",
                "dateline": "",
                "body": "11月20日，罗塘街道开展消防演练。\r\n居民积极参加。",
                **management_forms(),
            },
        )
        self.assertEqual(response.status_code, 302)
        article = Article.objects.get(headline="罗塘街道开展消防演练")
        self.assertEqual(article.created_by, self.desk.correspondent)
        self.assertEqual(article.bylines.get().person.name, "李书翔")
        self.client.post(reverse("admin:articles_article_step", args=[article.pk, "submit"]))
        self.as_("editor")
        url = reverse("admin:articles_article_change", args=[article.pk])
        article.refresh_from_db()
        self.client.post(
            url, change_data(article, body="11月21日，罗塘街道开展消防演练。\n居民积极参加。")
        )
        self.client.post(
            reverse("admin:articles_article_step", args=[article.pk, "return_to_author"]),
            {"note": "请补充参加人数"},
        )
        response = self.client.get(url)
        self.assertContains(response, "请补充参加人数")
        self.assertContains(response, "李书翔")
        self.assertContains(response, "<del>0</del><ins>1</ins>", html=False)
        self.assertContains(response, "陈静")

    def test_the_issue_page_shows_its_timeline(self):
        issue = factories.open_issue(pages=1)
        self.as_("layout")
        self.client.post(reverse("admin:issues_issue_step", args=[issue.pk, "start_layout"]))
        response = self.client.get(reverse("admin:issues_issue_change", args=[issue.pk]))
        self.assertContains(response, "徐冬梅")
        self.assertContains(response, "组版中")


class PagesOverHttpTests(DeskTestCase):
    def test_layout_and_the_responsible_editor_name_pages_others_cannot(self):
        for role in [*ROLES, "superuser"]:
            with self.subTest(role=role):
                issue = factories.open_issue(pages=1, status=Issue.Status.IN_LAYOUT)
                page = issue.pages.get()
                self.as_(role)
                response = self.client.post(
                    reverse("admin:issues_page_change", args=[page.pk]),
                    {"issue": issue.pk, "number": 1, "name": "要闻"},
                )
                page.refresh_from_db()
                if role in ("layout", "chief", "superuser"):
                    self.assertEqual(response.status_code, 302)
                    self.assertEqual(page.name, "要闻")
                else:
                    self.assertEqual(response.status_code, 403)
                    self.assertEqual(page.name, "")
