"""Renditions: planned widths, formats, orientation, colours, no metadata, stored once."""

import io
import json

import pytest
from django.core.files.storage import FileSystemStorage, InMemoryStorage
from PIL import Image, ImageCms, ImageOps, features

from imaging import renditions
from imaging.renditions import (
    Rendition,
    delete_files,
    make_renditions,
    manifest_files,
    normalise,
    plan_widths,
    store_renditions,
)
from tests.imaging import samples


def opened(rendition: Rendition) -> Image.Image:
    img = Image.open(io.BytesIO(rendition.data))
    img.load()
    return img


def close(pixel, expected, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))


def corners(img: Image.Image):
    """The pixels a quarter of the way in from the top-left and the bottom-right."""
    width, height = img.size
    return img.getpixel((width // 4, height // 4)), img.getpixel((width * 3 // 4, height * 3 // 4))


# --- widths ------------------------------------------------------------------------------------


def test_the_widths_cover_the_screens_readers_have():
    """480 for phones at DPR 1; 720 for a 390-px phone at DPR 2 (716 device px) and
    Lighthouse's 412-px phone at DPR 1.75 (665) and the desktop column (688); 1100 for
    360–393-px phones at DPR 3 (984–1083) and 412 px at DPR 2.625 (997); 1600 for the
    desktop column at DPR 2 (1376). Without 720, Lighthouse's phone downloads a file twice
    as large as it needs (uses-responsive-images); with 960 instead of 1100, a 390-px phone
    at DPR 3 takes the 1600 file (5.7 % of the original, over the 5 % target)."""
    assert renditions.DEFAULT_WIDTHS == (480, 720, 1100, 1600)
    assert renditions.PHONE_WIDTH == 1100


@pytest.mark.parametrize(
    ("original", "planned"),
    [
        (4032, [480, 720, 1100, 1600]),
        (1800, [480, 720, 1100, 1600]),  # 1600 is less than 90 % of 1800
        (1777, [480, 720, 1100, 1777]),  # within ~11 %: kept at its own width, no resize
        (1632, [480, 720, 1100, 1632]),  # a 2 MP photo is not resized by 2 % to 1600
        (1600, [480, 720, 1100, 1600]),
        (1300, [480, 720, 1100, 1300]),
        (1200, [480, 720, 1200]),  # 1100 is within 10 % of the original: the original serves it
        (1000, [480, 720, 1000]),
        (480, [480]),
        (300, [300]),
    ],
)
def test_plan_never_upscales_and_keeps_the_original_width(original, planned):
    assert plan_widths(original) == planned


@pytest.mark.parametrize(
    ("display_width", "planned", "fitted"),
    [
        (4032, [480, 960, 1600], [480, 960, 1600]),  # half scale is 2016: wide enough
        (3024, [480, 960, 1600], [480, 960, 1512]),  # a phone portrait: half scale is 1512
        (3000, [480, 960, 1600], [480, 960, 1500]),
        (2800, [480, 960, 1600], [480, 960, 1600]),  # 1400 is more than 10 % short
        (3264, [480, 960, 1600], [480, 960, 1632]),  # an 8 MP photo: half scale is 1632
        (3600, [480, 960, 1600], [480, 960, 1600]),  # 1800: 1600 is less than 90 % of it
        (1700, [480, 960, 1600], [480, 960, 1600]),
        (1000, [480, 1000], [480, 1000]),
        (1920, [480, 960], [480, 960]),  # widths=(480, 960)
        (1000, [1000], [1000]),
    ],
)
def test_the_largest_jpeg_width_may_narrow_to_a_dct_scale(display_width, planned, fitted):
    assert renditions.fit_to_jpeg_scale(planned, display_width) == fitted


def test_a_phone_portrait_is_decoded_at_half_scale_and_not_resized(monkeypatch):
    decoded, resized = [], []
    original_normalised = renditions._normalised

    def spy(image, orientation, icc, stored_size):
        decoded.append(image.size)
        resized.append(stored_size)
        return original_normalised(image, orientation, icc, stored_size)

    monkeypatch.setattr(renditions, "_normalised", spy)
    made = make_renditions(samples.jpeg((3000, 4000), orientation=6, quality=70))
    assert [(r.width, r.height) for r in made[::2]] == [
        (480, 640),
        (720, 960),
        (1100, 1467),
        (1500, 2000),
    ]
    assert decoded == resized == [(2000, 1500)]  # stored on its side, half of 4000 × 3000


def test_other_formats_keep_the_exact_widths():
    data = samples.encode(samples.scene((3000, 2250)), "WEBP", quality=50)
    assert [r.width for r in make_renditions(data, formats=("jpeg",))] == [480, 720, 1100, 1600]


def test_every_width_in_every_format():
    made = make_renditions(samples.jpeg((2000, 1500)))
    assert [(r.width, r.height, r.format) for r in made] == [
        (480, 360, "webp"),
        (480, 360, "jpeg"),
        (720, 540, "webp"),
        (720, 540, "jpeg"),
        (1100, 825, "webp"),
        (1100, 825, "jpeg"),
        (1600, 1200, "webp"),
        (1600, 1200, "jpeg"),
    ]
    for rendition in made:
        img = opened(rendition)
        assert img.size == (rendition.width, rendition.height)
        assert img.format == {"webp": "WEBP", "jpeg": "JPEG"}[rendition.format]
        assert img.mode == "RGB"


def test_a_small_photo_is_not_upscaled():
    made = make_renditions(samples.jpeg((800, 600)))
    assert sorted({(r.width, r.height) for r in made}) == [(480, 360), (800, 600)]


def test_jpegs_are_progressive():
    jpeg = next(r for r in make_renditions(samples.jpeg()) if r.format == "jpeg")
    assert opened(jpeg).info.get("progressive")


def test_a_large_jpeg_is_decoded_at_a_reduced_scale(monkeypatch):
    """draft() asks libjpeg for 1/2 scale: a 4000 px photo decodes to 2000 px for 1600."""
    decoded = []
    original = renditions._normalised

    def spy(image, *args):
        decoded.append(image.size)
        return original(image, *args)

    monkeypatch.setattr(renditions, "_normalised", spy)
    make_renditions(samples.jpeg((4000, 3000), quality=70))
    assert decoded == [(2000, 1500)]


# --- orientation and colours -------------------------------------------------------------------


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
@pytest.mark.parametrize("size", [(400, 300), (1000, 750)], ids=["as-is", "shrunk"])
def test_exif_orientation_is_applied(orientation, size):
    data = samples.jpeg(size, orientation=orientation)
    made = make_renditions(data, widths=(200, 400))
    assert [(r.width, r.height) for r in made] == [(200, 150)] * 2 + [(400, 300)] * 2
    for rendition in made:
        img = opened(rendition)
        assert img.size == (rendition.width, rendition.height)
        top_left, bottom_right = corners(img)
        assert close(top_left, samples.RED), (orientation, top_left)
        assert close(bottom_right, samples.BLUE), (orientation, bottom_right)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_normalise_turns_every_orientation_as_exif_transpose_does(orientation):
    stored = samples.scene((60, 40))
    stored.paste((0, 255, 0), (0, 30, 10, 40))  # a mark that shows mirroring too
    exif = Image.Exif()
    exif[samples.ORIENTATION] = orientation
    img = Image.open(io.BytesIO(samples.encode(stored, "PNG", exif=exif)))
    expected = ImageOps.exif_transpose(img)
    result = normalise(img)
    assert result.size == expected.size
    assert result.tobytes() == expected.convert("RGB").tobytes()
    assert img.getexif()[samples.ORIENTATION] == orientation  # the input is left alone


def test_transparency_is_flattened_on_white():
    img = Image.new("RGBA", (100, 80), (0, 0, 0, 0))
    img.paste((255, 0, 0, 255), (0, 0, 50, 40))
    data = samples.encode(img, "PNG")
    for rendition in make_renditions(data, widths=(100,)):
        top_left, bottom_right = corners(opened(rendition))
        assert close(top_left, samples.RED)
        assert close(bottom_right, samples.WHITE)


def test_a_palette_png_with_a_transparent_colour_is_flattened_on_white():
    img = samples.scene((100, 80)).convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    blue_index = img.getpixel((90, 70))
    data = samples.encode(img, "PNG", transparency=blue_index)
    result = normalise(Image.open(io.BytesIO(data)))
    assert result.mode == "RGB"
    assert close(result.getpixel((90, 70)), samples.WHITE)
    assert close(result.getpixel((10, 10)), samples.RED)


def test_cmyk_is_converted_to_rgb():
    img = Image.new("CMYK", (80, 60), (0, 255, 255, 0))  # red ink
    rendition = make_renditions(samples.encode(img, "JPEG"), widths=(80,))[0]
    assert opened(rendition).mode == "RGB"
    assert close(opened(rendition).getpixel((40, 30)), samples.RED)


def test_sixteen_bit_grey_is_scaled_not_clipped():
    img = Image.new("I;16", (80, 60), 32768)
    img.paste(65535, (0, 0, 40, 30))
    result = normalise(Image.open(io.BytesIO(samples.encode(img, "PNG"))))
    assert result.mode == "RGB"
    assert close(result.getpixel((10, 10)), samples.WHITE, tolerance=1)
    assert close(result.getpixel((70, 50)), (128, 128, 128), tolerance=1)


def test_colours_are_converted_from_the_embedded_profile_to_srgb():
    img = Image.new("RGB", (80, 60), samples.RED)
    data = samples.encode(img, "JPEG", quality=95, icc_profile=samples.swapped_profile())
    rendition = make_renditions(data, widths=(80,))[0]
    assert close(opened(rendition).getpixel((40, 30)), (0, 255, 0))


def test_an_srgb_profile_leaves_colours_alone():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = samples.encode(samples.scene(), "JPEG", quality=95, icc_profile=srgb)
    top_left, _ = corners(opened(make_renditions(data, widths=(400,))[0]))
    assert close(top_left, samples.RED, tolerance=8)


def test_mpo_and_heic_sources():
    pytest.importorskip("pillow_heif")
    mpo = samples.encode(
        samples.scene(), "MPO", save_all=True, append_images=[samples.scene((40, 30))]
    )
    heic = samples.encode(samples.scene(), "HEIF", quality=90)
    for data in (mpo, heic):
        made = make_renditions(data, widths=(400,))
        assert [(r.width, r.height) for r in made] == [(400, 300), (400, 300)]
        assert close(corners(opened(made[0]))[0], samples.RED)


# --- no metadata -------------------------------------------------------------------------------


def test_nothing_the_camera_wrote_is_served():
    data = samples.jpeg(
        (800, 600),
        orientation=6,
        artist="李书翔",
        description="罗塘街道",
        xmp=samples.xmp_packet(["李书翔"], "罗塘街道"),
        iptc={(2, 80): "李书翔".encode()},
    )
    tagged = Image.open(io.BytesIO(data))
    assert tagged.getexif().get_ifd(samples.GPS_IFD)
    assert {"exif", "xmp", "photoshop"} <= set(tagged.info)

    for rendition in make_renditions(data):
        img = opened(rendition)
        assert not img.getexif(), rendition
        assert not {"exif", "xmp", "photoshop", "icc_profile", "comment"} & set(img.info)
        for marker in (b"Exif", b"8BIM", b"ns.adobe.com/xap", "李书翔".encode(), b"iPhone"):
            assert marker not in rendition.data, (rendition.width, rendition.format, marker)


@pytest.mark.skipif(not features.check("avif"), reason="this Pillow does not write AVIF")
def test_nothing_is_carried_into_avif_either():
    """Pillow's AVIF writer falls back to the image's own ICC profile: an sRGB profile, which
    needs no conversion, must not ride along."""
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    exif = samples.phone_exif(artist="李书翔")
    data = samples.encode(samples.scene(), "JPEG", exif=exif, icc_profile=srgb)
    (rendition,) = make_renditions(data, widths=(400,), formats=("avif",))
    img = opened(rendition)
    assert img.format == "AVIF"
    assert not img.getexif()
    assert not {"exif", "xmp", "icc_profile"} & set(img.info)
    assert "李书翔".encode() not in rendition.data


def test_the_icc_profile_is_not_kept():
    data = samples.encode(samples.scene(), "JPEG", icc_profile=samples.swapped_profile())
    for rendition in make_renditions(data, widths=(400,)):
        assert "icc_profile" not in opened(rendition).info


# --- storing -----------------------------------------------------------------------------------


class CountingStorage(InMemoryStorage):
    def __init__(self):
        super().__init__(base_url="/media/")
        self.saved: list[str] = []
        self.content_types: dict[str, str] = {}

    def _save(self, name, content):
        self.saved.append(name)
        self.content_types[name] = getattr(content, "content_type", None)
        return super()._save(name, content)


def test_store_saves_hashed_names_and_a_manifest():
    storage = CountingStorage()
    data = samples.jpeg((2000, 1500))
    manifest = store_renditions(storage, "renditions", data)

    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    folder = f"renditions/{digest[:16]}"
    assert manifest["sha256"] == digest
    assert (manifest["width"], manifest["height"]) == (1600, 1200)
    assert [(e["w"], e["h"], e["format"], e["name"]) for e in manifest["renditions"]] == [
        (480, 360, "webp", f"{folder}/480.webp"),
        (480, 360, "jpeg", f"{folder}/480.jpg"),
        (720, 540, "webp", f"{folder}/720.webp"),
        (720, 540, "jpeg", f"{folder}/720.jpg"),
        (1100, 825, "webp", f"{folder}/1100.webp"),
        (1100, 825, "jpeg", f"{folder}/1100.jpg"),
        (1600, 1200, "webp", f"{folder}/1600.webp"),
        (1600, 1200, "jpeg", f"{folder}/1600.jpg"),
    ]
    for entry in manifest["renditions"]:
        with storage.open(entry["name"]) as fh:
            stored = fh.read()
        assert len(stored) == entry["bytes"]
        assert Image.open(io.BytesIO(stored)).size == (entry["w"], entry["h"])
    assert storage.saved[-1] == f"{folder}/manifest.json"
    assert storage.content_types == {
        **{f"{folder}/{w}.webp": "image/webp" for w in (480, 720, 1100, 1600)},
        **{f"{folder}/{w}.jpg": "image/jpeg" for w in (480, 720, 1100, 1600)},
        f"{folder}/manifest.json": "application/json",
    }
    assert json.loads(json.dumps(manifest)) == manifest


def test_storing_the_same_photo_again_saves_and_decodes_nothing(monkeypatch):
    storage = CountingStorage()
    data = samples.jpeg((800, 600))
    first = store_renditions(storage, "renditions", data)
    assert len(storage.saved) == 5  # 480 and 800 (the original) × 2 formats, and the manifest

    def must_not_render(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(renditions, "_make", must_not_render)
    assert store_renditions(storage, "renditions", data) == first
    assert len(storage.saved) == 5


def test_a_changed_photo_is_rendered_again_under_new_names():
    storage = CountingStorage()
    first = store_renditions(storage, "renditions", samples.jpeg((800, 600)))
    second = store_renditions(storage, "renditions", samples.jpeg((800, 600), artist="李书翔"))
    assert second["sha256"] != first["sha256"]
    assert len(storage.saved) == 10
    assert not set(manifest_files(first)) & set(manifest_files(second))


def test_other_widths_complete_the_set_without_saving_existing_files_again():
    storage = CountingStorage()
    data = samples.jpeg((2000, 1500))
    store_renditions(storage, "renditions", data, widths=(480, 720))
    storage.saved.clear()
    manifest = store_renditions(storage, "renditions", data, widths=(480, 720, 1600))
    folder = manifest["manifest"].rsplit("/", 1)[0]
    assert storage.saved == [f"{folder}/1600.webp", f"{folder}/1600.jpg", manifest["manifest"]]
    assert len(manifest["renditions"]) == 6


def test_a_width_added_later_encodes_only_the_new_files(monkeypatch):
    """A photo stored with 480, 960 and 1600 (before 720 was added): storing it again with
    today's widths encodes and saves the two 720 files only, keeps the others' entries, and
    the manifest lists all four widths."""
    storage = CountingStorage()
    data = samples.jpeg((2000, 1500))
    old = store_renditions(storage, "renditions", data, widths=(480, 960, 1600))
    storage.saved.clear()
    encoded = []
    real_encode = renditions.encode

    def counting(image, fmt, **options):
        encoded.append((image.width, fmt))
        return real_encode(image, fmt, **options)

    monkeypatch.setattr(renditions, "encode", counting)
    new_widths = (480, 720, 960, 1600)
    manifest = store_renditions(storage, "renditions", data, widths=new_widths)
    folder = manifest["manifest"].rsplit("/", 1)[0]
    assert encoded == [(720, "webp"), (720, "jpeg")]
    assert storage.saved == [f"{folder}/720.webp", f"{folder}/720.jpg", manifest["manifest"]]
    assert [(e["w"], e["format"]) for e in manifest["renditions"]] == [
        (w, fmt) for w in (480, 720, 960, 1600) for fmt in ("webp", "jpeg")
    ]
    old_entries = {(e["w"], e["format"]): e for e in old["renditions"]}
    for entry in manifest["renditions"]:
        if entry["w"] != 720:
            assert entry == old_entries[(entry["w"], entry["format"])]
    assert renditions.is_current(manifest, new_widths)
    assert not renditions.is_current(old, new_widths)
    assert "obsolete" not in manifest
    # and again: nothing
    assert store_renditions(storage, "renditions", data, widths=new_widths) == manifest


def test_files_the_new_plan_has_not_are_deleted_with_the_photo_and_never_served():
    """Widths changed (1400 then, 1600 now, which a 1632-px photo is made at its own width
    for): the 1400 files are listed under "obsolete", for manifest_files, not served."""
    storage = CountingStorage()
    data = samples.jpeg((1632, 1224))
    old = store_renditions(storage, "renditions", data, widths=(480, 720, 1100, 1400))
    assert old["width"] == 1400
    manifest = store_renditions(storage, "renditions", data)
    folder = manifest["manifest"].rsplit("/", 1)[0]
    assert manifest["width"] == 1632
    assert manifest["obsolete"] == [f"{folder}/1400.jpg", f"{folder}/1400.webp"]
    assert all(e["w"] != 1400 for e in manifest["renditions"])
    assert set(manifest["obsolete"]) <= set(manifest_files(manifest))
    assert delete_files(storage, manifest_files(manifest)) == 11  # 8 + 2 obsolete + manifest


def test_a_file_system_storage_works_the_same(tmp_path):
    storage = FileSystemStorage(location=tmp_path, base_url="/media/")
    data = samples.jpeg()
    manifest = store_renditions(storage, "photos/renditions", data)
    assert store_renditions(storage, "photos/renditions", data) == manifest
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert files == sorted(manifest_files(manifest))


def test_delete_files_removes_everything_and_skips_the_missing():
    storage = InMemoryStorage()
    manifest = store_renditions(storage, "renditions", samples.jpeg((800, 600)))
    names = manifest_files(manifest)
    assert len(names) == 5
    assert delete_files(storage, [*names, "renditions/missing.webp"]) == 5
    assert not any(storage.exists(name) for name in names)
    assert delete_files(storage, names) == 0


def test_phone_widths_get_the_thorough_webp_encoder_and_the_large_one_the_quick_one():
    """The 480, 720 and 1100 WebP files are what phones download: method 4 (smaller files).
    The 1600 one serves large screens: method 2, half the CPU for ~10 % more bytes."""
    used = []
    save = Image.Image.save

    def recording(image, fp, format=None, **options):
        used.append((image.width, format, options.get("method")))
        return save(image, fp, format, **options)

    data = samples.jpeg((2400, 1800))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Image.Image, "save", recording)
        made = make_renditions(data)
    webp = {(width, method) for width, format, method in used if format == "WEBP"}
    assert webp == {(480, 4), (720, 4), (1100, 4), (1600, 2)}
    assert {(r.width, r.format) for r in made} >= {(1600, "webp"), (1600, "jpeg")}
