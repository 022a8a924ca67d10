"""Search on the page: every occurrence, across line breaks, NFKC and width-insensitive."""

from epaper.geometry import Box
from epaper.hits import find_hits, find_occurrences
from epaper.pdf import Char, PagePdf
from tests.epaper.paths import PAGE_118


def _page():
    with PagePdf(PAGE_118) as pdf:
        return pdf.text(0)


def test_every_occurrence_is_found():
    text = _page()
    occurrences = find_occurrences(text.words(), "缪杰明")
    assert len(occurrences) == text.text.replace("\n", "").count("缪杰明") >= 8


def test_a_hit_across_a_line_break_has_a_box_on_each_line():
    # Printed as "…11月21日,罗塘" / "街道(高新区)召开书记办公会…"
    text = _page()
    (boxes,) = [o for o in find_occurrences(text.words(), "罗塘街道(高新区)召开") if o]
    assert len(boxes) == 2
    first, second = boxes
    assert first.y1 <= second.y0 + 0.001  # the second line is below the first
    assert second.x0 < first.x0  # and starts back at the column's left edge


def test_full_width_and_spaces_in_the_query_do_not_matter():
    words = _page().words()
    half = find_hits(words, "(高新区)")
    assert half and find_hits(words, "（高新区）") == half
    assert find_hits(words, "１１月２１日") == find_hits(words, "11月21日") != []
    assert find_hits(words, "缪 杰 明") == find_hits(words, "缪杰明")


def test_a_hit_inside_a_latin_word_covers_part_of_it():
    line = [Char("epaper", Box(0.0, 0.0, 0.6, 0.1), 0)]
    (box,) = find_hits(line, "PAPER")
    assert box == Box(0.1, 0.0, 0.6, 0.1)


def test_nothing_is_found_for_an_absent_or_empty_query():
    words = _page().words()
    assert find_hits(words, "上海") == []
    assert find_hits(words, "  ") == []
