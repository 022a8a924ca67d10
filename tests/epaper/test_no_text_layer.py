"""A scanned page (an image, no text layer) gives no regions and a warning."""

import io

from backissues.epaper_inputs import page_inputs, parse_issue
from epaper.pdf import PagePdf
from epaper.regions import find_regions
from tests.epaper.paths import BUNDLE_118, LAYOUTS, PAGE_118


def _image_only_pdf() -> bytes:
    with PagePdf(PAGE_118) as pdf:
        image = pdf.render(0, 1000)
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=1000 / 11.69)  # A3 width in inches
    return buffer.getvalue()


def test_a_page_without_text_layer_gives_no_regions_and_a_warning():
    page = page_inputs(parse_issue((BUNDLE_118 / "118.md").read_text(encoding="utf-8")))[1]
    with PagePdf(_image_only_pdf()) as pdf:
        text, images = pdf.text(0), pdf.images(0)
    assert text.chars == ()
    assert len(images) == 1  # the whole page is one image
    regions = find_regions(text, page.parts, page.captions, images)
    assert regions.articles == () and regions.photos == ()
    assert [w.code for w in regions.warnings] == ["no_text_layer"]


def test_the_same_page_with_its_text_layer_has_regions():
    page = page_inputs(parse_issue((BUNDLE_118 / "118.md").read_text(encoding="utf-8")))[1]
    with PagePdf(PAGE_118) as pdf:
        regions = find_regions(pdf.text(0), page.parts, page.captions, pdf.images(0))
    assert len(regions.articles) == 5 and regions.warnings == ()


def test_text_of_another_page_is_reported_not_placed():
    """Parts whose text is not on the page (the wrong page file) are warned about."""
    page = page_inputs(parse_issue((BUNDLE_118 / "118.md").read_text(encoding="utf-8")))[1]
    with PagePdf(LAYOUTS / "long" / "pages" / "1.pdf") as pdf:
        regions = find_regions(pdf.text(0), page.parts, page.captions, pdf.images(0))
    assert {w.code for w in regions.warnings} >= {"text_not_found"}
    assert len([w for w in regions.warnings if w.code == "text_not_found"]) == 5
