"""The desk as staff use it every day (issue 14): no lost work, confirmation where it matters,
the story previewed before it is placed, readable history, the greeting by name."""

import datetime

from django.test import TestCase
from django.urls import reverse

from articles.models import Article, Photo
from desk import confirm, services
from desk.models import CaptionSnapshot, Transition
from issues.models import Issue
from tests import factories
from tests.desk.test_admin_workflow import change_data, management_forms

A = Article.Status


class DailyDeskTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = factories.desk()

    def as_(self, role):
        self.client.force_login(getattr(self.desk, role))

    def draft(self, **fields):
        fields.setdefault("created_by", self.desk.correspondent)
        return factories.article(status=A.DRAFT, **fields)


class PreviewBeforePlacingTests(DailyDeskTestCase):
    def test_view_on_site_of_an_unplaced_story_is_the_desk_preview_not_a_500(self):
        article = self.draft(body="11月21日，缪杰明带队走访辖区企业。\n现场了解生产经营情况。")
        self.as_("correspondent")
        change = self.client.get(reverse("admin:articles_article_change", args=[article.pk]))
        self.assertEqual(change.status_code, 200)
        preview_url = reverse("admin:articles_article_preview", args=[article.pk])
        self.assertContains(change, preview_url)
        # The admin's own “view on site” redirect answers with the preview too.
        response = self.client.get(preview_url)
        self.assertContains(response, "现场了解生产经营情况。")
        self.assertContains(response, "组版签发后读者看到的样子")

    def test_a_correspondent_cannot_preview_another_correspondents_draft(self):
        article = self.draft()
        self.as_("other_correspondent")
        url = reverse("admin:articles_article_preview", args=[article.pk])
        self.assertEqual(self.client.get(url).status_code, 404)


class StepButtonsSaveFirstTests(DailyDeskTestCase):
    def test_submit_from_the_form_saves_the_edits_then_submits(self):
        article = self.draft()
        self.as_("correspondent")
        url = reverse("admin:articles_article_change", args=[article.pk])
        response = self.client.post(
            url, change_data(article, body="改过的正文，提交前没有另外保存。", _step="submit")
        )
        self.assertEqual(response.status_code, 302)
        article.refresh_from_db()
        self.assertEqual(article.body, "改过的正文，提交前没有另外保存。")
        self.assertEqual(article.status, A.SUBMITTED)

    def test_an_invalid_form_is_shown_with_its_errors_and_the_step_is_not_taken(self):
        article = self.draft()
        self.as_("correspondent")
        url = reverse("admin:articles_article_change", args=[article.pk])
        response = self.client.post(url, change_data(article, headline="", _step="submit"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "errornote")
        article.refresh_from_db()
        self.assertEqual(article.status, A.DRAFT)

    def test_a_new_story_can_be_submitted_without_saving_it_first(self):
        self.as_("correspondent")
        add = self.client.get(reverse("admin:articles_article_add"))
        self.assertContains(add, "保存并提交审稿")
        response = self.client.post(
            reverse("admin:articles_article_add"),
            {
                "headline": "罗塘街道开展消防演练",
                "subheadline": "",
                "dateline": "本报讯",
                "body": "11月20日，罗塘街道开展消防演练。",
                "_step": "submit",
                **management_forms(),
            },
        )
        self.assertEqual(response.status_code, 302)
        article = Article.objects.get(headline="罗塘街道开展消防演练")
        self.assertEqual(article.status, A.SUBMITTED)
        self.assertEqual(article.bylines.get().person.name, "李书翔")

    def test_the_step_buttons_are_inside_the_form_after_a_default_save_button(self):
        article = self.draft()
        self.as_("correspondent")
        html = self.client.get(
            reverse("admin:articles_article_change", args=[article.pk])
        ).content.decode()
        form_start = html.index('id="article_form"')
        default_save = html.index('name="_continue"', form_start)
        step = html.index('name="_step" value="submit"')
        # Enter in a field presses the first submit button of the form: a save, never a step.
        self.assertLess(form_start, default_save)
        self.assertLess(default_save, step)
        self.assertContains(self.client.get(reverse("admin:index")), "autosave-status", count=0)


class AutosaveTests(DailyDeskTestCase):
    def test_autosave_writes_a_revision_of_the_draft_and_answers_the_new_version(self):
        article = self.draft()
        self.as_("correspondent")
        url = reverse("admin:articles_article_autosave", args=[article.pk])
        data = {
            "headline": article.headline,
            "subheadline": "",
            "dateline": "",
            "body": "自动保存的正文。",
            "expected_version": article.version,
        }
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["version"], article.version + 1)
        article.refresh_from_db()
        self.assertEqual(article.body, "自动保存的正文。")
        self.assertEqual(article.history.count(), 2)  # as filed, and as autosaved
        # Saving again from the old version is refused, naming who changed it.
        response = self.client.post(url, {**data, "body": "别的内容。"})
        self.assertEqual(response.status_code, 409)
        self.assertIn("李书翔", response.json()["error"])

    def test_only_a_draft_its_author_may_edit_autosaves(self):
        article = self.draft()
        url = reverse("admin:articles_article_autosave", args=[article.pk])
        data = {"headline": "别人改的", "body": "正文", "expected_version": 1}
        self.as_("other_correspondent")
        self.assertEqual(self.client.post(url, data).status_code, 404)
        submitted = factories.article(status=A.SUBMITTED, created_by=self.desk.correspondent)
        self.as_("correspondent")
        url = reverse("admin:articles_article_autosave", args=[submitted.pk])
        self.assertEqual(self.client.post(url, data).status_code, 403)
        self.assertEqual(self.client.get(url).status_code, 405)

    def test_the_draft_form_carries_the_autosave_address_and_the_script(self):
        article = self.draft()
        self.as_("correspondent")
        response = self.client.get(reverse("admin:articles_article_change", args=[article.pk]))
        self.assertContains(response, reverse("admin:articles_article_autosave", args=[article.pk]))
        self.assertContains(response, "admin/newsroom/desk.js")
        self.assertContains(response, "已自动保存")
        # No inline script anywhere: the desk runs under script-src 'self'.
        html = response.content.decode()
        self.assertNotRegex(html, r"<script(?![^>]*\bsrc=)[^>]*>")
        self.assertNotRegex(html, r"\son[a-z]+=")


class ConfirmationTests(DailyDeskTestCase):
    def ready_issue(self):
        issue = factories.open_issue(pages=2, status=Issue.Status.READY, number=118)
        for page in issue.pages.all():
            factories.article(page, status=A.PLACED, headline=f"第{page.number}版的稿件")
        return issue

    def test_sign_off_asks_first_and_says_what_will_happen(self):
        issue = self.ready_issue()
        self.as_("chief")
        url = reverse("admin:issues_issue_step", args=[issue.pk, "publish_issue"])
        response = self.client.get(url)
        self.assertContains(response, "总第118期：2个版面、2篇稿件将对读者公开。")
        issue.refresh_from_db()
        self.assertEqual(issue.status, Issue.Status.READY)

    def test_a_confirmation_of_an_older_version_is_refused(self):
        issue = self.ready_issue()
        self.as_("chief")
        url = reverse("admin:issues_issue_step", args=[issue.pk, "publish_issue"])
        seen = confirm.version_of(issue)
        # Meanwhile an editor changes a story on page 1.
        article = Article.objects.get(page__number=1, page__issue=issue)
        services.save_text(article=article, by=self.desk.editor, expected_version=1)
        response = self.client.post(url, {"version": seen, "when": "now"})
        self.assertContains(response, "打开此页之后内容有了改动")
        issue.refresh_from_db()
        self.assertEqual(issue.status, Issue.Status.READY)
        # Confirming what is there now publishes.
        response = self.client.post(url, {"version": confirm.version_of(issue), "when": "now"})
        self.assertEqual(response.status_code, 302)
        issue.refresh_from_db()
        self.assertEqual(issue.status, Issue.Status.PUBLISHED)

    def test_withdraw_and_unpublish_ask_with_a_reason(self):
        issue = factories.open_issue(pages=1, status=Issue.Status.PUBLISHED)
        article = factories.article(issue.pages.get(), status=A.PUBLISHED)
        self.as_("chief")
        url = reverse("admin:articles_article_step", args=[article.pk, "withdraw"])
        self.assertContains(self.client.get(url), "将从网站、所在版面和搜索中撤下")
        response = self.client.post(url, {"version": confirm.version_of(article), "note": ""})
        self.assertContains(response, "这个字段是必填项")
        article.refresh_from_db()
        self.assertEqual(article.status, A.PUBLISHED)
        url = reverse("admin:issues_issue_step", args=[issue.pk, "unpublish_issue"])
        self.assertContains(self.client.get(url), "1篇稿件将不再对读者公开")

    def test_the_home_page_offers_sign_off_but_not_unpublish(self):
        issue = factories.open_issue(pages=1, status=Issue.Status.PUBLISHED)
        factories.article(issue.pages.get(), status=A.PUBLISHED)
        self.as_("chief")
        response = self.client.get(reverse("admin:index"))
        self.assertNotContains(response, "step-unpublish_issue")
        self.assertContains(response, reverse("admin:issues_issue_signoff", args=[issue.pk]))

    def test_a_published_article_shows_withdraw_apart_from_correct(self):
        issue = factories.open_issue(pages=1, status=Issue.Status.PUBLISHED)
        article = factories.article(issue.pages.get(), status=A.PUBLISHED)
        self.as_("chief")
        response = self.client.get(reverse("admin:articles_article_change", args=[article.pk]))
        self.assertContains(response, 'class="button step-withdraw step-confirm"')
        self.assertNotContains(response, 'name="_step" value="withdraw"')


class GreetingAndLanguageTests(DailyDeskTestCase):
    def test_staff_are_greeted_by_their_person_name(self):
        self.as_("correspondent")
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "<strong>李书翔</strong>", html=False)
        self.assertNotContains(response, "LISHUXIANG")

    def test_photos_and_bylines_are_not_in_the_sidebar_for_the_desk(self):
        for role in ("correspondent", "editor", "layout", "chief"):
            with self.subTest(role=role):
                self.as_(role)
                response = self.client.get(reverse("admin:index"))
                self.assertNotContains(response, reverse("admin:articles_photo_changelist"))
                self.assertNotContains(response, reverse("admin:articles_byline_changelist"))

    def test_hidden_table_headers_and_empty_notes_are_chinese(self):
        self.as_("chief")
        response = self.client.get(reverse("admin:index"))
        self.assertNotContains(response, "Model name")
        self.assertContains(response, "模块名称")
        self.assertNotContains(response, "无可选的")

    def test_the_transition_list_shows_states_in_chinese(self):
        article = self.draft()
        services.submit(article=article, by=self.desk.correspondent)
        self.as_("superuser")
        response = self.client.get(reverse("admin:desk_transition_changelist"))
        self.assertContains(response, "草稿")
        self.assertContains(response, "待审")
        self.assertNotContains(response, '<td class="field-from_state">draft')
        self.assertNotContains(response, ">submitted<")

    def test_history_is_the_desk_timeline_with_names_and_caption_edits(self):
        article = self.draft()
        factories.photo(article=article, caption="图为消防演练现场。")
        self.as_("correspondent")
        url = reverse("admin:articles_article_change", args=[article.pk])
        photo = article.photos.get()
        data = change_data(
            article,
            **{
                "photos-TOTAL_FORMS": "1",
                "photos-INITIAL_FORMS": "1",
                "photos-0-id": str(photo.pk),
                "photos-0-article": str(article.pk),
                "photos-0-caption": "图为消防演练现场。",
                "photos-0-order": "0",
            },
        )
        self.client.post(url, data)
        article.refresh_from_db()
        data = change_data(
            article,
            **{
                "photos-TOTAL_FORMS": "1",
                "photos-INITIAL_FORMS": "1",
                "photos-0-id": str(photo.pk),
                "photos-0-article": str(article.pk),
                "photos-0-caption": "图为罗塘街道消防演练现场。",
                "photos-0-order": "0",
            },
        )
        self.client.post(url, data)
        self.assertEqual(Photo.objects.get().caption, "图为罗塘街道消防演练现场。")
        self.assertEqual(CaptionSnapshot.objects.filter(article=article).count(), 2)
        response = self.client.get(reverse("admin:articles_article_history", args=[article.pk]))
        self.assertContains(response, "图片说明")
        self.assertContains(response, "<ins>罗塘街道</ins>", html=False)
        self.assertContains(response, "李书翔")
        self.assertNotContains(response, "已修改")


class NewIssueFormTests(DailyDeskTestCase):
    def test_a_new_issue_follows_the_latest_one(self):
        pub = factories.publication()
        factories.issue(
            pub=pub, number=118, number_in_year=11, date=datetime.date(2024, 11, 28), pages=1
        )
        self.as_("chief")
        response = self.client.get(reverse("admin:issues_issue_add"))
        self.assertEqual(response.status_code, 200)
        form = response.context["adminform"].form
        self.assertEqual(form.initial["number"], 119)
        self.assertEqual(form.initial["number_in_year"], 12)
        self.assertEqual(form.initial["date"], datetime.date(2024, 12, 5))
        self.assertEqual(form.initial["publication"], pub.pk)
        self.assertNotContains(response, "---------")
        self.assertNotContains(response, "其他信息")
        self.assertNotContains(response, 'name="extra"')


class TimelineTests(DailyDeskTestCase):
    def test_the_layout_page_of_a_handed_over_issue_speaks_to_layout(self):
        issue = factories.open_issue(pages=1, status=Issue.Status.READY)
        self.as_("layout")
        response = self.client.get(reverse("admin:issues_issue_layout", args=[issue.pk]))
        self.assertContains(response, "已交付签发，版面已锁定")
        self.assertNotContains(response, "只有组版人员")
        self.assertFalse(Transition.objects.exists())


class AdminWordsTests(DailyDeskTestCase):
    def test_lists_and_forms_read_without_the_admins_stray_spaces_and_dashes(self):
        self.draft(headline="罗塘小学举行冬季运动会")
        self.as_("editor")
        listing = self.client.get(reverse("admin:articles_article_changelist"))
        self.assertContains(listing, '<option value="" selected>选择操作</option>', html=True)
        self.assertNotContains(listing, "---------")
        self.assertContains(listing, "<h1>选择要修改的稿件</h1>", html=True)
        factories.issue(pub=factories.publication(), number=118, pages=1)
        self.as_("chief")
        issues = self.client.get(reverse("admin:issues_issue_changelist"))
        self.assertContains(issues, '<option value="" selected>选择操作</option>', html=True)
        self.assertContains(issues, "新增期")
