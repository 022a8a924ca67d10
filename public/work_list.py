"""The items of a person page's lists, as HTML built in Python from plain rows.

A busy reporter's page lists about 80 items; rendered by the template engine each took an
include's worth of lookups, two ``date`` filters and a ``blocktranslate`` (the person page
was the slowest uncached page). This gives exactly what the template did (the item
templates ``people/_article_item.html``, ``_photo_item.html`` and ``_issue_item.html``, kept
in git history) from the dictionaries of ``public.person_views`` (``values()`` rows: no
model instances), with what does not change from one request to the next worked out once
per process: a date as the reader's language prints it, 第N期, the links' URL patterns.

Each item is a dict with the issue's ``number``, ``number_in_year``, ``date``,
``issue_published``, ``slug`` and ``pub_name`` (the paper), and for an article ``pk``,
``headline``, ``published``; for a photo ``caption``, ``alt_text``, ``renditions``,
``article_id``, ``headline`` (its article's, when it has one) and ``page_number``.
"""

from functools import lru_cache

# The standard library's escape: what django.utils.html.escape does (the same text) without
# its lazy-string wrapper, for thousands of calls a page.
from html import escape
from types import SimpleNamespace

from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from articles.photos import GRID_SIZES, picture
from people.urls_cache import fast_reverse

# Memo sizes: a date or a 第N期 per issue of the archive that a page listed lately.
_MEMO = 4096


@lru_cache(maxsize=_MEMO)
def _date(date, language):
    # ``language`` keys the memo: date_format follows the active language.
    return f'<time datetime="{date.isoformat()}">{escape(date_format(date, "DATE_FORMAT"))}</time>'


@lru_cache(maxsize=64)
def _labels(language):
    # Per language: gettext is called once, not per item.
    return {"preview": escape(gettext("Preview"))}


@lru_cache(maxsize=_MEMO)
def _number(number_in_year, language):
    return gettext("No. %(n)s") % {"n": number_in_year}


@lru_cache(maxsize=_MEMO)
def _issue_number(number_in_year, number, language):
    return gettext("No. %(n)s (cumulative No. %(total)s)") % {"n": number_in_year, "total": number}


@lru_cache(maxsize=256)
def _url_pattern(viewname, slug):
    """The paper's URL of ``viewname`` cut where the number goes: ("/pub/articles/", "/")."""
    marker = 987654321
    kwargs = {"pk": marker} if viewname == "articles:detail" else {"number": marker}
    before, after = fast_reverse(viewname, pub=slug, **kwargs).split(str(marker))
    return escape(before), escape(after)


def _url(viewname, slug, value):
    before, after = _url_pattern(viewname, slug)
    return f"{before}{value}{after}"


def _meta(item, language):
    """The paper, 第N期 and the date, as the item's second line prints them."""
    return (
        f"{escape(item['pub_name'])} {_number(item['number_in_year'], language)} "
        f"{_date(item['date'], language)}"
    )


def _article(item, language, preview):
    badge = ""
    if not (item["published"] and item["issue_published"]):
        badge = f' <span class="badge">{preview}</span>'
    url = _url("articles:detail", item["slug"], item["pk"])
    return (
        f'<li><a href="{url}">{escape(item["headline"])}</a>\n'
        f'      <span class="work-meta">{_meta(item, language)}{badge}</span></li>\n'
    )


def _photo(item, language):
    if item["article_id"]:
        url = _url("articles:detail", item["slug"], item["article_id"])
    else:
        url = fast_reverse(
            "issues:page", pub=item["slug"], number=item["number"], page=item["page_number"]
        )
    url = escape(url)
    out = ["<li>"]
    if item["renditions"]:
        photo = SimpleNamespace(
            renditions=item["renditions"], alt_text=item["alt_text"], caption=item["caption"]
        )
        out.append(
            f'<a class="photo-grid-picture" href="{url}" tabindex="-1" aria-hidden="true">'
            f"{conditional_escape(picture(photo, sizes=GRID_SIZES, lazy=True))}</a>"
        )
    if item["article_id"]:
        out.append(f'<a href="{url}">{escape(item["headline"])}</a>')
    else:
        out.append(f'<a href="{url}">{escape(Truncator(item["caption"]).chars(40))}</a>')
    out.append(f'\n      <span class="work-meta">{_meta(item, language)}</span></li>\n')
    return "".join(out)


def _issue(item, language, preview):
    badge = "" if item["issue_published"] else f' <span class="badge">{preview}</span>'
    url = _url("issues:detail", item["slug"], item["number"])
    return (
        f'<li><a href="{url}">{escape(item["pub_name"])} '
        f"{_issue_number(item['number_in_year'], item['number'], language)}</a>\n"
        f'      <span class="work-meta">{_date(item["date"], language)}{badge}</span></li>\n'
    )


def work_items_html(kind, items, language):
    """The <li> items of one section: "articles", "photos" or "issues"."""
    preview = _labels(language)["preview"]
    if kind == "articles":
        html = [_article(item, language, preview) for item in items]
    elif kind == "photos":
        html = [_photo(item, language) for item in items]
    else:
        html = [_issue(item, language, preview) for item in items]
    return mark_safe("".join(html))
