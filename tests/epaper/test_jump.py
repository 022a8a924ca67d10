"""An article that jumps (下转2版 / 上接1版) gets a region on each page it runs on."""

import json

from backissues.epaper_evaluate import bundle_regions, load_bundle
from backissues.epaper_inputs import page_inputs
from epaper.geometry import Box, union_iou
from tests.epaper.paths import LAYOUTS

JUMP = LAYOUTS / "jump"


def test_the_jumping_article_has_a_part_on_each_page_cut_where_the_jump_is():
    issue, _ = load_bundle(JUMP)
    inputs = page_inputs(issue)
    first = inputs[1].parts[0]
    rest = next(part for part in inputs[2].parts if part.key == first.key)
    assert (first.continues_on, rest.continued_from) == (2, 1)
    assert first.byline and not rest.byline
    # The two parts hold the whole text, cut inside a paragraph.
    article = issue.pages[0].articles[0]
    assert "".join(first.paragraphs) + "".join(rest.paragraphs) == "".join(article.paragraphs)
    assert len(first.paragraphs) + len(rest.paragraphs) == len(article.paragraphs) + 1


def test_the_jumping_article_has_a_region_on_both_pages_matching_the_truth():
    truth = json.loads((JUMP / "truth.json").read_text(encoding="utf-8"))
    regions = bundle_regions(JUMP)
    key = "1-1"
    for page in (1, 2):
        region = regions[page].article(key)
        assert region is not None, f"no region on page {page}"
        (true_article,) = [a for a in truth["pages"][str(page)]["articles"] if a["key"] == "e0"]
        true_boxes = [Box.from_list(box) for box in true_article["boxes"]]
        assert union_iou(region.boxes, true_boxes) >= 0.95


def test_each_page_has_only_its_own_parts():
    regions = bundle_regions(JUMP)
    assert [r.key for r in regions[1].articles] == ["1-1", "1-2", "1-3"]
    assert sorted(r.key for r in regions[2].articles) == ["1-1", "2-1", "2-2"]
