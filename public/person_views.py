"""The public person page, and one section of it (one role) page by page."""

from dataclasses import dataclass

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, Exists, F, OuterRef, Window
from django.db.models.functions import Coalesce, RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy

from articles.models import Article, Byline, Photo
from issues.models import Issue, LayoutCredit, Publication
from people.models import Person
from public.caching import cache_public_page
from public.work_list import work_items_html

# The newest items each section shows on the person page, and a section page's length.
SECTION_SIZE = 20

_ROLE_ORDER = [choice.value for choice in Byline.Role]
_BYLINE_ORDER = ["-article__page__issue__date", "article__page__number", "article__order", "id"]
_PHOTO_ORDER = ["-issue_date", "order", "id"]
# Sections that are not byline roles: their URL slug and heading.
_OTHER_SECTIONS = {
    "photos": gettext_lazy("Photos"),
    "responsible-editor": gettext_lazy("Responsible editor"),
    "layout": gettext_lazy("Layout"),
}


# What a list of work shows of each item (headline, link, paper, issue, date, preview badge,
# and the footer's paper with its sponsors): only these columns are read, as plain rows
# (``values()``: no model instances), and turned into the dicts public/work_list.py takes.
_ISSUE_COLUMNS = {
    "number": "number",
    "number_in_year": "number_in_year",
    "date": "date",
    "status": "status",
    "publication_id": "publication_id",
    "slug": "publication__slug",
    "pub_name": "publication__name",
    # The footer prints the paper's sponsors when all the work shown is in one paper.
    "sponsors": "publication__sponsors",
    "sponsor_role": "publication__sponsor_role",
}


def _columns(prefix):
    return [f"{prefix}{column}" for column in _ISSUE_COLUMNS.values()]


def _issue_item(row, prefix, **item):
    """The dict of one item: ``item`` and its issue's columns read under ``prefix``."""
    for key, column in _ISSUE_COLUMNS.items():
        item[key] = row[prefix + column]
    item["issue_published"] = item["status"] == Issue.Status.PUBLISHED
    return item


_BYLINE_COLUMNS = [
    "article_id",
    "article__headline",
    "article__status",
    *_columns("article__page__issue__"),
]
_PHOTO_COLUMNS = [
    "caption",
    "alt_text",
    "renditions",
    "article_id",
    "article__headline",
    "page__number",
    *_columns("article__page__issue__"),
    *_columns("page__issue__"),
]


def _bylines(person, user):
    # Visibility is a condition on the joined article and issue (not a subquery of visible
    # articles, which PostgreSQL hashed whole unless narrowed to the person, and which
    # costs as much again to build).
    return Byline.objects.filter(Article.objects.visible_q(user, "article__"), person=person)


def _byline_item(row):
    return _issue_item(
        row,
        "article__page__issue__",
        pk=row["article_id"],
        headline=row["article__headline"],
        published=row["article__status"] == Article.Status.PUBLISHED,
    )


def _photos(person, user):
    return (
        Photo.objects.filter(photographer=person)
        .filter(
            Article.objects.visible_q(user, "article__")
            | Issue.objects.visible_q(user, "page__issue__")
        )
        # A photo reaches its issue through its article or, for photo news, its page.
        .annotate(issue_date=Coalesce("article__page__issue__date", "page__issue__date"))
    )


def _photo_item(row):
    return _issue_item(
        row,
        "article__page__issue__" if row["article_id"] else "page__issue__",
        caption=row["caption"],
        alt_text=row["alt_text"],
        renditions=row["renditions"],
        article_id=row["article_id"],
        headline=row["article__headline"],
        page_number=row["page__number"],
    )


def _issues(person, user, section):
    issues = Issue.objects.visible_to(user).latest_first()
    if section == "responsible-editor":
        return issues.filter(responsible_editor=person)
    return issues.filter(layout_credits__person=person)


def _issue_row_item(row):
    return _issue_item(row, "")


def _only_publication(items):
    """The header and footer name the paper when all the work shown is in one: a
    Publication made from the rows' columns (no query)."""
    publications = {item["publication_id"]: item for item in items}
    if len(publications) != 1:
        return None
    item = next(iter(publications.values()))
    return Publication(
        pk=item["publication_id"],
        name=item["pub_name"],
        slug=item["slug"],
        sponsors=item["sponsors"],
        sponsor_role=item["sponsor_role"],
    )


@dataclass
class Section:
    """One section of a person page: its URL slug, heading, kind of item ("articles",
    "photos" or "issues"), the items shown, how many there are in all, and whether to link
    to the section's own pages for the rest."""

    slug: str
    label: str
    kind: str
    items: list
    total: int
    see_all: bool = False

    @property
    def items_html(self):
        """The items as list entries (public/work_list.py)."""
        return work_items_html(self.kind, self.items, get_language())

    @property
    def shown_total(self):
        # 1,234: grouped whatever the locale's formats say (zh-hans does not group).
        return f"{self.total:,}"


@cache_public_page(scope="site")
def person_detail(request, pk):
    """The newest SECTION_SIZE items of each thing a person did, by role, with the totals
    and a link to each section's full list (``person_section``).

    Queries: 1 the person, and whether they took photos, signed off or laid out issues; 2
    the newest bylines of each role (a row number per role) with article, page, issue and
    publication, each row carrying its role's total; only for what they did: 3 the newest
    photos with the same (through the article or, for photo news, the page) and the total;
    4 the newest issues they signed off as 责任编辑 and the total; 5 the same for the
    issues they laid out (组版). The totals are window counts, so no query more. Rows are
    plain values (``values()``), not model instances.
    """
    user = request.user
    # Whether they took photos, signed off issues or laid them out at all: most people did
    # one kind of work, and the queries of the others (each dearer to build than to run)
    # are skipped for them.
    person = get_object_or_404(
        Person.objects.annotate(
            took_photos=Exists(Photo.objects.filter(photographer=OuterRef("pk"))),
            edited_issues=Exists(Issue.objects.filter(responsible_editor=OuterRef("pk"))),
            laid_out_issues=Exists(LayoutCredit.objects.filter(person=OuterRef("pk"))),
        ),
        pk=pk,
    )
    bylines = list(
        _bylines(person, user)
        .annotate(
            rank=Window(RowNumber(), partition_by=F("role"), order_by=_BYLINE_ORDER),
            total=Window(Count("id"), partition_by=F("role")),
        )
        .filter(rank__lte=SECTION_SIZE)
        .order_by(*_BYLINE_ORDER)
        .values("role", "total", *_BYLINE_COLUMNS)
    )
    photos = []
    if person.took_photos:
        photos = list(
            _photos(person, user)
            .annotate(total=Window(Count("id")))
            .order_by(*_PHOTO_ORDER)
            .values("total", *_PHOTO_COLUMNS)[:SECTION_SIZE]
        )
    edited, laid_out = (
        list(
            _issues(person, user, section)
            .annotate(total=Window(Count("id")))
            .values("total", *_ISSUE_COLUMNS.values())[:SECTION_SIZE]
        )
        if done
        else []
        for section, done in (
            ("responsible-editor", person.edited_issues),
            ("layout", person.laid_out_issues),
        )
    )
    if not (bylines or photos or edited or laid_out) and not user.is_staff:
        # A name with no published work is nobody's business yet.
        raise Http404

    by_role = {}
    for byline in bylines:
        by_role.setdefault(byline["role"], []).append(byline)
    shown = [
        (role, Byline.Role(role).label, "articles", rows, _byline_item)
        for role, rows in sorted(by_role.items(), key=lambda entry: _ROLE_ORDER.index(entry[0]))
    ]
    shown += [
        ("photos", _OTHER_SECTIONS["photos"], "photos", photos, _photo_item),
        (
            "responsible-editor",
            _OTHER_SECTIONS["responsible-editor"],
            "issues",
            edited,
            _issue_row_item,
        ),
        ("layout", _OTHER_SECTIONS["layout"], "issues", laid_out, _issue_row_item),
    ]
    sections = [
        Section(
            slug,
            label,
            kind,
            [item(row) for row in rows],
            # Every row carries its section's window count.
            total=rows[0]["total"],
            see_all=rows[0]["total"] > len(rows),
        )
        for slug, label, kind, rows, item in shown
        if rows
    ]
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "publication": _only_publication(
                [item for section in sections for item in section.items]
            ),
            "sections": sections,
            "canonical": request.build_absolute_uri(person.get_absolute_url()),
        },
    )


@cache_public_page(scope="site", query=("page",))
def person_section(request, pk, section):
    """All of one section of a person page (a byline role, photos, issues edited or laid
    out), newest first, SECTION_SIZE a page (``?page=``).

    An unknown section, a page that is not a number or out of range, or a section with
    nothing visible is a 404.

    Queries: 1 the person; 2 the section's count; 3 its page of rows with article (or
    issue), page, issue and publication.
    """
    user = request.user
    person = get_object_or_404(Person, pk=pk)
    if section in _ROLE_ORDER:
        label, kind, item = Byline.Role(section).label, "articles", _byline_item
        rows = _bylines(person, user).filter(role=section).order_by(*_BYLINE_ORDER)
        rows = rows.values(*_BYLINE_COLUMNS)
    elif section == "photos":
        label, kind, item = _OTHER_SECTIONS[section], "photos", _photo_item
        rows = _photos(person, user).order_by(*_PHOTO_ORDER).values(*_PHOTO_COLUMNS)
    elif section in _OTHER_SECTIONS:
        label, kind, item = _OTHER_SECTIONS[section], "issues", _issue_row_item
        rows = _issues(person, user, section).values(*_ISSUE_COLUMNS.values())
    else:
        raise Http404
    paginator = Paginator(rows, SECTION_SIZE, allow_empty_first_page=False)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except InvalidPage:
        raise Http404 from None
    items = [item(row) for row in page.object_list]
    # From the URL pattern, not request.path: /people/07/ is cached as /people/7/.
    path = reverse("people:section", kwargs={"pk": person.pk, "section": section})
    return render(
        request,
        "people/person_section.html",
        {
            "person": person,
            "publication": _only_publication(items),
            "section": Section(section, label, kind, items, paginator.count),
            "page_obj": page,
            "canonical": request.build_absolute_uri(
                f"{path}?page={page.number}" if page.number > 1 else path
            ),
        },
    )
