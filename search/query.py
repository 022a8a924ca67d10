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
read off the GIN index without re-reading vectors wherever the query allows (see plan).
"""

import math
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import Case, F, Prefetch, Q, Value, When

from articles.models import Article, Byline, Photo
from search import planner
from search.models import ArticleSearch
from search.snippets import labelled_names, snippet
from search.tokens import CJK_RUN, all_of_literal, query_terms, tsquery_literal

# Relevance is computed among the newest CANDIDATES matches; counts stop at COUNT_CAP.
CANDIDATES = 100
COUNT_CAP = 200
# The newest matches of a word in at most SORT_PROBE articles are sorted out of the GIN
# index's matches (cheap per match); beyond, walking the date index and testing each row's
# vector (a TOAST read each) finds them sooner. The two cost the same about here, on the
# benchmark's archive (bench/RESULTS.md, Search).
SORT_PROBE = 20_000
# A word in more than this share of the articles is read by walking the primary key.
COMMON_SHARE = 0.3
PER_PAGE = 20


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
        if CJK_RUN.fullmatch(term):
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
    and search text (none of it when nothing matched), and their bylines and photos with
    people (names matched are shown with their roles). On PostgreSQL also the index's
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
    page_qs = (
        page_qs.select_related("page__issue__publication", "search")
        .defer("body", "search__vector")
        .prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("person")),
            Prefetch("photos", queryset=Photo.objects.select_related("photographer")),
        )
    )
    results.articles = list(page_qs[start : start + per_page])
    for article in results.articles:
        # Headline, subheadline and names are the document's first three lines: the snippet
        # is cut from the text after them, and a name that matched is shown with its role.
        article.snippet = snippet(article.search.document, terms, skip=3)
        article.names = labelled_names(article.bylines.all(), article.photos.all(), terms)
    return results


def _count_plan(matched, terms):
    """How to read up to COUNT_CAP + 1 matches: off the GIN index in a bitmap, unless the word
    is in more than COMMON_SHARE of the articles (walking the primary key then finds them
    within a few hundred rows, sooner than the GIN index reads its postings: see
    bench/RESULTS.md), or there are only one-character terms (a scan of the text)."""
    long_terms, _ = _split(terms)
    using = matched.db
    if long_terms and _vendor(matched) == "postgresql":
        _, rows = planner.lexeme_shares(using)
        if not rows or planner.at_most(long_terms, using) <= COMMON_SHARE * rows:
            return planner.gin_bitmap_plan(using)
    return planner.plan(using)


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
        or planner.at_most(long_terms, using) > SORT_PROBE
    ):
        return None
    wanted = COUNT_CAP + 1
    # A little more than needed: a few of them may not be matches after all.
    fetch = wanted * 5 // 4
    with planner.gin_bitmap_plan(using), connections[using].cursor() as cursor:
        # Django orders "-search__date" DESC, which puts undated rows first: so here.
        cursor.execute(
            "SELECT article_id, count(*) OVER () FROM ("
            f" SELECT article_id, date FROM {ArticleSearch._meta.db_table}"
            " WHERE vector @@ %s::tsquery LIMIT %s) AS found"
            " ORDER BY date DESC, article_id DESC LIMIT %s",
            [all_of_literal(long_terms), SORT_PROBE + 1, fetch],
        )
        rows = cursor.fetchall()
    if not rows:
        return []
    if rows[0][1] > SORT_PROBE:
        return None  # the statistics were out of date
    with planner.ids_plan(using):
        newest = list(
            matched.filter(pk__in=[pk for pk, _ in rows])
            .order_by("-search__date", "-pk")
            .values_list("pk", flat=True)[:wanted]
        )
    if len(newest) == wanted or rows[0][1] <= fetch:
        return newest
    return None


def admin_search(queryset, search_term: str):
    """The admin's search box: the same index, over whatever the admin shows (all states)."""
    if not search_term.strip():
        return queryset
    return filter_matching(queryset, query_terms(search_term))
