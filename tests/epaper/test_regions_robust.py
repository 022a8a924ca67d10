"""Regions when the PDF and the issue text disagree more than column breaks: lines written in a
scrambled order (some layout programs do), and an issue text with typos and a missing sentence.
Lower targets than the clean fixtures, but every part must still be found where it is."""

import dataclasses
import json
import random
import statistics

import pytest

from epaper.evaluate import load_bundle
from epaper.geometry import Box, union_iou
from epaper.issue import page_inputs
from epaper.pdf import PagePdf, PageText
from epaper.regions import ArticlePart, find_regions
from tests.epaper.paths import bundles

COMMON = "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要"


def _scrambled(text: PageText, seed: int) -> PageText:
    """The same characters with the page's lines in a random order."""
    lines: dict[int, list] = {}
    for char in text.chars:
        lines.setdefault(char.line, []).append(char)
    order = list(lines)
    random.Random(seed).shuffle(order)
    return dataclasses.replace(text, chars=tuple(c for line in order for c in lines[line]))


def _with_typos(part: ArticlePart, seed: int) -> ArticlePart:
    """One letter in 30 replaced, and one sentence of each paragraph left out."""
    rng = random.Random(seed)
    paragraphs = []
    for paragraph in part.paragraphs:
        letters = list(paragraph)
        for start in range(0, len(letters), 30):
            letters[rng.randrange(start, min(start + 30, len(letters)))] = rng.choice(COMMON)
        sentences = "".join(letters).split("。")
        if len(sentences) > 3:
            del sentences[rng.randrange(len(sentences) - 1)]
        paragraphs.append("。".join(sentences))
    return dataclasses.replace(part, paragraphs=tuple(paragraphs))


def _ious(name, folder, truth_file, scramble: bool, typos: bool) -> list[float]:
    issue, pages = load_bundle(folder)
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    inputs = page_inputs(issue)
    ious = []
    for number, path in sorted(pages.items()):
        with PagePdf(path) as pdf:
            text, images = pdf.text(0), pdf.images(0)
        parts = inputs[number].parts
        if scramble:
            text = _scrambled(text, number)
        if typos:
            parts = tuple(_with_typos(part, number) for part in parts)
        regions = find_regions(text, parts, inputs[number].captions, images)
        keys = {part.headline: part.key for part in parts}
        for article in truth["pages"][str(number)]["articles"]:
            true_boxes = [Box.from_list(b) for b in article.get("boxes") or [article["box"]]]
            region = regions.article(keys[article["headline"]])
            ious.append(union_iou(region.boxes if region else (), true_boxes))
    return ious


@pytest.mark.parametrize(("name", "folder", "truth"), bundles(), ids=[b[0] for b in bundles()])
def test_lines_in_a_scrambled_order(name, folder, truth):
    ious = _ious(name, folder, truth, scramble=True, typos=False)
    assert statistics.median(ious) >= 0.9 and min(ious) >= 0.8, ious


@pytest.mark.parametrize(("name", "folder", "truth"), bundles(), ids=[b[0] for b in bundles()])
def test_typos_and_a_missing_sentence_in_the_issue_text(name, folder, truth):
    # A left-out last sentence leaves its printed lines outside the region: the lower minimum.
    ious = _ious(name, folder, truth, scramble=False, typos=True)
    assert statistics.median(ious) >= 0.93 and min(ious) >= 0.75, ious
