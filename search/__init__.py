"""Chinese full-text search over articles.

PostgreSQL's parsers see a run of Chinese as one word, so the index is built here, as Lucene's
CJK analyzer does (search.tokens): overlapping character bigrams in a weighted tsvector
(headline A, subheadline B, names and captions C, body D) served by a GIN index. SQLite, the
embedded default, searches the same normalised text by substring.

The rooms:

- ``tokens``: the tokeniser and the tsvector/tsquery literals (pure Python);
- ``index``: writing an article's row (``index_articles``);
- ``query``: finding and ranking matches (``search_articles``, ``filter_matching``,
  ``admin_search``);
- ``planner``: the plans PostgreSQL is told to take, from the index's statistics;
- ``snippets``: the highlighted stretch of text shown with a result.

The public functions are importable from this package (``from search import
search_articles``). They are loaded on first use: this package is also the Django app, which
is imported before the models are ready.
"""

_PUBLIC = {
    "normalize": "search.tokens",
    "query_terms": "search.tokens",
    "vector_literal": "search.tokens",
    "index_articles": "search.index",
    "document_fields": "search.index",
    "search_articles": "search.query",
    "filter_matching": "search.query",
    "admin_search": "search.query",
    "SearchResults": "search.query",
    "SORTS": "search.query",
    "snippet": "search.snippets",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name):
    if name in _PUBLIC:
        import importlib

        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'search' has no attribute {name!r}")
