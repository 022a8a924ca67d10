"""`import_issues --replace` keeps what the desk decided for the issue itself, and the same
file again is `unchanged`.

郁菲菲 (责任编辑) corrected the published 总第118期: 陈静 was left out of its 组版 line, and its
投稿邮箱 changed. Later the print shop sends 118 again.
"""

import tempfile
from unittest import mock

from django.test import TestCase, override_settings

from articles.models import Article
from desk import issue_services, page_services, services
from desk.models import Transition
from issues.models import Issue, IssueCorrection, LayoutCredit
from people.models import Person
from tests import factories

from .importing import SAMPLE, SAMPLE_TEXT, TABLES, run, write
from .test_replace import PRINTED_THIRD, REPRINTED_THIRD, SECOND, desk_work

MEDIA = tempfile.mkdtemp(prefix="newsroom-test-media-replace-issue-")

LAYOUT_LINE = "组版: 徐冬梅"
EMAIL_LINE = "投稿邮箱: 1028974739@qq.com"
EPAPER_LINE = "电子版: <http://epaper.routeryun.com/jyrb>"
# A word of the first story the print shop changed: the file differs, the desk's work does not.
ONE_WORD = ("11月21日,罗塘街道", "11月22日,罗塘街道")


def dump():
    """Every row the importer or the desk could write, with its timestamps and versions."""
    models = (*TABLES, IssueCorrection, Transition)
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def layout(issue=None):
    issue = issue or Issue.objects.get()
    return [credit.person.name for credit in issue.layout_credits.select_related("person")]


@override_settings(MEDIA_ROOT=MEDIA)
class Imported118(TestCase):
    """总第118期 imported, and the desk's logins."""

    @classmethod
    def setUpTestData(cls):
        run("import_issues", SAMPLE)
        cls.staff = factories.desk()

    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)

    def file(self, text):
        return write(self.directory.name, "118.md", text)

    def credit_chen_jing(self):
        """组版 corrected at the desk: a correction of the published issue, with its note."""
        page_services.save_layout_credit(
            credit=LayoutCredit(
                issue=Issue.objects.get(), person=Person.objects.get(name="陈静"), order=1
            ),
            by=self.staff.chief,
            note="补上组版陈静",
        )


class IssueFieldsAfterDeskWorkTests(Imported118):
    def correct_email(self):
        issue = Issue.objects.get()
        issue.submission_email = "luotang@example.cn"
        page_services.save_issue(issue=issue, by=self.staff.chief, note="投稿邮箱更换")

    def test_a_layout_credit_added_at_the_desk_survives_a_replace(self):
        self.credit_chen_jing()
        text = SAMPLE_TEXT.replace(*ONE_WORD, 1)
        result = run("import_issues", self.file(text), replace=True)
        self.assertFalse(result.failed, result.stderr)
        self.assertIn("replaced 1", result.stdout)
        self.assertEqual(layout(), ["徐冬梅", "陈静"])
        self.assertIn("总第118期: kept desk changes (组版 徐冬梅、陈静)", result.stdout)
        # The public issue page prints the corrected line.
        response = self.client.get(Issue.objects.get().get_absolute_url())
        self.assertContains(response, "陈静")

    def test_the_files_change_to_a_field_the_desk_left_alone_is_taken_beside_the_desks(self):
        self.correct_email()
        text = SAMPLE_TEXT.replace(*ONE_WORD, 1).replace(
            EPAPER_LINE, "电子版: <https://epaper.example.cn/jyrb>", 1
        )
        result = run("import_issues", self.file(text), replace=True)
        self.assertFalse(result.failed, result.stderr)
        issue = Issue.objects.get()
        self.assertEqual(issue.submission_email, "luotang@example.cn")
        self.assertEqual(issue.epaper_url, "https://epaper.example.cn/jyrb")
        self.assertIn("总第118期: changed by the file: 电子版", result.stdout)
        self.assertIn("kept desk changes (投稿邮箱 luotang@example.cn)", result.stdout)
        # What the file printed is kept as printed, for the next replace.
        self.assertEqual(issue.printed["submission_email"], "1028974739@qq.com")

    def test_the_file_changing_a_layout_line_the_desk_corrected_is_refused(self):
        self.credit_chen_jing()
        before = dump()
        text = SAMPLE_TEXT.replace(LAYOUT_LINE, "组版: 徐冬梅 王五", 1)
        result = run("import_issues", self.file(text), replace=True)
        self.assertTrue(result.failed, result.stdout)
        self.assertEqual(dump(), before)
        self.assertIn("replacing 总第118期 would undo what the desk did", result.stderr)
        self.assertIn("总第118期 组版 corrected (更正 ", result.stderr)
        self.assertIn(
            "补上组版陈静) at the desk to 徐冬梅、陈静 and the file changes it to 徐冬梅、王五",
            result.stderr,
        )

    def test_the_file_changing_a_corrected_email_is_refused_and_force_takes_the_file(self):
        self.correct_email()
        text = SAMPLE_TEXT.replace(EMAIL_LINE, "投稿邮箱: news@example.cn", 1)
        before = dump()
        refused = run("import_issues", self.file(text), replace=True)
        self.assertTrue(refused.failed)
        self.assertEqual(dump(), before)
        self.assertIn("投稿邮箱 corrected (更正 ", refused.stderr)
        forced = run("import_issues", self.file(text), force=True, interactive=False)
        self.assertFalse(forced.failed, forced.stderr)
        self.assertEqual(Issue.objects.get().submission_email, "news@example.cn")
        self.assertIn("总第118期: desk changes discarded (--force)", forced.stdout)

    def test_the_same_change_at_the_desk_and_in_the_file_is_no_conflict(self):
        self.credit_chen_jing()
        text = SAMPLE_TEXT.replace(LAYOUT_LINE, "组版: 徐冬梅 陈静", 1)
        result = run("import_issues", self.file(text), replace=True)
        self.assertFalse(result.failed, result.stderr)
        self.assertEqual(layout(), ["徐冬梅", "陈静"])


class SameFileAgainTests(Imported118):
    """The file imported last, again: `unchanged`, and not one row or timestamp written."""

    def desk_work(self):
        desk_work(self.staff)
        self.credit_chen_jing()

    def assert_unchanged(self, path, **options):
        before = dump()
        with mock.patch(
            "backissues.management.commands.import_issues.schedule_prerender"
        ) as prerender:
            result = run("import_issues", path, **options)
        self.assertFalse(result.failed, result.stderr)
        self.assertIn("imported 0, unchanged 1, replaced 0, failed 0", result.stdout)
        self.assertNotIn("kept desk changes", result.stdout)
        # No version, timestamp, transition or row changed, and nothing is re-rendered.
        self.assertEqual(dump(), before)
        prerender.assert_called_once_with([])

    def test_the_same_file_after_desk_work_is_unchanged(self):
        self.desk_work()
        self.assert_unchanged(SAMPLE, replace=True)
        self.assert_unchanged(SAMPLE)
        self.assert_unchanged(SAMPLE, force=True, interactive=False)

    def test_a_replaced_file_imported_again_after_desk_work_is_unchanged(self):
        self.desk_work()
        changed = self.file(SAMPLE_TEXT.replace(*ONE_WORD, 1))
        self.assertIn("replaced 1", run("import_issues", changed, replace=True).stdout)
        self.assert_unchanged(changed, replace=True)

    def test_another_file_is_still_a_replace(self):
        self.desk_work()
        result = run("import_issues", self.file(SAMPLE_TEXT.replace(*ONE_WORD, 1)), replace=True)
        self.assertIn("replaced 1", result.stdout)
        self.assertEqual(layout(), ["徐冬梅", "陈静"])


class ForceRepublishesLoggedTests(Imported118):
    def test_force_republishing_a_withdrawn_article_logs_the_step(self):
        second = Article.objects.get(headline=SECOND)
        services.withdraw(article=second, by=self.staff.chief, note="当事人要求")
        words = second.body[:20]
        text = SAMPLE_TEXT.replace(words, words + "又", 1)
        result = run("import_issues", self.file(text), force=True, interactive=False)
        self.assertFalse(result.failed, result.stderr)
        second.refresh_from_db()
        self.assertEqual(second.status, Article.Status.PUBLISHED)
        step = Transition.objects.filter(article=second).order_by("-at", "-pk").first()
        self.assertEqual(
            (step.action, step.from_state, step.to_state, step.by),
            ("reimport", "withdrawn", "published", None),
        )
        self.assertIn("--force", step.note)
        self.assertIn(f"#{second.pk} {SECOND}: desk changes discarded (--force) (", result.stdout)
        self.assertIn(
            "the withdrawal (撤稿) was undone, now published: logged as re-imported with --force",
            result.stdout,
        )
        # The desk's timeline of the article shows it, in Chinese.
        self.client.force_login(self.staff.chief)
        page = self.client.get(f"/admin/articles/article/{second.pk}/change/")
        self.assertContains(page, "以 --force 重新导入")

    def test_force_on_an_issue_taken_back_logs_its_republishing(self):
        issue = Issue.objects.get()
        issue_services.unpublish_issue(issue=issue, by=self.staff.chief, reason="版面有误")
        text = SAMPLE_TEXT.replace(PRINTED_THIRD, REPRINTED_THIRD, 1)
        result = run("import_issues", self.file(text), force=True, interactive=False)
        self.assertFalse(result.failed, result.stderr)
        step = Transition.objects.filter(issue=issue).order_by("-at", "-pk").first()
        self.assertEqual(
            (step.action, step.from_state, step.to_state, step.by),
            ("reimport", "ready", "published", None),
        )
