"""The photos' image files of a back issue: ``![](photos/118-1.jpg)`` lines (docs/issue-format.md,
Additions).

The importer reads every named file with :func:`read_image_files` before its transaction (a
missing, unreadable or oversized file refuses the issue at the image line); the loader then
decodes each one with the site's upload check (``articles.photos.verify_photo_file``) and,
once every image of the issue has passed, stores the originals under content-hashed names
(``photos/<sha[:2]>/<sha>.<ext>``) and makes their renditions (``refresh_renditions``). Files
are named by content, so an unchanged image is stored and rendered once, whatever its name.

The exporter names the images ``photos/<number>-<n>.<ext>`` beside the text file, ``n``
counting the issue's photos in the order the text writes them (each page's standalone photos,
then its articles' photos), and copies the originals there byte for byte: an archive read back
is ``unchanged`` (images compared by SHA-256).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import default_storage

from articles.models import Photo
from backissues.textformat import IssueData, LineError, PhotoData

# The extension an exported image gets, by the verified format's media type.
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "image/heif": ".heic",
    "image/avif": ".avif",
}


@dataclass(frozen=True)
class ImageFile:
    """One image file named by the text: its path as written, its bytes and their SHA-256."""

    name: str
    path: Path
    data: bytes
    sha256: str


def photos_in_text_order(data: IssueData) -> Iterator[PhotoData]:
    """The issue's photos in the order the text writes them (and the exporter reads them)."""
    for page in data.pages:
        yield from page.photos
        for article in page.articles:
            yield from article.photos


def read_image_files(folder: Path, data: IssueData, max_bytes: int) -> dict[str, ImageFile]:
    """Every image the text names, read from ``folder`` (the text file's); a LineError at the
    image line when one is missing, outside the folder, unreadable or larger than
    ``max_bytes``. The contents are checked later, by the loader."""
    root = folder.resolve()
    found: dict[str, ImageFile] = {}
    for photo in photos_in_text_order(data):
        if not photo.image or photo.image in found:
            continue
        path = folder / photo.image
        try:
            resolved = path.resolve(strict=True)
        except (OSError, RuntimeError):
            raise LineError(f"image {photo.image} not found", photo.image_line) from None
        if not resolved.is_relative_to(root):
            raise LineError(
                f"image {photo.image} leads outside the issue's folder", photo.image_line
            )
        if not resolved.is_file():
            raise LineError(f"image {photo.image} is not a file", photo.image_line)
        try:
            with resolved.open("rb") as handle:
                raw = handle.read(max_bytes + 1)
        except OSError as error:
            raise LineError(
                f"image {photo.image} cannot be read: {error.strerror or error}", photo.image_line
            ) from None
        if len(raw) > max_bytes:
            raise LineError(
                f"image {photo.image} is larger than the limit of "
                f"{max_bytes / 1024 / 1024:g} MB (PHOTO_UPLOAD_MAX_BYTES)",
                photo.image_line,
            )
        found[photo.image] = ImageFile(photo.image, path, raw, hashlib.sha256(raw).hexdigest())
    return found


def stored_sha256(photo: Photo) -> str | None:
    """The SHA-256 of a photo's original, None without one. Read from its renditions'
    manifest (made from exactly those bytes); from the file itself when there is none."""
    if not photo.image:
        return None
    digest = (photo.renditions or {}).get("sha256")
    if digest:
        return str(digest)
    with default_storage.open(photo.image.name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def export_names(number: int, photos: list[Photo], data: IssueData) -> list[tuple[str, str]]:
    """Name the image of every photo of ``data`` that has one (``PhotoData.image``), as the
    text will write it, and return (name, storage name) pairs to copy. ``photos`` are the
    issue's rows in text order (``backissues.exporter.issue_photos``)."""
    copies = []
    for position, (row, photo) in enumerate(
        zip(photos, photos_in_text_order(data), strict=True), start=1
    ):
        if not row.image:
            continue
        suffix = Path(row.image.name).suffix.lower() or ".jpg"
        photo.image = f"photos/{number}-{position}{suffix}"
        copies.append((photo.image, row.image.name))
    return copies


def write_images(folder: Path, copies: list[tuple[str, str]]) -> None:
    """Copy each stored original to ``folder / name``, byte for byte."""
    for name, stored in copies:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(stored, "rb") as source:
            target.write_bytes(source.read())
