"""The public article view and its short link."""

from django.db.models import Prefetch
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from articles.models import Article, Byline, Correction, Photo, RetiredArticle
from articles.photos import share_image_url
from articles.presentation import byline_text, continuous_text
from issues.models import Page
from public.caching import cache_public_page
from public.issue_views import neighbours


def _visible_statuses(user):
    """The statuses of an issue's articles the user may read (Article.objects.visible_to: the
    article shown is visible, so its issue is)."""
    if user.is_authenticated and user.is_staff:
        return {Article.Status.PLACED, Article.Status.PUBLISHED}
    return {Article.Status.PUBLISHED}


@cache_public_page
def article_detail(request, pub, pk):
    """One article read whole: bylines, its text as one with quiet jump markers, photos,
    corrections, breadcrumbs, the previous and next article of the issue and the previous
    and next issue, a share card and its short link.

    Queries: the article with its page, issue, publication and responsible editor;
    its bylines with people; its photos with photographers; its corrections; the issue's
    pages (breadcrumbs and jump links); the issue's articles, a few columns each
    (previous/next, and the place on the page of the short link); the previous and next
    issue.
    """
    user = request.user
    article = (
        Article.objects.visible_to(user)
        .select_related("page__issue__publication", "page__issue__responsible_editor")
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
        )
        .filter(page__issue__publication__slug=pub, pk=pk)
        .first()
    )
    if article is None:
        return _removed(request, pub, pk)
    issue = article.page.issue
    pages = list(
        Page.objects.visible_to(user).filter(issue=issue).defer("words").order_by("number")
    )
    for each in pages:
        each.issue = issue
    page_urls = {each.number: each.get_absolute_url() for each in pages}
    # Every article of the issue, a few columns each: the previous and next ones the reader
    # may see, and the article's place on its start page counting every article placed
    # there (withdrawn ones too, so that a withdrawal does not renumber the page).
    rows = list(
        Article.objects.in_issue(issue).values_list(
            "pk", "headline", "status", "page_id", "order", named=True
        )
    )
    visible = _visible_statuses(user)
    sequence = [row for row in rows if row.status in visible]
    position = 1 + sum(
        1
        for row in rows
        if row.page_id == article.page_id and (row.order, row.pk) < (article.order, article.pk)
    )
    index = next(i for i, row in enumerate(sequence) if row.pk == article.pk)
    previous = sequence[index - 1] if index > 0 else None
    following = sequence[index + 1] if index + 1 < len(sequence) else None
    previous_issue, next_issue = neighbours(issue, user)
    bylines = list(article.bylines.all())
    photos = list(article.photos.all())
    paragraphs = article.paragraphs
    short_url = request.build_absolute_uri(
        reverse(
            "issues:short",
            kwargs={
                "pub": issue.publication.slug,
                "number": issue.number,
                "page": article.page.number,
                "n": position,
            },
        )
    )
    # The share card's picture: a rendition (never the original, which keeps its EXIF) of
    # the article's first photo that has one.
    og_image = next(
        (
            request.build_absolute_uri(url)
            for url in map(share_image_url, photos)
            if url is not None
        ),
        None,
    )
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "issue": issue,
            "publication": issue.publication,
            "page": article.page,
            "pages": pages,
            "bylines": bylines,
            "photos": photos,
            "byline_text": byline_text(bylines),
            "blocks": continuous_text(article, page_urls, anchor=f"#c{article.pk}"),
            "previous_article": previous,
            "next_article": following,
            "previous_issue": previous_issue,
            "next_issue": next_issue,
            "preview": not (issue.is_published and article.status == Article.Status.PUBLISHED),
            "description": paragraphs[0][:120] if paragraphs else article.subheadline,
            "canonical": request.build_absolute_uri(article.get_absolute_url()),
            "short_url": short_url,
            "og_image": og_image,
        },
    )


def _removed(request, pub, pk):
    """An address an import took away (backissues: ``import_issues --replace``): 301 to the
    article that holds its text now, or 410 with a plain page saying it was removed. Any other
    unknown address is a 404.

    Queries: the retired record with its successor, issue and publication; the successor, if
    the reader may see it."""
    retired = (
        RetiredArticle.objects.select_related("issue__publication", "successor")
        .filter(publication__slug=pub, pk=pk)
        .first()
    )
    if retired is None:
        raise Http404
    if retired.successor_id is not None:
        successor = (
            Article.objects.visible_to(request.user)
            .select_related("page__issue__publication")
            .filter(pk=retired.successor_id)
            .first()
        )
        if successor is not None:
            return HttpResponsePermanentRedirect(successor.get_absolute_url())
    issue = retired.issue
    return render(
        request,
        "articles/article_removed.html",
        {
            "retired": retired,
            "issue_url": reverse(
                "issues:detail", kwargs={"pub": issue.publication.slug, "number": issue.number}
            ),
        },
        status=410,
    )


def article_short_link(request, pub, number, page, n):
    """/<pub>/<总期号>/<版>/<n>/: the n-th article on that page of that issue, as printed.

    The address names the printed place, not the row, so it still finds the article after
    the issue is imported again (--replace) and its rows are rebuilt. A redirect (302, not
    permanent: the row it points to may change), counting articles as the article view's
    short link does.

    Queries: the n-th article's id on the page; the article, if the reader may see it.
    """
    if n < 1:
        raise Http404
    found = list(
        Article.objects.filter(
            page__issue__publication__slug=pub, page__issue__number=number, page__number=page
        )
        .order_by("order", "id")
        .values_list("pk", flat=True)[n - 1 : n]
    )
    if not found:
        raise Http404
    article = get_object_or_404(
        Article.objects.visible_to(request.user).select_related("page__issue__publication"),
        pk=found[0],
    )
    return redirect(article)
