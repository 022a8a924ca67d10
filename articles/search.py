"""Chinese full-text search over articles.

PostgreSQL's parsers see a run of Chinese as one word, so the index is built here, as Lucene's
CJK analyzer does: each run of CJK characters becomes overlapping bigrams (罗塘街道 → 罗塘 塘街
街道, then the run's last character 道 on its own), each Latin word or number becomes itself.
Every token takes the position of the character or word it starts at, and punctuation leaves a
gap, so a query becomes a phrase of bigrams (缪杰明 → 缪杰 <-> 杰明) that matches exactly the
substring and never across a comma. The tokens go into a weighted tsvector (headline A,
subheadline B, names and captions C, body D) served by a GIN index.

SQLite, the embedded default, searches the same normalised text by substring.

Common words are the norm in a local paper (罗塘 is in most articles of 今日罗塘), so no query
ranks or counts every match: counts stop at COUNT_CAP ("200+"), relevance ranks all matches
up to COUNT_CAP, else only the newest CANDIDATES. On PostgreSQL the newest matches of a common
word are read off the date index (they come soon); those of a rarer one are sorted out of the
GIN index's matches by date. Testing a row's vector costs a 10 kB TOAST read, so matches are
read off the GIN index without re-reading vectors wherever the query allows (see _plan).
"""

import math
import re
import time
import unicodedata
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Article, ArticleSearch

# Han (with extensions and compatibility ideographs), kana and hangul.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
_CJK_RUN = re.compile(f"[{CJK}]+")
# A run of letters and digits with nothing between them: 2024年 and GDP增长 are one segment.
_SEGMENT = re.compile(r"[^\W_]+")
# Inside a segment: a run of CJK characters, or a Latin (or other non-CJK) word or number.
_TOKEN_RUN = re.compile(f"[{CJK}]+|(?:(?![{CJK}])[^\\W_])+")

MAX_QUERY_LENGTH = 100
MAX_TERMS = 8
# PostgreSQL keeps positions up to 16383 and at most 256 positions a lexeme.
MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 256
MAX_WORD_LENGTH = 100
# Relevance is computed among the newest CANDIDATES matches; counts stop at COUNT_CAP.
CANDIDATES = 100
COUNT_CAP = 200
# The newest matches of a word in at most SORT_PROBE articles are sorted out of the GIN
# index's matches (~0.6 µs each); beyond, walking the date index and testing each row's
# vector (~7 µs, a TOAST read) finds them sooner. Both cost ~13 ms where they cross.
SORT_PROBE = 20_000
# A word in more than this share of the articles is read by walking the primary key.
COMMON_SHARE = 0.3
PER_PAGE = 20
SNIPPET_LENGTH = 120


def normalize(text: str) -> str:
    """NFKC (full-width ＧＤＰ and ２０２４ become GDP and 2024), without NUL bytes, which
    PostgreSQL refuses in text."""
    return unicodedata.normalize("NFKC", text.replace("\x00", ""))


def _is_cjk(run: str) -> bool:
    return _CJK_RUN.fullmatch(run[0]) is not None


def segment_tokens(segment: str) -> list[str]:
    """The tokens of one segment, one per CJK character or Latin word, in order."""
    tokens = []
    for match in _TOKEN_RUN.finditer(segment.lower()):
        run = match.group()
        if _is_cjk(run):
            tokens.extend(run[i : i + 2] for i in range(len(run)))
        else:
            tokens.append(run[:MAX_WORD_LENGTH])
    return tokens


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def vector_literal(fields: Iterable[tuple[str, str]]) -> str:
    """A tsvector literal for (weight, text) fields: '罗塘':1A,40D '塘街':2A …"""
    positions: dict[str, list[str]] = {}
    position = 1
    for weight, text in fields:
        for segment in _SEGMENT.findall(normalize(text)):
            for token in segment_tokens(segment):
                found = positions.setdefault(token, [])
                if len(found) < MAX_POSITIONS_PER_LEXEME:
                    found.append(f"{min(position, MAX_POSITION)}{weight}")
                position += 1
            # A gap: tokens on either side of punctuation are never adjacent.
            position += 1
        position += 1
    return " ".join(f"{_quote(token)}:{','.join(found)}" for token, found in positions.items())


# Queries ------------------------------------------------------------------------------------


def query_terms(q: str) -> list[str]:
    """The terms of a query: runs of letters and digits, in order, without repeats.

    Whitespace and punctuation separate terms, and every term must match (罗塘 缪杰明)."""
    terms = []
    for term in _SEGMENT.findall(normalize(q)[:MAX_QUERY_LENGTH]):
        if term.lower() not in (t.lower() for t in terms):
            terms.append(term)
    return terms[:MAX_TERMS]


def _operands(term: str, weight: str = "") -> list[tuple[int, str]]:
    """(unit offset, tsquery operand) of a term's tokens.

    A CJK run of two or more characters is its bigrams (the run's last character is implied
    by the last bigram); a single character, or a Latin word ending the term, matches as a
    prefix, since in the document it may start a longer token (年 in 2024年收官 is 年收)."""
    items = []
    offset = 0
    runs = [m.group() for m in _TOKEN_RUN.finditer(term.lower())]
    for index, run in enumerate(runs):
        last = index == len(runs) - 1
        if _is_cjk(run) and len(run) > 1:
            for i in range(len(run) - 1):
                items.append(
                    (offset + i, f"{_quote(run[i : i + 2])}{':' + weight if weight else ''}")
                )
            offset += len(run)
        else:
            word = run if _is_cjk(run) else run[:MAX_WORD_LENGTH]
            suffix = ("*" if last else "") + weight
            items.append((offset, _quote(word) + (f":{suffix}" if suffix else "")))
            offset += 1 if not _is_cjk(run) else len(run)
    return items


def _phrase(term: str, weight: str = "") -> str:
    """A tsquery phrase matching the term as a substring of one segment."""
    items = _operands(term, weight)
    literal = items[0][1]
    for (before, _), (after, operand) in zip(items, items[1:], strict=False):
        literal += f" <{after - before}> {operand}"
    return literal


def tsquery_literal(terms: Iterable[str], weight: str = "") -> str:
    return " & ".join(f"({_phrase(term, weight)})" for term in terms)


def all_of_literal(terms: Iterable[str]) -> str:
    """Every token of the terms, anywhere: a superset of the phrases that the GIN index
    answers by itself, without re-reading any vector (no phrase operator, no weight)."""
    operands = dict.fromkeys(operand for term in terms for _, operand in _operands(term))
    return " & ".join(operands)


class TsQuery(SearchQuery):
    """A tsquery literal built by _phrase, cast as is: to_tsquery() would run it through a
    text search parser that does not know Chinese. Passed as a parameter, never in the SQL."""

    template = "(%(expressions)s)::tsquery"

    def __init__(self, literal):
        super().__init__(Value(literal), search_type="raw")


def _vendor(queryset) -> str:
    return connections[queryset.db].vendor


def _split(terms):
    # One-character terms have no bigram: they are matched by a scan of the text.
    return [t for t in terms if len(t) > 1], [t for t in terms if len(t) == 1]


def _substring_q(terms) -> Q:
    condition = Q()
    for term in terms:
        # Chinese has no case: a plain LIKE is cheaper than the case-folding one.
        if _CJK_RUN.fullmatch(term):
            condition &= Q(search__document__contains=term)
        else:
            condition &= Q(search__document__icontains=term)
    return condition


def filter_matching(queryset, terms: list[str]):
    """Narrow a queryset of articles to those whose indexed text contains every term."""
    if not terms:
        return queryset.none()
    if _vendor(queryset) != "postgresql":
        return queryset.filter(_substring_q(terms))
    long_terms, short_terms = _split(terms)
    if long_terms:
        queryset = queryset.filter(search__vector=TsQuery(tsquery_literal(long_terms)))
    return queryset.filter(_substring_q(short_terms))


@contextmanager
def _plan(using: str, **settings: str):
    """Within the block, PostgreSQL plans with these settings (enable_seqscan="off", …).

    Its cost model does not count the TOAST read (~7 µs, 10 kB) of testing a row's vector.
    With a LIMIT it then prefers walking a primary key and testing every row: for a word in
    a fifth of the archive that reads ~5,500 vectors to find 1,001 matches (40–55 ms), where
    a bitmap scan of the GIN index reads none for a one-bigram query and only the matches'
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


def _gin_bitmap_plan(using: str):
    """Matches read off the GIN index only, in a bitmap scan."""
    return _plan(
        using, enable_seqscan="off", enable_indexscan="off", max_parallel_workers_per_gather="0"
    )


def _ids_plan(using: str):
    """Rows looked up by primary key (a given list of ids), their vectors tested there."""
    return _plan(using, enable_bitmapscan="off", max_parallel_workers_per_gather="0")


def _headline_hit(terms):
    """True when every term is in the headline: those results come first. Read from the
    article row (a short string), never from the vector."""
    condition = Q()
    for term in terms:
        condition &= Q(headline__icontains=term)
    return Case(When(condition, then=Value(True)), default=Value(False))


@dataclass
class SearchResults:
    query: str
    terms: list[str]
    sort: str
    articles: list = field(default_factory=list)
    count: int = 0
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def num_pages(self) -> int:
        # Relevance ranks all matches up to COUNT_CAP, else the newest CANDIDATES; by date,
        # up to COUNT_CAP are listed.
        capped = self.count > COUNT_CAP
        reachable = CANDIDATES if self.sort == "relevance" and capped else COUNT_CAP
        return max(1, math.ceil(min(self.count, reachable) / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def previous_page(self) -> int:
        return self.page - 1

    @property
    def next_page(self) -> int:
        return self.page + 1


SORTS = ("relevance", "date")


def search_articles(
    queryset, q: str, *, sort: str = "relevance", page: int = 1, per_page: int = PER_PAGE
) -> SearchResults:
    """One page of the articles of `queryset` (already filtered, e.g. published) matching q.

    Queries: 1. the ids of up to COUNT_CAP + 1 matches (their number is the capped count):
    for a word that is not common, the newest ones, sorted out of the GIN index and then
    looked up by id (two queries; see _newest_matches), else any, off the GIN index or the
    primary key (see _count_plan); 2. when capped and not in date order, the newest
    CANDIDATES, down the date index; 3. the page of articles with their issue, publication
    and search text (none of it when nothing matched). On PostgreSQL also the index's
    statistics now and then, and set_config before and after each query with a forced plan."""
    terms = query_terms(q)
    results = SearchResults(query=q, terms=terms, sort=sort, per_page=per_page)
    if not terms:
        return results
    matched = filter_matching(queryset, terms).order_by()
    newest_first = ("-search__date", "-pk")
    found = _newest_matches(matched, terms)
    in_date_order = found is not None
    if found is None:
        with _count_plan(matched, terms):
            found = list(matched.values_list("pk", flat=True)[: COUNT_CAP + 1])
    results.count = len(found)
    if not results.count:
        return results
    results.page = min(max(page, 1), results.num_pages)
    start = (results.page - 1) * per_page
    if results.count <= COUNT_CAP:
        # Every match is known (and all are ranked). "The newest 20" of a rare word would
        # have PostgreSQL walk the date index through the whole archive instead, its
        # statistics knowing only the common words.
        candidates = found
    else:
        # Rank only the newest CANDIDATES matches: ranking every match of a common word
        # would read every one of their vectors. By date, as many as this page needs.
        limit = CANDIDATES if sort == "relevance" else start + per_page
        if in_date_order:
            candidates = found[:limit]
        else:
            # A common word (or SQLite): the walk down the date index finds them soon.
            candidates = list(matched.order_by(*newest_first).values_list("pk", flat=True)[:limit])
    if sort == "date":
        page_qs = Article.objects.filter(pk__in=candidates).order_by(*newest_first)
    else:
        page_qs = Article.objects.filter(pk__in=candidates).annotate(
            headline_hit=_headline_hit(terms)
        )
        if _vendor(queryset) == "postgresql":
            long_terms, _ = _split(terms)
            rank = (
                SearchRank(
                    F("search__vector"), TsQuery(tsquery_literal(long_terms)), cover_density=True
                )
                if long_terms
                else Value(0.0)
            )
            page_qs = page_qs.annotate(rank=rank)
        else:
            page_qs = page_qs.annotate(rank=Value(0.0))
        page_qs = page_qs.order_by("-headline_hit", "-rank", *newest_first)
    page_qs = page_qs.select_related("page__issue__publication", "search").defer(
        "body", "search__vector"
    )
    results.articles = list(page_qs[start : start + per_page])
    for article in results.articles:
        article.snippet = snippet(article.search.document, terms)
    return results


# Per database: (time read, {lexeme: share of rows}, rows), from PostgreSQL's statistics.
_statistics: dict[str, tuple[float, dict[str, float], float]] = {}
STATISTICS_MAX_AGE = 600  # seconds; ANALYZE (autovacuum) refreshes them rarely anyway


def _lexeme_shares(using: str) -> tuple[dict[str, float], float]:
    """The commonest lexemes of the index with the share of rows holding each, and the number
    of rows: ANALYZE's most_common_elems, read once in a while (a query of ~8 ms) and kept
    in the process. The default statistics target keeps ~1,000 of them: on the benchmark's
    archive every lexeme in more than 7% of the articles, and SORT_PROBE is 10%."""
    now = time.monotonic()
    cached = _statistics.get(using)
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
    _statistics[using] = (now, shares, rows)
    return shares, rows


def _at_most(terms, using: str) -> float:
    """An estimate of how many rows hold every token of the terms: that of the rarest token
    (a word's bigrams go together, so this is near the truth). A token missing from the
    statistics is rarer than all of them: 0."""
    shares, rows = _lexeme_shares(using)
    lexemes = [
        operand.split(":")[0][1:-1].replace("''", "'")
        for term in terms
        for _, operand in _operands(term)
    ]
    return min((shares.get(lexeme, 0.0) for lexeme in lexemes), default=0.0) * rows


def _count_plan(matched, terms):
    """How to read up to COUNT_CAP + 1 matches: off the GIN index in a bitmap, unless the word
    is in more than COMMON_SHARE of the articles (walking the primary key then finds them
    within a few hundred rows, sooner than the GIN index reads its postings: ~16 ms for
    罗塘's 190,000), or there are only one-character terms (a scan of the text)."""
    long_terms, _ = _split(terms)
    using = matched.db
    if long_terms and _vendor(matched) == "postgresql":
        _, rows = _lexeme_shares(using)
        if not rows or _at_most(long_terms, using) <= COMMON_SHARE * rows:
            return _gin_bitmap_plan(using)
    return _plan(using)


def _newest_matches(matched, terms) -> list[int] | None:
    """On PostgreSQL, for a word that is not common: the ids of up to COUNT_CAP + 1 articles
    of `matched` (the word's matches), newest first; else None.

    A word whose bigrams are in at most SORT_PROBE articles has the newest of those sorted
    out of the GIN index (no vector read), and `matched` keeps the real matches among them,
    looked up by id. When that leaves too few while more remain (the phrase is rarer than
    its bigrams, or the filters exclude most), None."""
    long_terms, _ = _split(terms)
    using = matched.db
    if (
        _vendor(matched) != "postgresql"
        or not long_terms
        or _at_most(long_terms, using) > SORT_PROBE
    ):
        return None
    wanted = COUNT_CAP + 1
    # A little more than needed: a few of them may not be matches after all.
    fetch = wanted * 5 // 4
    with _gin_bitmap_plan(using), connections[using].cursor() as cursor:
        # Django orders "-search__date" DESC, which puts undated rows first: so here.
        cursor.execute(
            "SELECT article_id, count(*) OVER () FROM ("
            " SELECT article_id, date FROM articles_articlesearch"
            " WHERE vector @@ %s::tsquery LIMIT %s) AS found"
            " ORDER BY date DESC, article_id DESC LIMIT %s",
            [all_of_literal(long_terms), SORT_PROBE + 1, fetch],
        )
        rows = cursor.fetchall()
    if not rows:
        return []
    if rows[0][1] > SORT_PROBE:
        return None  # the statistics were out of date
    with _ids_plan(using):
        newest = list(
            matched.filter(pk__in=[pk for pk, _ in rows])
            .order_by("-search__date", "-pk")
            .values_list("pk", flat=True)[:wanted]
        )
    if len(newest) == wanted or rows[0][1] <= fetch:
        return newest
    return None


def snippet(document: str, terms: list[str], length: int = SNIPPET_LENGTH) -> str:
    """A stretch of the text around the first match, every match in <mark>, all escaped."""
    # The first line is the headline, shown on its own.
    text = document.split("\n", 1)[1] if "\n" in document else document
    text = " ".join(text.split())
    if not terms:
        return escape(text[:length])
    pattern = re.compile(
        "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE
    )
    first = pattern.search(text)
    start = max(0, first.start() - length // 3) if first else 0
    end = min(len(text), start + length)
    pieces = ["…"] if start > 0 else []
    position = start
    for match in pattern.finditer(text, start, end):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(text[position:end]))
    if end < len(text):
        pieces.append("…")
    return mark_safe("".join(pieces))


def admin_search(queryset, search_term: str):
    """The admin's search box: the same index, over whatever the admin shows (all states)."""
    if not search_term.strip():
        return queryset
    return filter_matching(queryset, query_terms(search_term))


# Indexing -----------------------------------------------------------------------------------

INDEX_BATCH = 500


def document_fields(article) -> list[tuple[str, str]]:
    """(weight, text) of everything searchable, headline first (the snippet skips it)."""
    photos = list(article.photos.all())
    names = [b.person.name for b in article.bylines.all()]
    names += [p.photographer.name for p in photos if p.photographer_id]
    return [
        ("A", " ".join(article.headline.split())),
        ("B", article.subheadline),
        ("C", " ".join(dict.fromkeys(names))),
        ("D", article.body),
        ("C", "\n".join(p.caption for p in photos)),
    ]


def index_articles(article_ids: Iterable[int], *, using: str = "default") -> int:
    """Write the search rows of these articles (insert or update), in a few queries a batch.

    Called on every save of an article or of what it shows (bylines, photos, corrections,
    people, issues), by the importer once per issue, and by rebuild_search_index."""
    ids = sorted(set(article_ids))
    postgres = connections[using].vendor == "postgresql"
    written = 0
    for start in range(0, len(ids), INDEX_BATCH):
        articles = (
            Article.objects.using(using)
            .filter(pk__in=ids[start : start + INDEX_BATCH])
            .select_related("page__issue")
            .prefetch_related("bylines__person", "photos__photographer")
        )
        now = timezone.now()
        rows = []
        for article in articles:
            fields = document_fields(article)
            rows.append(
                ArticleSearch(
                    article=article,
                    document=normalize("\n".join(text for _, text in fields)),
                    date=article.page.issue.date if article.page_id else None,
                    vector=vector_literal(fields) if postgres else None,
                    indexed_at=now,
                )
            )
        ArticleSearch.objects.using(using).bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=["document", "date", "vector", "indexed_at"],
        )
        written += len(rows)
    return written
