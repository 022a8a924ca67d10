"""Photos: the caption's image is found on the page and extracted at full resolution."""

import io
import json

from PIL import Image, ImageChops, ImageStat

from backissues.epaper_evaluate import bundle_regions
from epaper.geometry import Box, union_iou
from epaper.pdf import PagePdf
from tests.epaper.paths import BUNDLE_118, PAGE_118, TRUTH_118


def _mean_difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


def test_the_standalone_photo_of_118_is_paired_with_its_image():
    truth = json.loads((TRUTH_118 / "truth.json").read_text(encoding="utf-8"))
    (true_photo,) = truth["pages"]["1"]["photos"]
    (photo,) = bundle_regions(BUNDLE_118)[1].photos
    assert photo.caption.startswith("11月4日—6日")
    assert photo.image is not None and photo.image.index == 0
    assert union_iou([photo.image_box], [Box.from_list(true_photo["image_box"])]) >= 0.95
    assert union_iou([photo.caption_box], [Box.from_list(true_photo["caption_box"])]) >= 0.85


def test_the_extracted_image_is_the_placed_photo_at_full_resolution():
    expected = Image.open(TRUTH_118 / "page1-photo.jpg").convert("RGB")
    (photo,) = bundle_regions(BUNDLE_118)[1].photos
    with PagePdf(PAGE_118) as pdf:
        pixels = pdf.extract_image(0, photo.image.index)
        data, extension = pdf.extract_image_file(0, photo.image.index)
    assert pixels.size == expected.size == (900, 600)
    assert _mean_difference(pixels, expected) < 2.0
    # The file is the embedded JPEG itself, not a re-encoding.
    assert extension == "jpg"
    assert _mean_difference(Image.open(io.BytesIO(data)).convert("RGB"), expected) < 2.0


def test_the_pixel_comparison_tells_photos_apart():
    # Guard for the comparison above: the same photo mirrored is far from it.
    expected = Image.open(TRUTH_118 / "page1-photo.jpg").convert("RGB")
    assert _mean_difference(expected.transpose(Image.Transpose.FLIP_LEFT_RIGHT), expected) > 10
