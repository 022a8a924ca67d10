"""The public article view and its short link."""

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext

from articles.models import Article, Byline, Correction, Photo, RetiredArticle
from articles.photos import share_image_url
from articles.presentation import byline_text, continuous_text
from issues.models import Issue, Page
from people.urls_cache import fast_reverse
from public.caching import cache_public_page
from public.issue_views import neighbours


def _visible_statuses(user):
    """The statuses of an issue's articles the user may read (Article.objects.visible_to: the
    article shown is visible, so its issue is)."""
    if user.is_authenticated and user.is_staff:
        return {Article.Status.PLACED, Article.Status.PUBLISHED}
    return {Article.Status.PUBLISHED}


# What the article page shows of its rows: the texts, the pages' text layers and images,
# the imported copy of the article and the issue's extra metadata stay in the database.
_ARTICLE_COLUMNS = (
    "page_id",
    "order",
    "headline",
    "subheadline",
    "dateline",
    "body",
    "pages",
    "breaks",
    "status",
    "published_at",
    "page__issue_id",
    "page__number",
    "page__name",
    "page__issue__publication_id",
    "page__issue__date",
    "page__issue__number_in_year",
    "page__issue__number",
    "page__issue__responsible_editor_id",
    "page__issue__status",
    "page__issue__sponsors",
    "page__issue__sponsor_role",
    "page__issue__publication__name",
    "page__issue__publication__slug",
    "page__issue__publication__sponsors",
    "page__issue__publication__sponsor_role",
    "page__issue__responsible_editor__name",
)


def _neighbour_issues(issue, user):
    """The previous and next issue of the paper the reader may see, by cumulative number.

    Most issues have both neighbours one number away, which one query on the (publication,
    number) index finds; only when a side is missing there (the first or latest issue, or a
    gap) does ``neighbours`` (subqueries, dearer to build) look further."""
    near = {
        each.number: each
        for each in Issue.objects.visible_to(user)
        .filter(
            publication_id=issue.publication_id, number__in=(issue.number - 1, issue.number + 1)
        )
        .only("publication_id", "number")
        .order_by()
    }
    if len(near) < 2:
        return neighbours(issue, user)
    return near[issue.number - 1], near[issue.number + 1]


@cache_public_page
def article_detail(request, pub, pk):
    """One article read whole: bylines, its text as one with quiet jump markers, photos,
    corrections, breadcrumbs, the previous and next article of the issue and the previous
    and next issue, a share card and its short link.

    Queries: 1 the article with its page, issue, publication and responsible editor, and
    whether it has photos and corrections; 2 its bylines with people; 3 the issue's
    articles, a few columns each (previous/next, and the place on the page of the short
    link); 4 the issues numbered one before and one after (a second query only for the first
    or latest issue or across a gap); then only when there is something to show: 5 its
    photos with photographers, 6 its corrections, 7 which of the pages it jumps to are in
    the archive. Most articles take 4 or 5.
    """
    user = request.user
    found = (
        Article.objects.visible_to(user)
        .select_related("page__issue__publication", "page__issue__responsible_editor")
        .only(*_ARTICLE_COLUMNS)
        .annotate(
            has_photos=Exists(Photo.objects.filter(article=OuterRef("pk"))),
            has_corrections=Exists(Correction.objects.filter(article=OuterRef("pk"))),
        )
        .filter(page__issue__publication__slug=pub, pk=pk)
        # One row or none: no ORDER BY (the model's ordering joins and sorts for nothing).
        .order_by()
    )
    article = next(iter(found), None)
    if article is None:
        return _removed(request, pub, pk)
    page = article.page
    issue = page.issue
    publication = issue.publication
    bylines = list(
        Byline.objects.filter(article=article)
        .select_related("person")
        .only("role", "article_id", "person__name")
        .order_by("order", "id")
    )
    photos = (
        list(
            Photo.objects.filter(article=article)
            .select_related("photographer")
            .order_by("order", "id")
        )
        if article.has_photos
        else []
    )
    corrections = (
        list(article.corrections.order_by("created_at", "id")) if article.has_corrections else []
    )
    # The jump markers link the pages the article goes on to, when the archive has them. The
    # article is visible, so its issue is, and so are all the issue's pages.
    page_urls = {}
    if len(article.pages or []) > 1:
        numbers = Page.objects.filter(issue_id=issue.pk, number__in=article.pages).order_by()
        for number in numbers.values_list("number", flat=True):
            page_urls[number] = fast_reverse(
                "issues:page", pub=publication.slug, number=issue.number, page=number
            )
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
    previous_issue, next_issue = _neighbour_issues(issue, user)
    paragraphs = article.paragraphs
    short_url = request.build_absolute_uri(
        fast_reverse(
            "issues:short",
            pub=publication.slug,
            number=issue.number,
            page=page.number,
            n=position,
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
    issue_url = fast_reverse("issues:detail", pub=publication.slug, number=issue.number)
    return render(
        request,
        "articles/article_detail.html",
        {
            "paper_label": gettext("%(name)s No. %(n)s")
            % {"name": publication.name, "n": issue.number_in_year},
            "issue_label": gettext("No. %(n)s (cumulative No. %(total)s)")
            % {"n": issue.number_in_year, "total": issue.number},
            "page_label": gettext("Page %(n)s") % {"n": page.number},
            "issue_date": date_format(issue.date, "DATE_FORMAT"),
            "issue_url": issue_url,
            "page_url": fast_reverse(
                "issues:page", pub=publication.slug, number=issue.number, page=page.number
            ),
            "article": article,
            "issue": issue,
            "publication": publication,
            "page": page,
            "bylines": bylines,
            "photos": photos,
            "corrections": corrections,
            "byline_text": byline_text(bylines),
            "blocks": continuous_text(article, page_urls, anchor=f"#c{article.pk}"),
            "previous_article": previous,
            "previous_article_url": previous
            and fast_reverse("articles:detail", pub=publication.slug, pk=previous.pk),
            "next_article": following,
            "next_article_url": following
            and fast_reverse("articles:detail", pub=publication.slug, pk=following.pk),
            "previous_issue": previous_issue,
            "next_issue": next_issue,
            "preview": not (issue.is_published and article.status == Article.Status.PUBLISHED),
            "description": paragraphs[0][:120] if paragraphs else article.subheadline,
            "canonical": request.build_absolute_uri(
                fast_reverse("articles:detail", pub=publication.slug, pk=article.pk)
            ),
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
