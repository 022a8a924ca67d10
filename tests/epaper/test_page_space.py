"""Boxes are fractions of the page as shown: a /Rotate or a crop box moves them accordingly."""

import io

from pypdf import PdfWriter
from pypdf.generic import RectangleObject

from epaper.pdf import PagePdf
from tests.epaper.paths import PAGE_118


def _variant(rotate: int = 0, crop: tuple[float, float, float, float] | None = None) -> bytes:
    writer = PdfWriter(clone_from=PAGE_118)
    page = writer.pages[0]
    if rotate:
        page.rotate(rotate)
    if crop:
        page.cropbox = RectangleObject(crop)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _read(data):
    with PagePdf(data) as pdf:
        return pdf.page_size(0), pdf.text(0).chars, pdf.images(0)


def test_a_page_turned_a_quarter_clockwise_turns_its_boxes():
    _, chars, images = _read(PAGE_118.read_bytes())
    (width, height), turned, turned_images = _read(_variant(rotate=90))
    assert width > height  # shown in landscape
    assert [c.text for c in turned] == [c.text for c in chars]
    for before, after in zip(chars[::97], turned[::97], strict=True):
        # (x, y) on the upright page is (1 - y, x) on the page turned clockwise.
        assert abs(after.box.x0 - (1 - before.box.y1)) < 0.001
        assert abs(after.box.y0 - before.box.x0) < 0.001
    assert abs(turned_images[0].box.x1 - (1 - images[0].box.y0)) < 0.001


def test_a_crop_box_moves_the_origin_and_scales_the_fractions():
    (width, height), chars, _ = _read(PAGE_118.read_bytes())
    crop = (30.0, 40.0, width - 50, height - 20)  # left, bottom, right, top in points
    (crop_width, crop_height), cropped, _ = _read(_variant(crop=crop))
    assert (round(crop_width), round(crop_height)) == (round(width - 80), round(height - 60))
    checked = 0
    for before, after in zip(chars[::97], cropped[::97], strict=True):
        x = (before.box.x0 * width - 30) / crop_width
        y = (before.box.y0 * height - 20) / crop_height  # from the top: the crop cut 20 pt
        if 0 < x < 0.98 and 0 < y < 0.98:  # characters cut off are clipped to the edge
            assert abs(after.box.x0 - x) < 0.001 and abs(after.box.y0 - y) < 0.001
            checked += 1
    assert checked > 20
