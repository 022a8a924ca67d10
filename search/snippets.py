"""Snippets: a stretch of an article's text around the first match, escaped."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext

SNIPPET_LENGTH = 120


def snippet(document: str, terms: list[str], length: int = SNIPPET_LENGTH, skip: int = 1) -> str:
    """A stretch of the text around the first match, every match in <mark>, all escaped.

    The first ``skip`` lines are left out: the headline, shown on its own, and for an
    indexed document (search.index) the subheadline and the names too, which a bare name at
    the start of a snippet would leave unexplained (labelled_names shows them)."""
    lines = document.split("\n", skip)
    text = lines[skip] if len(lines) > skip else lines[-1] if skip == 1 else ""
    text = " ".join(text.split())
    if not terms:
        return escape(text[:length])
    pattern = re.compile(
        "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE
    )
    first = pattern.search(text)
    start = max(0, first.start() - length // 3) if first else 0
    end = min(len(text), start + length)
    pieces = ["…"] if start > 0 else []
    position = start
    for match in pattern.finditer(text, start, end):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(text[position:end]))
    if end < len(text):
        pieces.append("…")
    return mark_safe("".join(pieces))


def _marked(text: str, pattern) -> str:
    pieces, position = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(text[position:]))
    return "".join(pieces)


def labelled_names(bylines, photos, terms: list[str]) -> str:
    """The article's bylines and photo credits with their role words (记者 郁菲菲, 摄影 储晓峰),
    matches in <mark>, all escaped; "" when no term is in a name (the snippet says enough)."""
    if not terms:
        return ""
    pattern = re.compile(
        "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE
    )
    entries = [(byline.get_role_display(), byline.person.name) for byline in bylines]
    entries += [
        (pgettext("photo credit, before the name", "Photo"), photo.photographer.name)
        for photo in photos
        if photo.photographer_id
    ]
    entries = list(dict.fromkeys(entries))
    if not any(pattern.search(name) for _, name in entries):
        return ""
    return mark_safe(
        " · ".join(f"{escape(label)} {_marked(name, pattern)}" for label, name in entries)
    )
