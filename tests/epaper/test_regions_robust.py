"""Regions when the PDF and the issue text disagree more than column breaks do: lines written
in a scrambled order (some layout programs do), and an issue text with typos and a missing
sentence. Lower targets than the clean fixtures, but every part must still be found where it is.
"""

import pytest

from backissues.epaper_evaluate import score_bundle
from tests.epaper.paths import bundles

IDS = [name for name, _, _ in bundles()]


@pytest.mark.parametrize(("name", "folder", "truth"), bundles(), ids=IDS)
def test_lines_in_a_scrambled_order(name, folder, truth):
    score = score_bundle(folder, truth, scramble=0)
    assert score.median >= 0.9 and score.minimum >= 0.8, [p.iou for p in score.parts]


@pytest.mark.parametrize(("name", "folder", "truth"), bundles(), ids=IDS)
def test_typos_and_a_missing_sentence_in_the_issue_text(name, folder, truth):
    # A left-out last sentence leaves its printed lines outside the region: the lower minimum.
    score = score_bundle(folder, truth, typos=0)
    assert score.median >= 0.93 and score.minimum >= 0.75, [p.iou for p in score.parts]
