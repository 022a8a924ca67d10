"""The newest matches are found one of three ways on PostgreSQL (sorted out of the GIN index's
matches, walked down the date index for a common word, or the walk as a fallback when the
sorted few are not enough): every way gives the same exact, published-only answer.

On SQLite there is one way (the walk); the same tests check the same answers there.
"""

import contextlib
import datetime
import unittest
from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from search import planner, query
from tests import factories

SORTED = "sorted out of the GIN index"
COMMON = "a common word: the date index"
FALLBACK = "sorted, too many candidates: the date index"


def ways():
    """(name, patches) for each way; on SQLite they all take the same one."""
    return [
        (SORTED, []),
        (COMMON, [mock.patch.object(planner, "at_most", return_value=10**9)]),
        (FALLBACK, [mock.patch.object(query, "SORT_PROBE", 1)]),
    ]


class NewestMatchesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        luotang = factories.publication()
        # Five published articles on 罗塘街, one a week, oldest first.
        cls.weeks = []
        for n in range(5):
            issue = factories.issue(
                pub=luotang, date=datetime.date(2024, 10, 3) + datetime.timedelta(weeks=n),
                published=True,
            )  # fmt: skip
            cls.weeks.append(
                factories.article(
                    issue.pages.get(),
                    headline=f"老街新貌之{n + 1}",
                    body="罗塘街拓宽工程进展顺利。",
                )
            )
        newest = factories.issue(pub=luotang, date=datetime.date(2024, 12, 5), published=True)
        # Both bigrams of 罗塘街, never side by side: no match, though the newest.
        cls.apart = factories.article(
            newest.pages.get(), headline="罗塘有条老街", body="罗塘的老街，塘街口人家多。"
        )
        # Matches, newer still, that nobody may find: placed in an issue not yet out.
        planned = factories.issue(pub=luotang, date=datetime.date(2024, 12, 12))
        cls.unpublished = [
            factories.article(
                planned.pages.get(),
                headline=f"罗塘街夜市（待签发{n}）",
                body="罗塘街夜市开张。",
                status=Article.Status.PLACED,
            )
            for n in range(3)
        ]

    def search(self, q="罗塘街", **options):
        return query.search_articles(Article.objects.published(), q, **options)

    def headlines(self, results):
        return [a.headline for a in results.articles]

    def each_way(self, check):
        for name, patches in ways():
            with self.subTest(way=name), contextlib.ExitStack() as stack:
                for patch in patches:
                    stack.enter_context(patch)
                check()

    def test_bigrams_apart_are_no_match_whatever_the_way(self):
        def check():
            results = self.search()
            self.assertEqual(results.count, 5)
            self.assertNotIn("罗塘有条老街", self.headlines(results))
            self.assertEqual(self.headlines(self.search("塘街口")), ["罗塘有条老街"])

        self.each_way(check)

    def test_newest_first_pages_are_the_same_whatever_the_way(self):
        def check():
            with mock.patch.object(query, "COUNT_CAP", 3):
                first = self.search(sort="date", per_page=2)
                second = self.search(sort="date", per_page=2, page=2)
                self.assertTrue(first.capped)
            self.assertEqual(first.count, 4)  # the cap + 1: there are more
            self.assertEqual(self.headlines(first), ["老街新貌之5", "老街新貌之4"])
            self.assertEqual(self.headlines(second), ["老街新貌之3", "老街新貌之2"])

        self.each_way(check)

    def test_relevance_ranks_the_newest_candidates_whatever_the_way(self):
        def check():
            with (
                mock.patch.object(query, "COUNT_CAP", 3),
                mock.patch.object(query, "CANDIDATES", 2),
            ):
                results = self.search(per_page=5)
                self.assertEqual(results.num_pages, 1)
            self.assertCountEqual(self.headlines(results), ["老街新貌之5", "老街新貌之4"])

        self.each_way(check)

    def test_unpublished_newest_candidates_are_skipped_and_the_count_stays_exact(self):
        # With a cap of 2, the sorted way fetches the 3 newest articles holding both bigrams:
        # the three unpublished ones. Too few matches among them, more left: it falls back.
        def check():
            with mock.patch.object(query, "COUNT_CAP", 2):
                results = self.search(sort="date", per_page=3)
            self.assertEqual(results.count, 3)
            self.assertEqual(self.headlines(results), ["老街新貌之5", "老街新貌之4", "老街新貌之3"])
            with mock.patch.object(query, "COUNT_CAP", 10):
                self.assertEqual(self.search().count, 5)

        self.each_way(check)


class PostgresWaysTests(TestCase):
    """Which way is taken, and that it leaves the connection as it found it."""

    @classmethod
    def setUpClass(cls):
        if connection.vendor != "postgresql":
            raise unittest.SkipTest("the GIN index and planner settings exist on PostgreSQL only")
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        issue = factories.issue(published=True)
        for n in range(4):
            factories.article(issue.pages.get(), headline=f"罗塘街道简讯{n}", body="罗塘街道。")

    def setUp(self):
        planner.statistics.clear()
        self.addCleanup(planner.statistics.clear)

    def sorted_queries(self, **patches):
        with mock.patch.object(query, "COUNT_CAP", 2), CaptureQueriesContext(connection) as ctx:
            results = query.search_articles(Article.objects.published(), "罗塘街道")
        self.assertEqual(results.count, 3)
        self.queries = [q["sql"] for q in ctx.captured_queries]
        return [sql for sql in self.queries if "count(*) OVER ()" in sql]

    def test_a_word_rarer_than_the_probe_is_sorted_out_of_the_gin_index(self):
        self.assertEqual(len(self.sorted_queries()), 1)

    def test_a_common_word_walks_the_date_index(self):
        with mock.patch.object(planner, "lexeme_shares", return_value=({"罗塘": 0.9}, 10**6)):
            # Every bigram must be common: 塘街 and 街道 are not in the statistics.
            self.assertEqual(planner.at_most(["罗塘街道"], "default"), 0)
        shares = {"罗塘": 0.9, "塘街": 0.5, "街道": 0.8}
        with mock.patch.object(planner, "lexeme_shares", return_value=(shares, 10**6)):
            self.assertEqual(planner.at_most(["罗塘街道"], "default"), 500_000)
            self.assertEqual(self.sorted_queries(), [])
            # …nor is its count read off the GIN index: the planner walks it as it likes.
            self.assertFalse([sql for sql in self.queries if "set_config" in sql])
        shares = {"罗塘": 0.2, "塘街": 0.2, "街道": 0.2}
        with mock.patch.object(planner, "lexeme_shares", return_value=(shares, 10**6)):
            # 200,000 of a million: too common to sort, rare enough for the bitmap.
            self.assertEqual(self.sorted_queries(), [])
            self.assertEqual(len([sql for sql in self.queries if "set_config" in sql]), 2)

    def test_the_statistics_are_read_from_analyze(self):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_articlesearch")
        shares, rows = planner.lexeme_shares("default")
        self.assertEqual(rows, 4)
        self.assertEqual(shares.get("罗塘"), 1.0)

    def test_the_planner_settings_are_restored(self):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_indexscan = off")
        query.search_articles(Article.objects.published(), "罗塘街道")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan'),"
                " current_setting('enable_bitmapscan')"
            )
            self.assertEqual(cursor.fetchone(), ("on", "off", "on"))
