"""Find where stored texts sit in a page's text layer: greedy string tiling on folded text.

The issue text and the printed page say the same words, but not in the same way or order:

* the page breaks lines anywhere (CJK needs no hyphen) and columns in the middle of a sentence;
* the PDF's reading order may put a headline after its text, a caption before the article, or
  one article's column between two columns of another;
* punctuation and width differ (``(`` / ``（``, ``1`` / ``１``), and some fonts' text layers
  use compatibility characters (⽇ for 日).

So both sides are *folded* (NFKC, case-folded, letters and digits only: no whitespace or
punctuation), and the owners' texts are tiled onto the page string with the longest common runs
first (Wise's greedy string tiling, as plagiarism checkers use it): every run found marks its
page characters and owner characters as used, so two articles that share a phrase (罗塘街道)
cannot claim the same printed characters, and the long, distinctive run wins. Order does not
matter, column breaks only split runs, and a short stray run that is neither distinctive nor
next to a run of its own owner is dropped.
"""

from __future__ import annotations

import heapq
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Owner", "Run", "fold", "fold_chars", "tile"]

# Runs shorter than this are never matched: four CJK characters are already fairly specific,
# three (罗塘街) are not.
MIN_RUN = 4
# A run at least this long is trusted on its own; a shorter one needs to be unique (once on the
# page and once in all owners' texts) and at least UNIQUE_RUN long, or to sit next to a trusted
# run of its owner.
TRUSTED_RUN = 10
UNIQUE_RUN = 6
# "Next to": at most this many folded characters apart, on the page and in the owner's text.
NEAR = 40
# Between an owner's pieces: no page character folds to it (fold keeps letters and digits).
SEPARATOR = "\x00"
# "Next to" on the page, when character positions are known (fractions of the page): the line
# above or below (body lines are about 0.014 apart on an A3 page), not the next column.
NEAR_ON_PAGE = 0.02


def fold(text: str) -> str:
    """The text as the aligner compares it: NFKC, case-folded, letters and digits only."""
    return "".join(
        ch
        for ch in unicodedata.normalize("NFKC", text).casefold()
        if unicodedata.category(ch)[0] in "LN"
    )


def fold_chars(texts: Sequence[str]) -> tuple[str, list[int]]:
    """Fold a sequence of page characters: the folded string and, for each of its characters,
    the index of the page character it came from (one page character may give none or several).
    """
    folded: list[str] = []
    sources: list[int] = []
    for index, text in enumerate(texts):
        for ch in fold(text):
            folded.append(ch)
            sources.append(index)
    return "".join(folded), sources


@dataclass(frozen=True)
class Owner:
    """A text to find on the page (an article part, a photo caption): its folded pieces.

    ``pieces`` are (label, text) in the owner's order; labels let the caller tell a caption's
    characters from the body's."""

    key: str
    pieces: tuple[tuple[str, str], ...]

    def folded(self) -> tuple[str, list[tuple[int, int, str]]]:
        """The folded text and each piece's (start, end, label) in it.

        Pieces with different labels are kept apart by a separator that matches nothing, so a
        run cannot carry on from the end of the text into the caption (printed elsewhere) and
        then into whatever follows the text on the page. A byline and the text that follows
        it are printed as one paragraph, so they are not kept apart; paragraphs neither."""
        parts: list[str] = []
        spans: list[tuple[int, int, str]] = []
        position = 0
        previous = None
        for label, text in self.pieces:
            group = "text" if label == "byline" else label
            if previous is not None and group != previous:
                parts.append(SEPARATOR)
                position += 1
            previous = group
            folded = fold(text)
            parts.append(folded)
            spans.append((position, position + len(folded), label))
            position += len(folded)
        return "".join(parts), spans

    @property
    def letters(self) -> int:
        """How many characters the aligner can find (separators not counted)."""
        return sum(len(fold(text)) for _, text in self.pieces)


@dataclass(frozen=True, slots=True)
class Run:
    """``length`` folded characters of owner ``owner`` from ``start`` equal the page's folded
    characters from ``page_start``."""

    owner: int
    start: int
    page_start: int
    length: int


def tile(
    page: str,
    owners: Sequence[str],
    min_run: int = MIN_RUN,
    points: Sequence[tuple[float, float]] | None = None,
) -> list[Run]:
    """Tile the owners' folded texts onto the folded page text; each page character and each
    owner character used at most once. Returns the runs that survive the stray-run filter, in
    no particular order.

    Two rounds. First the *unique* runs (their text occurs once on the page and once in all the
    owners' texts), longest first: they cannot be misplaced. Then the ambiguous ones (a phrase
    that two articles share, a caption that repeats a sentence of the text), longest first and,
    among equally long ones, the occurrence closest to the owner's runs already placed: an
    article's sentence is printed near its other sentences.

    ``points`` (where each folded page character sits, any unit) lets "closest" be measured on
    the page itself, which also holds when the PDF's reading order is scrambled (some layout
    programs write lines in no useful order); without it, closeness is by position in the page
    text, and the stray filter likewise."""
    everything = "\x00".join(owners)

    def unique(owner: int, start: int, length: int) -> bool:
        text = owners[owner][start : start + length]
        return page.count(text) == 1 and everything.count(text) == 1

    candidates = _maximal_matches(page, owners, min_run)
    first = [c for c in candidates if unique(c[1], c[2], -c[0])]
    second = [c for c in candidates if not unique(c[1], c[2], -c[0])]
    state = _Tiling(page, owners, min_run, points)
    state.run(first, later=second)
    state.run([(length, state.distance(o, i, j), o, i, j) for length, o, i, j in second])
    return _drop_strays(state.accepted, page, owners, points)


class _Tiling:
    """The used marks and accepted runs of one tiling."""

    def __init__(
        self,
        page: str,
        owners: Sequence[str],
        min_run: int,
        points: Sequence[tuple[float, float]] | None,
    ):
        self.min_run = min_run
        self.points = points
        self.page_used = bytearray(len(page))
        self.owner_used = [bytearray(len(text)) for text in owners]
        self.accepted: list[Run] = []
        self.by_owner: dict[int, list[Run]] = defaultdict(list)
        # Where each accepted run sits on the page (with points): computed once, asked often.
        self.boxes: dict[int, list[tuple[float, float, float, float]]] = defaultdict(list)

    def distance(self, owner: int, start: int, page_start: int) -> tuple[float, int]:
        """How far a candidate is from the owner's accepted runs: on the page (when points are
        known), then in the page text from where those runs put ``start``."""
        runs = self.by_owner.get(owner)
        if not runs:
            return (0.0, 0)
        order = min(abs(page_start - (run.page_start + start - run.start)) for run in runs)
        if self.points is None:
            return (0.0, order)
        point = self.points[page_start]
        spatial = min(_point_gap(point, box) for box in self.boxes[owner])
        return (round(spatial, 3), order)

    def run(self, entries: list[tuple], later: list[tuple] | None = None) -> None:
        """Accept entries best first: (-length, owner, start, page_start) or
        (-length, distance, owner, start, page_start). A partly taken entry competes again
        with what is left of it (in ``later`` when given: the rest of a unique run may not be
        unique)."""
        heapq.heapify(entries)
        while entries:
            entry = heapq.heappop(entries)
            length, owner, start, page_start = -entry[0], *entry[-3:]
            used = self.owner_used[owner]
            free = [
                not used[start + k] and not self.page_used[page_start + k] for k in range(length)
            ]
            if all(free):
                used[start : start + length] = b"\x01" * length
                self.page_used[page_start : page_start + length] = b"\x01" * length
                run = Run(owner, start, page_start, length)
                self.accepted.append(run)
                self.by_owner[owner].append(run)
                if self.points is not None:
                    self.boxes[owner].append(_run_box(run, self.points))
                continue
            for offset, sub_length in _free_stretches(free):
                if sub_length < self.min_run:
                    continue
                rest = (-sub_length, owner, start + offset, page_start + offset)
                if later is not None:
                    later.append(rest)
                elif len(entry) == 5:
                    distance = self.distance(owner, start + offset, page_start + offset)
                    heapq.heappush(entries, (rest[0], distance, *rest[1:]))
                else:
                    heapq.heappush(entries, rest)


def _maximal_matches(
    page: str, owners: Sequence[str], min_run: int
) -> list[tuple[int, int, int, int]]:
    """Every maximal common run of at least ``min_run`` characters, as heap entries
    (-length, owner, start, page_start)."""
    grams: dict[str, list[int]] = defaultdict(list)
    for j in range(len(page) - min_run + 1):
        grams[page[j : j + min_run]].append(j)
    found: list[tuple[int, int, int, int]] = []
    for owner, text in enumerate(owners):
        for i in range(len(text) - min_run + 1):
            positions = grams.get(text[i : i + min_run])
            if not positions:
                continue
            for j in positions:
                if i and j and text[i - 1] == page[j - 1]:
                    continue  # not where the run starts; found from its start
                length = min_run
                while (
                    i + length < len(text)
                    and j + length < len(page)
                    and text[i + length] == page[j + length]
                ):
                    length += 1
                found.append((-length, owner, i, j))
    return found


def _free_stretches(free: list[bool]) -> list[tuple[int, int]]:
    stretches: list[tuple[int, int]] = []
    start = None
    for k, ok in enumerate([*free, False]):
        if ok and start is None:
            start = k
        elif not ok and start is not None:
            stretches.append((start, k - start))
            start = None
    return stretches


def _drop_strays(
    runs: list[Run],
    page: str,
    owners: Sequence[str],
    points: Sequence[tuple[float, float]] | None = None,
) -> list[Run]:
    """Keep trusted runs (long, or unique on the page and among the owners) and the short runs
    next to a kept run of the same owner: within NEAR characters on the page and in its text,
    or (with points) within NEAR_ON_PAGE of it on the page."""
    everything = "\x00".join(owners)

    def trusted(run: Run) -> bool:
        if run.length >= TRUSTED_RUN:
            return True
        if run.length < UNIQUE_RUN:
            return False
        text = owners[run.owner][run.start : run.start + run.length]
        return page.count(text) == 1 and everything.count(text) == 1

    kept = [run for run in runs if trusted(run)]
    pending = [run for run in runs if not trusted(run)]
    by_owner: dict[int, list[Run]] = defaultdict(list)
    for run in kept:
        by_owner[run.owner].append(run)
    changed = True
    while changed and pending:
        changed = False
        for run in list(pending):
            if any(_near(run, other, points) for other in by_owner[run.owner]):
                kept.append(run)
                by_owner[run.owner].append(run)
                pending.remove(run)
                changed = True
    return kept


def _near(a: Run, b: Run, points: Sequence[tuple[float, float]] | None = None) -> bool:
    if points is not None:
        box = _run_box(b, points)
        ends = (a.page_start, a.page_start + a.length - 1)
        if min(_point_gap(points[k], box) for k in ends) <= NEAR_ON_PAGE:
            return True
    if a.start > b.start:
        a, b = b, a
    text_gap = b.start - (a.start + a.length)
    page_gap = min(
        abs(b.page_start - (a.page_start + a.length)),
        abs(a.page_start - (b.page_start + b.length)),
    )
    return -1 <= text_gap <= NEAR and page_gap <= NEAR


def _run_box(run: Run, points: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    """The box around the run's character centres (one pass over its points)."""
    span = points[run.page_start : run.page_start + run.length]
    xs = [x for x, _ in span]
    ys = [y for _, y in span]
    return min(xs), min(ys), max(xs), max(ys)


def _point_gap(point: tuple[float, float], box: tuple[float, float, float, float]) -> float:
    x, y = point
    dx = max(0.0, box[0] - x, x - box[2])
    dy = max(0.0, box[1] - y, y - box[3])
    return (dx * dx + dy * dy) ** 0.5
