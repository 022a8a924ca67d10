"""Whole-response caching of the public site, with cheap invalidation across processes.

Anonymous GET/HEAD responses are stored in the configured cache (CACHE_URL: local memory in
development, Redis when several web processes run), one entry per URL, together with the
*generation* values (also kept in that cache) that were current when the page was rendered.
A request reads the generations and the entry in one ``get_many`` (one Redis round trip) and
serves the entry only if its generations are still the current ones. Invalidating never
deletes page entries: it writes a new generation, so every process sees at once that the
stored pages are stale and renders them again.

Each process also keeps its own copy of the pages it served lately, and of the generations
for at most ``PUBLIC_PAGE_LOCAL_SECONDS`` (setting, default 1 s; 0 turns the copy off). A
page read again within that time costs no round trip at all, which on a busy machine is most
of a cached page's cost. The price: a change made in *another* process shows here up to that
many seconds late; the process that made the change drops its copies at once.

Generations are nanosecond timestamps rather than counters, so that a generation key lost to
eviction comes back as a value no stored page was keyed with, and so that the generation
doubles as a truthful Last-Modified.

- ``site``: bumped by every invalidation. Keys pages that show several publications or
  people (home, person pages, the sitemap).
- ``reset``: bumped by ``invalidate_public_pages()`` without a publication.
- ``pub:<slug>``: bumped when something of that publication changes. Pages under
  ``/<pub>/`` are keyed with it and ``reset``.

A page is keyed by what changes it, never by the raw URL, so junk in a URL cannot fill the
cache: the origin (scheme and host: canonical links and feeds hold absolute URLs), the URL
pattern's name, its arguments as the view receives them (``/issues/0118/`` is issue 118) and
only the query parameters the view declares it reads (``query=``), each holding a plain
number. Any other parameter (``?utm_source=…``, ``?from=timeline``) is ignored: the reader
gets the cached page at cached speed. A declared parameter with any other value (``?page=x``,
``?page=01``, twice) is answered but not stored. We ignore rather than redirect to the
canonical URL: a shared link gets its page without a second round trip, and a redirect would
still cost a response per junk URL. **A view that starts reading a query parameter must
declare it**, or every value would be served the page of the first one.

Pages larger than ``PUBLIC_PAGE_MAX_BYTES`` are served but not stored. Readers' browsers
always revalidate (``max-age=0``); a CDN may hold a page ``PUBLIC_PAGE_CDN_SECONDS``
(``s-maxage``), and is told to purge after each change through ``CDN_PURGE_URL`` (a POST of
the generation names as surrogate keys, which each page carries in ``Surrogate-Key`` and
``Cache-Tag``).
"""

import datetime
import hashlib
import json
import logging
import re
import threading
import time
import urllib.request
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django_tasks import task

logger = logging.getLogger(__name__)

KEY_PREFIX = "public-page"
# Entries of pages nobody reads age out; a new generation makes the others stale anyway.
PAGE_TIMEOUT = 60 * 60 * 24
# The only values a declared query parameter is cached with: a plain number, no leading zero.
_QUERY_VALUE = re.compile(r"[1-9][0-9]{0,5}")


def _generation_key(name):
    return f"{KEY_PREFIX}:gen:{name}"


def _publication_slug(publication):
    if publication is None:
        return None
    return getattr(publication, "slug", publication)


class _LocalCopies:
    """This process's recently served pages (least recently used out first, bounded in
    bytes) and the generations read from the shared cache, each with the time read."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pages = OrderedDict()
        self.size = 0
        self.generations = {}

    def clear(self):
        with self.lock:
            self.pages.clear()
            self.size = 0
            self.generations.clear()

    def get(self, key, names):
        seconds = settings.PUBLIC_PAGE_LOCAL_SECONDS
        with self.lock:
            known = self.generations.get(names)
            if known is None or time.monotonic() - known[0] > seconds:
                return None
            stored = self.pages.get(key)
            if stored is None or stored["generations"] != known[1]:
                return None
            self.pages.move_to_end(key)
            return stored

    def put(self, key, names, stored):
        if not settings.PUBLIC_PAGE_LOCAL_SECONDS:
            return
        limit = settings.PUBLIC_PAGE_LOCAL_BYTES
        with self.lock:
            self.generations[names] = (time.monotonic(), stored["generations"])
            old = self.pages.pop(key, None)
            if old is not None:
                self.size -= len(old["content"])
            self.pages[key] = stored
            self.size += len(stored["content"])
            while self.size > limit and len(self.pages) > 1:
                _, dropped = self.pages.popitem(last=False)
                self.size -= len(dropped["content"])


_local = _LocalCopies()


def clear_local_copies():
    """Forget this process's copies (tests, after clearing the shared cache)."""
    _local.clear()


def _bump(names):
    now = time.time_ns()
    cache.set_many({_generation_key(name): now for name in names}, timeout=None)
    # This process must not serve its own copies of what just changed.
    _local.clear()


def _bump_after_commit(names):
    """Bump ``names`` again (and purge the CDN) when the transaction commits; once per commit
    and savepoint level for the same names, as publishing an issue saves dozens of rows that
    each invalidate."""
    names = tuple(names)
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        level = set(connection.savepoint_ids)
        for sids, callback, _robust in connection.run_on_commit:
            if getattr(callback, "public_names", None) == names and sids == level:
                return

    def after_commit():
        _bump(names)
        if settings.CDN_PURGE_URL:
            purge_cdn.enqueue(surrogate_keys(names))

    after_commit.public_names = names
    transaction.on_commit(after_commit)


def surrogate_keys(names):
    """The CDN tags of pages keyed with these generation names (``pub:x`` → ``pub-x``)."""
    return [name.replace(":", "-") for name in names]


@task()
def purge_cdn(keys: list[str]) -> int:
    """Tell the CDN in front of the site (CDN_PURGE_URL) to drop the pages tagged with these
    surrogate keys: a JSON POST ``{"surrogate_keys": [...], "everything": bool}``; a proxy
    of your own turns it into the CDN's purge call. ``reset`` (an invalidation of the whole
    site) sets ``everything``. A CDN that fails is logged; pages then age out after
    PUBLIC_PAGE_CDN_SECONDS."""
    body = json.dumps({"surrogate_keys": keys, "everything": "reset" in keys}).encode()
    request = urllib.request.Request(
        settings.CDN_PURGE_URL,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except OSError as error:
        logger.warning("CDN purge of %s failed: %s", keys, error)
        return 0


def invalidate_public_pages(publication=None):
    """Make every cached public page that may show changed data stale, in all processes.

    Signals (public/signals.py) call this on save/delete of Publication, Issue,
    LayoutCredit, Page, Article, Byline, Photo, Correction and Person. Code that writes only
    with ``bulk_create``, ``QuerySet.update()`` or raw SQL sends no signals and must call it
    itself. The back-issue loader and the desk's steps need not: each saves the Issue row
    (or an article) with ``save()``, and that signal makes the publication's pages stale.

    ``publication`` (a Publication or its slug) limits the invalidation to that
    publication's pages plus the pages that span publications (home, people, sitemap);
    ``None`` invalidates everything.

    The bump happens now and again when the surrounding transaction commits: a reader's
    request served between the two could otherwise cache the old rows under the new key.
    """
    slug = _publication_slug(publication)
    names = ["site", f"pub:{slug}"] if slug else ["site", "reset"]
    _bump(names)
    _bump_after_commit(names)


def _generations(names, found):
    """The current generation of each name, from ``found`` (a get_many result) or new."""
    keys = [_generation_key(name) for name in names]
    missing = {key: time.time_ns() for key in keys if key not in found}
    if missing:
        # add() rather than set(): another process may have just written one.
        for key, value in missing.items():
            if not cache.add(key, value, timeout=None):
                value = cache.get(key, value)
            found[key] = value
    return tuple(found[key] for key in keys)


def _is_anonymous_read(request):
    return request.method in ("GET", "HEAD") and not request.user.is_authenticated


def _cache_control():
    seconds = settings.PUBLIC_PAGE_CDN_SECONDS
    if seconds:
        return f"public, max-age=0, s-maxage={seconds}, must-revalidate"
    return "public, max-age=0, must-revalidate"


def _page_key(request, kwargs, query, day=None):
    """The cache key of what this request shows (see the module docstring), or None when a
    declared query parameter holds a value that is not stored. ``day``: the local date, for
    pages kept one copy a day."""
    match = request.resolver_match
    parts = [request.scheme, request.get_host(), match.view_name if match else request.path]
    for name in sorted(kwargs):
        value = kwargs[name]
        if isinstance(value, str | int | datetime.date):
            parts.append(f"{name}={value}")
    for name in query:
        values = request.GET.getlist(name)
        if not values:
            continue
        if len(values) > 1 or not _QUERY_VALUE.fullmatch(values[0]):
            return None
        parts.append(f"?{name}={values[0]}")
    if day is not None:
        parts.append(f"#{day.isoformat()}")
    digest = hashlib.md5("\n".join(parts).encode(), usedforsecurity=False).hexdigest()
    return f"{KEY_PREFIX}:page:{digest}"


def cache_public_page(view=None, *, scope="publication", query=(), daily=False):
    """Serve anonymous readers a cached copy, with ETag/Last-Modified and 304s.

    ``scope="publication"`` for views under ``/<pub>/`` (the view takes ``pub``);
    ``scope="site"`` for views that show several publications or people.
    ``query``: the query parameters the view reads (``("year", "month", "page")``); every
    other one is left out of the cache key.
    ``daily=True`` keeps one copy per local day, for pages that show something of the day
    (往年今日 on the home pages): a copy from yesterday is never served today.
    Staff are never served from or stored into the cache: they may be previewing.
    """

    def decorator(view_func):
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            # The public site is the paper and reads in Chinese whatever the browser asks
            # for (the admin follows Accept-Language); so one cached copy per URL.
            with translation.override(settings.LANGUAGE_CODE):
                request.LANGUAGE_CODE = settings.LANGUAGE_CODE
                response = _serve(request, view_func, args, kwargs)
            response.headers.setdefault("Content-Language", settings.LANGUAGE_CODE)
            return response

        def _serve(request, view_func, args, kwargs):
            if not _is_anonymous_read(request):
                response = view_func(request, *args, **kwargs)
                response["Cache-Control"] = "private, no-store"
                return response

            names = ("reset", f"pub:{kwargs['pub']}") if scope == "publication" else ("site",)
            key = _page_key(request, kwargs, query, timezone.localdate() if daily else None)
            if key is None:
                # A declared query parameter with a value we do not store: answer it fresh.
                response = view_func(request, *args, **kwargs)
                response["Cache-Control"] = "public, max-age=0, must-revalidate"
                return response
            stored = _local.get(key, names)
            if stored is not None:
                generations = stored["generations"]
            else:
                # One round trip for the generations and the page: this is the whole cost
                # of a cached page, so it must not be two.
                found = cache.get_many([key, *(_generation_key(name) for name in names)])
                stored = found.pop(key, None)
                generations = _generations(names, found)
                if stored is not None and stored["generations"] == generations:
                    _local.put(key, names, stored)
            last_modified = max(generations) // 1_000_000_000
            if daily:
                # Today's copy is new today, whatever the generations say.
                midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
                last_modified = max(last_modified, int(midnight.timestamp()))

            if stored is None or stored["generations"] != generations:
                response = view_func(request, *args, **kwargs)
                if response.status_code != 200 or response.streaming:
                    return response
                if hasattr(response, "render"):
                    response = response.render()
                stored = {
                    "generations": generations,
                    "content": response.content,
                    "content_type": response["Content-Type"],
                    "etag": quote_etag(
                        hashlib.md5(response.content, usedforsecurity=False).hexdigest()
                    ),
                }
                # A huge page (a 50 MB article) would push hundreds of others out of Redis
                # and out of this process's copies: serve it, keep nothing.
                if len(response.content) <= settings.PUBLIC_PAGE_MAX_BYTES:
                    cache.set(key, stored, timeout=PAGE_TIMEOUT)
                    _local.put(key, names, stored)
            else:
                response = HttpResponse(stored["content"], content_type=stored["content_type"])

            response["ETag"] = stored["etag"]
            response["Last-Modified"] = http_date(last_modified)
            # Readers always revalidate, so a publish or a correction shows at once; a CDN
            # may hold the page for PUBLIC_PAGE_CDN_SECONDS, or until it is purged by tag.
            response["Cache-Control"] = _cache_control()
            tags = surrogate_keys(names)
            response["Surrogate-Key"] = " ".join(tags)
            response["Cache-Tag"] = ",".join(tags)
            patch_vary_headers(response, ["Cookie"])
            return get_conditional_response(
                request, etag=stored["etag"], last_modified=last_modified, response=response
            )

        return wrapped

    if view is not None:
        return decorator(view)
    return decorator
