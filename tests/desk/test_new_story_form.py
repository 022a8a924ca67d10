"""写新稿: the new story form is titled as the desk's link says, and carries the (hidden) box
desk.js keeps the story in until its first save, keyed to the writer; a saved story's form
has no such box (the server autosaves drafts). The browser side is
tests/browser/test_desk_new_story_kept.py."""

from django.test import TestCase
from django.urls import reverse

from articles.models import Article
from desk import services
from tests import factories


class NewStoryFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = factories.desk()

    def test_the_new_story_form_is_written_and_kept_per_writer(self):
        self.client.force_login(self.desk.correspondent)
        response = self.client.get(reverse("admin:articles_article_add"))
        self.assertContains(response, "<h1>写新稿</h1>", html=True)
        self.assertContains(response, "› 写新稿")
        self.assertNotContains(response, "增加 稿件")
        self.assertContains(
            response,
            f'id="local-draft" class="local-draft" role="status" hidden '
            f'data-draft-key="newsroom:new-article:{self.desk.correspondent.pk}"',
        )

    def test_a_saved_story_is_not_kept_in_the_browser(self):
        story = services.file_article(
            article=Article(headline="罗塘小学举行冬季运动会", body="全校师生参加。"),
            by=self.desk.correspondent,
        )
        self.client.force_login(self.desk.correspondent)
        response = self.client.get(reverse("admin:articles_article_change", args=[story.pk]))
        self.assertNotContains(response, "local-draft")
        self.assertContains(response, "autosave-status")
