"""The aligner on small texts: order, column breaks and shared phrases."""

from epaper.align import fold, tile


def _placed(page: str, owners: list[str]) -> dict[int, str]:
    """For each owner, the page characters it was given, in page order, as a string."""
    marks = ["."] * len(page)
    for run in tile(page, owners):
        for k in range(run.length):
            marks[run.page_start + k] = str(run.owner)
    return {o: "".join(page[i] for i, m in enumerate(marks) if m == str(o)) for o in range(2)}


def test_fold_keeps_letters_and_digits_only_nfkc():
    assert fold("罗塘街道（高新区）, ⽇报 １２Ab") == "罗塘街道高新区日报12ab"


def test_texts_printed_in_another_order_are_found():
    first, second = "区政协调研组到太平社区专题调研", "罗塘街道人大工委召开全体会议"
    placed = _placed(second + first, [first, second])
    assert placed == {0: first, 1: second}


def test_a_shared_phrase_goes_to_the_article_whose_text_surrounds_it():
    # Both texts contain 罗塘街道党工委; each printed copy goes to its own article.
    first = "本报讯日前罗塘街道党工委召开会议部署冬季安全生产"
    second = "会后罗塘街道党工委书记带队检查辖区重点企业消防"
    placed = _placed(second + "其他内容" + first, [first, second])
    assert placed == {0: first, 1: second}


def test_a_short_stray_match_far_from_its_article_is_dropped():
    # 安全生产 (4 letters) occurs in the owner's text and, unrelated, elsewhere on the page.
    owner = "本报讯街道召开会议部署冬季工作要求抓好安全生产"
    filler = "还有许多别的内容在这里" * 5
    page = "无关文章说安全生产月活动结束了" + filler + owner[:-4]
    placed = _placed(page, [owner, "完全不同的文字内容"])
    assert placed[0] == owner[:-4]
