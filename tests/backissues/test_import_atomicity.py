"""A file that fails part-way through loading leaves the database exactly as it was."""

import tempfile
from unittest import mock

from django.db import IntegrityError
from django.test import TestCase

from issues.models import Issue

from .importing import SAMPLE, SAMPLE_TEXT, dump_tables, run, write

ISSUE_119 = SAMPLE_TEXT.replace(
    "2024年11月28日 星期四 | 第11期 总第118期", "2024年12月5日 星期四 | 第12期 总第119期"
).replace("通讯员 李书翔", "通讯员 李书翔 陆新华")


def failing_photos(*args, **kwargs):
    # Photos are written last: by now the issue, pages, articles, bylines and a new person exist.
    raise IntegrityError('duplicate key value violates unique constraint "forced_in_test"')


class AtomicityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        run("import_issues", SAMPLE)

    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)

    def test_new_issue_failing_at_the_last_insert_leaves_no_row(self):
        path = write(self.directory.name, "119.md", ISSUE_119)
        before = dump_tables()
        with mock.patch("backissues.loader.Photo.objects.bulk_create", side_effect=failing_photos):
            result = run("import_issues", path)
        self.assertTrue(result.failed)
        self.assertIn(
            f"{path}:13: the database refused the issue: duplicate key value violates unique "
            'constraint "forced_in_test"',
            result.stderr,
        )
        self.assertNotIn("Traceback", result.stderr)
        self.assertEqual(dump_tables(), before)

    def test_replacement_failing_half_way_keeps_the_old_issue(self):
        path = write(self.directory.name, "118.md", SAMPLE_TEXT.replace("日前,", "近日,"))
        before = dump_tables()
        with mock.patch("backissues.loader.Photo.objects.bulk_create", side_effect=failing_photos):
            result = run("import_issues", path, replace=True)
        self.assertTrue(result.failed)
        self.assertEqual(dump_tables(), before)

    def test_a_failing_file_does_not_undo_the_files_before_it(self):
        good = write(self.directory.name, "a-119.md", ISSUE_119)
        bad = write(
            self.directory.name,
            "b-120.md",
            SAMPLE_TEXT.replace("总第118期", "总第120期").replace(
                "2024年11月28日", "2024年12月12日"
            )
            + "\n\n第3版\n\n## 另一篇文章\n\n(上接2版)文字。\n",
        )
        result = run("import_issues", good, bad)
        self.assertTrue(result.failed)
        self.assertIn(f"{bad}:", result.stderr)
        self.assertEqual(sorted(Issue.objects.values_list("number", flat=True)), [118, 119])

    def test_a_repeated_byline_is_refused_before_the_database_sees_it(self):
        path = write(
            self.directory.name,
            "119.md",
            ISSUE_119.replace("(通讯员 吉祥)", "(通讯员 吉祥 吉祥)"),
        )
        before = dump_tables()
        result = run("import_issues", path)
        self.assertTrue(result.failed)
        line = ISSUE_119.splitlines().index("## 区政协调研罗塘街道“网格化治理”协商议事工作") + 1
        self.assertIn(
            f"{path}:{line}: byline 吉祥 (correspondent) is repeated in the article", result.stderr
        )
        self.assertEqual(dump_tables(), before)
