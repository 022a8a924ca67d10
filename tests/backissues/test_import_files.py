"""import_issues over files and directories: good files import, bad ones are named."""

import io
import random
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from backissues.textformat import render
from bench.synth import generate_issue
from issues.models import Issue

from .importing import SAMPLE_TEXT, counts, run, write

ISSUE_119 = SAMPLE_TEXT.replace(
    "2024年11月28日 星期四 | 第11期 总第118期", "2024年12月5日 星期四 | 第12期 总第119期"
)
# A continuation from page 2 when nothing jumps from page 2.
ISSUE_120_BAD = (
    SAMPLE_TEXT.replace(
        "2024年11月28日 星期四 | 第11期 总第118期", "2024年12月12日 星期四 | 第13期 总第120期"
    )
    + "\n\n第3版\n\n## 另一篇文章\n\n(上接2版)还有一段文字。\n"
)


class ImportDirectoryTests(TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)
        self.root = Path(self.directory.name)

    def test_directories_are_searched_recursively_and_bad_files_are_named(self):
        write(self.root, "2024/118.md", SAMPLE_TEXT)
        write(self.root, "2024/12/119.txt", ISSUE_119)
        bad = write(self.root, "2024/12/120.md", ISSUE_120_BAD)
        write(self.root, "notes.rst", "# not an issue")
        result = run("import_issues", self.root)
        self.assertTrue(result.failed)
        self.assertEqual(str(result.error), "1 of 3 files failed")
        line = ISSUE_120_BAD.splitlines().index("(上接2版)还有一段文字。") + 1
        self.assertIn(
            f"{bad}:{line}: continuation (上接2版) of '另一篇文章': no article jumps "
            "from page 2 to page 3",
            result.stderr,
        )
        self.assertIn("imported 2, unchanged 0, replaced 0, failed 1", result.stdout)
        self.assertEqual(sorted(Issue.objects.values_list("number", flat=True)), [118, 119])

    def test_files_are_read_in_sorted_order(self):
        write(self.root, "b/119.md", ISSUE_119)
        write(self.root, "a/118.md", SAMPLE_TEXT)
        result = run("import_issues", self.root, verbosity=2)
        lines = [line for line in result.stdout.splitlines() if ": imported" in line]
        self.assertEqual(len(lines), 2)
        self.assertIn("总第118期", lines[0])
        self.assertIn("总第119期", lines[1])

    def test_nonexistent_path_is_a_clear_error(self):
        with self.assertRaisesMessage(CommandError, "no-such-dir: no such file or directory"):
            call_command("import_issues", str(self.root / "no-such-dir"))

    def test_directory_without_issues_is_a_clear_error(self):
        write(self.root, "readme.rst", "nothing")
        result = run("import_issues", self.root)
        self.assertIn("no *.md or *.txt files", str(result.error))

    def test_file_that_is_not_utf8_fails_alone(self):
        latin = self.root / "117.md"
        latin.write_bytes("# 今日罗塘\n\n".encode() + "2024年11月21日".encode("gb18030"))
        good = write(self.root, "118.md", SAMPLE_TEXT)
        result = run("import_issues", latin, good)
        self.assertTrue(result.failed)
        self.assertIn(f"{latin}:3: not UTF-8 text", result.stderr)
        self.assertEqual(Issue.objects.count(), 1)

    def test_file_without_date_line_names_the_problem(self):
        path = write(self.root, "x.md", "# 今日罗塘\n\n主办\n\n责任编辑: 郁菲菲\n")
        result = run("import_issues", path)
        self.assertIn(f"{path}:5: no date line", result.stderr)
        self.assertEqual(counts()["Publication"], 0)

    def test_file_named_twice_is_read_once(self):
        path = write(self.root, "118.md", SAMPLE_TEXT)
        result = run("import_issues", path, self.root)
        self.assertIn("imported 1, unchanged 0", result.stdout)


class TerminalOutput(io.StringIO):
    def isatty(self):
        return True


class ProgressBarTests(TestCase):
    def test_many_files_on_a_terminal_draw_a_bar_instead_of_a_line_each(self):
        rng = random.Random(3)
        with tempfile.TemporaryDirectory() as directory:
            for n in range(1, 21):
                write(directory, f"{n:03d}.md", render(generate_issue(n, rng)))
            stdout, stderr = io.StringIO(), TerminalOutput()
            call_command("import_issues", directory, stdout=stdout, stderr=stderr)
        self.assertIn("] 20/20 files", stderr.getvalue())
        self.assertIn("\r[", stderr.getvalue())
        self.assertEqual(len(stdout.getvalue().splitlines()), 1)  # the summary only
        self.assertIn("imported 20,", stdout.getvalue())
