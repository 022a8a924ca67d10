"""Search on the page: where every occurrence of a query sits, as boxes to highlight.

Readers type what they read on a phone keyboard (罗塘街道(高新区) with half-width brackets,
１１月 or 11月), and the printed page breaks lines anywhere, so the comparison is NFKC (full and
half width are one), case-insensitive, and blind to whitespace and line breaks. An occurrence
that runs over a line break gets one box per line.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Protocol

from epaper.geometry import Box, bounding_box

__all__ = ["find_hits", "find_occurrences"]


class TextBox(Protocol):
    """Anything with text, a box and a line number: :class:`epaper.pdf.Word` or ``Char``."""

    text: str
    box: Box
    line: int


def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if not ch.isspace())


def find_occurrences(words: Sequence[TextBox], query: str) -> list[tuple[Box, ...]]:
    """Every occurrence of ``query`` in reading order, each as its boxes (one per line).

    Occurrences do not overlap (searching 啊啊 in 啊啊啊 finds one). A match that starts or
    ends inside a word (a Latin word, a number) covers that part of the word's box, split
    evenly between its letters."""
    needle = _fold(query)
    if not needle:
        return []
    letters: list[str] = []
    owners: list[tuple[int, int, int]] = []  # (word index, letter in word, letters in word)
    for index, word in enumerate(words):
        folded = _fold(word.text)
        for position, letter in enumerate(folded):
            letters.append(letter)
            owners.append((index, position, len(folded)))
    haystack = "".join(letters)
    found: list[tuple[Box, ...]] = []
    start = haystack.find(needle)
    while start != -1:
        found.append(_boxes(words, owners[start : start + len(needle)]))
        start = haystack.find(needle, start + len(needle))
    return found


def find_hits(words: Sequence[TextBox], query: str) -> list[Box]:
    """The boxes of every occurrence of ``query`` (see :func:`find_occurrences`), 4 decimals."""
    return [box.rounded() for boxes in find_occurrences(words, query) for box in boxes]


def _boxes(words: Sequence[TextBox], letters: list[tuple[int, int, int]]) -> tuple[Box, ...]:
    by_line: dict[int, list[Box]] = {}
    for index, position, count in letters:
        word = words[index]
        by_line.setdefault(word.line, []).append(_letter_box(word.box, position, count))
    return tuple(bounding_box(boxes) for boxes in by_line.values())


def _letter_box(box: Box, position: int, count: int) -> Box:
    if count <= 1:
        return box
    step = box.width / count
    return Box(box.x0 + step * position, box.y0, box.x0 + step * (position + 1), box.y1)
