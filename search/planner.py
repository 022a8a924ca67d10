"""How PostgreSQL is told to plan the search queries, and what it knows of the index.

Its cost model does not count the TOAST read (~10 kB) of testing a row's vector, so for
search queries it is told which plan to take (see plan), from the index's statistics.
"""

import time
from contextlib import contextmanager

from django.db import connections, transaction

from search.models import ArticleSearch
from search.tokens import term_operands


@contextmanager
def plan(using: str, **settings: str):
    """Within the block, PostgreSQL plans with these settings (enable_seqscan="off", …).

    Its cost model does not count the TOAST read (~10 kB) of testing a row's vector. With a
    LIMIT it then prefers walking a primary key and testing every row: for a word in a
    fifth of the archive that reads thousands of vectors to find a thousand matches (figures
    in bench/RESULTS.md, Search), where a bitmap scan of the GIN index reads none for a one-bigram query and only the matches'
    for a phrase. Given a list of ids, it re-checks all the phrase's matches off the GIN
    index rather than look up the few ids. The settings are local to the transaction, and
    restored on the way out, as the block may run inside a longer one (tests,
    ATOMIC_REQUESTS). Elsewhere than on PostgreSQL, nothing happens."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not settings:
        yield
        return
    names = list(settings)
    # savepoint=False: a savepoint's queries would be the only extra cost, and on an error
    # the enclosing transaction is rolled back anyway, taking the local settings with it.
    with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
        # The CTE reads the settings before the outer select changes them.
        cursor.execute(
            "WITH saved AS MATERIALIZED (SELECT "
            + ", ".join(f"current_setting(%s) AS s{n}" for n in range(len(names)))
            + ") SELECT "
            + ", ".join(f"s{n}, set_config(%s, %s, true)" for n in range(len(names)))
            + " FROM saved",
            names + [v for name in names for v in (name, settings[name])],
        )
        saved = cursor.fetchone()[::2]
        yield
        cursor.execute(
            "SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(names)),
            [v for pair in zip(names, saved, strict=True) for v in pair],
        )


def gin_bitmap_plan(using: str):
    """Matches read off the GIN index only, in a bitmap scan."""
    return plan(
        using, enable_seqscan="off", enable_indexscan="off", max_parallel_workers_per_gather="0"
    )


def ids_plan(using: str):
    """Rows looked up by primary key (a given list of ids), their vectors tested there."""
    return plan(using, enable_bitmapscan="off", max_parallel_workers_per_gather="0")


# Per database: (time read, {lexeme: share of rows}, rows), from PostgreSQL's statistics.
statistics: dict[str, tuple[float, dict[str, float], float]] = {}
STATISTICS_MAX_AGE = 600  # seconds; ANALYZE (autovacuum) refreshes them rarely anyway


def lexeme_shares(using: str) -> tuple[dict[str, float], float]:
    """The commonest lexemes of the index with the share of rows holding each, and the number
    of rows: ANALYZE's most_common_elems, read once in a while and kept
    in the process. The default statistics target keeps ~1,000 of them: on the benchmark's
    archive every lexeme in more than 7% of the articles, and SORT_PROBE is 10%."""
    now = time.monotonic()
    cached = statistics.get(using)
    if cached and now - cached[0] < STATISTICS_MAX_AGE:
        return cached[1], cached[2]
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples"
            " FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename"
            " AND c.relnamespace = to_regnamespace(s.schemaname)"
            " WHERE s.schemaname = current_schema() AND s.tablename = %s AND s.attname = %s",
            [ArticleSearch._meta.db_table, "vector"],
        )
        row = cursor.fetchone()
    shares, rows = (
        ({}, 0.0)
        if row is None or row[0] is None
        else (dict(zip(row[0], row[1], strict=False)), row[2])
    )
    statistics[using] = (now, shares, rows)
    return shares, rows


def at_most(terms, using: str) -> float:
    """An estimate of how many rows hold every token of the terms: that of the rarest token
    (a word's bigrams go together, so this is near the truth). A token missing from the
    statistics is rarer than all of them: 0."""
    shares, rows = lexeme_shares(using)
    lexemes = [
        operand.split(":")[0][1:-1].replace("''", "'")
        for term in terms
        for _, operand in term_operands(term)
    ]
    return min((shares.get(lexeme, 0.0) for lexeme in lexemes), default=0.0) * rows
