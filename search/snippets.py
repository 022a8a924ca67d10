"""Snippets: a stretch of an article's text around the first match, escaped."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

SNIPPET_LENGTH = 120


def snippet(document: str, terms: list[str], length: int = SNIPPET_LENGTH) -> str:
    """A stretch of the text around the first match, every match in <mark>, all escaped."""
    # The first line is the headline, shown on its own.
    text = document.split("\n", 1)[1] if "\n" in document else document
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
