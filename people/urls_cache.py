"""reverse() for the public pages' own links, without reversing each link anew.

An issue page links to dozens of articles and people, and each ``get_absolute_url()``
through ``reverse()`` matches the URL patterns with regular expressions again: about a tenth
of an uncached issue page's time (profile in bench/RESULTS.md). ``fast_reverse`` reverses each
URL pattern once per process (per script prefix and urlconf) with marker values, and then
fills in the real values as text.

Only for keyword arguments that are ints or slugs (``[-a-zA-Z0-9_]+``): they appear in the
URL as themselves. Anything else goes through ``reverse()`` as usual. Lives in the lowest room
so that every model's ``get_absolute_url`` may use it.
"""

import re
from functools import cache

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


@cache
def _pattern(viewname, names, kinds, prefix, urlconf):
    """The reversed URL cut at the values: (literal, name, literal, name, ..., literal), or
    None when a value does not show in the URL as itself (a converter that rewrites it)."""
    markers = {
        name: (987654321 + position if kind is int else f"zq{position}markerqz")
        for position, (name, kind) in enumerate(zip(names, kinds, strict=True))
    }
    try:
        url = reverse(viewname, urlconf=urlconf, kwargs=markers)
    except NoReverseMatch:
        return None  # a converter narrower than int or slug (a date): reverse() each time
    by_marker = {str(marker): name for name, marker in markers.items()}
    pieces = re.split("(" + "|".join(map(re.escape, by_marker)) + ")", url)
    if sorted(pieces[1::2]) != sorted(by_marker):
        return None
    return tuple(by_marker[piece] if index % 2 else piece for index, piece in enumerate(pieces))


def fast_reverse(viewname, **kwargs):
    """``reverse(viewname, kwargs=kwargs)``, from a pattern reversed once."""
    if not all(
        (type(value) is int and value >= 0) or (type(value) is str and _SLUG.fullmatch(value))
        for value in kwargs.values()
    ):
        return reverse(viewname, kwargs=kwargs)
    names = tuple(sorted(kwargs))
    kinds = tuple(type(kwargs[name]) for name in names)
    pieces = _pattern(viewname, names, kinds, get_script_prefix(), get_urlconf())
    if pieces is None:
        return reverse(viewname, kwargs=kwargs)
    return "".join(str(kwargs[piece]) if index % 2 else piece for index, piece in enumerate(pieces))
