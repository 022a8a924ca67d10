"""The items of a person page's lists, as HTML built in Python.

A busy reporter's page lists about 80 items; rendered by the template engine each took an
include's worth of lookups, two ``date`` filters and a ``blocktranslate`` (the person page
was the slowest uncached page). This gives exactly what the template did (the item
templates ``people/_article_item.html``, ``_photo_item.html`` and ``_issue_item.html``, kept
in git history), with each issue date formatted once.
"""

from functools import lru_cache

from django.utils.formats import date_format
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from articles.models import Article
from articles.photos import GRID_SIZES, picture


class _Dates:
    """Formats each date once per list (an issue's articles share it)."""

    def __init__(self):
        self.seen = {}

    def __call__(self, date):
        found = self.seen.get(date)
        if found is None:
            found = self.seen[date] = (
                f'<time datetime="{date.isoformat()}">{escape(date_format(date, "DATE_FORMAT"))}</time>'
            )
        return found


@lru_cache(maxsize=64)
def _labels(language):
    # Per language: gettext is called once per list, not per item.
    return {"preview": escape(gettext("Preview"))}


def _number(issue):
    return gettext("No. %(n)s") % {"n": issue.number_in_year}


def _article(article, dates, preview):
    issue = article.page.issue
    badge = ""
    if article.status != Article.Status.PUBLISHED or not issue.is_published:
        badge = f' <span class="badge">{preview}</span>'
    return (
        f'<li><a href="{escape(article.get_absolute_url())}">{escape(article.headline)}</a>\n'
        f'      <span class="work-meta">{escape(issue.publication.name)} {_number(issue)} '
        f"{dates(issue.date)}{badge}</span></li>\n"
    )


def _photo(photo, dates):
    url = escape(
        photo.article.get_absolute_url() if photo.article else photo.page.get_absolute_url()
    )
    out = ["<li>"]
    if photo.renditions:
        out.append(
            f'<a class="photo-grid-picture" href="{url}" tabindex="-1" aria-hidden="true">'
            f"{conditional_escape(picture(photo, sizes=GRID_SIZES, lazy=True))}</a>"
        )
    if photo.article:
        out.append(f'<a href="{url}">{escape(photo.article.headline)}</a>')
    else:
        out.append(f'<a href="{url}">{escape(Truncator(photo.caption).chars(40))}</a>')
    issue = photo.issue
    out.append(
        f'\n      <span class="work-meta">{escape(issue.publication.name)} {_number(issue)} '
        f"{dates(issue.date)}</span></li>\n"
    )
    return "".join(out)


def _issue(issue, dates, preview):
    badge = "" if issue.is_published else f' <span class="badge">{preview}</span>'
    number = gettext("No. %(n)s (cumulative No. %(total)s)") % {
        "n": issue.number_in_year,
        "total": issue.number,
    }
    return (
        f'<li><a href="{escape(issue.get_absolute_url())}">{escape(issue.publication.name)} '
        f"{number}</a>\n"
        f'      <span class="work-meta">{dates(issue.date)}{badge}</span></li>\n'
    )


def work_items_html(kind, items, language):
    """The <li> items of one section: "articles", "photos" or "issues"."""
    dates = _Dates()
    preview = _labels(language)["preview"]
    if kind == "articles":
        html = [_article(article, dates, preview) for article in items]
    elif kind == "photos":
        html = [_photo(photo, dates) for photo in items]
    else:
        html = [_issue(issue, dates, preview) for issue in items]
    return mark_safe("".join(html))
