"""export_issue and export_issues: the JSON form, the text form, and round trips."""

import json
import random
import shutil
import tempfile
from pathlib import Path

from django.test import TestCase

from articles.models import Article, Photo
from backissues.exporter import issue_to_data, issues_for_export
from backissues.textformat import parse, render, to_dict
from bench.synth import generate_issue
from issues.models import Issue, LayoutCredit, Page, Publication
from people.models import Person
from tests import factories

from .importing import EXPECTED_118, SAMPLE, dump_tables, run, with_empty_additions, write


def empty_the_paper():
    """What an empty database holds of the paper: nothing (users and groups stay)."""
    Article.objects.all().delete()
    Photo.objects.all().delete()
    LayoutCredit.objects.all().delete()
    Page.objects.all().delete()
    Issue.objects.all().delete()
    Publication.objects.all().delete()
    Person.objects.all().delete()


class ExportIssueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        run("import_issues", SAMPLE)

    def test_json_is_the_spec_shape_with_chinese_unescaped(self):
        exported = run("export_issue", 118, format="json")
        self.assertIn('"name": "今日罗塘"', exported.stdout)
        self.assertIn('\n  "date": "2024-11-28",\n', exported.stdout)  # indent 2
        self.assertEqual(
            json.loads(exported.stdout),
            with_empty_additions(json.loads(EXPECTED_118.read_text("utf-8"))),
        )

    def test_text_export_imports_into_an_empty_database_as_the_same_json(self):
        before = run("export_issue", 118, format="json").stdout
        text = run("export_issue", 118).stdout
        self.assertTrue(text.startswith("# 今日罗塘\n"))
        empty_the_paper()
        with tempfile.TemporaryDirectory() as directory:
            result = run("import_issues", write(directory, "118.md", text))
        self.assertIn("imported 1", result.stdout)
        self.assertEqual(run("export_issue", 118, format="json").stdout, before)

    def test_export_reads_the_issue_in_seven_queries(self):
        # issue + publication + responsible editor, layout credits + people, pages,
        # page photos + photographers, articles, bylines + people, article photos.
        with self.assertNumQueries(7):
            data = issue_to_data(issues_for_export().get(number=118))
        self.assertEqual(len(data.pages[0].articles), 5)

    def test_unknown_number_is_a_clear_error(self):
        result = run("export_issue", 9999)
        self.assertEqual(str(result.error), "no issue 总第9999期")

    def test_shared_number_needs_a_publication(self):
        other = factories.publication(name="罗塘新闻", slug="luotangxinwen")
        factories.issue(pub=other, number=118)
        result = run("export_issue", 118)
        self.assertIn("several publications have an issue 总第118期", str(result.error))
        self.assertIn("jinriluotang (今日罗塘)", str(result.error))
        self.assertIn("luotangxinwen (罗塘新闻)", str(result.error))
        chosen = run("export_issue", 118, publication="jinriluotang", format="json")
        self.assertEqual(json.loads(chosen.stdout)["publication"]["name"], "今日罗塘")

    def test_issue_the_text_cannot_hold_is_refused_with_a_pointer_to_json(self):
        # Typed in at the desk: a page photo with no credit has no place in the text format.
        page = Page.objects.get()
        factories.photo(page=page, caption="罗塘河畔的早晨。")
        result = run("export_issue", 118)
        self.assertEqual(result.stdout, "")
        self.assertIn("issue 总第118期 cannot be written in the text format", str(result.error))
        self.assertIn("--format json keeps everything", str(result.error))
        self.assertFalse(run("export_issue", 118, format="json").failed)
        with tempfile.TemporaryDirectory() as directory:
            archive = run("export_issues", directory)
            self.assertEqual(list(Path(directory).rglob("*.md")), [])
        self.assertIn("jinriluotang/118.md: not written", archive.stderr)
        self.assertIn("1 issues could not be written", str(archive.error))


class ExportArchiveTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        rng = random.Random(7)
        cls.directory = tempfile.mkdtemp()
        cls.addClassCleanup(shutil.rmtree, cls.directory)
        for n in range(1, 4):
            write(cls.directory, f"in/{n}.md", render(generate_issue(n, rng)))
        run("import_issues", SAMPLE, Path(cls.directory) / "in")

    def test_synthetic_issues_export_as_they_were_parsed(self):
        for path in sorted((Path(self.directory) / "in").glob("*.md")):
            parsed = to_dict(parse(path.read_text("utf-8")))
            exported = to_dict(issue_to_data(Issue.objects.get(number=parsed["number"])))
            self.assertEqual(exported, parsed, path)

    def test_export_issues_then_import_issues_round_trips(self):
        with tempfile.TemporaryDirectory() as directory:
            written = run("export_issues", directory)
            self.assertIn("exported 4 issues", written.stdout)
            self.assertFalse(written.failed)
            files = sorted(p.relative_to(directory) for p in Path(directory).rglob("*.md"))
            names = ["1.md", "118.md", "2.md", "3.md"]
            self.assertEqual([str(p) for p in files], [f"jinriluotang/{n}" for n in names])
            before = {n: run("export_issue", n, format="json").stdout for n in (1, 2, 3, 118)}
            # Against the same database: nothing to do.
            dump = dump_tables()
            self.assertIn("unchanged 4", run("import_issues", directory).stdout)
            self.assertEqual(dump_tables(), dump)
            # Into an empty one: the same issues.
            empty_the_paper()
            self.assertIn("imported 4", run("import_issues", directory).stdout)
        after = {n: run("export_issue", n, format="json").stdout for n in (1, 2, 3, 118)}
        self.assertEqual(after, before)

    def test_export_of_one_publication(self):
        other = factories.publication(name="罗塘新闻", slug="luotangxinwen")
        factories.issue(pub=other, number=5)
        with tempfile.TemporaryDirectory() as directory:
            run("export_issues", directory, publication="luotangxinwen")
            self.assertEqual([p.name for p in Path(directory).rglob("*.md")], ["5.md"])
        result = run("export_issues", "/tmp", publication="nope")
        self.assertEqual(str(result.error), "no publication with the slug nope")
