from django.shortcuts import render

from articles.models import Article
from search import query, tokens
from search.filters import ArticleSearchFilter


def search_view(request):
    """/search/?q=…: published articles only, whatever the index holds.

    Queries: the publications for the filter form; with a query, the ids of up to COUNT_CAP + 1
    matches (the capped count) and one page of them (with issue, publication and search text)."""
    q = tokens.normalize(request.GET.get("q", ""))[: tokens.MAX_QUERY_LENGTH].strip()
    sort = request.GET.get("sort")
    if sort not in query.SORTS:
        sort = query.SORTS[0]
    try:
        page = int(request.GET.get("page", 1))
    except ValueError:
        page = 1
    filterset = ArticleSearchFilter(request.GET, queryset=Article.objects.published())
    # The filters stay open when the reader used them, folded away otherwise (phones).
    filtered = sort != query.SORTS[0] or any(
        request.GET.get(name) for name in filterset.form.fields if name != "person"
    )
    results = None
    if q:
        results = query.search_articles(
            filterset.qs, q, sort=sort, page=page, per_page=query.PER_PAGE
        )
    return render(
        request,
        "articles/search.html",
        {
            "search_query": q,
            "filterset": filterset,
            "sort": sort,
            "filtered": filtered,
            "results": results,
            "count_cap": query.COUNT_CAP,
            "candidates": query.CANDIDATES,
        },
    )
