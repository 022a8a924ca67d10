"""Public issue, page and archive views.

Every view fetches what it shows in a fixed number of queries (pinned by tests in
tests/issues/test_*_queries.py); anonymous readers only ever see published rows, staff
may preview the rest with a banner.
"""

import calendar
import datetime
from dataclasses import dataclass

import django_filters
from django.db.models import F, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView

from articles.models import Article, Byline, Photo, Region
from articles.photos import share_image_url
from articles.presentation import article_parts
from epaper.geometry import Box
from epaper.hits import find_occurrences
from issues.dates import WEEKDAYS, weekday_name
from issues.models import Issue, IssueCorrection, LayoutCredit, Page, Publication
from people.models import Person
from people.urls_cache import fast_reverse
from public.caching import cache_public_page
from public.issue_html import (
    BylineRow,
    PersonRow,
    PhotoRow,
    issue_pages_html,
    page_articles_html,
    page_nav_html,
)
from public.prepared import PreparedRows


# Prefetched rows go into plain lists (to_attr): a prefetch into ``.all()`` builds a filtered
# queryset for every article and page it fills, a tenth of an uncached issue page's time.
def _bylines():
    return Prefetch(
        "bylines",
        queryset=Byline.objects.select_related("person").order_by("order", "id"),
        to_attr="byline_list",
    )


def _photos():
    return Prefetch(
        "photos",
        queryset=Photo.objects.select_related("photographer").order_by("order", "id"),
        to_attr="photo_list",
    )


def issue_queryset(user):
    """An issue with its publication and responsible editor (one query); the rest of what
    the issue page shows is read by ``issue_contents``."""
    return Issue.objects.visible_to(user).select_related("publication", "responsible_editor")


class HeadlineRow:
    """An article as the issue page lists it."""

    __slots__ = ("pk", "page_id", "headline", "subheadline", "pages", "url", "bylines", "photos")

    def __init__(self, pk, page_id, headline, subheadline, pages, url):
        self.pk = pk
        self.page_id = page_id
        self.headline = headline
        self.subheadline = subheadline
        self.pages = pages
        self.url = url
        self.bylines = []
        self.photos = []

    def get_absolute_url(self):
        return self.url


class IssuePage:
    """A page of the issue as the issue page shows it."""

    __slots__ = (
        "pk",
        "number",
        "name",
        "renditions",
        "scan",
        "url",
        "articles",
        "photos",
        "continued",
        "lead_photo",
    )

    def __init__(self, pk, number, name, renditions, scan, url):
        self.pk = pk
        self.number = number
        self.name = name
        self.renditions = renditions
        self.scan = scan
        self.url = url
        self.articles = []
        self.photos = []
        self.continued = []
        self.lead_photo = None

    def get_absolute_url(self):
        return self.url


class PageArticle:
    """An article as the page view shows it (what ``article_parts`` reads, too)."""

    __slots__ = (
        "pk",
        "page_id",
        "page",
        "order",
        "headline",
        "subheadline",
        "body",
        "pages",
        "breaks",
        "url",
        "bylines",
        "photos",
    )
    FIELDS = ("pk", "page_id", "order", "headline", "subheadline", "body", "pages", "breaks")

    def __init__(self, row, numbers, slug):
        (
            self.pk,
            self.page_id,
            self.order,
            self.headline,
            self.subheadline,
            self.body,
            self.pages,
            self.breaks,
        ) = row
        self.page = PageNumber(numbers[self.page_id])
        self.url = fast_reverse("articles:detail", pub=slug, pk=self.pk)
        self.bylines = []
        self.photos = []

    @property
    def paragraphs(self):
        return [p for p in self.body.split("\n") if p.strip()]

    def get_absolute_url(self):
        return self.url


class PageNumber:
    """``article.page`` for ``article_parts``: the number of the page the article starts on."""

    __slots__ = ("number",)

    def __init__(self, number):
        self.number = number


def _staff(user):
    return user.is_authenticated and user.is_staff


def _visible_articles(staff):
    return Article.objects.visible_to(_STAFF if staff else _READER)


class _Reader:
    is_authenticated = is_staff = False


class _Staff:
    is_authenticated = is_staff = True


_READER, _STAFF = _Reader(), _Staff()

# The issue and page views' queries, compiled once per process (public.prepared).
LAYOUT_CREDITS = PreparedRows(
    lambda issue_id, staff: (
        LayoutCredit.objects.filter(issue_id=issue_id)
        .order_by("order", "id")
        .values_list("person_id", "person__name")
    )
)
ISSUE_PAGES = PreparedRows(
    lambda issue_id, staff: (
        Page.objects.filter(issue_id=issue_id)
        .order_by("number")
        .values_list("pk", "number", "name", "renditions", "scan")
    ),
)
ISSUE_ARTICLES = PreparedRows(
    lambda issue_id, staff: (
        _visible_articles(staff)
        .filter(page__issue_id=issue_id)
        .order_by("order", "id")
        .values_list("pk", "page_id", "headline", "subheadline", "pages")
    ),
)
BYLINES = PreparedRows(
    lambda article_ids, staff: (
        Byline.objects.filter(article_id__in=article_ids)
        .order_by("order", "id")
        .values_list("article_id", "role", "person_id", "person__name")
    )
)
PAGE_PHOTOS = PreparedRows(
    lambda page_ids, staff: (
        Photo.objects.filter(page_id__in=page_ids)
        .order_by("order", "id")
        .values_list(*PhotoRow.FIELDS)
    ),
)
PAGE_AND_ARTICLE_PHOTOS = PreparedRows(
    lambda page_ids, article_ids, staff: (
        Photo.objects.filter(Q(page_id__in=page_ids) | Q(article_id__in=article_ids))
        .order_by("order", "id")
        .values_list(*PhotoRow.FIELDS)
    ),
)
PAGE_VIEW_ARTICLES = PreparedRows(
    lambda issue_id, staff: (
        _visible_articles(staff)
        .filter(page__issue_id=issue_id)
        .order_by("page__number", "order", "id")
        .values_list(*PageArticle.FIELDS)
    ),
)


ISSUE_CORRECTIONS = PreparedRows(
    lambda issue_id, staff: (
        IssueCorrection.objects.filter(issue_id=issue_id)
        .order_by("created_at", "id")
        .values_list("created_at", "note")
    )
)


class CorrectionRow:
    __slots__ = ("created_at", "note")

    def __init__(self, created_at, note):
        self.created_at = created_at
        self.note = note


def _photos_of(page_ids, article_ids):
    if article_ids:
        return PAGE_AND_ARTICLE_PHOTOS(page_ids, article_ids)
    return PAGE_PHOTOS(page_ids)


def issue_contents(issue, user):
    """The issue's pages, each with its articles (bylines, photos), the articles continued
    there from an earlier page (上接1版), its photo news and its lead photo; its layout
    credits. Plain rows (``values_list``), one query for each kind of thing: layout credits
    with people, pages, articles, bylines with people, and photos (the articles' and the
    pages') with photographers. No bylines or photos query when there is nothing to ask."""
    slug = issue.publication.slug
    staff = _staff(user)
    credits = [PersonRow(pk, name) for pk, name in LAYOUT_CREDITS(issue.pk)]
    pages = [
        IssuePage(
            pk,
            number,
            name,
            renditions,
            scan,
            fast_reverse("issues:page", pub=slug, number=issue.number, page=number),
        )
        for pk, number, name, renditions, scan in ISSUE_PAGES(issue.pk)
    ]
    by_pk = {page.pk: page for page in pages}
    articles = {}
    if pages:
        for pk, page_id, headline, subheadline, numbers in ISSUE_ARTICLES(issue.pk, staff=staff):
            url = fast_reverse("articles:detail", pub=slug, pk=pk)
            article = HeadlineRow(pk, page_id, headline, subheadline, numbers, url)
            articles[pk] = article
            by_pk[page_id].articles.append(article)
    if articles:
        people = {}
        for article_id, role, person_id, name in BYLINES(list(articles)):
            person = people.get(person_id) or people.setdefault(
                person_id, PersonRow(person_id, name)
            )
            articles[article_id].bylines.append(BylineRow(role, person))
    if pages:
        for row in _photos_of(list(by_pk), list(articles)):
            photo = PhotoRow(row)
            if photo.page_id in by_pk:
                by_pk[photo.page_id].photos.append(photo)
            if photo.article_id in articles:
                articles[photo.article_id].photos.append(photo)
    by_number = {page.number: page for page in pages}
    for page in pages:
        for article in page.articles:
            for number in (article.pages or [])[1:]:
                if number != page.number and number in by_number:
                    by_number[number].continued.append((article, page.number))
        page.lead_photo = lead_photo(page)
    return pages, credits


def _neighbours_query(publication_id, number, staff):
    siblings = Issue.objects.visible_to(_STAFF if staff else _READER).filter(
        publication_id=publication_id
    )
    before = siblings.filter(number__lt=number).order_by("-number").values("pk")[:1]
    after = siblings.filter(number__gt=number).order_by("number").values("pk")[:1]
    return siblings.filter(Q(pk=Subquery(before)) | Q(pk=Subquery(after))).values_list(
        "pk", "number", "number_in_year", "date"
    )


NEIGHBOURS = PreparedRows(_neighbours_query)


def neighbours(issue, user):
    """The previous and the next issue of the publication, by cumulative number, in one
    query (each side a subquery on the (publication, number) index)."""
    previous = following = None
    for pk, number, number_in_year, date in NEIGHBOURS(
        issue.publication_id, issue.number, staff=_staff(user)
    ):
        each = Issue(
            pk=pk,
            publication_id=issue.publication_id,
            number=number,
            number_in_year=number_in_year,
            date=date,
        )
        each.publication = issue.publication
        if number < issue.number:
            previous = each
        else:
            following = each
    return previous, following


def on_this_day(publication, today, *, years=3, headlines=2, besides=None):
    """往年今日: what the paper printed on this month and day in earlier years, newest first,
    as (issue, [articles]) for at most ``years`` issues and ``headlines`` front-page articles
    each.

    One query: the dates are listed (this day in each of the last hundred years), so the
    issues come off the (publication, date) index, and a window numbers each issue's
    front-page articles so that only the first few come back. ``besides``: the issue the
    page already shows (a paper that skipped a year leads with last year's issue)."""
    dates = []
    for year in range(today.year - 1, today.year - 101, -1):
        try:
            dates.append(today.replace(year=year))
        except ValueError:  # 29 February in a common year
            continue
    if besides is not None and besides.date in dates:
        dates.remove(besides.date)
    rows = (
        Article.objects.published()
        .filter(
            page__issue__publication=publication,
            page__issue__date__in=dates,
            page__number=1,
        )
        .select_related("page__issue")
        .only(
            "headline",
            "order",
            "page__number",
            "page__issue__number",
            "page__issue__number_in_year",
            "page__issue__date",
            "page__issue__publication_id",
        )
        .annotate(
            rank=Window(
                RowNumber(), partition_by=F("page__issue_id"), order_by=[F("order"), F("id")]
            )
        )
        .filter(rank__lte=headlines)
        .order_by("-page__issue__date", "order", "id")
    )
    found = {}
    for article in rows:
        issue = article.page.issue
        issue.publication = publication
        entry = found.setdefault(issue.pk, (issue, []))
        entry[1].append(article)
    return list(found.values())[:years]


def lead_photo(page):
    """The picture shown for a page on the issue and home pages: its photo news, or else the
    first photo of its first article that has one (from rows already fetched)."""
    candidates = list(page.photos)
    for article in page.articles:
        candidates.extend(article.photos)
    return next((photo for photo in candidates if photo.renditions), None)


def _share_image(request, candidates):
    """The absolute URL of a rendition for share cards (og:image), or None."""
    for photo in candidates:
        url = share_image_url(photo) if photo is not None else None
        if url:
            return request.build_absolute_uri(url)
    return None


def _render_issue(request, issue, **extra):
    pages, credits = issue_contents(issue, request.user)
    corrections = [CorrectionRow(*row) for row in ISSUE_CORRECTIONS(issue.pk)]
    previous, following = neighbours(issue, request.user)
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
            "og_image": _share_image(request, [page.lead_photo for page in pages]),
            "has_scans": any(page.scan for page in pages),
            "description": "；".join(
                "；".join(article.headline for article in page.articles) for page in pages
            ),
            "layout_credits": credits,
            "corrections": corrections,
            "page_nav": page_nav_html(pages),
            "pages_html": issue_pages_html(pages),
            **extra,
        },
    )


# The home pages show 往年今日, so their cached copies are kept per day.
@cache_public_page(scope="site", daily=True)
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
    return _render_issue(
        request,
        issue,
        on_this_day=on_this_day(issue.publication, timezone.localdate(), besides=issue),
        home=True,
    )


@cache_public_page(daily=True)
def latest(request, pub):
    return _latest(request, pub)


def _with_related(model, prefix=""):
    return [f"{prefix}{field.attname}" for field in model._meta.concrete_fields]


_ISSUE_COLUMNS = (
    _with_related(Issue)
    + _with_related(Publication, "publication__")
    + _with_related(Person, "responsible_editor__")
)
ISSUE = PreparedRows(
    lambda slug, number, staff: (
        issue_queryset(_STAFF if staff else _READER)
        .filter(publication__slug=slug, number=number)
        .values_list(*_ISSUE_COLUMNS)
    )
)


def _issue_or_404(user, slug, number):
    """issue_queryset(user).get(…) as model instances, from a query compiled once."""
    rows = ISSUE(slug, number, staff=_staff(user))
    if not rows:
        raise Http404("No issue matches the given query.")
    row = rows[0]
    first, second = len(Issue._meta.concrete_fields), len(Publication._meta.concrete_fields)
    names = _ISSUE_COLUMNS
    issue = Issue.from_db("default", names[:first], row[:first])
    issue.publication = Publication.from_db(
        "default",
        [name.removeprefix("publication__") for name in names[first : first + second]],
        row[first : first + second],
    )
    if issue.responsible_editor_id is not None:
        issue.responsible_editor = Person.from_db(
            "default",
            [name.removeprefix("responsible_editor__") for name in names[first + second :]],
            row[first + second :],
        )
    else:
        issue.responsible_editor = None
    return issue


_PAGE_COLUMNS = (
    [name for name in _with_related(Page) if name != "words"]
    + _with_related(Issue, "issue__")
    + _with_related(Publication, "issue__publication__")
)
PAGE = PreparedRows(
    lambda slug, number, page, staff: (
        Page.objects.visible_to(_STAFF if staff else _READER)
        .filter(issue__publication__slug=slug, issue__number=number, number=page)
        .values_list(*_PAGE_COLUMNS)
    )
)


def _from_row(model, names, row, prefix):
    return model.from_db("default", [name.removeprefix(prefix) for name in names], row)


def _page_or_404(user, slug, number, page):
    """The page (without its words) with its issue and publication, as model instances."""
    rows = PAGE(slug, number, page, staff=_staff(user))
    if not rows:
        raise Http404("No page matches the given query.")
    row = rows[0]
    first = len(Page._meta.concrete_fields) - 1
    second = first + len(Issue._meta.concrete_fields)
    names = _PAGE_COLUMNS
    page_obj = _from_row(Page, names[:first], row[:first], "")
    page_obj.issue = _from_row(Issue, names[first:second], row[first:second], "issue__")
    page_obj.issue.publication = _from_row(
        Publication, names[second:], row[second:], "issue__publication__"
    )
    return page_obj


@cache_public_page
def issue_detail(request, pub, number):
    issue = _issue_or_404(request.user, pub, number)
    return _render_issue(request, issue)


@cache_public_page(query=("q",))
def page_detail(request, pub, number, page):
    """One page: its articles in order with their text on this page, photo news, the scan,
    and the articles continued here from earlier pages (上接1版).

    Queries: the page with its issue and publication; its articles; their bylines with
    people; their photos with photographers; the page's photo news with photographers; the
    issue's pages (navigation and jump links); the issue's other articles (those continued
    here, told apart in Python because SQLite cannot search inside the JSON page list); the
    previous and next issue; the page's regions (热区).

    With ``?q=`` every occurrence of the query on the page image is marked (boxes with the
    class ``hit``, from the PDF's words; the first has the id ``hit-1``).
    """
    user = request.user
    query = page_query(request)
    if query:  # the page's words too
        page_obj = get_object_or_404(
            Page.objects.visible_to(user).select_related("issue__publication"),
            issue__publication__slug=pub,
            issue__number=number,
            number=page,
        )
    else:
        page_obj = _page_or_404(user, pub, number, page)
    issue = page_obj.issue
    slug = issue.publication.slug
    pages = [
        IssuePage(
            pk,
            each_number,
            name,
            renditions,
            None,
            fast_reverse("issues:page", pub=slug, number=issue.number, page=each_number),
        )
        for pk, each_number, name, renditions, _scan in ISSUE_PAGES(issue.pk)
    ]
    page_urls = {each.number: each.url for each in pages}
    numbers = {each.pk: each.number for each in pages}
    # The issue's articles in one query: this page's, and those continued here from an
    # earlier page (told apart in Python because SQLite cannot search inside the JSON list).
    here, continued = [], []
    for row in PAGE_VIEW_ARTICLES(issue.pk, staff=_staff(user)):
        article = PageArticle(row, numbers, slug)
        if article.page_id == page_obj.pk:
            here.append(article)
        elif page_obj.number in (article.pages or []):
            part = _part_on(article, page_obj.number, page_urls)
            if part is not None:
                continued.append((article, part))
    shown = {article.pk: article for article in here}
    if here:
        people = {}
        for article_id, role, person_id, name in BYLINES(list(shown)):
            person = people.get(person_id) or people.setdefault(
                person_id, PersonRow(person_id, name)
            )
            shown[article_id].bylines.append(BylineRow(role, person))
    photos = []
    for row in _photos_of([page_obj.pk], list(shown)):
        photo = PhotoRow(row)
        if photo.page_id == page_obj.pk:
            photos.append(photo)
        if photo.article_id in shown:
            shown[photo.article_id].photos.append(photo)
    entries = [(article, _part_on(article, page_obj.number, page_urls)) for article in here]
    index = next(i for i, each in enumerate(pages) if each.pk == page_obj.pk)
    shown.update((article.pk, article) for article, _part in continued)
    regions = []
    if page_obj.image:
        for region in Region.objects.filter(page=page_obj, article_id__in=list(shown)):
            regions.append((shown[region.article_id], region))
        regions.sort(key=lambda pair: (pair[0].page.number, pair[0].order, pair[0].pk))
    hits = page_hits(page_obj, query) if query and page_obj.image else []
    previous_issue, next_issue = neighbours(issue, user)
    return render(
        request,
        "issues/page_detail.html",
        {
            "page": page_obj,
            "issue": issue,
            "publication": issue.publication,
            "description": "；".join(article.headline for article in here),
            "page_nav": page_nav_html(pages, page_obj.pk),
            "articles_html": page_articles_html(entries, continued, photos),
            "scan_is_image": page_obj.scan.name.lower().endswith(SCAN_IMAGE_SUFFIXES),
            "previous_page": pages[index - 1] if index > 0 else None,
            "next_page": pages[index + 1] if index + 1 < len(pages) else None,
            "previous_issue": previous_issue,
            "next_issue": next_issue,
            "preview": not issue.is_published,
            "canonical": request.build_absolute_uri(page_obj.get_absolute_url()),
            "regions": regions,
            "query": query,
            # One entry per occurrence (what the count says), its boxes one per printed line.
            "hits": [[svg_rect(box) for box in occurrence] for occurrence in hits],
        },
    )


def page_words(request, pub, number, page):
    """``words.json?q=…``: the boxes of every occurrence of the query on the page image,
    fractions of the page (origin top-left, 4 decimals), one box per printed line; ``count``
    is the number of occurrences (one that runs over a line break has two boxes)."""
    page_obj = get_object_or_404(
        Page.objects.visible_to(request.user).only("pk", "words"),
        issue__publication__slug=pub,
        issue__number=number,
        number=page,
    )
    query = page_query(request)
    occurrences = page_hits(page_obj, query) if query else []
    boxes = [box for occurrence in occurrences for box in occurrence]
    response = JsonResponse(
        {
            "q": query,
            "count": len(occurrences),
            "hits": [[box.x0, box.y0, box.x1, box.y1] for box in boxes],
        },
        json_dumps_params={"ensure_ascii": False},
    )
    staff = request.user.is_authenticated and request.user.is_staff
    response["Cache-Control"] = "private, no-store" if staff else "public, max-age=3600"
    return response


# A query longer than this is not searched on the page (nobody types a paragraph).
MAX_PAGE_QUERY = 50


def page_query(request) -> str:
    return request.GET.get("q", "").strip()[:MAX_PAGE_QUERY]


@dataclass(frozen=True)
class StoredWord:
    """A word of the page's stored text layer, as ``epaper.hits`` reads it."""

    text: str
    box: Box
    line: int


def page_hits(page, query: str) -> list[tuple[Box, ...]]:
    """Every occurrence of ``query`` on the page, from its stored words, each as its boxes
    (one per printed line it runs over), 4 decimals."""
    words = [
        StoredWord(text, Box(x0, y0, x1, y1), line) for text, x0, y0, x1, y1, line in page.words
    ]
    return [
        tuple(box.rounded() for box in occurrence) for occurrence in find_occurrences(words, query)
    ]


def svg_rect(box) -> dict:
    """A box in the 0..10000 square of the page overlay."""
    return {
        "x": round(box.x0 * 10000),
        "y": round(box.y0 * 10000),
        "width": max(1, round((box.x1 - box.x0) * 10000)),
        "height": max(1, round((box.y1 - box.y0) * 10000)),
    }


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


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    issue: Issue | None = None


@dataclass
class Month:
    """One month's calendar: weeks of days from Monday, the issues of the month in order."""

    year: int
    month: int
    weeks: list
    issues: list


def month_calendars(issues):
    """A Month for each month that has issues, newest month first (issues in date order)."""
    by_month = {}
    for issue in issues:
        by_month.setdefault((issue.date.year, issue.date.month), []).append(issue)
    months = []
    for (year, month), found in sorted(by_month.items(), reverse=True):
        on = {issue.date: issue for issue in found}
        weeks = [
            [
                Day(day, day.month == month, on.get(day) if day.month == month else None)
                for day in week
            ]
            for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
        ]
        months.append(Month(year, month, weeks, found))
    return months


@method_decorator(cache_public_page(query=("year", "month")), name="dispatch")
class IssueArchiveView(FilterView):
    """往期: a year's issues as month calendars (the newest year unless one is chosen), each
    issue day linked, with a front-page thumbnail when the page has an image; a year and
    month picker made of links. django-filter reads ?year= and ?month=.

    Queries: the publication; the months that have issues (the picker); the chosen year's
    (or month's) issues; their front pages (thumbnails).
    """

    filterset_class = IssueFilter
    template_name = "issues/issue_archive.html"
    context_object_name = "issues"

    def get_queryset(self):
        user = self.request.user
        self.publication = get_object_or_404(Publication, slug=self.kwargs["pub"])
        self.months = list(
            Issue.objects.visible_to(user).of(self.publication).dates("date", "month", order="DESC")
        )
        return (
            Issue.objects.visible_to(user)
            .of(self.publication)
            .order_by("date", "number")
            .only("publication_id", "date", "number", "number_in_year", "status")
            .prefetch_related(
                Prefetch("pages", queryset=Page.objects.filter(number=1), to_attr="front_pages")
            )
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        # No year chosen: the newest year that has issues (a whole archive is too long).
        if not self.request.GET.get("year") and self.months:
            data = self.request.GET.copy()
            data["year"] = str(self.months[0].year)
            kwargs["data"] = data
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["filter"].form
        cleaned = form.cleaned_data if form.is_valid() else {}
        year, month = cleaned.get("year"), cleaned.get("month")
        issues = list(context["issues"])
        for issue in issues:
            issue.publication = self.publication
            issue.front = issue.front_pages[0] if issue.front_pages else None
            if issue.front is not None:
                issue.front.issue = issue
        years = sorted({day.year for day in self.months}, reverse=True)
        context.update(
            publication=self.publication,
            years=years,
            year=year,
            month=month,
            year_months=sorted({day.month for day in self.months if day.year == year}),
            calendars=month_calendars(issues),
            weekdays=[
                (day, weekday_name(datetime.date(2024, 1, 1 + i))) for i, day in enumerate(WEEKDAYS)
            ],
            canonical=self.request.build_absolute_uri(
                reverse("issues:archive", kwargs={"pub": self.publication.slug})
            ),
        )
        return context


@cache_public_page
def issue_numbers(request, pub):
    """往期 by 总期号, for readers who cite an issue by its number: every issue, grouped by
    hundreds.

    Queries: the publication; the issues (number, number in the year, date).
    """
    publication = get_object_or_404(Publication, slug=pub)
    issues = list(
        Issue.objects.visible_to(request.user)
        .of(publication)
        .order_by("-number")
        .only("publication_id", "number", "number_in_year", "date", "status")
    )
    groups = {}
    for issue in issues:
        issue.publication = publication
        low = (issue.number - 1) // 100 * 100 + 1
        groups.setdefault(low, []).append(issue)
    return render(
        request,
        "issues/issue_numbers.html",
        {
            "publication": publication,
            "groups": [(low, low + 99, found) for low, found in groups.items()],
            "canonical": request.build_absolute_uri(request.path),
        },
    )


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
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
