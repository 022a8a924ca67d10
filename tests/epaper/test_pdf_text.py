"""Reading a printed page: size, text layer (NFKC, lines, words) and images."""

import json

from epaper.geometry import Box, union_iou
from epaper.pdf import PagePdf, normalize_text
from tests.epaper.paths import LAYOUTS, PAGE_118


def test_compatibility_characters_are_read_as_the_ordinary_ones():
    # Chromium wrote U+2F47 (the Kangxi radical ⽇) and full-width digits into this text layer.
    with PagePdf(LAYOUTS / "kangxi.pdf") as pdf:
        text = pdf.text(0).text
    assert text.splitlines() == ["今日罗塘日报", "第12期AB"]
    assert "⽇" not in text and "１" not in text


def test_normalize_text_folds_width_and_radicals():
    assert normalize_text("⽇报（１１月）") == "日报(11月)"


def test_a3_page_size_and_text_in_reading_order():
    with PagePdf(PAGE_118) as pdf:
        assert pdf.page_count == 1
        width, height = pdf.page_size(0)
        text = pdf.text(0)
    assert (round(width), round(height)) == (842, 1191)
    lines = text.text.splitlines()
    assert lines[10] == "罗塘街道(高新区)部署当前重点工作"
    assert lines[11] == "本报讯(通讯员李书翔)11月21日,罗塘"  # the space of the byline is dropped
    assert len(text.chars) > 2800


def test_character_boxes_are_fractions_from_the_top_left():
    with PagePdf(PAGE_118) as pdf:
        chars = pdf.text(0).chars
    headline = next(c for c in chars if c.text == "罗" and c.line == 10)
    # The first headline sits at the left margin, about a ninth of the way down the page.
    assert 0.035 < headline.box.x0 < 0.045
    assert 0.10 < headline.box.y0 < headline.box.y1 < 0.13
    assert all(0 <= c.box.x0 <= c.box.x1 <= 1 and 0 <= c.box.y0 <= c.box.y1 <= 1 for c in chars)


def test_words_keep_latin_runs_and_split_chinese():
    with PagePdf(PAGE_118) as pdf:
        words = pdf.text(0).words()
    texts = [w.text for w in words]
    assert "1028974739" in texts and "jyrb" in texts
    assert texts[:3] == ["姜", "堰", "现"]


def test_images_are_listed_with_their_box_and_pixel_size():
    with PagePdf(PAGE_118) as pdf:
        (image,) = pdf.images(0)
    assert (image.pixel_width, image.pixel_height) == (900, 600)
    # truth.json: image_box [0.3535, 0.5779, 0.6465, 0.716]
    assert abs(image.box.x0 - 0.3535) < 0.003 and abs(image.box.y1 - 0.716) < 0.003


def test_images_inside_form_xobjects_are_placed_on_the_page():
    """Chromium wraps an image with opacity or a CSS transform in a form XObject, whose own
    coordinates PDFium reports; the boxes must be the page's, as measured in the browser."""
    truth = json.loads((LAYOUTS / "form-images.json").read_text(encoding="utf-8"))
    with PagePdf(LAYOUTS / "form-images.pdf") as pdf:
        images = pdf.images(0)
    assert len(images) == 2
    for image, expected in zip(images, truth["image_boxes"], strict=True):
        assert union_iou([image.box], [Box.from_list(expected)]) >= 0.95
