"""Score regions against measured truth: the figures the tests assert and the benchmark prints.

A bundle is a folder with one issue text file (``*.md``) and ``pages/<n>.pdf``; its truth is a
JSON file in the shape of ``tests/fixtures/epaper-118-truth/truth.json``: for each page, its
articles (``headline`` and ``box``, or ``boxes`` for an article printed as several rectangles)
and its photos (``caption``, ``image_box``, ``caption_box``). An article part is scored by the
IoU of the union of its rectangles with the union of its true boxes, rasterised on a
1000 × 1000 grid.
"""

from __future__ import annotations

import dataclasses
import json
import random
import statistics
from dataclasses import dataclass
from pathlib import Path

from backissues.epaper_inputs import page_inputs, parse_issue
from epaper.align import fold
from epaper.geometry import Box, covered_share, union_iou
from epaper.pdf import Char, PagePdf, PageText
from epaper.regions import ArticlePart, PageRegions, find_regions

__all__ = [
    "BundleScore",
    "PartScore",
    "PhotoScore",
    "bundle_regions",
    "load_bundle",
    "scramble_lines",
    "score_bundle",
    "with_typos",
]


@dataclass(frozen=True)
class PartScore:
    page: int
    headline: str
    iou: float
    boxes: tuple[Box, ...]
    truth: tuple[Box, ...]


@dataclass(frozen=True)
class PhotoScore:
    """``caption_inside``: the share of the found caption box inside the true one (the true
    box is the caption element, as wide as its column; the found box is the caption's ink)."""

    page: int
    caption_inside: float
    image_iou: float


@dataclass(frozen=True)
class BundleScore:
    name: str
    parts: tuple[PartScore, ...]
    photos: tuple[PhotoScore, ...]
    regions: dict[int, PageRegions]

    @property
    def median(self) -> float:
        return statistics.median(part.iou for part in self.parts)

    @property
    def minimum(self) -> float:
        return min(part.iou for part in self.parts)


def load_bundle(folder: Path):
    """The bundle's issue and its page files by page number."""
    (text_file,) = sorted(folder.glob("*.md"))
    issue = parse_issue(text_file.read_text(encoding="utf-8"))
    pages = {int(path.stem): path for path in (folder / "pages").glob("*.pdf")}
    return issue, pages


def scramble_lines(text: PageText, seed: int) -> PageText:
    """The same characters with the page's lines in a random order, as some layout programs
    write them: the reading order then says nothing about which line follows which."""
    lines: dict[int, list[Char]] = {}
    for char in text.chars:
        lines.setdefault(char.line, []).append(char)
    order = list(lines)
    random.Random(seed).shuffle(order)
    return dataclasses.replace(text, chars=tuple(c for line in order for c in lines[line]))


# Common characters to put in for typos.
_COMMON = "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要"


def with_typos(part: ArticlePart, seed: int) -> ArticlePart:
    """The part's text with one letter in 30 replaced and one sentence of each paragraph
    (of four or more) left out: an issue text that was edited after the page was printed."""
    rng = random.Random(seed)
    paragraphs = []
    for paragraph in part.paragraphs:
        letters = list(paragraph)
        for start in range(0, len(letters), 30):
            letters[rng.randrange(start, min(start + 30, len(letters)))] = rng.choice(_COMMON)
        sentences = "".join(letters).split("。")
        if len(sentences) > 3:
            del sentences[rng.randrange(len(sentences) - 1)]
        paragraphs.append("。".join(sentences))
    return dataclasses.replace(part, paragraphs=tuple(paragraphs))


def bundle_regions(
    folder: Path, scramble: int | None = None, typos: int | None = None
) -> dict[int, PageRegions]:
    """Regions of every page of a bundle (each page file holds one page). ``scramble`` and
    ``typos`` (seeds) apply :func:`scramble_lines` and :func:`with_typos` first."""
    issue, pages = load_bundle(folder)
    inputs = page_inputs(issue)
    result: dict[int, PageRegions] = {}
    for number, path in sorted(pages.items()):
        page = inputs[number]
        with PagePdf(path) as pdf:
            text, images = pdf.text(0), pdf.images(0)
        parts = page.parts
        if scramble is not None:
            text = scramble_lines(text, scramble + number)
        if typos is not None:
            parts = tuple(with_typos(part, typos + number) for part in parts)
        result[number] = find_regions(text, parts, page.captions, images)
    return result


def score_bundle(
    folder: Path, truth_file: Path, scramble: int | None = None, typos: int | None = None
) -> BundleScore:
    """Every article part and photo of the bundle, scored against its truth."""
    issue, _ = load_bundle(folder)
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    regions = bundle_regions(folder, scramble, typos)
    inputs = page_inputs(issue)
    parts: list[PartScore] = []
    photos: list[PhotoScore] = []
    for number_text, page_truth in truth["pages"].items():
        number = int(number_text)
        found = regions[number]
        keys = {part.headline: part.key for part in inputs[number].parts}
        for article in page_truth["articles"]:
            true_boxes = tuple(
                Box.from_list(box) for box in article.get("boxes") or [article["box"]]
            )
            region = found.article(keys[article["headline"]])
            boxes = region.boxes if region else ()
            iou = union_iou(boxes, true_boxes)
            parts.append(PartScore(number, article["headline"], iou, boxes, true_boxes))
        every_photo = [*found.photos, *(p for a in found.articles for p in a.photos)]
        for photo in page_truth["photos"]:
            wanted = fold(photo["caption"])  # the truth's caption has its credit, as printed
            match = next((p for p in every_photo if fold(p.caption) == wanted), None)
            caption_inside = image_iou = 0.0
            if match and match.caption_box:
                true_caption = Box.from_list(photo["caption_box"])
                caption_inside = covered_share([true_caption], [match.caption_box])
            if match and match.image_box:
                image_iou = union_iou([match.image_box], [Box.from_list(photo["image_box"])])
            photos.append(PhotoScore(number, caption_inside, image_iou))
    return BundleScore(folder.name, tuple(parts), tuple(photos), regions)
