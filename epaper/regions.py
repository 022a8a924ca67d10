"""Where each article part and photo sits on a printed page (热区), from the page's text layer.

Input: the page's text (:class:`epaper.pdf.PageText`), its images (:class:`epaper.pdf.PageImage`),
and what the issue text says is on the page: the article parts (an article that jumps has one
part on each page it runs on, with the text printed there) and the page's own photo captions
(图片新闻). Output: for each part, rectangles in fractions of the page that cover its headline,
text and photos and no other article; for each caption, its box and the image it belongs to.

How:

1. Align (``epaper.align``): every part's and caption's text is tiled onto the page text, so
   each printed character gets at most one owner; a phrase two articles share goes to the
   copy printed nearest the rest of its article.
2. Clean up: a sliver of one owner at the end of another owner's line is given up, and
   punctuation (not compared by the aligner) goes to the owner of its neighbours.
3. Photos: a caption's characters give its box; the nearest image, preferring one directly
   above it, is its photo. An article's photos belong to its region.
4. Rectangles: one box around the part's lines and photos when that box holds nothing of any
   other owner (the common, rectangular article); else its column blocks, merged pairwise
   while the merged box stays clear of other owners (an L-shaped article gets two boxes).

Pure functions on dataclasses, no database: the ORM layer stores the results.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from epaper.align import Owner, fold, fold_chars, tile
from epaper.geometry import Box, bounding_box
from epaper.pdf import PageImage, PageText

__all__ = [
    "ArticlePart",
    "ArticleRegion",
    "PageRegions",
    "PhotoRegion",
    "RegionWarning",
    "find_regions",
]

# Below this share of its text found on the page, a part is reported (a wrong page, a text that
# differs from the print, or a scan without text layer).
MIN_COVERAGE = 0.6
# An obstacle counts when this share of its area lies inside a candidate box (boxes that only
# touch, or a line's descender under the next article's rule, do not).
OBSTACLE_SHARE = 0.2
# A sliver: this many characters or fewer of one owner at the end of another owner's line.
SLIVER = 3


@dataclass(frozen=True)
class ArticlePart:
    """The part of an article printed on one page, as the issue text says it.

    ``key`` is the caller's handle (the same for every part of one article); ``byline`` is the
    dateline and byline as printed (``本报讯(通讯员 李书翔)``); ``paragraphs`` are the ones (or
    the pieces of the ones) on this page; ``captions`` those of its photos printed on this page
    (with their credit, ``…… 丁小勇 摄``, as printed); ``continues_on`` / ``continued_from`` the
    pages of its jump lines (下转N版 / 上接N版), whose words are on the page too."""

    key: str
    headline: str
    subheadline: str = ""
    byline: str = ""
    paragraphs: tuple[str, ...] = ()
    captions: tuple[str, ...] = ()
    continues_on: int | None = None
    continued_from: int | None = None

    def pieces(self) -> tuple[tuple[str, str], ...]:
        pieces: list[tuple[str, str]] = [("headline", self.headline)]
        if self.subheadline:
            pieces.append(("subheadline", self.subheadline))
        if self.continued_from is not None:
            pieces.append(("jump", f"上接{self.continued_from}版"))
        if self.byline:
            pieces.append(("byline", self.byline))
        pieces.extend(("text", paragraph) for paragraph in self.paragraphs)
        if self.continues_on is not None:
            pieces.append(("jump", f"下转{self.continues_on}版"))
        pieces.extend((f"caption:{n}", caption) for n, caption in enumerate(self.captions))
        return tuple(pieces)


@dataclass(frozen=True)
class PhotoRegion:
    """A photo caption found on the page: where the caption is, and the image above it.

    ``image`` is the embedded image (its ``index`` extracts its pixels at full resolution with
    :meth:`epaper.pdf.PagePdf.extract_image`); None when no image could be paired."""

    caption: str
    caption_box: Box | None
    image: PageImage | None

    @property
    def image_box(self) -> Box | None:
        return self.image.box.rounded() if self.image else None


@dataclass(frozen=True)
class ArticleRegion:
    """An article part's region: rectangles (4 decimals) whose union covers it.

    ``coverage`` is the share of its text found on the page (1.0 when every letter was)."""

    key: str
    boxes: tuple[Box, ...]
    coverage: float
    photos: tuple[PhotoRegion, ...] = ()

    def as_json(self, page: int) -> dict:
        """The region in the issue's JSON form (docs/issue-format.md, Additions):
        ``{"page": 1, "boxes": [[x0, y0, x1, y1], ...]}``."""
        return {"page": page, "boxes": [box.rounded().as_list() for box in self.boxes]}


@dataclass(frozen=True)
class RegionWarning:
    """Something a layout editor should look at. ``code``: ``no_text_layer``,
    ``text_not_found`` (a part below MIN_COVERAGE), ``caption_not_found``, ``image_not_found``.
    ``message`` is English, for logs; the desk translates the code."""

    code: str
    message: str
    key: str | None = None


@dataclass(frozen=True)
class PageRegions:
    articles: tuple[ArticleRegion, ...] = ()
    photos: tuple[PhotoRegion, ...] = ()  # the page's own photos (图片新闻)
    warnings: tuple[RegionWarning, ...] = ()

    def article(self, key: str) -> ArticleRegion | None:
        return next((region for region in self.articles if region.key == key), None)


def find_regions(
    text: PageText,
    parts: Sequence[ArticlePart],
    captions: Sequence[str] = (),
    images: Sequence[PageImage] = (),
) -> PageRegions:
    """The regions of ``parts`` and the page photos with ``captions`` on one page.

    A page without a text layer (a scan) gives no regions and a ``no_text_layer`` warning: the
    regions are then drawn by hand."""
    if not text.chars:
        warning = RegionWarning(
            "no_text_layer", "the page has no text layer; regions must be drawn by hand"
        )
        return PageRegions(warnings=(warning,))

    owners = [Owner(part.key, part.pieces()) for part in parts]
    owners += [Owner(f"photo:{n}", (("caption:0", caption),)) for n, caption in enumerate(captions)]
    layout = _Layout.build(text, owners)

    warnings: list[RegionWarning] = []
    photo_regions = _pair_photos(layout, owners, images, warnings)
    obstacles = _obstacles(layout, owners, photo_regions)

    articles: list[ArticleRegion] = []
    for number, part in enumerate(parts):
        coverage = layout.coverage[number]
        photos = tuple(photo_regions.get(number, ()))
        if coverage < MIN_COVERAGE:
            warnings.append(
                RegionWarning(
                    "text_not_found",
                    f"only {coverage:.0%} of the text of {part.headline!r} was found on the page",
                    part.key,
                )
            )
        if not layout.segments[number]:
            continue
        own = [*layout.segments[number], *(p.image.box for p in photos if p.image)]
        others = [box for owner, boxes in obstacles.items() if owner != number for box in boxes]
        boxes = tuple(box.rounded() for box in _rectangles(own, others))
        articles.append(ArticleRegion(part.key, boxes, round(coverage, 4), photos))

    page_photos = tuple(
        region for n in range(len(parts), len(owners)) for region in photo_regions.get(n, ())
    )
    return PageRegions(tuple(articles), page_photos, tuple(warnings))


@dataclass
class _Layout:
    """The alignment mapped back onto the page: each owner's line segments and caption boxes."""

    segments: list[list[Box]]
    captions: list[dict[int, Box]]
    coverage: list[float]
    owner_of: list[int | None] = field(default_factory=list)

    @classmethod
    def build(cls, text: PageText, owners: Sequence[Owner]) -> _Layout:
        chars = text.chars
        page, sources = fold_chars([char.text for char in chars])
        folded = [owner.folded() for owner in owners]
        points = [_center(chars[index].box) for index in sources]
        runs = tile(page, [f for f, _ in folded], points=points)

        owner_of: list[int | None] = [None] * len(chars)
        label_of: list[str | None] = [None] * len(chars)
        found = [0] * len(owners)
        for run in runs:
            spans = folded[run.owner][1]
            found[run.owner] += run.length
            for k in range(run.length):
                index = sources[run.page_start + k]
                owner_of[index] = run.owner
                label_of[index] = _label_at(spans, run.start + k)
        _trim_spillover(text, owner_of, label_of)
        _absorb_punctuation(text, owner_of, label_of)

        segments: list[list[Box]] = [[] for _ in owners]
        caption_boxes: list[dict[int, list[Box]]] = [defaultdict(list) for _ in owners]
        for owner, line_chars in _line_runs(text, owner_of):
            segments[owner].append(bounding_box(chars[i].box for i in line_chars))
            for i in line_chars:
                label = label_of[i]
                if label and label.startswith("caption:"):
                    caption_boxes[owner][int(label.split(":")[1])].append(chars[i].box)
        captions = [
            {n: bounding_box(boxes) for n, boxes in by_caption.items()}
            for by_caption in caption_boxes
        ]
        letters = [owner.letters for owner in owners]
        coverage = [found[n] / letters[n] if letters[n] else 0.0 for n in range(len(owners))]
        return cls(segments, captions, coverage, owner_of)


def _center(box: Box) -> tuple[float, float]:
    return ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)


def _label_at(spans: list[tuple[int, int, str]], position: int) -> str | None:
    for start, end, label in spans:
        if start <= position < end:
            return label
    return None


def _trim_spillover(text: PageText, owner_of: list[int | None], label_of: list[str | None]) -> None:
    """Unown a sliver (at most SLIVER letters) at either end of a printed line whose rest
    belongs to another owner. Two articles do not share a line; such a sliver is a run that
    carried on over the end of a line into unrelated text because a few letters happened to
    match (the PDF wrote the lines in an order that put them side by side)."""
    chars = text.chars
    pieces: list[tuple[int | None, list[int]]] = []
    for i, char in enumerate(chars):
        if pieces and chars[pieces[-1][1][-1]].line == char.line and pieces[-1][0] == owner_of[i]:
            pieces[-1][1].append(i)
        else:
            pieces.append((owner_of[i], [i]))
    for n, (owner, indexes) in enumerate(pieces):
        if owner is None or len(indexes) > SLIVER:
            continue
        line = chars[indexes[0]].line
        neighbours = [_owned_neighbour(pieces, n, step, line, chars) for step in (-1, 1)]
        if any(
            other is not None and other[0] != owner and len(other[1]) > SLIVER
            for other in neighbours
        ):
            for i in indexes:
                owner_of[i] = None
                label_of[i] = None


def _owned_neighbour(pieces, n: int, step: int, line: int, chars):
    """The nearest piece with an owner on the same line, before (step -1) or after piece n."""
    m = n + step
    while 0 <= m < len(pieces) and chars[pieces[m][1][0]].line == line:
        if pieces[m][0] is not None:
            return pieces[m]
        m += step
    return None


def _absorb_punctuation(
    text: PageText, owner_of: list[int | None], label_of: list[str | None]
) -> None:
    """Give an unowned character that the aligner cannot see (punctuation, a bracket) to the
    owner of its neighbours: the one before it on its line, else the one after it on its line,
    else the text that ends the line above (a line holding only 。” closes the sentence before
    it). Quotes and brackets often open or close a printed line; they are the article's ink."""
    chars = text.chars
    for i, char in enumerate(chars):
        if owner_of[i] is not None or fold(char.text):
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(chars) and chars[j].line == char.line and owner_of[j] is not None:
                owner_of[i] = owner_of[j]
                label_of[i] = label_of[j]
                break
        else:
            j = i - 1
            while j >= 0 and owner_of[j] is None and not fold(chars[j].text):
                j -= 1
            if j >= 0 and owner_of[j] is not None and chars[j].line == char.line - 1:
                owner_of[i] = owner_of[j]
                label_of[i] = label_of[j]


def _line_runs(text: PageText, owner_of: list[int | None]):
    """(owner, [char indexes]) for each stretch of one owner's characters on one line."""
    current: list[int] = []
    current_owner = None
    for i, char in enumerate(text.chars):
        owner = owner_of[i]
        if current and (owner != current_owner or char.line != text.chars[current[-1]].line):
            if current_owner is not None:
                yield current_owner, current
            current = []
        current_owner = owner
        current.append(i)
    if current and current_owner is not None:
        yield current_owner, current


def _pair_photos(
    layout: _Layout,
    owners: Sequence[Owner],
    images: Sequence[PageImage],
    warnings: list[RegionWarning],
) -> dict[int, list[PhotoRegion]]:
    """Pair every found caption with the nearest free image, closest pairs first.

    Nearest means: directly above the caption (sharing at least half of its width), measured
    by the gap between the image's bottom and the caption's top; any other image counts as
    farther than every image above."""
    wanted: list[tuple[int, int, str, Box | None]] = []
    for number, owner in enumerate(owners):
        for label, caption in owner.pieces:
            if label.startswith("caption:"):
                index = int(label.split(":")[1])
                wanted.append((number, index, caption, layout.captions[number].get(index)))

    pairs = sorted(
        (_photo_distance(box, image.box), w, image.index)
        for w, (_, _, _, box) in enumerate(wanted)
        if box is not None
        for image in images
    )
    chosen: dict[int, PageImage] = {}
    taken: set[int] = set()
    by_index = {image.index: image for image in images}
    for _, w, image_index in pairs:
        if w not in chosen and image_index not in taken:
            chosen[w] = by_index[image_index]
            taken.add(image_index)

    regions: dict[int, list[PhotoRegion]] = defaultdict(list)
    for w, (number, _, caption, box) in enumerate(wanted):
        key = owners[number].key
        if box is None:
            warnings.append(
                RegionWarning("caption_not_found", f"caption not found: {caption[:20]!r}", key)
            )
        elif w not in chosen:
            warnings.append(
                RegionWarning("image_not_found", f"no image for caption {caption[:20]!r}", key)
            )
        regions[number].append(PhotoRegion(caption, box.rounded() if box else None, chosen.get(w)))
    return regions


def _photo_distance(caption: Box, image: Box) -> float:
    above = image.y1 <= caption.y0 + caption.height and (
        caption.horizontal_overlap(image) >= 0.5 * min(caption.width, image.width)
    )
    if above:
        return max(0.0, caption.y0 - image.y1)
    return 1.0 + caption.gap(image)


def _obstacles(
    layout: _Layout, owners: Sequence[Owner], photos: dict[int, list[PhotoRegion]]
) -> dict[int, list[Box]]:
    """For each owner, the boxes no other owner's region may cover: its lines and images."""
    obstacles: dict[int, list[Box]] = {}
    for number in range(len(owners)):
        images = [p.image.box for p in photos.get(number, ()) if p.image]
        obstacles[number] = [*layout.segments[number], *images]
    return obstacles


def _rectangles(own: list[Box], others: list[Box]) -> list[Box]:
    """As few rectangles as possible around ``own`` that stay clear of ``others``.

    The whole bounding box is tried first: the usual rectangular article needs nothing more
    (the pairwise merging below would reach the same box, in more steps)."""
    whole = bounding_box(own)
    if whole is None:
        return []
    if _clear(whole, others):
        return [whole]
    rectangles = _blocks(own)
    while True:
        best: tuple[float, int, int, Box] | None = None
        for a in range(len(rectangles)):
            for b in range(a + 1, len(rectangles)):
                merged = rectangles[a].union(rectangles[b])
                waste = merged.area - rectangles[a].area - rectangles[b].area
                if (best is None or waste < best[0]) and _clear(merged, others):
                    best = (waste, a, b, merged)
        if best is None:
            return rectangles
        _, a, b, merged = best
        rectangles = [r for n, r in enumerate(rectangles) if n not in (a, b)] + [merged]


def _clear(box: Box, others: list[Box]) -> bool:
    return all(
        box.intersection_area(other) <= OBSTACLE_SHARE * max(other.area, 1e-12) for other in others
    )


def _blocks(boxes: list[Box]) -> list[Box]:
    """Group line segments into column blocks: segments that share most of their width and
    follow each other within two line heights. Images are blocks of their own."""
    parent = list(range(len(boxes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a in range(len(boxes)):
        for b in range(a + 1, len(boxes)):
            first, second = boxes[a], boxes[b]
            overlap = first.horizontal_overlap(second)
            line = max(min(first.height, second.height), 1e-6)
            vertical_gap = max(second.y0 - first.y1, first.y0 - second.y1)
            if overlap >= 0.5 * min(first.width, second.width) and vertical_gap <= 2 * line:
                parent[root(a)] = root(b)
    groups: dict[int, list[Box]] = defaultdict(list)
    for i, box in enumerate(boxes):
        groups[root(i)].append(box)
    return [bounding_box(group) for group in groups.values()]
