"""From the issue text to the plain inputs of find_regions."""

from backissues.epaper_inputs import page_inputs, parse_issue
from epaper.geometry import Box
from epaper.regions import ArticlePart, ArticleRegion
from tests.epaper.paths import BUNDLE_118


def _inputs_118():
    return page_inputs(parse_issue((BUNDLE_118 / "118.md").read_text(encoding="utf-8")))


def test_118_has_one_page_of_five_parts_and_one_page_photo():
    inputs = _inputs_118()
    assert list(inputs) == [1]
    page = inputs[1]
    assert [part.key for part in page.parts] == ["1-1", "1-2", "1-3", "1-4", "1-5"]
    assert page.captions[0].endswith("图为缪杰明与相关企业负责人交流。 丁小勇 摄")


def test_bylines_are_written_as_printed():
    parts = _inputs_118()[1].parts
    assert parts[0].byline == "本报讯(通讯员 李书翔)"
    assert parts[3].byline == "本报讯(记者 郁菲菲 通讯员 杨旭)"
    assert parts[0].paragraphs[0].startswith("11月21日,")


def test_a_jump_to_a_page_the_file_lacks_keeps_the_text_and_the_jump_line():
    # 缪杰明带队走访辖区企业 says (下转3版); page 3 is not in the file.
    part = _inputs_118()[1].parts[3]
    assert part.continues_on == 3
    assert part.paragraphs[-1].endswith("健全重点项目、")
    assert ("jump", "下转3版") in part.pieces()


def test_pieces_put_headline_byline_text_jump_and_captions_in_order():
    part = ArticlePart(
        "k",
        headline="标题",
        subheadline="副题",
        byline="本报讯(通讯员 吉祥)",
        paragraphs=("第一段。", "第二段。"),
        captions=("图片说明 丁小勇 摄",),
        continues_on=3,
        continued_from=1,
    )
    labels = [label for label, _ in part.pieces()]
    assert labels == [
        "headline",
        "subheadline",
        "jump",
        "byline",
        "text",
        "text",
        "jump",
        "caption:0",
    ]


def test_a_region_in_the_json_form_of_the_format():
    region = ArticleRegion("1-1", (Box(0.040421, 0.1115, 0.95964, 0.21694),), 1.0)
    assert region.as_json(1) == {"page": 1, "boxes": [[0.0404, 0.1115, 0.9596, 0.2169]]}
