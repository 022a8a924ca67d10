"""Which stored files readers may fetch, how, and as what: the one list of media kinds.

Every name in the default storage is one of these kinds, or nobody outside the desk gets it:

| storage name                                   | what                           | who          |
| ---------------------------------------------- | ------------------------------ | ------------ |
| `renditions/<sha256[:16]>/<width>.<ext>`       | photo renditions (no EXIF/GPS) | everyone     |
| `pages/<xx>/<sha256>-<width>.webp`, `-thumb`   | page images and thumbnails     | everyone     |
| `pages/<xx>/<sha256>.pdf` (`.jpg`, `.png` …)   | page files of imported bundles | everyone     |
| `issues/<xx>/<sha256>.pdf`                     | whole issues merged into a PDF | everyone     |
| `scans/<year>/<name>`                          | page scans uploaded at the desk| whoever may see the page |
| `photos/<year>/<name>`, `photos/<xx>/<sha256>` | photo originals (EXIF, GPS)    | staff only   |

The first four are content-addressed (the name is the hash of the bytes, so a file never
changes under its name): public and cached for a year, `immutable`, and with S3 they are
public objects readers fetch from the bucket or its CDN. The desk's scans have names people
chose (guessable): each request is checked against the page it belongs to. The originals keep
the camera's metadata and are never public. Anything else (a rendition manifest, a sizes file,
a name that matches no pattern) is a 404.

Only raster images and PDFs are shown inline; anything else is sent as `application/octet-stream`
with `Content-Disposition: attachment`, so no stored file is ever rendered as a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

# A year (browsers and CDNs keep a content-addressed file that long, without asking again).
IMMUTABLE = "public, max-age=31536000, immutable"
# A desk-uploaded scan of a published page: its name may be reused, so a day, not a year.
SCAN_MAX_AGE = 24 * 60 * 60

# Shown inline: raster images browsers display (and the phone formats the desk accepts), PDFs.
INLINE_TYPES = {
    "webp": "image/webp",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "avif": "image/avif",
    "gif": "image/gif",
    "heic": "image/heic",
    "heif": "image/heif",
    "pdf": "application/pdf",
}
DOWNLOAD_TYPE = "application/octet-stream"


class Access(Enum):
    PUBLIC = "public"  # anyone; content-addressed, immutable
    PAGE = "page"  # whoever may see the page this file is the scan of
    STAFF = "staff"  # staff who may see photos (the desk), never cached


@dataclass(frozen=True)
class MediaKind:
    name: str
    access: Access

    @property
    def public(self) -> bool:
        return self.access is Access.PUBLIC


_HEX64 = r"[0-9a-f]{2}/[0-9a-f]{64}"
# A file name as Django's get_valid_filename leaves it (letters of any script, digits, - _ .),
# never a dot alone or two: no segment of the name can climb out of its folder.
_FILE = r"(?!\.{1,2}$)[-\w.]{1,200}"
_KINDS = [
    (re.compile(r"renditions/[0-9a-f]{16}/[0-9]{1,5}\.(?:webp|jpg|jpeg|avif|png)"), "rendition"),
    (re.compile(rf"pages/{_HEX64}-(?:[0-9]{{1,5}}|thumb)\.webp"), "page image"),
    (re.compile(rf"pages/{_HEX64}\.(?:pdf|jpg|png|webp)"), "page file"),
    (re.compile(rf"issues/{_HEX64}\.pdf"), "issue pdf"),
    (re.compile(rf"scans/[0-9]{{4}}/{_FILE}"), "desk scan"),
    (re.compile(rf"photos/(?:[0-9]{{4}}|[0-9a-f]{{2}})/{_FILE}"), "photo original"),
]
_ACCESS = {
    "rendition": Access.PUBLIC,
    "page image": Access.PUBLIC,
    "page file": Access.PUBLIC,
    "issue pdf": Access.PUBLIC,
    "desk scan": Access.PAGE,
    "photo original": Access.STAFF,
}


def classify(name: str) -> MediaKind | None:
    """The kind of the stored file `name`, or None when nobody outside the desk gets it."""
    for pattern, kind in _KINDS:
        if pattern.fullmatch(name):
            return MediaKind(kind, _ACCESS[kind])
    return None


def content_type(name: str) -> tuple[str, bool]:
    """The Content-Type to send `name` with, and whether it may be shown inline."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in INLINE_TYPES:
        return INLINE_TYPES[extension], True
    return DOWNLOAD_TYPE, False
