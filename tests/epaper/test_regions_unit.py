"""find_regions on small hand-made pages: the rules one at a time."""

from epaper.geometry import Box
from epaper.pdf import Char, PageImage, PageText
from epaper.regions import ArticlePart, find_regions

LINE = 0.02  # line height (fraction of the page)
CHAR = 0.02  # character width


def _page(lines: list[tuple[str, float, float]]) -> PageText:
    """A page from (text, x0, y0) lines, one character every CHAR, in the given order."""
    chars = []
    for number, (text, x0, y0) in enumerate(lines):
        for k, ch in enumerate(text):
            box = Box(x0 + k * CHAR, y0, x0 + (k + 1) * CHAR, y0 + LINE)
            chars.append(Char(ch, box, number))
    return PageText(842, 1191, tuple(chars))


def test_a_line_of_only_punctuation_belongs_to_the_article_above():
    body = "区政协调研组到太平社区专题调研网格化治理协商议事工作"
    page = _page([(body[:13], 0.1, 0.1), (body[13:], 0.1, 0.12), ("。”", 0.1, 0.14)])
    part = ArticlePart("a", headline="", paragraphs=(body + "。”",))
    (region,) = find_regions(page, [part]).articles
    assert region.boxes == (Box(0.1, 0.1, 0.36, 0.16),)


def test_a_caption_takes_the_image_above_it_rather_than_a_nearer_one_beside_it():
    caption = "图为缪杰明与相关企业负责人交流丁小勇摄"
    beside = PageImage(0, Box(0.31, 0.45, 0.6, 0.55), 600, 400)  # 0.01 to the right
    above = PageImage(1, Box(0.1, 0.28, 0.3, 0.48), 600, 400)  # 0.02 above
    page = _page([(caption[:10], 0.1, 0.5), (caption[10:], 0.1, 0.52)])
    regions = find_regions(page, [], captions=[caption], images=[beside, above])
    (photo,) = regions.photos
    assert photo.image == above
    assert photo.caption_box == Box(0.1, 0.5, 0.3, 0.54)


def test_an_article_around_a_corner_gets_two_rectangles_that_leave_its_neighbour_out():
    # A: left column (rows 0-5) and top of the right column (rows 0-2); B: right column below.
    a_text = (
        "罗塘街道人大工委召开全体扩大会议部分区人大代表街道议政代表参加会议会议听取和讨论了"
        "网格化社会治理招商引资项目建设情况的报告并部署了代表年度述职测评"
    )
    b_text = "缪杰明带队走访辖区企业认真听取项目建设进展及企业发展经营情况"
    lines = [(a_text[8 * r : 8 * r + 8], 0.1, 0.1 + r * LINE) for r in range(6)]
    lines += [(a_text[48 + 8 * r : 56 + 8 * r], 0.3, 0.1 + r * LINE) for r in range(2)]
    lines += [(b_text[8 * r : 8 * r + 8], 0.3, 0.16 + r * LINE) for r in range(3)]
    page = _page(lines)
    parts = [
        ArticlePart("a", headline="", paragraphs=(a_text[:64],)),
        ArticlePart("b", headline="", paragraphs=(b_text[:24],)),
    ]
    regions = find_regions(page, parts)
    a, b = regions.article("a"), regions.article("b")
    assert sorted(a.boxes, key=lambda box: box.x0) == [
        Box(0.1, 0.1, 0.26, 0.22),
        Box(0.3, 0.1, 0.46, 0.14),
    ]
    assert b.boxes == (Box(0.3, 0.16, 0.46, 0.22),)


def test_a_repeated_phrase_goes_to_the_copy_next_to_its_own_article():
    """Both articles print 罗塘街道党工委书记 (a trusted-length phrase) between a typo on each
    side, so it is a separate run of each; each copy must go to the article printed round it,
    even though the other article's copy comes first on the page."""
    shared = "罗塘街道党工委书记"
    a_text = "区政协调研组到太平社区" + shared + "专题调研网格化治理工作"
    b_text = "缪杰明带队走访辖区企业" + shared + "认真听取项目建设的进展"
    a_print = "区政协调研组到太平社区甲" + shared + "乙专题调研网格化治理工作"
    b_print = "缪杰明带队走访辖区企业甲" + shared + "乙认真听取项目建设的进展"
    page = _page([(b_print, 0.1, 0.1), (a_print, 0.1, 0.5)])
    parts = [
        ArticlePart("a", headline="", paragraphs=(a_text,)),
        ArticlePart("b", headline="", paragraphs=(b_text,)),
    ]
    regions = find_regions(page, parts)
    assert regions.article("a").boxes[0].y0 == 0.5
    assert regions.article("b").boxes[0].y1 == 0.12


def test_a_run_that_spills_over_the_end_of_another_articles_line_is_trimmed():
    """The PDF writes A's second line, then B's second line: B's text before that line ends in
    甲乙, as A's printed line does (after a letter, 丙, that A's text lacks), so the run of B's
    second line starts two letters early, in A's line."""
    a1, a2 = "区政协调研组到太平社区", "专题调研网格化治理甲乙"
    b1, b2 = "缪杰明带队走访辖区企业甲乙", "认真听取项目建设进展情况"
    printed_a2 = a2[:-2] + "丙" + a2[-2:]
    page = _page([(a1, 0.1, 0.1), (printed_a2, 0.1, 0.12), (b2, 0.1, 0.5), (b1, 0.1, 0.48)])
    parts = [
        ArticlePart("a", headline="", paragraphs=(a1 + a2,)),
        ArticlePart("b", headline="", paragraphs=(b1 + b2,)),
    ]
    regions = find_regions(page, parts)
    assert regions.article("a").boxes == (Box(0.1, 0.1, 0.32, 0.14),)
    # B stays on its own lines (the 甲乙 that ends its first line was spent on the sliver).
    assert regions.article("b").boxes == (Box(0.1, 0.48, 0.34, 0.52),)


def test_an_articles_text_does_not_run_on_into_its_caption():
    """A's caption begins like B's headline (罗塘街道…), and the page text has B's headline right
    after A's text (and B's text only after a folio line). A's text and caption are separate
    pieces: its run must stop at the end of its text, not take the first letters of B's
    headline."""
    a_body = "区政协调研组到太平社区专题调研网格化治理协商议事"
    caption = "罗塘街道召开会议 丁小勇 摄"
    b_head, b_body = "罗塘街道人大工委全体会议", "会议听取和讨论了网格化社会治理招商引资项目建设"
    page = _page(
        [
            (a_body[:12], 0.1, 0.1),
            (a_body[12:], 0.1, 0.12),
            (b_head, 0.1, 0.2),
            ("本版编辑王海燕", 0.1, 0.95),
            (b_body[:12], 0.1, 0.22),
            (b_body[12:], 0.1, 0.24),
            ("罗塘街道召开会议丁小勇摄", 0.5, 0.5),
        ]
    )
    parts = [
        ArticlePart("a", headline="", paragraphs=(a_body,), captions=(caption,)),
        ArticlePart("b", headline=b_head, paragraphs=(b_body,)),
    ]
    regions = find_regions(page, parts)
    a = regions.article("a")
    assert all(box.y1 <= 0.14 or box.y0 >= 0.5 for box in a.boxes), a.boxes
    assert regions.article("b").boxes == (Box(0.1, 0.2, 0.34, 0.26),)
