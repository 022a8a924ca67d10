"""The synthetic archive used by the benchmarks is valid text format."""

import datetime
import random
import tempfile
import unittest
from pathlib import Path

from backissues.textformat import parse, render
from bench.synth import generate_issue, write_archive


class SyntheticArchiveTests(unittest.TestCase):
    def test_generated_issues_parse_back_to_themselves(self):
        rng = random.Random(7)
        for number in range(1, 8):
            issue = generate_issue(number, rng)
            self.assertEqual(parse(render(issue), strict=True), issue)

    def test_issue_has_four_pages_twenty_articles_and_a_jump(self):
        issue = generate_issue(1, random.Random(1))
        self.assertEqual([page.name for page in issue.pages], ["要闻", "综合", "民生", "副刊"])
        articles = [article for page in issue.pages for article in page.articles]
        self.assertEqual(len(articles), 20)
        self.assertIn(len([a for a in articles if len(a.pages) > 1]), (1, 2))

    def test_issues_are_weekly_and_number_in_year_restarts(self):
        rng = random.Random(0)
        first, week_52, week_53 = (generate_issue(n, rng) for n in (1, 52, 53))
        self.assertEqual((first.date, first.weekday), (datetime.date(2005, 1, 6), "星期四"))
        self.assertEqual((week_52.date.year, week_52.number_in_year), (2005, 52))
        self.assertEqual((week_53.date.year, week_53.number_in_year, week_53.number), (2006, 1, 53))

    def test_write_archive_writes_one_file_per_issue(self):
        with tempfile.TemporaryDirectory() as directory:
            paths = write_archive(directory, 3, seed=1)
            self.assertEqual(len(paths), 3)
            issue = parse(Path(paths[2]).read_text(encoding="utf-8"))
            self.assertEqual(issue.number, 3)
