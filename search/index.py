"""Writing the search index: one ArticleSearch row an article."""

from collections.abc import Iterable

from django.db import connections
from django.utils import timezone

from articles.models import Article
from search.models import ArticleSearch
from search.tokens import normalize, vector_literal

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
