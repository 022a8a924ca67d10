"""Bylines and photos have one door: the desk's services (issue #10, found 1 and 4).

Each test is what a staff member tried over HTTP, with valid CSRF tokens, on the stand-alone
Byline and Photo pages, the article form's rows and the bulk delete action."""

from django.urls import reverse

from articles.models import Article, Byline, Correction, Photo
from desk.models import Transition
from issues.models import IssueCorrection
from tests import factories
from tests.desk.doors import DoorTestCase

A = Article.Status


class PartsDoorTests(DoorTestCase):
    def setUp(self):
        super().setUp()
        self.reporter = factories.person("丁小勇")
        issue = factories.issue(number=118, published=True)
        self.published_page = issue.pages.get()
        self.published = factories.article(
            self.published_page,
            created_by=self.desk.correspondent,
            bylines=[(self.reporter, "reporter")],
        )
        self.photo_news = factories.photo(page=self.published_page, caption="图为罗塘夜景。")
        self.own_draft = factories.article(
            headline="李书翔的草稿", created_by=self.desk.correspondent
        )
        self.others_draft = factories.article(
            headline="杨旭的草稿", created_by=self.desk.other_correspondent
        )

    def byline_data(self, article, person=None, role="reporter", **extra):
        return {
            "person": (person or self.reporter).pk,
            "role": role,
            "article": article.pk,
            "order": 0,
            **extra,
        }

    def photo_data(self, *, article=None, page=None, caption="伪造的图片新闻。", **extra):
        return {
            "caption": caption,
            "article": article.pk if article else "",
            "page": page.pk if page else "",
            "order": 0,
            "credit_role": "",
            "alt_text": "",
            "photographer": "",
            **extra,
        }

    def draft_form(self, byline_rows, initial=0):
        """The own draft's change form as read at version 1, with these byline rows."""
        return {
            "headline": self.own_draft.headline,
            "subheadline": "",
            "dateline": "",
            "body": self.own_draft.body,
            "expected_version": "1",
            **self.formset("bylines", byline_rows, initial=initial),
            **self.formset("photos"),
            **self.formset("corrections"),
        }

    # Found 1: a correspondent adds photo news to a published page and a byline to a
    # published article.

    def test_a_correspondent_cannot_add_photo_news_to_a_published_page(self):
        self.as_("correspondent")
        response = self.post(
            reverse("admin:articles_photo_add"), self.photo_data(page=self.published_page)
        )
        self.assertIn(response.status_code, (302, 403))
        self.assertFalse(Photo.objects.filter(caption="伪造的图片新闻。").exists())
        self.assertFalse(Transition.objects.exists())

    def test_a_correspondent_cannot_add_a_byline_to_a_published_article(self):
        self.as_("correspondent")
        person = factories.person("冒名")
        response = self.post(
            reverse("admin:articles_byline_add"), self.byline_data(self.published, person)
        )
        self.assertIn(response.status_code, (302, 403))
        self.assertFalse(Byline.objects.filter(person=person).exists())
        self.published.refresh_from_db()
        self.assertEqual(self.published.version, 1)

    def test_a_correspondent_cannot_add_a_byline_to_another_correspondents_draft(self):
        self.as_("correspondent")
        response = self.post(
            reverse("admin:articles_byline_add"), self.byline_data(self.others_draft)
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(self.others_draft.bylines.exists())
        messages = self.client.get(response.url)
        self.assertContains(messages, "您不能修改这篇稿件的署名或图片")

    def test_a_correspondent_cannot_move_their_byline_onto_a_published_article(self):
        own = Byline.objects.create(article=self.own_draft, person=self.reporter, role="reporter")
        self.as_("correspondent")
        response = self.post(
            reverse("admin:articles_byline_change", args=[own.pk]),
            self.byline_data(self.published, role="correspondent"),
        )
        self.assertEqual(response.status_code, 302)
        own.refresh_from_db()
        self.assertEqual((own.article, own.role), (self.own_draft, "reporter"))
        self.assertEqual(self.published.bylines.count(), 1)

    def test_a_correspondent_adds_a_byline_to_their_own_draft_logged_and_versioned(self):
        self.as_("correspondent")
        response = self.post(reverse("admin:articles_byline_add"), self.byline_data(self.own_draft))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.own_draft.bylines.get().person, self.reporter)
        self.own_draft.refresh_from_db()
        self.assertEqual(self.own_draft.version, 2)
        entry = Transition.objects.get(article=self.own_draft)
        self.assertEqual((entry.action, entry.by), ("edit_bylines", self.desk.correspondent))
        self.assertIn("丁小勇", entry.note)

    # Found 1: an editor changes or deletes photo news on a published page.

    def test_an_editor_cannot_change_or_delete_photo_news_of_a_published_issue(self):
        self.as_("editor")
        change = self.post(
            reverse("admin:articles_photo_change", args=[self.photo_news.pk]),
            self.photo_data(page=self.published_page, caption="改过的图片说明。"),
        )
        delete = self.post(
            reverse("admin:articles_photo_delete", args=[self.photo_news.pk]), {"post": "yes"}
        )
        self.assertEqual((change.status_code, delete.status_code), (403, 403))
        self.photo_news.refresh_from_db()
        self.assertEqual(self.photo_news.caption, "图为罗塘夜景。")

    def test_an_editor_cannot_bulk_delete_a_published_articles_byline(self):
        draft_byline = Byline.objects.create(
            article=self.own_draft, person=self.reporter, role="reporter"
        )
        published_byline = self.published.bylines.get()
        self.as_("editor")
        response = self.post(
            reverse("admin:articles_byline_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [draft_byline.pk, published_byline.pk],
                "post": "yes",
            },
        )
        self.assertIn(response.status_code, (302, 403))
        # All or nothing: the draft's byline stays too.
        self.assertEqual(
            Byline.objects.filter(pk__in=[draft_byline.pk, published_byline.pk]).count(), 2
        )
        self.assertFalse(Transition.objects.exists())

    def test_an_editor_bulk_deletes_draft_bylines_through_the_desk(self):
        byline = Byline.objects.create(
            article=self.own_draft, person=self.reporter, role="reporter"
        )
        self.as_("editor")
        self.post(
            reverse("admin:articles_byline_changelist"),
            {"action": "delete_selected", "_selected_action": [byline.pk], "post": "yes"},
        )
        self.assertFalse(Byline.objects.filter(pk=byline.pk).exists())
        self.own_draft.refresh_from_db()
        self.assertEqual(self.own_draft.version, 2)
        self.assertEqual(Transition.objects.get(article=self.own_draft).action, "edit_bylines")

    def test_an_editor_moves_a_photo_between_drafts_logged_on_both(self):
        photo = factories.photo(article=self.own_draft, caption="图为企业车间。")
        self.as_("editor")
        response = self.post(
            reverse("admin:articles_photo_change", args=[photo.pk]),
            self.photo_data(article=self.others_draft, caption="图为企业车间。"),
        )
        self.assertEqual(response.status_code, 302)
        photo.refresh_from_db()
        self.assertEqual(photo.article, self.others_draft)
        for article in (self.own_draft, self.others_draft):
            article.refresh_from_db()
            self.assertEqual(article.version, 2)
            self.assertEqual(Transition.objects.get(article=article).action, "edit_photos")

    # Found 4: a stand-alone byline edit must make a stale article form fail.

    def test_a_stale_article_form_cannot_write_back_an_old_byline(self):
        byline = Byline.objects.create(
            article=self.own_draft, person=self.reporter, role="reporter"
        )
        self.as_("editor")
        form = self.client.get(reverse("admin:articles_article_change", args=[self.own_draft.pk]))
        self.assertContains(form, 'name="expected_version" value="1"')
        self.post(
            reverse("admin:articles_byline_change", args=[byline.pk]),
            self.byline_data(self.own_draft, role="photographer"),
        )
        stale = self.post(
            reverse("admin:articles_article_change", args=[self.own_draft.pk]),
            self.draft_form(
                [
                    {
                        "id": byline.pk,
                        "article": self.own_draft.pk,
                        "role": "reporter",
                        "person": self.reporter.pk,
                        "order": 0,
                    }
                ],
                initial=1,
            ),
        )
        self.assertEqual(stale.status_code, 200)  # the form again, with the refusal
        byline.refresh_from_db()
        self.assertEqual(byline.role, "photographer")

    def test_the_article_forms_byline_rows_go_through_the_desk(self):
        self.as_("correspondent")
        response = self.post(
            reverse("admin:articles_article_change", args=[self.own_draft.pk]),
            self.draft_form([{"role": "reporter", "person": self.reporter.pk, "order": 0}]),
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.own_draft.bylines.get().person, self.reporter)
        entry = Transition.objects.get(article=self.own_draft)
        self.assertEqual(entry.action, "edit_bylines")

    # The responsible editor fixes a published byline or photo: a correction with a note.

    def test_the_responsible_editor_corrects_a_published_byline_with_a_note_readers_see(self):
        byline = self.published.bylines.get()
        right = factories.person("丁晓勇")
        self.as_("chief")
        url = reverse("admin:articles_byline_change", args=[byline.pk])
        without_note = self.post(url, self.byline_data(self.published, right))
        self.assertEqual(without_note.status_code, 302)
        byline.refresh_from_db()
        self.assertEqual(byline.person, self.reporter)
        self.post(
            url, self.byline_data(self.published, right, correction_note="记者姓名应为丁晓勇。")
        )
        byline.refresh_from_db()
        self.assertEqual(byline.person, right)
        correction = Correction.objects.get(article=self.published)
        self.assertEqual(correction.note, "记者姓名应为丁晓勇。")
        entry = Transition.objects.get(article=self.published)
        self.assertEqual((entry.action, entry.by), ("correct", self.desk.chief))
        self.published.refresh_from_db()
        self.assertEqual(self.published.version, 2)
        self.client.logout()
        page = self.client.get(self.published.get_absolute_url())
        self.assertContains(page, "记者姓名应为丁晓勇。")
        self.assertContains(page, "丁晓勇")

    def test_the_responsible_editor_deletes_published_photo_news_as_a_correction(self):
        self.as_("chief")
        url = reverse("admin:articles_photo_delete", args=[self.photo_news.pk])
        self.assertContains(self.client.get(url), 'name="correction_note"')
        self.post(url, {"post": "yes"})
        self.assertTrue(Photo.objects.filter(pk=self.photo_news.pk).exists())
        self.post(url, {"post": "yes", "correction_note": "误用他处照片，已删除。"})
        self.assertFalse(Photo.objects.filter(pk=self.photo_news.pk).exists())
        issue = self.published_page.issue
        self.assertEqual(IssueCorrection.objects.get(issue=issue).note, "误用他处照片，已删除。")
        self.assertEqual(Transition.objects.get(issue=issue).action, "correct_issue")
        self.client.logout()
        self.assertContains(self.client.get(issue.get_absolute_url()), "误用他处照片，已删除。")

    def test_nobody_adds_photos_to_a_withdrawn_article(self):
        self.published.status = A.WITHDRAWN
        self.published.save()
        for role in ("editor", "chief", "superuser"):
            with self.subTest(role=role):
                self.as_(role)
                self.post(
                    reverse("admin:articles_photo_add"),
                    self.photo_data(article=self.published, correction_note="补图"),
                )
                self.assertFalse(self.published.photos.exists())
