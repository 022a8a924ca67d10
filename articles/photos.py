"""Photos' files: verifying an upload, its renditions, and removing files nobody uses.

Readers are only ever served the renditions (upright, sRGB, without EXIF, GPS, XMP or IPTC),
never the original kept in `Photo.image`. The renditions are made when a photo is saved with
a new image (`Photo.save` calls `refresh_renditions`); their manifest is kept on the row.
Files are removed only after the transaction commits, and only when no other row uses them.

Other rooms attach an image with `attach_image(photo, file)` (the e-paper import puts a photo
cut out of a page PDF there; the text-format import a file named in `![](photos/…)`).

When the rendition widths change (imaging/renditions.py DEFAULT_WIDTHS), the photos stored
before keep serving their old set until `manage.py refresh_renditions` (or
`refresh_stale_renditions`) has made what they lack; it can run again at any time.
"""

from __future__ import annotations

import logging
import os
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from imaging.html import picture_data, picture_html
from imaging.metadata import PhotoMetadata, read_photo_metadata
from imaging.renditions import (
    DEFAULT_PREFIX,
    delete_files,
    is_current,
    manifest_files,
    store_renditions,
)
from imaging.validate import ImageInfo, verify_image

logger = logging.getLogger(__name__)

# `sizes` for a photo: how wide it is laid out (static/css/site.css), so that the browser picks
# the smallest rendition that fills it. rem here is 16 px whatever the reader's font size
# setting (sizes, like media queries, use the initial font size); the layout grows with it.
# tests/browser/test_photo_sizes.py measures both against the real layout.
#
# As wide as the text column: main.wrap is max-width 46rem with 1rem padding on each side
# (1.5rem from 48rem on), so 100vw - 2rem on phones, 44rem between 46 and 48rem, 43rem above.
COLUMN_SIZES = "(min-width: 48rem) 43rem, (min-width: 46rem) 44rem, calc(100vw - 2rem)"
# A cell of a person page's photo grid (.photo-grid: auto-fill columns of at least 9rem with
# 1rem gaps in that column): 1 column below 21rem, 2 below 31rem, 3 below 41rem, then 4.
GRID_SIZES = (
    "(min-width: 48rem) 10rem, (min-width: 46rem) 10.25rem, "
    "(min-width: 41rem) calc((100vw - 5rem) / 4), (min-width: 31rem) calc((100vw - 4rem) / 3), "
    "(min-width: 21rem) calc(50vw - 1.5rem), calc(100vw - 2rem)"
)


def upload_limits() -> dict[str, int]:
    return {
        "max_bytes": settings.PHOTO_UPLOAD_MAX_BYTES,
        "max_pixels": settings.PHOTO_MAX_MEGAPIXELS * 1_000_000,
    }


def verify_photo_file(fileobj: IO[bytes]) -> ImageInfo:
    """Decode a photo fully with the site's limits (raises `UploadRefused`)."""
    return verify_image(_raw(fileobj), **upload_limits())


def validate_photo_file(value) -> None:
    """`Photo.image`'s validator: a new upload is decoded; a file already stored is not
    checked again on every save of the form."""
    if getattr(value, "_committed", False):
        return
    verify_photo_file(value)


def _raw(fileobj: Any) -> Any:
    """A FieldFile's open file (seekable); an upload or a plain file as it is."""
    inner = getattr(fileobj, "file", None)
    return inner if inner is not None and hasattr(inner, "seek") else fileobj


def suggested_metadata(fileobj: IO[bytes]) -> PhotoMetadata:
    """The creator and caption written in the file (read before the renditions strip them)."""
    raw = _raw(fileobj)
    raw.seek(0)
    try:
        return read_photo_metadata(raw.read())
    finally:
        raw.seek(0)


def attach_image(photo, fileobj: IO[bytes], *, name: str | None = None, save: bool = True):
    """Verify `fileobj` and make it `photo`'s image, with its renditions.

    Raises `imaging.validate.UploadRefused` (a ValidationError) and changes nothing when the
    file is not a photo we accept. The row is saved unless `save=False` (then the caller saves
    it: `Photo.save` makes the renditions).
    """
    verify_photo_file(fileobj)
    raw = _raw(fileobj)
    raw.seek(0)
    filename = os.path.basename(name or getattr(fileobj, "name", "") or "photo.jpg")
    photo.image.save(filename, File(raw, name=filename), save=False)
    if save:
        photo.save()
    return photo


def refresh_renditions(photo) -> None:
    """Make (or find, for a photo already stored) the renditions of `photo.image` and keep
    their manifest on the row; nothing when there is no image."""
    if not photo.image:
        photo.renditions = {}
        return
    photo.image.open("rb")
    try:
        data = photo.image.read()
    finally:
        photo.image.close()
    photo.renditions = store_renditions(default_storage, DEFAULT_PREFIX, data)


def refresh_stale_renditions(*, dry_run: bool = False, progress=None) -> dict[str, int]:
    """Make the renditions missing from photos stored before the widths (or formats) changed,
    one photo per transaction; safe to run again and to interrupt (what is done stays done,
    files already stored are not encoded again). Returns counts: "stale", "refreshed",
    "failed" (an original missing from storage or unreadable: logged, the row left as it is).
    `progress(done, total)` is called after each photo."""
    from articles.models import Photo

    rows = Photo.objects.exclude(image="").order_by("pk").values_list("pk", "renditions")
    stale = [pk for pk, manifest in rows.iterator() if not is_current(manifest)]
    counts = {"stale": len(stale), "refreshed": 0, "failed": 0}
    if dry_run:
        return counts
    for done, pk in enumerate(stale, start=1):
        try:
            with transaction.atomic():
                photo = Photo.objects.select_for_update().filter(pk=pk).first()
                if photo is not None and photo.image and not is_current(photo.renditions):
                    refresh_renditions(photo)
                    # save(), not update(): the page cache forgets the pages showing it.
                    photo.save(update_fields=["renditions"])
                    counts["refreshed"] += 1
        except (OSError, ValueError):
            logger.exception("could not make the renditions of photo %s", pk)
            counts["failed"] += 1
        if progress is not None:
            progress(done, len(stale))
    return counts


def forget_files_on_commit(photo_model, *, original: str, manifest: dict[str, Any]) -> None:
    """After commit, delete an original and renditions that no row uses any more."""
    if not original and not manifest:
        return

    def delete():
        names = []
        if original and not photo_model.objects.filter(image=original).exists():
            names.append(original)
        digest = (manifest or {}).get("sha256")
        if digest and not photo_model.objects.filter(renditions__sha256=digest).exists():
            names.extend(manifest_files(manifest))
        if names:
            delete_files(default_storage, names)

    transaction.on_commit(delete)


def picture(photo, *, sizes: str = COLUMN_SIZES, lazy: bool = True, alt: str | None = None):
    """The photo's `<picture>` element, alt text defaulting to the caption; "" without
    renditions. `sizes` defaults to a photo as wide as the text column."""
    if not photo.renditions or not photo.renditions.get("renditions"):
        return ""
    text = alt if alt is not None else (photo.alt_text or photo.caption)
    return picture_html(photo.renditions, default_storage, alt=text, sizes=sizes, lazy=lazy)


def share_image_url(photo) -> str | None:
    """The path of the rendition for share cards (og:image): the largest JPEG."""
    if not photo.renditions or not photo.renditions.get("renditions"):
        return None
    return picture_data(photo.renditions, default_storage).fallback_src


def thumbnail_url(photo) -> str | None:
    """The smallest JPEG rendition, for the desk's lists."""
    entries = [e for e in (photo.renditions or {}).get("renditions", []) if e["format"] == "jpeg"]
    if not entries:
        return None
    return default_storage.url(min(entries, key=lambda e: e["w"])["name"])
