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
ranks or counts every match: a page by date reads the newest matches off the date index,
relevance ranks only the newest CANDIDATES matches, and counts stop at COUNT_CAP.
"""

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
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
CANDIDATES = 200
COUNT_CAP = 1000
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


def _phrase(term: str, weight: str = "") -> str:
    """A tsquery phrase matching the term as a substring of one segment.

    A CJK run of two or more characters is its bigrams (the run's last character is implied
    by the last bigram); a single character, or a Latin word ending the term, matches as a
    prefix, since in the document it may start a longer token (年 in 2024年收官 is 年收)."""
    items = []  # (unit offset, operand)
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
    literal = items[0][1]
    for (before, _), (after, operand) in zip(items, items[1:], strict=False):
        literal += f" <{after - before}> {operand}"
    return literal


def tsquery_literal(terms: Iterable[str], weight: str = "") -> str:
    return " & ".join(f"({_phrase(term, weight)})" for term in terms)


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
    long_terms, _ = _split(terms)
    if long_terms:
        # The GIN index answers "has all these bigrams" exactly, without reading a single
        # vector; the substring test on the text then keeps only the real phrase. A phrase
        # tsquery would make PostgreSQL re-read every candidate's vector (10 kB) instead.
        queryset = queryset.filter(search__vector=TsQuery(tsquery_literal(long_terms, all_of=True)))
    return queryset.filter(_substring_q(terms))


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

    Queries: 1. the count, capped at COUNT_CAP + 1; 2. when there are few matches, their ids;
    3. the page of articles with their issue, publication and search text (none of it when
    nothing matched)."""
    terms = query_terms(q)
    results = SearchResults(query=q, terms=terms, sort=sort, per_page=per_page)
    if not terms:
        return results
    matched = filter_matching(queryset, terms).order_by()
    results.count = matched.values("pk")[: COUNT_CAP + 1].count()
    if not results.count:
        return results
    results.page = min(max(page, 1), results.num_pages)
    start = (results.page - 1) * per_page
    newest_first = ("-search__date", "-pk")
    if results.count <= COUNT_CAP:
        # Up to COUNT_CAP matches: fetch them all, unordered, which the GIN index answers
        # directly (and rank them all).
        # "The newest 20" of a rare word would have PostgreSQL walk the date index through
        # the whole archive, its statistics knowing only the common words.
        candidates = list(matched.values_list("pk", flat=True))
    else:
        # Rank only the newest CANDIDATES matches: ranking every match of a common word
        # would read every one of their vectors.
        candidates = matched.order_by(*newest_first).values("pk")[:CANDIDATES]
    if sort == "date":
        page_qs = (
            Article.objects.filter(pk__in=candidates).order_by(*newest_first)
            if results.count <= COUNT_CAP
            else matched.order_by(*newest_first)
        )
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
