"""Importing an issue that is already there: unchanged, refused, or replaced."""

import tempfile

from django.test import TestCase

from articles.models import Article
from issues.models import Issue, Page
from people.models import Person

from .importing import SAMPLE, SAMPLE_TEXT, counts, dump_tables, run, write

CHANGED = SAMPLE_TEXT.replace("## 缪杰明带队走访辖区企业", "## 缪杰明带队走访辖区重点企业").replace(
    "(通讯员 金慧霞)", "(记者 郁菲菲 通讯员 金慧霞 李书翔)"
)


class ImportAgainTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        run("import_issues", SAMPLE)

    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)
        self.changed = write(self.directory.name, "118.md", CHANGED)

    def test_identical_file_is_unchanged_and_creates_nothing(self):
        before = dump_tables()
        again = run("import_issues", SAMPLE)
        self.assertFalse(again.failed)
        self.assertIn("unchanged, 今日罗塘 总第118期", again.stdout)
        self.assertIn("imported 0, unchanged 1, replaced 0, failed 0", again.stdout)
        self.assertEqual(dump_tables(), before)

    def test_different_content_is_refused_without_replace(self):
        before = dump_tables()
        refused = run("import_issues", self.changed)
        self.assertTrue(refused.failed)
        self.assertIn(
            f"{self.changed}:13: issue 总第118期 already exists with different content "
            "(use --replace)",
            refused.stderr,
        )
        self.assertEqual(dump_tables(), before)

    def test_a_change_only_the_full_form_holds_is_still_a_change(self):
        # Extra metadata and the credit's role word are not in the spec's JSON; they are
        # content all the same, so the file is not "unchanged".
        for label, text in [
            ("extra", SAMPLE_TEXT.replace("组版: 徐冬梅", "组版: 徐冬梅\n\n值班编辑: 杨旭")),
            ("credit role", SAMPLE_TEXT.replace("交流。 丁小勇 摄", "交流。 记者 丁小勇 摄")),
        ]:
            with self.subTest(label):
                path = write(self.directory.name, f"{label}.md", text)
                refused = run("import_issues", path)
                self.assertTrue(refused.failed)
                self.assertIn("already exists with different content", refused.stderr)

    def test_replace_rebuilds_the_issue_in_place(self):
        issue = Issue.objects.get()
        page = Page.objects.get()
        replaced = run("import_issues", self.changed, replace=True)
        self.assertFalse(replaced.failed, replaced.stderr)
        self.assertIn("replaced 1", replaced.stdout)
        self.assertEqual(Issue.objects.get().pk, issue.pk)
        # The page row stays, so a scan uploaded for it survives the replacement.
        self.assertEqual(Page.objects.get().pk, page.pk)
        self.assertEqual(Article.objects.count(), 5)
        self.assertTrue(Article.objects.filter(headline="缪杰明带队走访辖区重点企业").exists())
        self.assertFalse(Article.objects.filter(headline="缪杰明带队走访辖区企业").exists())
        article = Article.objects.get(headline="罗塘街道人大工委召开全体(扩大)会议")
        self.assertEqual(
            [(b.person.name, b.role) for b in article.bylines.all()],
            [("郁菲菲", "reporter"), ("金慧霞", "correspondent"), ("李书翔", "correspondent")],
        )
        # Known names are reused: no second 郁菲菲 or 李书翔.
        self.assertEqual(Person.objects.filter(name__in=["郁菲菲", "李书翔"]).count(), 2)

    def test_replaced_issue_imports_as_unchanged_afterwards(self):
        run("import_issues", self.changed, replace=True)
        before = counts()
        again = run("import_issues", self.changed)
        self.assertIn("unchanged 1", again.stdout)
        self.assertEqual(counts(), before)

    def test_replace_with_identical_content_is_still_unchanged(self):
        before = dump_tables()
        again = run("import_issues", SAMPLE, replace=True)
        self.assertIn("unchanged 1", again.stdout)
        self.assertEqual(dump_tables(), before)

    def test_same_date_under_another_number_is_refused_clearly(self):
        other = write(self.directory.name, "200.md", SAMPLE_TEXT.replace("总第118期", "总第200期"))
        before = dump_tables()
        refused = run("import_issues", other)
        self.assertTrue(refused.failed)
        self.assertIn(
            f"{other}:13: 今日罗塘 already has an issue dated 2024-11-28: 总第118期, not 总第200期",
            refused.stderr,
        )
        self.assertNotIn("Traceback", refused.stderr)
        self.assertEqual(dump_tables(), before)

    def test_a_later_file_of_another_paper_creates_a_second_publication(self):
        other = write(
            self.directory.name,
            "other.md",
            SAMPLE_TEXT.replace("# 今日罗塘", "# 罗塘今日"),
        )
        result = run("import_issues", other)
        self.assertFalse(result.failed, result.stderr)
        self.assertEqual(Issue.objects.filter(number=118).count(), 2)
        slugs = sorted(Issue.objects.values_list("publication__slug", flat=True))
        # 罗塘今日 has the same letters as 今日罗塘 in another order: its own slug.
        self.assertEqual(slugs, ["jinriluotang", "luotangjinri"])
