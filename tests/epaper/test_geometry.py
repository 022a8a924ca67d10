"""Boxes and the union IoU the quality figures rest on."""

from epaper.geometry import Box, bounding_box, covered_share, union_area, union_iou


def test_iou_of_two_overlapping_squares():
    a, b = Box(0, 0, 0.5, 0.5), Box(0.25, 0.25, 0.75, 0.75)
    assert abs(union_iou([a], [b]) - 1 / 7) < 1e-9
    assert union_iou([a], [a]) == 1.0
    assert union_iou([a], [Box(0.6, 0.6, 0.9, 0.9)]) == 0.0


def test_iou_takes_each_side_as_the_union_of_its_rectangles():
    # Two halves found for one true box: a perfect match, overlaps counted once.
    truth = [Box(0.1, 0.1, 0.5, 0.3)]
    halves = [Box(0.1, 0.1, 0.3, 0.3), Box(0.3, 0.1, 0.5, 0.3), Box(0.2, 0.1, 0.4, 0.3)]
    assert union_iou(halves, truth) == 1.0
    assert abs(union_area(halves) - 0.08) < 1e-9


def test_covered_share_and_bounding_box():
    area = [Box(0, 0, 0.2, 0.1)]
    assert abs(covered_share([Box(0.1, 0, 0.5, 0.5)], area) - 0.5) < 1e-9
    assert bounding_box([Box(0.1, 0.2, 0.3, 0.4), Box(0.2, 0.1, 0.5, 0.3)]) == Box(
        0.1, 0.1, 0.5, 0.4
    )
    assert bounding_box([]) is None
