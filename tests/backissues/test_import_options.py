"""import_issues --dry-run, --strict and --unpublished."""

import tempfile

from django.test import TestCase

from articles.models import Article
from issues.models import Issue

from .importing import SAMPLE, SAMPLE_TEXT, counts, dump_tables, run, write

WRONG_WEEKDAY = SAMPLE_TEXT.replace("星期四", "星期五")


class ImportOptionTests(TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)

    def test_dry_run_reports_and_writes_nothing(self):
        before = dump_tables()
        dry = run("import_issues", SAMPLE, dry_run=True)
        self.assertFalse(dry.failed)
        self.assertIn("would import 今日罗塘 总第118期", dry.stdout)
        self.assertIn(
            "dry run, nothing written: would have imported 1, unchanged 0, replaced 0, failed 0; "
            "5 articles, 1 photos, 8 new people",
            dry.stdout,
        )
        self.assertEqual(dump_tables(), before)

    def test_dry_run_reports_a_replacement_and_a_refusal(self):
        run("import_issues", SAMPLE)
        before = dump_tables()
        changed = write(self.directory.name, "118.md", SAMPLE_TEXT.replace("日前,", "近日,"))
        refused = run("import_issues", changed, dry_run=True)
        self.assertTrue(refused.failed)
        self.assertIn("already exists with different content", refused.stderr)
        replaced = run("import_issues", changed, dry_run=True, replace=True)
        self.assertFalse(replaced.failed)
        self.assertIn("would replace 今日罗塘 总第118期", replaced.stdout)
        self.assertEqual(dump_tables(), before)

    def test_wrong_weekday_is_a_warning_and_the_issue_imports(self):
        path = write(self.directory.name, "118.md", WRONG_WEEKDAY)
        result = run("import_issues", path)
        self.assertFalse(result.failed)
        self.assertIn(
            f"{path}:13: warning: weekday 星期五 does not match 2024-11-28 (星期四)", result.stderr
        )
        self.assertEqual(Issue.objects.count(), 1)

    def test_strict_turns_the_weekday_warning_into_a_failure(self):
        path = write(self.directory.name, "118.md", WRONG_WEEKDAY)
        result = run("import_issues", path, strict=True)
        self.assertTrue(result.failed)
        self.assertIn(f"{path}:13: weekday 星期五 does not match 2024-11-28", result.stderr)
        self.assertEqual(counts()["Issue"], 0)
        self.assertEqual(counts()["Person"], 0)

    def test_unknown_metadata_key_is_kept_and_reported(self):
        path = write(
            self.directory.name,
            "118.md",
            SAMPLE_TEXT.replace("组版: 徐冬梅", "组版: 徐冬梅\n\n值班编辑: 李书翔"),
        )
        result = run("import_issues", path)
        self.assertIn(f"{path}:23: warning: unknown key 值班编辑", result.stderr)
        self.assertEqual(Issue.objects.get().extra, {"值班编辑": "李书翔"})
        self.assertIn("unchanged 1", run("import_issues", path).stdout)

    def test_unpublished_issue_waits_for_sign_off_with_articles_placed(self):
        result = run("import_issues", SAMPLE, unpublished=True)
        self.assertFalse(result.failed)
        issue = Issue.objects.get()
        self.assertEqual(issue.status, Issue.Status.READY)
        self.assertIsNone(issue.published_at)
        self.assertEqual(
            set(Article.objects.values_list("status", flat=True)), {Article.Status.PLACED}
        )
        self.assertEqual(Article.objects.published().count(), 0)
        self.assertTrue(Article.objects.filter(published_at__isnull=True).count() == 5)

    def test_quiet_run_prints_no_summary(self):
        result = run("import_issues", SAMPLE, verbosity=0)
        self.assertEqual(result.stdout, "")
        self.assertEqual(Issue.objects.count(), 1)
