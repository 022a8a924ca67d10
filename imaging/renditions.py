"""Resized copies of a photo for readers: WebP and JPEG at a few widths, without metadata.

Readers are on phones: the 480, 720 and 1100 px renditions are what they download, a few
percent of the original. Everything a camera writes into the file is dropped from the renditions (EXIF
with its GPS position, XMP, IPTC, comments, thumbnails); colours are converted to sRGB when
the photo carries another ICC profile (iPhones shoot Display P3) and the profile is dropped
too, so the files are small and look the same in every browser, which treats untagged images
as sRGB.

Speed: a 12 MP phone JPEG is decoded once, already scaled down by libjpeg (`draft`: the DCT
is decoded at 1/2, 1/4 or 1/8 size, which costs a fraction of a full decode), and each smaller
width is resized from the previous one with Lanczos. When the decoded image is up to ~11 %
wider than the largest width asked for (a 1632 px photo for 1600), it is kept at its own width
instead of paying a full Lanczos pass for a few percent.

`store_renditions` saves through Django's storage API only, so the same code writes to the
local media folder and to S3-compatible storage (django-storages). Names are content-hashed:
`<prefix>/<sha256[:16]>/1100.webp`; the same photo is rendered once, a changed photo gets new
names. The encoder settings are not in the names: to re-encode everything with new settings,
store under a new prefix. When the widths change (a width added), storing the same photo again
encodes only the files it lacks (`manage.py refresh_renditions` does it for every photo).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from PIL import Image, ImageCms, features

from imaging.formats import register_openers

logger = logging.getLogger(__name__)

# The widths readers' screens need, in device pixels, for a photo as wide as the text column
# (articles/photos.py COLUMN_SIZES: the screen less 2rem on phones, 43rem = 688 px on larger
# screens): 480 for a 390-px phone at DPR 1; 720 for 390 px at DPR 2 (716), Lighthouse's
# 412 px at DPR 1.75 (665) and the desktop column at DPR 1 (688); 1100 for phones at DPR 3
# (360–393 px: 984–1083) and 2.625–2.75 (412 px: 997); 1600 for the desktop column at DPR 2
# (1376) and the widest phones at DPR 3. Browsers take the first width at least as dense as
# the screen: with 960 instead of 1100, a 390-px phone at DPR 3 took the 1600 file, 5.7 % of
# the original (the 1100 WebP is 3.3 %). After changing them, run `manage.py
# refresh_renditions`.
DEFAULT_WIDTHS: tuple[int, ...] = (480, 720, 1100, 1600)
DEFAULT_FORMATS: tuple[str, ...] = ("webp", "jpeg")
# The folder the project stores renditions under (the `source_name_prefix` of store_renditions).
DEFAULT_PREFIX = "renditions"
MANIFEST_FILE = "manifest.json"

# A planned width this close to the original's is not worth a file of its own: the
# original-width rendition serves it.
_NEAR_ORIGINAL = 0.9
_WHITE = (255, 255, 255)
_QUARTER_TURNS = frozenset({5, 6, 7, 8})
_ORIENTATION = 0x0112
_JPEG_FORMATS = frozenset({"JPEG", "MPO"})


@dataclass(frozen=True)
class OutputFormat:
    pillow_name: str
    media_type: str
    extension: str
    options: dict[str, Any]


# WebP q75 method 4 and progressive, optimised JPEG q80: visually clean photos at phone sizes
# for a fraction of the bytes; method 4 is libwebp's default balance of speed and size.
OUTPUT_FORMATS: dict[str, OutputFormat] = {
    "webp": OutputFormat("WEBP", "image/webp", "webp", {"quality": 75, "method": 4}),
    "jpeg": OutputFormat(
        "JPEG", "image/jpeg", "jpg", {"quality": 80, "progressive": True, "optimize": True}
    ),
    "avif": OutputFormat("AVIF", "image/avif", "avif", {"quality": 60, "speed": 8}),
}

# Renditions up to this width are what phones download (a 360–393 CSS px screen takes the 480
# one at DPR 1, the 720 one at DPR 1.75–2 and the 1100 one at DPR 2.625–3); wider ones serve
# large screens.
PHONE_WIDTH = 1100
# WebP settings for the large-screen rendition, over OUTPUT_FORMATS["webp"]: method 2 costs
# half the CPU of method 4 at 1600 px (0.07–0.15 s instead of 0.18–0.31 s for a 12 MP photo,
# most of what a rendition set costs) for about 10 % more bytes in that one file; the phone
# widths keep method 4, their bytes being what a reader on a phone pays (bench/RESULTS.md).
LARGE_WEBP_OPTIONS: dict[str, Any] = {"method": 2}


@dataclass(frozen=True)
class Rendition:
    """One encoded file: `format` is a key of OUTPUT_FORMATS ("webp", "jpeg")."""

    width: int
    height: int
    format: str
    data: bytes

    @property
    def media_type(self) -> str:
        return OUTPUT_FORMATS[self.format].media_type

    @property
    def extension(self) -> str:
        return OUTPUT_FORMATS[self.format].extension


# --- planning ----------------------------------------------------------------------------------


def plan_widths(original_width: int, widths: Iterable[int] = DEFAULT_WIDTHS) -> list[int]:
    """The widths to make, smallest first, never wider than the original.

    Widths above the original are skipped; when the original is narrower than the largest
    width asked for, it is made at its own width as the largest rendition (and a planned
    width within 10 % of it is dropped as redundant). An original up to ~11 % wider than the
    largest width (1600 is at least 90 % of it) is made at its own width too: a Lanczos pass
    over the whole image to lose a few percent of its width costs more than encoding them.
    """
    wanted = sorted(set(widths))
    if not wanted or original_width < 1:
        raise ValueError("need at least one width and an image at least one pixel wide")
    if original_width >= wanted[-1]:
        if wanted[-1] >= original_width * _NEAR_ORIGINAL:
            return [*wanted[:-1], original_width]
        return wanted
    smaller = [w for w in wanted if w < original_width * _NEAR_ORIGINAL]
    return [*smaller, original_width]


def fit_to_jpeg_scale(plan: list[int], display_width: int) -> list[int]:
    """Narrow the largest width by up to 10 % (or widen it by up to ~11 %) when that lets
    libjpeg decode at a smaller DCT scale (1/2, 1/4, 1/8) that then needs no resize.

    A 12 MP portrait is 3024 wide: a 1600 rendition needs the full 12 MP decode and a 12 MP
    Lanczos pass, while 1512 is what a half-scale decode gives, for a third of the work. The
    narrower file serves the same screens: a phone of 430 CSS px at DPR 3 needs 1290. An 8 MP
    photo 3264 wide decodes at half scale to 1632: that is kept, not resized to 1600.
    """
    largest = plan[-1]
    narrower = plan[-2] if len(plan) > 1 else 0
    for scale in (8, 4, 2):
        scaled = -(-display_width // scale)
        if scaled >= largest:
            if scaled > largest and largest >= scaled * _NEAR_ORIGINAL:
                return [*plan[:-1], scaled]
            return plan  # this scale reaches the width already
        if scaled >= largest * _NEAR_ORIGINAL and scaled > narrower:
            return [*plan[:-1], scaled]
    return plan


def displayed_size(image: Image.Image) -> tuple[int, int]:
    """Width and height once the EXIF orientation is applied, read without decoding."""
    return _displayed(image.size, _orientation(image))


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation (Pillow also finds it in XMP); 1 when absent or unreadable."""
    try:
        value = image.getexif().get(_ORIENTATION, 1)
    except Exception:  # a broken EXIF block: show the pixels as stored
        return 1
    return value if value in _TRANSPOSE else 1


def _displayed(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    width, height = size
    return (height, width) if orientation in _QUARTER_TURNS else (width, height)


# --- normalising -------------------------------------------------------------------------------

# How ImageOps.exif_transpose turns each EXIF orientation upright.
_TRANSPOSE: dict[int, Image.Transpose | None] = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def normalise(image: Image.Image) -> Image.Image:
    """A new RGB image as the reader should see it: EXIF orientation applied (as
    `ImageOps.exif_transpose` does), transparency flattened on white, CMYK and 16-bit
    converted, colours in sRGB, and no metadata left (no EXIF, GPS, XMP, IPTC, ICC profile or
    comment), whatever is saved from it. The input image is not changed."""
    return _normalised(image, _orientation(image), image.info.get("icc_profile"))


def _normalised(
    image: Image.Image,
    orientation: int,
    icc: bytes | None,
    stored_size: tuple[int, int] | None = None,
) -> Image.Image:
    """`normalise`, shrinking first to `stored_size` (in the stored orientation) when given:
    turning and colour-converting then move a fraction of the pixels."""
    result, is_srgb = _to_rgb(image, icc)
    if stored_size and result.size != stored_size:
        result = result.resize(stored_size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    method = _TRANSPOSE[orientation]
    if method is not None:
        result = result.transpose(method)
    if not is_srgb:
        result = _to_srgb(result, icc)
    if result is image:
        result = image.copy()
    return _without_metadata(result)


def _to_rgb(image: Image.Image, icc: bytes | None) -> tuple[Image.Image, bool]:
    """RGB pixels, and whether they are sRGB already (a CMYK image is converted through its
    own profile straight to sRGB)."""
    mode = image.mode
    if mode == "CMYK":
        converted = _cmyk_to_srgb(image, icc)
        if converted is not None:
            return converted, True
        return image.convert("RGB"), True
    if mode.startswith("I;16") or mode == "I":
        # 16-bit grey: scale to 8 bits (a plain convert would clip everything above 255).
        eight_bit = image.convert("I").point(lambda value: value * (255 / 65535)).convert("L")
        return eight_bit.convert("RGB"), False
    if _has_alpha(image):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, _WHITE)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat, False
    if mode == "RGB":
        image.load()
        return image, False
    return image.convert("RGB"), False


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode in ("P", "L", "RGB") and "transparency" in image.info
    )


def _cmyk_to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image | None:
    if not icc or not features.check("littlecms2"):
        return None
    transform = _transform_to_srgb(icc, "CMYK")
    return None if transform is None else ImageCms.applyTransform(image, transform)


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Convert RGB pixels from their embedded profile to sRGB; unchanged when there is none,
    it is sRGB already, or it cannot be read."""
    if not icc or not features.check("littlecms2"):
        return image
    transform = _transform_to_srgb(icc, "RGB")
    return image if transform is None else ImageCms.applyTransform(image, transform)


@lru_cache(maxsize=32)
def _transform_to_srgb(icc: bytes, mode: str) -> ImageCms.ImageCmsTransform | None:
    """Building a transform costs milliseconds; photos from one phone share their profile."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if mode == "RGB" and "srgb" in ImageCms.getProfileDescription(source).lower():
            return None
        return ImageCms.buildTransform(source, ImageCms.createProfile("sRGB"), mode, "RGB")
    except (ImageCms.PyCMSError, OSError, ValueError):
        logger.info("unreadable ICC profile ignored")
        return None


def _without_metadata(image: Image.Image) -> Image.Image:
    """Pillow writes what `info` holds (XMP, ICC, comments) on save: start from nothing."""
    image.info = {}
    image._exif = None  # type: ignore[attr-defined]  # a cached Exif would be saved by some plugins
    return image


# --- making ------------------------------------------------------------------------------------


def make_renditions(
    source: bytes | IO[bytes],
    widths: Sequence[int] = DEFAULT_WIDTHS,
    formats: Sequence[str] = DEFAULT_FORMATS,
) -> list[Rendition]:
    """Every planned width in every format, smallest width first, each width's formats in
    the order given. The source should have passed `verify_image`."""
    return [
        Rendition(width, height, fmt, data)
        for width, height, fmt, data in _make(source, widths, formats)
        if data is not None
    ]


def _make(
    source: bytes | IO[bytes],
    widths: Sequence[int],
    formats: Sequence[str],
    stored: Collection[tuple[int, str]] = (),
) -> list[tuple[int, int, str, bytes | None]]:
    """(width, height, format, data) for every planned width and format, in
    `make_renditions`' order; `data` is None, and nothing is encoded, for a (width, format)
    in `stored` (a file made earlier for the same picture)."""
    for fmt in formats:
        if fmt not in OUTPUT_FORMATS:
            raise ValueError(f"unknown rendition format {fmt!r}")
        if fmt == "avif" and not features.check("avif"):
            raise ValueError("this Pillow cannot write AVIF")
    made: list[tuple[int, int, str, bytes | None]] = []
    for img in resized(source, widths):
        for fmt in formats:
            data = None
            if (img.width, fmt) not in stored:
                data = encode(img, fmt, large=img.width > PHONE_WIDTH)
            made.append((img.width, img.height, fmt, data))
    return made


def resized(source: bytes | IO[bytes], widths: Sequence[int] = DEFAULT_WIDTHS) -> list[Image.Image]:
    """The normalised image at each planned width, smallest first, decoded once.

    The largest is made straight from the decoded pixels, still in the stored orientation;
    each smaller one is resized from the one above it. For JPEG the largest width may be up
    to 10 % narrower than asked (`fit_to_jpeg_scale`).
    """
    register_openers()
    fileobj = io.BytesIO(source) if isinstance(source, bytes) else source
    with Image.open(fileobj) as img:
        orientation = _orientation(img)
        display_width, display_height = _displayed(img.size, orientation)
        plan = plan_widths(display_width, widths)
        if img.format in _JPEG_FORMATS:
            plan = fit_to_jpeg_scale(plan, display_width)
        sizes = [(width, max(1, round(width * display_height / display_width))) for width in plan]
        stored_size = _displayed(sizes[-1], orientation)  # swapping back is the same swap
        _decode_small(img, stored_size)
        current = _normalised(img, orientation, img.info.get("icc_profile"), stored_size)
    images = [current]
    for size in reversed(sizes[:-1]):
        current = current.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        images.append(current)
    images.reverse()
    return images


def _decode_small(img: Image.Image, size: tuple[int, int]) -> None:
    """Ask libjpeg for the smallest DCT scale (1/2, 1/4, 1/8) still at least `size`:
    decoding costs a fraction and the pixels are averaged, not dropped."""
    if img.format in _JPEG_FORMATS and size[0] < img.width and size[1] < img.height:
        img.draft(None, size)


def encode(image: Image.Image, fmt: str, *, large: bool = False) -> bytes:
    """The image in an OUTPUT_FORMATS format, with that format's settings and no metadata;
    `large` (wider than PHONE_WIDTH) WebP with LARGE_WEBP_OPTIONS over them."""
    spec = OUTPUT_FORMATS[fmt]
    options = {**spec.options, **LARGE_WEBP_OPTIONS} if large and fmt == "webp" else spec.options
    out = io.BytesIO()
    image.save(out, spec.pillow_name, **options)
    return out.getvalue()


# --- storing -----------------------------------------------------------------------------------


def store_renditions(
    storage: Storage,
    source_name_prefix: str,
    image_bytes: bytes,
    *,
    widths: Sequence[int] = DEFAULT_WIDTHS,
    formats: Sequence[str] = DEFAULT_FORMATS,
) -> dict[str, Any]:
    """Make and save the renditions of `image_bytes` once; return their JSON-able manifest.

    Files go to `<prefix>/<sha256[:16]>/<width>.<ext>` with a `manifest.json` beside them,
    saved last. When the manifest is there (for the same widths and formats), it is returned
    and nothing is decoded or saved; otherwise the renditions are made and only the files
    missing from storage are saved (a run cut short is completed, not duplicated).

    With a manifest of another recipe (the widths changed since), the files it lists that
    the new plan has too are kept without being encoded again: adding a width to the photos
    already stored costs a decode, the resizes and the new width's encodes. Files of the old
    recipe that the new plan has not are listed under "obsolete", so that they are deleted
    with the photo (`manifest_files`), and are never served.
    """
    digest = hashlib.sha256(image_bytes).hexdigest()
    folder = f"{source_name_prefix.strip('/')}/{digest[:16]}"
    manifest_name = f"{folder}/{MANIFEST_FILE}"
    existing = _read_manifest(storage, manifest_name)
    if existing and _same_recipe(existing, digest, widths, formats):
        return existing

    earlier = _earlier_files(storage, existing, digest)
    entries = []
    for width, height, fmt, data in _make(image_bytes, widths, formats, stored=earlier):
        entry = earlier.get((width, fmt))
        if entry is None:
            assert data is not None
            spec = OUTPUT_FORMATS[fmt]
            name = f"{folder}/{width}.{spec.extension}"
            if not storage.exists(name):
                name = storage.save(name, _content(data, spec.media_type))
            entry = {"w": width, "h": height, "format": fmt, "name": name, "bytes": len(data)}
        entries.append(entry)
    largest = entries[-1]
    kept = {entry["name"] for entry in entries}
    obsolete = sorted(
        {entry["name"] for entry in (existing or {}).get("renditions", [])}
        | set((existing or {}).get("obsolete", []))
    )
    manifest = {
        "width": largest["w"],
        "height": largest["h"],
        "sha256": digest,
        "widths": sorted(set(widths)),
        "formats": list(formats),
        "manifest": manifest_name,
        "renditions": entries,
    }
    if existing and existing.get("sha256") == digest:
        gone = [name for name in obsolete if name not in kept]
        if gone:
            manifest["obsolete"] = gone
    if storage.exists(manifest_name):  # an older recipe: replace it
        storage.delete(manifest_name)
    text = json.dumps(manifest, ensure_ascii=False).encode()
    storage.save(manifest_name, _content(text, "application/json"))
    return manifest


def _content(data: bytes, media_type: str) -> ContentFile:
    """A file for `storage.save` that tells its type: django-storages' S3 backend sends
    `content_type` as the object's Content-Type instead of guessing from the name (a guess
    that depends on the system's mime.types)."""
    content = ContentFile(data)
    content.content_type = media_type  # type: ignore[attr-defined]
    return content


def _read_manifest(storage: Storage, name: str) -> dict[str, Any] | None:
    if not storage.exists(name):
        return None
    try:
        with storage.open(name, "rb") as fh:
            manifest = json.loads(fh.read())
    except (OSError, ValueError):
        logger.warning("unreadable rendition manifest %s: making the renditions again", name)
        return None
    return manifest if isinstance(manifest, dict) else None


def _earlier_files(
    storage: Storage, existing: dict[str, Any] | None, digest: str
) -> dict[tuple[int, str], dict[str, Any]]:
    """The entries of an earlier manifest of the same picture whose files are still stored,
    by (width, format)."""
    if not existing or existing.get("sha256") != digest:
        return {}
    found = {}
    for entry in existing.get("renditions", []):
        try:
            key = (int(entry["w"]), str(entry["format"]))
            if storage.exists(entry["name"]):
                found[key] = entry
        except (KeyError, TypeError, ValueError):
            continue
    return found


def is_current(
    manifest: dict[str, Any] | None,
    widths: Sequence[int] = DEFAULT_WIDTHS,
    formats: Sequence[str] = DEFAULT_FORMATS,
) -> bool:
    """Whether a stored manifest was made for these widths and formats (a photo stored before
    a width was added is not)."""
    return bool(manifest) and (
        manifest.get("widths") == sorted(set(widths)) and manifest.get("formats") == list(formats)
    )


def _same_recipe(
    manifest: dict[str, Any], digest: str, widths: Sequence[int], formats: Sequence[str]
) -> bool:
    return manifest.get("sha256") == digest and is_current(manifest, widths, formats)


def manifest_files(manifest: dict[str, Any]) -> list[str]:
    """Every stored name a manifest stands for, the manifest itself last: what to delete when
    the photo goes (and no other photo has the same sha256)."""
    names = [entry["name"] for entry in manifest.get("renditions", [])]
    names.extend(manifest.get("obsolete", []))
    if manifest.get("manifest"):
        names.append(manifest["manifest"])
    return names


def delete_files(storage: Storage, names: Iterable[str]) -> int:
    """Delete stored files, for `transaction.on_commit` once the row that used them is gone.

    Renditions are content-addressed: the caller must make sure no other row still uses the
    same sha256. Missing files are skipped and a storage error is logged, not raised: a left
    file is garbage, a failing commit hook would be worse. Returns how many were deleted.
    """
    deleted = 0
    for name in names:
        try:
            if storage.exists(name):
                storage.delete(name)
                deleted += 1
        except OSError:
            logger.exception("could not delete %s", name)
    return deleted
