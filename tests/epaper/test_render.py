"""Page renditions for the web: WebP at the requested widths and a thumbnail."""

import io

from PIL import Image

from epaper.pdf import PagePdf
from epaper.render import MAX_FIRST_BYTES, render_page
from tests.epaper.paths import PAGE_118


def test_renditions_have_the_requested_widths_the_page_shape_and_are_webp():
    with PagePdf(PAGE_118) as pdf:
        width, height = pdf.page_size(0)
        renditions = render_page(pdf, 0)
    assert [(r.kind, r.width) for r in renditions] == [
        ("page", 2400),
        ("page", 1600),
        ("page", 800),
        ("thumbnail", 240),
    ]
    for rendition in renditions:
        image = Image.open(io.BytesIO(rendition.data))
        assert image.format == "WEBP"
        assert image.size == (rendition.width, rendition.height)
        assert abs(rendition.height - rendition.width * height / width) <= 1


def test_the_800_px_rendition_a_phone_loads_first_is_small():
    with PagePdf(PAGE_118) as pdf:
        (rendition,) = render_page(pdf, 0, widths=[800], thumbnail=None)
    assert len(rendition.data) <= MAX_FIRST_BYTES


def test_the_rendition_shows_the_page():
    """Not a blank image: the masthead's red 今日罗塘 and black text are there."""
    with PagePdf(PAGE_118) as pdf:
        (rendition,) = render_page(pdf, 0, widths=[800], thumbnail=None)
    image = Image.open(io.BytesIO(rendition.data)).convert("L")
    dark = sum(image.histogram()[:100])
    assert 0.01 < dark / (image.width * image.height) < 0.5
