"""Public issue, page and archive views.

Every view fetches what it shows in a fixed number of queries (pinned by tests in
tests/issues/test_*_queries.py); anonymous readers only ever see published rows, staff
may preview the rest with a banner.
"""

import datetime

import django_filters
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView

from articles.models import Article, Byline, Photo
from articles.presentation import article_parts
from issues.models import Issue, LayoutCredit, Page, Publication
from public.caching import cache_public_page


def _bylines():
    return Prefetch(
        "bylines", queryset=Byline.objects.select_related("person").order_by("order", "id")
    )


def _photos():
    return Prefetch(
        "photos", queryset=Photo.objects.select_related("photographer").order_by("order", "id")
    )


def issue_queryset(user):
    """An issue with its masthead, pages, the pages' articles with bylines, and photo news.

    Queries: the issue with its publication and responsible editor; layout credits with
    their people; pages; the pages' articles; their bylines with people; the pages' photos
    with photographers.
    """
    # The issue page lists headlines: the texts (most of the bytes) stay in the database.
    articles = (
        Article.objects.visible_to(user)
        .defer("body")
        .order_by("order", "id")
        .prefetch_related(_bylines())
    )
    pages = Page.objects.order_by("number").prefetch_related(
        Prefetch("articles", queryset=articles), _photos()
    )
    return (
        Issue.objects.visible_to(user)
        .select_related("publication", "responsible_editor")
        .prefetch_related(
            Prefetch(
                "layout_credits",
                queryset=LayoutCredit.objects.select_related("person").order_by("order", "id"),
            ),
            Prefetch("pages", queryset=pages),
        )
    )


def _neighbours(issue, user):
    """The previous and the next issue of the publication, by cumulative number (2 queries)."""
    siblings = Issue.objects.visible_to(user).filter(publication_id=issue.publication_id)
    previous = siblings.filter(number__lt=issue.number).order_by("-number").first()
    following = siblings.filter(number__gt=issue.number).order_by("number").first()
    return previous, following


def _render_issue(request, issue):
    previous, following = _neighbours(issue, request.user)
    pages = list(issue.pages.all())
    # Articles continued on a page from an earlier one (上接1版), from rows already fetched.
    for page in pages:
        page.issue = issue
        page.continued = []
    by_number = {page.number: page for page in pages}
    for page in pages:
        for article in page.articles.all():
            article.page = page
            for number in (article.pages or [])[1:]:
                if number != page.number and number in by_number:
                    by_number[number].continued.append((article, page.number))
    return render(
        request,
        "issues/issue_detail.html",
        {
            "issue": issue,
            "publication": issue.publication,
            "previous_issue": previous,
            "next_issue": following,
            "preview": not issue.is_published,
            "canonical": request.build_absolute_uri(issue.get_absolute_url()),
        },
    )


@cache_public_page(scope="site")
def home(request):
    """The latest issue of the site's publication; a list when the site has several."""
    newest = Issue.objects.published().filter(publication=OuterRef("pk")).latest_first()
    publications = list(
        Publication.objects.order_by("name").annotate(latest_id=Subquery(newest.values("pk")[:1]))
    )
    if len(publications) == 1:
        return _latest(request, publications[0].slug)
    latest = Issue.objects.in_bulk([pub.latest_id for pub in publications if pub.latest_id])
    entries = []
    for pub in publications:
        issue = latest.get(pub.latest_id)
        if issue is not None:
            issue.publication = pub
        entries.append((pub, issue))
    return render(request, "issues/publication_list.html", {"entries": entries})


def _latest(request, pub):
    # The latest *published* issue even for staff: previews are reached by their number.
    issue = (
        issue_queryset(request.user)
        .published()
        .filter(publication__slug=pub)
        .latest_first()
        .first()
    )
    if issue is None:
        publication = get_object_or_404(Publication, slug=pub)
        return render(request, "issues/no_issue.html", {"publication": publication})
    return _render_issue(request, issue)


@cache_public_page
def latest(request, pub):
    return _latest(request, pub)


@cache_public_page
def issue_detail(request, pub, number):
    issue = get_object_or_404(issue_queryset(request.user), publication__slug=pub, number=number)
    return _render_issue(request, issue)


@cache_public_page
def page_detail(request, pub, number, page):
    """One page: its articles in order with their text on this page, photo news, the scan,
    and the articles continued here from earlier pages (上接1版).

    Queries: the page with its issue and publication; its articles; their bylines with
    people; their photos with photographers; the page's photo news with photographers; the
    issue's pages (navigation and jump links); the issue's other articles (those continued
    here, told apart in Python because SQLite cannot search inside the JSON page list).
    """
    user = request.user
    page_obj = get_object_or_404(
        Page.objects.visible_to(user).select_related("issue__publication"),
        issue__publication__slug=pub,
        issue__number=number,
        number=page,
    )
    issue = page_obj.issue
    articles = list(
        Article.objects.visible_to(user)
        .filter(page=page_obj)
        .order_by("order", "id")
        .prefetch_related(_bylines(), _photos())
    )
    photos = list(Photo.objects.filter(page=page_obj).select_related("photographer"))
    pages = list(Page.objects.filter(issue=issue).order_by("number"))
    for each in pages:
        each.issue = issue  # get_absolute_url without a query per page
    page_urls = {each.number: each.get_absolute_url() for each in pages}
    others = (
        Article.objects.visible_to(user)
        .filter(page__issue=issue)
        .exclude(page=page_obj)
        .select_related("page")
        .order_by("page__number", "order", "id")
    )
    continued = []
    for article in others:
        if page_obj.number in (article.pages or []):
            article.page.issue = issue
            part = _part_on(article, page_obj.number, page_urls)
            if part is not None:
                continued.append((article, part))
    entries = []
    for article in articles:
        article.page = page_obj
        entries.append((article, _part_on(article, page_obj.number, page_urls)))
    index = next(i for i, each in enumerate(pages) if each.pk == page_obj.pk)
    return render(
        request,
        "issues/page_detail.html",
        {
            "page": page_obj,
            "issue": issue,
            "publication": issue.publication,
            "entries": entries,
            "continued": continued,
            "photos": photos,
            "scan_is_image": page_obj.scan.name.lower().endswith(SCAN_IMAGE_SUFFIXES),
            "pages": pages,
            "previous_page": pages[index - 1] if index > 0 else None,
            "next_page": pages[index + 1] if index + 1 < len(pages) else None,
            "preview": not issue.is_published,
            "canonical": request.build_absolute_uri(page_obj.get_absolute_url()),
        },
    )


SCAN_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def _part_on(article, number, page_urls):
    for part in article_parts(article, page_urls):
        if part.page_number == number:
            return part
    return None


def issue_by_date(request, pub, date):
    """/<pub>/2024-11-28/ → that day's issue (a permanent address for a date)."""
    issue = get_object_or_404(
        Issue.objects.visible_to(request.user).select_related("publication"),
        publication__slug=pub,
        date=date,
    )
    return redirect(issue)


class IssueFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        field_name="date", lookup_expr="year", label=_("Year"), min_value=1900, max_value=2999
    )
    month = django_filters.NumberFilter(
        field_name="date", lookup_expr="month", label=_("Month"), min_value=1, max_value=12
    )

    class Meta:
        model = Issue
        fields = ["year", "month"]


@method_decorator(cache_public_page(query=("year", "month", "page")), name="dispatch")
class IssueArchiveView(FilterView):
    """All issues of a publication, newest first, grouped by year and month.

    Queries: the publication; the years that have issues (for the year links); the issues.
    """

    filterset_class = IssueFilter
    template_name = "issues/issue_archive.html"
    context_object_name = "issues"
    paginate_by = 100

    def get_queryset(self):
        self.publication = get_object_or_404(Publication, slug=self.kwargs["pub"])
        return (
            Issue.objects.visible_to(self.request.user)
            .of(self.publication)
            .latest_first()
            .only("publication_id", "date", "number", "number_in_year", "status")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = (
            Issue.objects.visible_to(self.request.user)
            .of(self.publication)
            .dates("date", "year", order="DESC")
        )
        for issue in context["issues"]:
            issue.publication = self.publication
        context.update(
            publication=self.publication,
            years=[day.year for day in years],
            canonical=self.request.build_absolute_uri(
                reverse("issues:archive", kwargs={"pub": self.publication.slug})
            ),
        )
        return context


class DateConverter:
    """yyyy-mm-dd in a URL; an impossible date (2024-02-30) is a 404, not a 500."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value):
        return datetime.date.fromisoformat(value)

    def to_url(self, value):
        return value.isoformat() if isinstance(value, datetime.date) else value


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri(reverse('django.contrib.sitemaps.views.sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
