"""上移/下移: a story's photos are put in order with two buttons, without dragging and without
JavaScript. The buttons are submit buttons of the article's own form: what was typed is saved,
then the photo moves; who may is who may edit the story's photos, and each move is logged."""

import re

from django.test import override_settings
from django.urls import reverse

from articles.models import Article
from desk.models import Transition
from issues.models import Issue
from tests import factories
from tests.desk.test_admin_workflow import ROLES, DeskTestCase, change_data

A = Article.Status


class PhotoOrderTests(DeskTestCase):
    def setUp(self):
        self.story = self.article(A.DRAFT)
        # Order numbers as they come from the desk: equal ones and gaps.
        self.photos = [
            factories.photo(article=self.story, caption=caption)
            for caption in ("稻田收割忙。", "农机进田。", "丰收的喜悦。")
        ]
        for photo, order in zip(self.photos, (0, 0, 5), strict=True):
            photo.order = order
            photo.save(update_fields=["order"])

    def url(self, story=None):
        return reverse("admin:articles_article_change", args=[(story or self.story).pk])

    def move(self, photo, direction, story=None, **changes):
        story = story or self.story
        story.refresh_from_db()
        data = change_data(story, _photo_move=f"{photo.pk}:{direction}", **changes)
        return self.client.post(self.url(story), data)

    def captions(self, story=None):
        story = story or self.story
        return list(story.photos.order_by("order", "pk").values_list("caption", flat=True))

    @override_settings(LANGUAGE_CODE="zh-hans")
    def test_the_author_moves_a_photo_down_and_the_move_is_logged(self):
        self.as_("correspondent")
        version = self.story.version
        response = self.move(self.photos[0], "down")
        self.assertRedirects(response, self.url() + "#photos-group", fetch_redirect_response=False)
        self.assertEqual(self.captions(), ["农机进田。", "稻田收割忙。", "丰收的喜悦。"])
        self.assertEqual(
            list(self.story.photos.order_by("order").values_list("order", flat=True)), [0, 1, 2]
        )
        logged = Transition.objects.filter(article=self.story, action="edit_photos").get()
        self.assertEqual(logged.by, self.desk.correspondent)
        self.assertEqual(logged.note, "照片下移：稻田收割忙。")
        self.story.refresh_from_db()
        self.assertGreater(self.story.version, version)  # a form opened before is stale now

    @override_settings(LANGUAGE_CODE="zh-hans")
    def test_the_buttons_are_in_the_form_first_without_up_last_without_down(self):
        self.as_("correspondent")
        page = self.client.get(self.url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        first, second, third = (photo.pk for photo in self.photos)
        for value in (f"{first}:down", f"{second}:up", f"{second}:down", f"{third}:up"):
            self.assertIn(f'name="_photo_move" value="{value}"', page)
        self.assertNotIn(f'value="{first}:up"', page)
        self.assertNotIn(f'value="{third}:down"', page)
        self.assertIn("上移", page)
        self.assertIn("下移", page)
        # Inside the article's form, whose save comes first.
        form = page[page.index('id="article_form"') :]
        self.assertLess(form.index("_photo_move"), form.index("</form>"))
        # Enter in a field takes the form's first submit button: a plain save, never a move.
        first_button = re.search(r'<button type="submit" name="(\w+)"', form)
        self.assertEqual(first_button.group(1), "_continue")

    def test_what_was_typed_is_saved_with_the_move(self):
        self.as_("correspondent")
        self.move(self.photos[2], "up", headline="秋收正忙")
        self.story.refresh_from_db()
        self.assertEqual(self.story.headline, "秋收正忙")
        self.assertEqual(self.captions(), ["稻田收割忙。", "丰收的喜悦。", "农机进田。"])

    def test_the_first_photo_does_not_move_up(self):
        self.as_("editor")
        response = self.move(self.photos[0], "up")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.captions(), ["稻田收割忙。", "农机进田。", "丰收的喜悦。"])
        self.assertFalse(Transition.objects.filter(action="edit_photos").exists())

    def test_a_photo_of_another_story_is_not_moved_from_this_form(self):
        other = self.article(A.DRAFT)
        stranger = factories.photo(article=other, caption="别的稿件的照片。")
        factories.photo(article=other, caption="别的稿件的第二张。")
        self.as_("correspondent")
        self.move(stranger, "down")
        self.assertEqual(self.captions(other), ["别的稿件的照片。", "别的稿件的第二张。"])
        self.assertFalse(Transition.objects.filter(action="edit_photos").exists())

    def test_only_who_may_edit_the_story_moves_its_photos(self):
        # A draft: its author and the editors; a placed story: the editors; a published one:
        # nobody from this form (a correction, by the responsible editor, elsewhere).
        cases = {
            A.DRAFT: {"correspondent", "editor", "superuser"},
            A.PLACED: {"editor", "superuser"},
            A.PUBLISHED: set(),
        }
        for status, allowed in cases.items():
            for role in [*ROLES, "superuser"]:
                with self.subTest(status=status, role=role):
                    issue_status = (
                        Issue.Status.PUBLISHED if status == A.PUBLISHED else Issue.Status.IN_LAYOUT
                    )
                    story = self.article(status, issue_status=issue_status)
                    first = factories.photo(article=story, caption="第一张。")
                    factories.photo(article=story, caption="第二张。")
                    self.as_(role)
                    response = self.move(first, "down", story=story)
                    moved = self.captions(story) == ["第二张。", "第一张。"]
                    self.assertEqual(moved, role in allowed, response.status_code)
                    logged = Transition.objects.filter(article=story, action="edit_photos")
                    self.assertEqual(logged.exists(), role in allowed)
                    if role not in allowed:
                        self.assertIn(response.status_code, (302, 403, 404))
