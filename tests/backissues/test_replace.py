"""`import_issues --replace` after the desk touched 118: ids, addresses and decisions stay.

郁菲菲 (责任编辑) withdrew one story of 总第118期 and corrected another; 李书翔 was added as a
byline at the desk; the photo news got its picture uploaded. Then a corrected file of 118
comes in from the print shop.
"""

import io
import tempfile
from unittest import mock

from django.core.files.base import ContentFile
from django.test import TestCase, override_settings
from PIL import Image

from articles.models import Article, Byline, Correction, Photo, RetiredArticle
from desk import issue_services, services
from desk.models import Transition
from issues.models import Issue
from people.models import Person
from tests import factories

from .importing import SAMPLE, SAMPLE_TEXT, dump_tables, run, write

MEDIA = tempfile.mkdtemp(prefix="newsroom-test-media-replace-")

FIRST = "罗塘街道(高新区)部署当前重点工作"
SECOND = "区政协调研罗塘街道“网格化治理”协商议事工作"
THIRD = "三个“聚焦”锻造过硬乡村振兴指导员队伍"
FOURTH = "缪杰明带队走访辖区企业"
FIFTH = "罗塘街道人大工委召开全体(扩大)会议"
# The third story's first words, and the print shop's new version of them.
PRINTED_THIRD = "“乡村振兴指导员到银穆后"
REPRINTED_THIRD = "“农村振兴指导员到银穆后"


def png() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="upload.png")


def first_words(headline, count=12):
    return Article.objects.get(headline=headline).body[:count]


def desk_work(staff):
    """A withdrawal, a correction, a desk byline and an uploaded picture."""
    services.withdraw(
        article=Article.objects.get(headline=SECOND), by=staff.chief, note="当事人要求"
    )
    corrected = Article.objects.get(headline=THIRD)
    services.correct(
        article=corrected,
        by=staff.chief,
        text=corrected.body.replace("乡村振兴指导员", "乡村振兴工作指导员", 1),
        note="更正职务名称",
    )
    Byline.objects.create(
        article=Article.objects.get(headline=FIFTH),
        person=Person.objects.get(name="李书翔", user__isnull=False),
        role=Byline.Role.CORRESPONDENT,
        order=5,
    )
    photo = Photo.objects.get()
    photo.image = png()
    photo.save()


@override_settings(MEDIA_ROOT=MEDIA)
class ReplaceAfterDeskWorkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        run("import_issues", SAMPLE)
        cls.staff = factories.desk()
        cls.ids = dict(Article.objects.values_list("headline", "pk"))

    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)

    def article(self, headline):
        return Article.objects.get(headline=headline)

    def file(self, text, name="118.md"):
        return write(self.directory.name, name, text)

    def desk_work(self):
        desk_work(self.staff)

    # ----------------------------------------------------------------- keeping

    def test_a_one_word_replace_keeps_ids_and_everything_the_desk_did(self):
        self.desk_work()
        steps = Transition.objects.filter(article__isnull=False).count()
        self.assertGreaterEqual(steps, 2)
        old_body = self.article(FIRST).body
        changed = self.file(SAMPLE_TEXT.replace("11月21日,罗塘街道", "11月22日,罗塘街道", 1))
        result = run("import_issues", changed, replace=True)
        self.assertFalse(result.failed, result.stderr)
        self.assertIn("replaced 1", result.stdout)
        # Every article keeps its row, so its address.
        self.assertEqual(dict(Article.objects.values_list("headline", "pk")), self.ids)
        first = self.article(FIRST)
        self.assertNotEqual(first.body, old_body)
        self.assertIn("11月22日", first.body)
        self.assertEqual(first.version, 2)
        self.assertEqual(self.article(SECOND).status, Article.Status.WITHDRAWN)
        third = self.article(THIRD)
        self.assertIn("乡村振兴工作指导员", third.body)
        self.assertEqual(Correction.objects.get().article, third)
        self.assertIn(
            ("李书翔", "correspondent"),
            [(b.person.name, b.role) for b in self.article(FIFTH).bylines.all()],
        )
        self.assertTrue(Photo.objects.get().image)
        self.assertEqual(Transition.objects.filter(article__isnull=False).count(), steps)
        # The output says what happened to each article.
        out = result.stdout
        self.assertIn(f"第1版 1 #{self.ids[FIRST]} {FIRST}: text changed (by the file: text)", out)
        self.assertIn(f"#{self.ids[SECOND]} {SECOND}: kept desk changes (withdrawn (撤稿))", out)
        self.assertIn(f"#{self.ids[THIRD]} {THIRD}: kept desk changes (corrected text (更正 ", out)
        self.assertIn(f"#{self.ids[FOURTH]} {FOURTH}: unchanged", out)
        self.assertIn(
            f"#{self.ids[FIFTH]} {FIFTH}: kept desk changes "
            "(byline 李书翔 (correspondent) added at the desk)",
            out,
        )
        # The withdrawn article stays away from readers; the others answer at their address.
        second = self.article(SECOND)
        self.assertEqual(self.client.get(second.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.get(first.get_absolute_url()).status_code, 200)

    def test_a_replaced_issue_with_desk_work_imports_the_same_file_again_cleanly(self):
        self.desk_work()
        changed = self.file(SAMPLE_TEXT.replace("11月21日,罗塘街道", "11月22日,罗塘街道", 1))
        run("import_issues", changed, replace=True)
        again = run("import_issues", changed, replace=True)
        self.assertFalse(again.failed, again.stderr)
        self.assertNotIn("text changed", again.stdout)
        self.assertEqual(self.article(SECOND).status, Article.Status.WITHDRAWN)

    def test_a_file_with_the_desks_correction_in_it_is_no_conflict(self):
        self.desk_work()
        corrected = self.article(THIRD).body.split("\n")[0]
        printed = Article.objects.get(headline=THIRD).printed["body"].split("\n")[0]
        changed = self.file(SAMPLE_TEXT.replace(printed, corrected, 1))
        result = run("import_issues", changed, replace=True)
        self.assertFalse(result.failed, result.stderr)
        self.assertEqual(Correction.objects.count(), 1)

    # ----------------------------------------------------------------- refusing

    def refused(self, text):
        before = dump_tables()
        result = run("import_issues", self.file(text), replace=True)
        self.assertTrue(result.failed, result.stdout)
        self.assertEqual(dump_tables(), before)
        self.assertIn("replacing 总第118期 would undo what the desk did", result.stderr)
        return result.stderr

    def test_changing_a_corrected_articles_text_is_refused_with_the_article_named(self):
        self.desk_work()
        stderr = self.refused(SAMPLE_TEXT.replace(PRINTED_THIRD, REPRINTED_THIRD, 1))
        self.assertIn(f"第1版 3 #{self.ids[THIRD]} {THIRD}: corrected (更正 ", stderr)
        self.assertIn("更正职务名称) and the file changes its text", stderr)

    def test_changing_a_withdrawn_article_is_refused(self):
        self.desk_work()
        words = first_words(SECOND, 20)
        stderr = self.refused(SAMPLE_TEXT.replace(words, words + "又", 1))
        self.assertIn(
            f"第1版 2 #{self.ids[SECOND]} {SECOND}: withdrawn (撤稿) at the desk and the file "
            "changes it",
            stderr,
        )

    def test_dropping_an_article_the_desk_worked_on_is_refused(self):
        self.desk_work()
        start = SAMPLE_TEXT.index(f"## {SECOND}")
        end = SAMPLE_TEXT.index(f"## {THIRD}")
        stderr = self.refused(SAMPLE_TEXT[:start] + SAMPLE_TEXT[end:])
        self.assertIn(
            f"#{self.ids[SECOND]} {SECOND}: the file no longer has it, and the desk's work "
            "would be lost: withdrawn (撤稿)",
            stderr,
        )

    def test_republishing_an_issue_the_desk_took_back_is_refused(self):
        issue_services.unpublish_issue(
            issue=Issue.objects.get(), by=self.staff.chief, reason="版面有误"
        )
        stderr = self.refused(SAMPLE_TEXT.replace("11月21日,罗塘街道", "11月22日,罗塘街道", 1))
        self.assertIn("总第118期 is ready at the desk", stderr)

    def test_an_unpublished_issue_keeps_the_desks_layout_state(self):
        issue = Issue.objects.get()
        issue_services.unpublish_issue(issue=issue, by=self.staff.chief, reason="版面有误")
        issue_services.reopen_layout(issue=issue, by=self.staff.layout)
        text = SAMPLE_TEXT.replace("11月21日,罗塘街道", "11月22日,罗塘街道", 1)
        result = run("import_issues", self.file(text), replace=True, unpublished=True)
        self.assertFalse(result.failed, result.stderr)
        issue.refresh_from_db()
        self.assertEqual(issue.status, Issue.Status.IN_LAYOUT)

    # ----------------------------------------------------------------- --force

    def forced(self, text, answer=None, **options):
        path = self.file(text)
        if answer is None:
            return run("import_issues", path, force=True, **options)
        with mock.patch("builtins.input", return_value=answer) as asked:
            result = run("import_issues", path, force=True, **options)
        self.assertTrue(asked.called)
        return result

    def test_force_asks_first_and_changes_nothing_without_a_yes(self):
        self.desk_work()
        text = SAMPLE_TEXT.replace(PRINTED_THIRD, REPRINTED_THIRD, 1)
        before = dump_tables()
        for answer in ("no", "", "y"):
            with self.subTest(answer=answer):
                result = self.forced(text, answer=answer)
                self.assertTrue(result.failed)
                self.assertIn("import cancelled", str(result.error))
                self.assertEqual(dump_tables(), before)
        with mock.patch("builtins.input", side_effect=EOFError):
            self.assertTrue(run("import_issues", self.file(text), force=True).failed)
        self.assertEqual(dump_tables(), before)

    def test_force_with_yes_discards_the_conflicting_desk_work_and_keeps_ids(self):
        self.desk_work()
        text = SAMPLE_TEXT.replace(PRINTED_THIRD, REPRINTED_THIRD, 1)
        second_words = first_words(SECOND, 20)
        text = text.replace(second_words, second_words + "又", 1)
        with mock.patch("builtins.input", side_effect=AssertionError("asked")):
            result = run("import_issues", self.file(text), force=True, interactive=False)
        self.assertFalse(result.failed, result.stderr)
        self.assertEqual(dict(Article.objects.values_list("headline", "pk")), self.ids)
        third = self.article(THIRD)
        self.assertIn("农村振兴", third.body)
        self.assertFalse(Correction.objects.exists())
        self.assertEqual(self.article(SECOND).status, Article.Status.PUBLISHED)
        self.assertIn(
            f"#{self.ids[THIRD]} {THIRD}: desk changes discarded (--force)", result.stdout
        )
        # What did not conflict is kept even so.
        self.assertTrue(Photo.objects.get().image)
        self.assertEqual(self.article(FIFTH).bylines.count(), 2)

    def test_yes_and_no_input_are_the_same_switch(self):
        self.desk_work()
        text = SAMPLE_TEXT.replace(PRINTED_THIRD, REPRINTED_THIRD, 1)
        with mock.patch("builtins.input", side_effect=AssertionError("asked")):
            result = run("import_issues", self.file(text), "--force", "--no-input")
        self.assertFalse(result.failed, result.stderr)

    def test_a_dry_run_with_force_asks_nothing(self):
        with mock.patch("builtins.input", side_effect=AssertionError("asked")):
            result = run("import_issues", SAMPLE, force=True, dry_run=True)
        self.assertFalse(result.failed, result.stderr)

    # ----------------------------------------------------------------- addresses

    def test_a_dropped_article_answers_410_with_a_plain_chinese_page(self):
        fifth = self.article(FIFTH)
        url = fifth.get_absolute_url()
        start = SAMPLE_TEXT.index(f"## {FIFTH}")
        result = run("import_issues", self.file(SAMPLE_TEXT[:start]), replace=True)
        self.assertFalse(result.failed, result.stderr)
        self.assertIn(f"#{fifth.pk} {FIFTH}: removed (its address answers 410 Gone)", result.stdout)
        self.assertFalse(Article.objects.filter(pk=fifth.pk).exists())
        response = self.client.get(url)
        self.assertEqual(response.status_code, 410)
        self.assertContains(response, "稿件已删除", status_code=410)
        self.assertContains(response, FIFTH, status_code=410)
        # An address that never was stays a 404.
        self.assertEqual(self.client.get(url.replace(str(fifth.pk), "99999")).status_code, 404)

    def test_a_dropped_article_whose_text_moved_redirects_to_its_successor(self):
        fifth = self.article(FIFTH)
        url = fifth.get_absolute_url()
        # 第1版's last story goes to a new 第2版 under a new headline: not the same place, not
        # the same headline, but the same text.
        start = SAMPLE_TEXT.index(f"## {FIFTH}")
        story = SAMPLE_TEXT[start:].replace(f"## {FIFTH}", "## 人大工委召开全体会议", 1)
        text = SAMPLE_TEXT[:start] + "第2版 综合\n\n" + story
        result = run("import_issues", self.file(text), replace=True)
        self.assertFalse(result.failed, result.stderr)
        successor = Article.objects.get(headline="人大工委召开全体会议")
        self.assertIn(f"removed (its address redirects to #{successor.pk})", result.stdout)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], successor.get_absolute_url())

    def test_a_retitled_article_in_its_place_keeps_its_id(self):
        text = SAMPLE_TEXT.replace(f"## {FOURTH}", "## 缪杰明走访辖区重点企业", 1)
        result = run("import_issues", self.file(text), replace=True)
        self.assertFalse(result.failed, result.stderr)
        self.assertEqual(
            Article.objects.get(headline="缪杰明走访辖区重点企业").pk, self.ids[FOURTH]
        )
        self.assertFalse(RetiredArticle.objects.exists())

    def test_swapped_articles_keep_their_ids(self):
        second = SAMPLE_TEXT.index(f"## {SECOND}")
        third = SAMPLE_TEXT.index(f"## {THIRD}")
        fourth = SAMPLE_TEXT.index(f"## {FOURTH}")
        text = (
            SAMPLE_TEXT[:second]
            + SAMPLE_TEXT[third:fourth]
            + SAMPLE_TEXT[second:third]
            + SAMPLE_TEXT[fourth:]
        )
        result = run("import_issues", self.file(text), replace=True)
        self.assertFalse(result.failed, result.stderr)
        self.assertEqual(dict(Article.objects.values_list("headline", "pk")), self.ids)
        self.assertEqual(self.article(THIRD).order, 1)
        self.assertIn(f"#{self.ids[THIRD]} {THIRD}: unchanged (moved from 第1版 3)", result.stdout)
