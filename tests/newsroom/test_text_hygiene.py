"""Control characters (Word's U+000B, a terminal's ESC) are refused at every door that writes
text, stored ones are cleaned by a migration, and the Atom feed carries plain text only."""

import importlib
import io
import tempfile
from contextlib import redirect_stdout
from xml.etree import ElementTree

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from articles.models import Article, Photo
from backissues.textformat import FormatError, parse
from desk.models import Transition
from issues.models import Publication
from people.models import Person
from tests import factories
from tests.backissues.importing import SAMPLE_TEXT, run, write
from tests.desk.test_admin_workflow import DeskTestCase, change_data

ATOM = "{http://www.w3.org/2005/Atom}"


class ValidatorTests(TestCase):
    def test_every_text_field_refuses_control_characters_in_full_clean(self):
        pub = factories.publication()
        issue = factories.issue(pub=pub, published=True)
        article = factories.article(issue.pages.get())
        cases = [
            (article, "headline"),
            (article, "subheadline"),
            (article, "dateline"),
            (article, "body"),
            (factories.photo(article=article), "caption"),
            (factories.person("郁菲菲"), "name"),
            (pub, "name"),
            (issue.pages.get(), "name"),
        ]
        for obj, field in cases:
            for bad in ("\x0b", "\x1b", "\x00", "\x7f", "\x85"):
                with self.subTest(model=type(obj).__name__, field=field, char=bad):
                    setattr(obj, field, f"罗塘{bad}街道")
                    with self.assertRaises(ValidationError) as caught:
                        obj.full_clean()
                    self.assertIn(field, caught.exception.message_dict)
                    obj.refresh_from_db()

    def test_newline_and_tab_stay_allowed_in_the_body(self):
        article = factories.article(None, body="第一段。\r\n第二段\t有制表符。")
        article.full_clean()

    def test_a_sponsor_with_a_control_character_is_refused(self):
        pub = factories.publication(sponsors=["罗塘街道\x1b党工委"])
        with self.assertRaises(ValidationError):
            pub.full_clean()


class AdminFormTests(DeskTestCase):
    def test_the_change_form_refuses_a_pasted_vertical_tab_in_chinese(self):
        article = self.article(Article.Status.DRAFT)
        self.as_("correspondent")
        url = reverse("admin:articles_article_change", args=[article.pk])
        response = self.client.post(url, change_data(article, headline="罗塘\x0b街道"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "不可见的控制字符")
        self.assertContains(response, "U+000B")
        article.refresh_from_db()
        self.assertNotIn("\x0b", article.headline)

    def test_a_step_note_with_escape_is_refused(self):
        article = self.article(Article.Status.SUBMITTED)
        self.as_("editor")
        url = reverse("admin:articles_article_step", args=[article.pk, "return_to_author"])
        response = self.client.post(url, {"note": "请补充\x1b[31m"}, follow=True)
        self.assertContains(response, "不可见的控制字符")
        article.refresh_from_db()
        self.assertEqual(article.status, Article.Status.SUBMITTED)
        self.assertFalse(Transition.objects.filter(note__contains="\x1b").exists())

    def test_the_publication_form_refuses_an_escape(self):
        pub = factories.publication()
        user = get_user_model().objects.create_superuser("chief2", password="pw")
        self.client.force_login(user)
        url = reverse("admin:issues_publication_change", args=[pub.pk])
        response = self.client.post(
            url,
            {
                "name": "今日\x1b罗塘",
                "slug": pub.slug,
                "sponsors": "",
                "sponsor_role": "主办",
                "epaper_url": "",
                "submission_email": "",
            },
        )
        self.assertContains(response, "不可见的控制字符")
        pub.refresh_from_db()
        self.assertEqual(pub.name, "今日罗塘")


class ImporterTests(TestCase):
    def test_parse_names_the_line_of_a_control_character(self):
        text = SAMPLE_TEXT.replace("## ", "## 罗塘\x0b", 1)
        line = text[: text.index("\x0b")].count("\n") + 1
        with self.assertRaises(FormatError) as caught:
            parse(text)
        self.assertEqual(caught.exception.line, line)
        self.assertIn("U+000B", caught.exception.message)

    def test_import_issues_reports_file_and_line(self):
        with tempfile.TemporaryDirectory() as directory:
            path = write(directory, "118.md", SAMPLE_TEXT.replace("## ", "## \x1b", 1))
            line = path.read_text()[: path.read_text().index("\x1b")].count("\n") + 1
            result = run("import_issues", path)
        self.assertTrue(result.failed)
        self.assertIn(f"{path}:{line}: control character U+001B", result.stderr)
        self.assertFalse(Article.objects.exists())


class CleaningMigrationTests(TestCase):
    def test_the_migration_cleans_stored_text_and_reports_counts(self):
        pub = factories.publication(sponsors=["罗塘\x0c街道"])
        issue = factories.issue(pub=pub, published=True)
        article = factories.article(issue.pages.get())
        Article.objects.filter(pk=article.pk).update(
            headline="罗塘\x1b街道", body="第一行\x0b第二行。"
        )
        Photo.objects.create(article=article, caption="图为\x07现场。")
        Person.objects.create(name="郁\x1f菲菲")
        migration = importlib.import_module("desk.migrations.0003_clean_control_characters")
        out = io.StringIO()
        with redirect_stdout(out):
            migration.clean(apps, None)
        article.refresh_from_db()
        self.assertEqual(article.headline, "罗塘街道")
        self.assertEqual(article.body, "第一行\n第二行。")
        self.assertEqual(Photo.objects.get().caption, "图为现场。")
        self.assertTrue(Person.objects.filter(name="郁菲菲").exists())
        self.assertEqual(Publication.objects.get().sponsors, ["罗塘\n街道"])
        report = out.getvalue()
        for part in ("Article.headline: 1", "Article.body: 1", "Photo.caption: 1"):
            self.assertIn(part, report)
        self.assertIn("Person.name: 1", report)
        self.assertIn("Publication.sponsors: 1", report)
        # Twice is safe: nothing left to change, nothing printed.
        out = io.StringIO()
        with redirect_stdout(out):
            migration.clean(apps, None)
        self.assertEqual(out.getvalue(), "")


class FeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        issue = factories.issue(published=True)
        cls.article = factories.article(
            issue.pages.get(),
            headline="罗塘街道开展消防演练",
            subheadline='副题<img src=x onerror="alert(1)">',
        )

    def entries(self):
        response = self.client.get("/jinriluotang/feed/")
        self.assertEqual(response.status_code, 200)
        return ElementTree.fromstring(response.content).findall(f"{ATOM}entry")

    def test_summaries_are_plain_text_never_markup(self):
        (entry,) = self.entries()
        summary = entry.find(f"{ATOM}summary")
        self.assertEqual(summary.get("type"), "text")
        # The angle brackets are escaped text a reader shows as text, never an <img>.
        self.assertEqual(summary.text, '副题<img src=x onerror="alert(1)">')
        self.assertNotIn(b"<img", self.client.get("/jinriluotang/feed/").content)

    def test_a_control_character_written_around_the_models_is_no_500(self):
        Article.objects.filter(pk=self.article.pk).update(
            headline="罗塘\x1b街道", subheadline="", body="第一段\x0b有控制字符。"
        )
        (entry,) = self.entries()
        self.assertEqual(entry.find(f"{ATOM}title").text, "罗塘街道")
        self.assertEqual(entry.find(f"{ATOM}summary").text, "第一段\n有控制字符。")
