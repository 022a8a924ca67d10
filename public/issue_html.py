"""The parts of the issue and page views that repeat for every page, article and photo, built
in Python from plain rows instead of walked by the template engine.

An uncached issue page lists about 20 articles on 4 pages: as template loops with an
``{% include %}`` per photo and a ``{% blocktranslate %}`` per page, that walk was about half
of the page's CPU time (58,000 Python calls a page; profile in bench/RESULTS.md). Each
function gives exactly the bytes its template gave (templates/issues/issue_detail.html's page
loop, _page_nav.html and articles/_photo.html as they were, kept in git history): the pages
are compared byte for byte before and after (``bench/profile_views.py --save`` and the sample
site).

The rows are small objects filled from ``values()`` queries (no model instances), carrying
what the HTML needs and nothing more.
"""

from django.core.files.storage import default_storage
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from articles.models import Byline
from articles.photos import COLUMN_SIZES, picture
from articles.presentation import display_punctuation, group_bylines, part_html
from people.urls_cache import fast_reverse

WITH_THUMB = ' class="with-thumb"'


def _text(value):
    """``{{ value|display }}`` in a template: full-width punctuation, then escaped."""
    return escape(display_punctuation(value))


# Byline.Role.choices builds its list anew at every call.
_ROLE_LABELS = {role.value: role.label for role in Byline.Role}


def role_label(role):
    """The role word as ``get_role_display()`` gives it (translated now)."""
    return str(_ROLE_LABELS.get(role, role))


class PersonRow:
    __slots__ = ("pk", "name")

    def __init__(self, pk, name):
        self.pk = pk
        self.name = name

    def get_absolute_url(self):
        return fast_reverse("people:detail", pk=self.pk)


class BylineRow:
    """What ``presentation.group_bylines`` reads of a Byline: its role and its person."""

    __slots__ = ("role", "person")

    def __init__(self, role, person):
        self.role = role
        self.person = person

    def get_role_display(self):
        # Byline.get_role_display() without a model instance (the labels are lazy:
        # translated when shown, in the active language).
        return role_label(self.role)


class PhotoRow:
    """What a photo's figure shows: its picture, caption and credit."""

    __slots__ = (
        "pk",
        "article_id",
        "page_id",
        "renditions",
        "caption",
        "alt_text",
        "credit_role",
        "photographer",
    )
    FIELDS = (
        "pk",
        "article_id",
        "page_id",
        "renditions",
        "caption",
        "alt_text",
        "credit_role",
        "photographer_id",
        "photographer__name",
    )

    def __init__(self, row):
        (
            self.pk,
            self.article_id,
            self.page_id,
            self.renditions,
            self.caption,
            self.alt_text,
            self.credit_role,
            photographer_id,
            photographer_name,
        ) = row
        self.photographer = (
            PersonRow(photographer_id, photographer_name) if photographer_id else None
        )

    def get_credit_role_display(self):
        return role_label(self.credit_role)


def photo_html(photo, *, eager=False):
    """articles/_photo.html: ``<figure>`` with the picture, the caption and the credit."""
    credit = ""
    if photo.photographer:
        role = f"{escape(photo.get_credit_role_display())} " if photo.credit_role else ""
        credit = (
            f' <span class="credit">{role}<a href="'
            f'{escape(photo.photographer.get_absolute_url())}">{escape(photo.photographer.name)}'
            f"</a> {escape(pgettext('photo credit, after the name', 'photo'))}</span>"
        )
    return (
        f'<figure class="photo">\n  {picture(photo, sizes=COLUMN_SIZES, lazy=not eager)}\n'
        f"  <figcaption>{_text(photo.caption)}{credit}</figcaption>\n</figure>\n"
    )


def thumbnail(renditions):
    """Page.thumbnail from a page's renditions manifest."""
    thumb = (renditions or {}).get("thumbnail")
    if not thumb:
        return None
    return {
        "src": default_storage.url(thumb["name"]),
        "width": thumb["width"],
        "height": thumb["height"],
    }


def page_nav_html(pages, current_pk=None, nav_id=""):
    """issues/_page_nav.html: 版面导航, each page linked (with its thumbnail when it has
    one), the current page not. ``pages``: objects with pk, number, name, renditions and
    ``url``."""
    label = escape(gettext("Page navigation"))
    items = []
    for each in pages:
        thumb = thumbnail(each.renditions)
        image = (
            f'<img src="{escape(thumb["src"])}" width="{thumb["width"]}" '
            f'height="{thumb["height"]}" alt="" loading="lazy">'
            if thumb
            else ""
        )
        text = gettext("Page %(n)s") % {"n": each.number}
        if each.name:
            text += f" {escape(each.name)}"
        if each.pk == current_pk:
            inner = f'<span aria-current="page">{image}{text}</span>'
        else:
            inner = f'<a href="{escape(each.url)}">{image}{text}</a>'
        items.append(f"<li{WITH_THUMB if thumb else ''}>{inner}</li>")
    return mark_safe(
        f'<nav class="page-nav" aria-labelledby="page-nav-title{nav_id}">\n'
        f'  <p class="page-nav-title" id="page-nav-title{nav_id}">{label}</p>\n'
        f"  <ul>{''.join(items)}</ul>\n</nav>\n"
    )


def bylines_html(bylines):
    """presentation.bylines_html over BylineRows (the same bytes)."""
    if not bylines:
        return "\n"
    groups = []
    for group in group_bylines(bylines):
        names = "".join(
            f' <a href="{escape(person.get_absolute_url())}">{escape(person.name)}</a>'
            for person in group.people
        )
        groups.append(
            f'<span class="byline-group"><span class="role">{escape(group.label)}</span>'
            f"{names}</span>"
        )
    return (
        f'<p class="byline"><span class="visually-hidden">{escape(gettext("By"))} </span>'
        f"{' '.join(groups)}</p>\n"
    )


def issue_pages_html(pages):
    """The issue page's pages, each with its heading, lead photo, headlines with bylines,
    the articles continued there, and its other photo news (issue_detail.html's page loop).
    ``pages``: IssuePage rows (public.issue_views) with their articles and photos."""
    if not pages:
        return mark_safe(f"\n<p>{escape(gettext('This issue has no pages yet.'))}</p>\n")
    out = []
    for index, page in enumerate(pages):
        heading = gettext("Page %(n)s") % {"n": page.number}
        if page.name:
            heading += f' <span class="page-name">{escape(page.name)}</span>'
        out.append(
            f'\n<section class="issue-page" aria-labelledby="page-{page.number}">\n'
            f'  <h2 id="page-{page.number}" class="page-heading"><a href="{escape(page.url)}">'
            f"{heading}</a></h2>\n  "
        )
        if page.lead_photo:
            out.append(photo_html(page.lead_photo, eager=index == 0))
        out.append("\n  ")
        if page.articles or page.continued:
            out.append('\n  <ol class="headlines">\n    ')
            for article in page.articles:
                out.append(
                    f'\n    <li>\n      <h3 class="headline"><a href="{escape(article.url)}">'
                    f"{_text(article.headline)}</a></h3>\n      "
                )
                if article.subheadline:
                    out.append(f'<p class="subheadline">{_text(article.subheadline)}</p>')
                out.append(f"\n      {bylines_html(article.bylines)}\n    </li>\n    ")
            out.append("\n    ")
            for article, from_page in page.continued:
                continued = gettext("(continued from page %(n)s)") % {"n": from_page}
                out.append(
                    '\n    <li class="continued">\n      <h3 class="headline"><a href="'
                    f'{escape(article.url)}">{_text(article.headline)}</a></h3>\n'
                    f'      <p class="byline">{continued}</p>\n    </li>\n    '
                )
            out.append("\n  </ol>\n  ")
        out.append("\n  ")
        photos = page.photos
        if len(photos) > 1 or (photos and not page.lead_photo):
            out.append(
                '\n  <div class="photo-news">\n    <h3 class="section-label">'
                f"{escape(gettext('Photo news'))}</h3>\n    "
            )
            for photo in photos:
                if photo is not page.lead_photo:
                    out.append(photo_html(photo))
            out.append("\n  </div>\n  ")
        out.append("\n</section>\n")
    return mark_safe("".join(out))


def page_articles_html(entries, continued, photos):
    """The page view's articles with their text on this page, bylines and photos, the
    articles continued here, and the page's photo news (page_detail.html's loops).
    ``entries`` and ``continued``: (article, Part) pairs; ``photos``: PhotoRows."""
    out = []
    for article, part in entries:
        out.append(
            f'\n<article class="page-article" aria-labelledby="a{article.pk}">\n'
            f'  <h2 id="a{article.pk}" class="headline"><a href="{escape(article.url)}">'
            f"{_text(article.headline)}</a></h2>\n  "
        )
        if article.subheadline:
            out.append(f'<p class="subheadline">{_text(article.subheadline)}</p>')
        out.append(
            f'\n  {bylines_html(article.bylines)}\n  <div class="body">{part_html(part)}</div>\n  '
        )
        out.extend(photo_html(photo) for photo in article.photos)
        out.append("\n</article>\n")
    if not entries:
        nothing = gettext("Nothing on this page yet.")
        out.append(f"\n<p>{escape(nothing)}</p>\n" if not continued and not photos else "\n\n")
    out.append("\n")
    for article, part in continued:
        out.append(
            f'\n<article class="page-article continued" aria-labelledby="c{article.pk}">\n'
            f'  <h2 id="c{article.pk}" class="headline"><a href="{escape(article.url)}">'
            f'{_text(article.headline)}</a></h2>\n  <div class="body">{part_html(part)}</div>\n'
            "</article>\n"
        )
    out.append("\n")
    if photos:
        out.append(
            '\n<section class="photo-news" aria-labelledby="photo-news">\n'
            f'  <h2 id="photo-news" class="section-label">{escape(gettext("Photo news"))}</h2>\n  '
        )
        out.extend(photo_html(photo) for photo in photos)
        out.append("\n</section>\n")
    out.append("\n")
    return mark_safe("".join(out))
