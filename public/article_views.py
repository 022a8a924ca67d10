"""The public article view."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from articles.models import Article, Byline, Correction, Photo
from articles.presentation import article_parts, byline_text
from issues.models import Page
from public.caching import cache_public_page


@cache_public_page
def article_detail(request, pub, pk):
    """One article: bylines, text with its jumps, photos, corrections, breadcrumbs and the
    previous and next article of the issue.

    Queries: the article with its page, issue and publication; its bylines with people;
    its photos with photographers; its corrections; the issue's pages (breadcrumbs and
    jump links); the issue's articles, a few columns each (previous/next).
    """
    user = request.user
    article = get_object_or_404(
        Article.objects.visible_to(user)
        .select_related("page__issue__publication")
        .prefetch_related(
            Prefetch(
                "bylines",
                queryset=Byline.objects.select_related("person").order_by("order", "id"),
            ),
            Prefetch(
                "photos",
                queryset=Photo.objects.select_related("photographer").order_by("order", "id"),
            ),
            Prefetch("corrections", queryset=Correction.objects.order_by("created_at", "id")),
        ),
        page__issue__publication__slug=pub,
        pk=pk,
    )
    issue = article.page.issue
    pages = list(Page.objects.visible_to(user).filter(issue=issue).order_by("number"))
    for each in pages:
        each.issue = issue
    page_urls = {each.number: each.get_absolute_url() for each in pages}
    sequence = list(
        Article.objects.visible_to(user).in_issue(issue).values_list("pk", "headline", named=True)
    )
    index = next(i for i, row in enumerate(sequence) if row.pk == article.pk)
    previous = sequence[index - 1] if index > 0 else None
    following = sequence[index + 1] if index + 1 < len(sequence) else None
    bylines = list(article.bylines.all())
    paragraphs = article.paragraphs
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "issue": issue,
            "publication": issue.publication,
            "page": article.page,
            "bylines": bylines,
            "byline_text": byline_text(bylines),
            "parts": article_parts(article, page_urls),
            "previous_article": previous,
            "next_article": following,
            "preview": not (issue.is_published and article.status == Article.Status.PUBLISHED),
            "description": paragraphs[0][:120] if paragraphs else article.subheadline,
            "canonical": request.build_absolute_uri(article.get_absolute_url()),
        },
    )
