"""The printed pages of a bundle: read, check, render, store, and find the regions (热区).

A bundle is a folder with one issue text file and ``pages/<n>.pdf`` (or ``.jpg``, ``.png``,
``.webp`` scans): see docs/issue-format.md. The importer reads the page files with
:func:`read_page_files` before it opens its transaction (a bad file refuses the issue and
writes nothing), and the loader calls :func:`store_page` and :func:`store_regions` inside it.

Every file goes through Django's default storage under a name made of its content's SHA-256,
so an unchanged page finds its renditions already there and renders nothing. The files this
run created are listed in a :class:`SavedFiles`; the importer deletes them when the
transaction rolls back (an error, or ``--dry-run``), so a failed import leaves no orphans.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, UnidentifiedImageError

from articles.models import Article, Photo, Region
from articles.photos import refresh_renditions
from backissues.epaper_inputs import PageInput, article_key
from epaper.pdf import PagePdf, UnsafePdf, validate_pdf
from epaper.regions import find_regions
from epaper.render import THUMBNAIL_WIDTH, WIDTHS, Rendition, render_page, to_webp
from imaging.renditions import delete_files, manifest_files
from issues.models import Page

PAGE_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".webp")


class PageFileError(ValueError):
    """A page file the importer refuses (reported as FILE: message)."""


@dataclass(frozen=True)
class PageFile:
    number: int
    path: Path
    data: bytes
    sha256: str

    @property
    def suffix(self) -> str:
        suffix = self.path.suffix.lower()
        return ".jpg" if suffix == ".jpeg" else suffix

    @property
    def is_pdf(self) -> bool:
        return self.suffix == ".pdf"


@dataclass
class SavedFiles:
    """The storage names this import created: deleted again if its transaction rolls back.
    Photos' renditions made by :meth:`render` go too, unless a stored photo uses them."""

    names: list[str] = field(default_factory=list)
    manifests: list[dict] = field(default_factory=list)

    def render(self, photo: Photo) -> None:
        """``refresh_renditions(photo)``, remembering its renditions for ``delete_all``."""
        refresh_renditions(photo)
        if photo.renditions:
            self.manifests.append(photo.renditions)

    def save(self, name: str, data: bytes) -> str:
        if default_storage.exists(name):
            return name  # content-hashed: the same bytes are already stored
        saved = default_storage.save(name, ContentFile(data))
        self.names.append(saved)
        return saved

    def delete_all(self) -> None:
        for name in self.names:
            default_storage.delete(name)
        self.names.clear()
        for manifest in self.manifests:
            # Content-addressed: the same renditions may serve a photo stored before.
            if not Photo.objects.filter(renditions__sha256=manifest["sha256"]).exists():
                delete_files(default_storage, manifest_files(manifest))
        self.manifests.clear()


def page_folder(text_file: Path) -> Path | None:
    """The ``pages/`` folder next to an issue text file, when it is a bundle."""
    folder = text_file.parent / "pages"
    return folder if folder.is_dir() else None


def read_page_files(folder: Path, page_numbers: set[int]) -> dict[int, PageFile]:
    """Every page file in a bundle's ``pages/`` folder, checked; PageFileError when one is
    unreadable, unsafe, or names a page the issue text does not have."""
    files: dict[int, PageFile] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix.lower() not in PAGE_SUFFIXES or not path.stem.isdigit():
            raise PageFileError(f"{path}: not a page file (pages/<n>.pdf, .jpg, .png or .webp)")
        number = int(path.stem)
        if number not in page_numbers:
            raise PageFileError(f"{path}: the issue text has no page {number}")
        if number in files:
            raise PageFileError(f"{path}: page {number} has two files")
        _check_size(path)
        data = path.read_bytes()
        page_file = PageFile(number, path, data, hashlib.sha256(data).hexdigest())
        _check(page_file)
        files[number] = page_file
    return files


def _check_size(path: Path) -> None:
    """A page file over ``SCAN_UPLOAD_MAX_BYTES`` (the desk's limit for a page scan) is refused
    before it is read: one printed page is a few MB, a larger file is a mistake or an attack."""
    size = path.stat().st_size
    limit = settings.SCAN_UPLOAD_MAX_BYTES
    if size > limit:
        raise PageFileError(
            f"{path}: {_megabytes(size)} is larger than the {_megabytes(limit)} a page file may "
            "be (SCAN_UPLOAD_MAX_BYTES)"
        )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _check(page_file: PageFile) -> None:
    if page_file.is_pdf:
        try:
            summary = validate_pdf(page_file.data)
        except UnsafePdf as error:
            raise PageFileError(f"{page_file.path}: {error}") from None
        if summary.page_count != 1:
            raise PageFileError(
                f"{page_file.path}: a page file holds one page, this one {summary.page_count}"
            )
        return
    try:
        with Image.open(io.BytesIO(page_file.data)) as image:
            megapixels = image.width * image.height / 1_000_000
            if megapixels > settings.SCAN_MAX_MEGAPIXELS:
                raise PageFileError(
                    f"{page_file.path}: the image has {megapixels:.0f} megapixels, more than the "
                    f"{settings.SCAN_MAX_MEGAPIXELS} a page scan may have (SCAN_MAX_MEGAPIXELS)"
                )
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise PageFileError(f"{page_file.path}: not a readable image ({error})") from None


def store_page(page: Page, page_file: PageFile, saved: SavedFiles) -> bool:
    """Store the page file, its renditions and its words on ``page`` (not saved). Returns
    False when the page already holds this very file (nothing rendered)."""
    if page.scan_sha256 == page_file.sha256 and page.renditions:
        return False
    digest = page_file.sha256
    base = f"pages/{digest[:2]}/{digest}"
    page.scan.name = saved.save(f"{base}{page_file.suffix}", page_file.data)
    page.scan_sha256 = digest
    renditions = _existing_renditions(base)
    words: list[list] = []
    if page_file.is_pdf:
        with PagePdf(page_file.data) as pdf:
            if renditions is None:
                renditions = render_page(pdf)
            words = [[word.text, *_round(word.box), word.line] for word in pdf.text(0).words()]
    elif renditions is None:
        renditions = _render_image(page_file.data)
    page.renditions = {
        "pdf": page_file.is_pdf,
        "renditions": [
            _store(saved, base, rendition) for rendition in renditions if rendition.kind == "page"
        ],
        "thumbnail": next(
            _store(saved, base, rendition)
            for rendition in renditions
            if rendition.kind == "thumbnail"
        ),
    }
    if renditions and renditions[0].data is not None:
        # The pixel sizes next to the renditions: a second page with the same bytes (or a
        # re-import into an empty database) need not render again to know them.
        sizes = "\n".join(f"{r.kind},{r.width},{r.height}" for r in renditions)
        saved.save(f"{base}.sizes", sizes.encode())
    page.words = words
    return True


def _round(box) -> list[float]:
    return [round(box.x0, 4), round(box.y0, 4), round(box.x1, 4), round(box.y1, 4)]


@dataclass(frozen=True)
class _Stored:
    kind: str
    width: int
    height: int
    data: bytes | None = None


def _existing_renditions(base: str) -> list[_Stored] | None:
    """The renditions already stored for these bytes (from an earlier import), or None."""
    manifest = f"{base}.sizes"
    if not default_storage.exists(manifest):
        return None
    with default_storage.open(manifest) as handle:
        lines = handle.read().decode().split()
    found = []
    for line in lines:
        kind, width, height = line.split(",")
        found.append(_Stored(kind, int(width), int(height)))
    return found


def _store(saved: SavedFiles, base: str, rendition) -> dict:
    suffix = "thumb" if rendition.kind == "thumbnail" else str(rendition.width)
    name = f"{base}-{suffix}.webp"
    if rendition.data is not None:
        name = saved.save(name, rendition.data)
    return {"width": rendition.width, "height": rendition.height, "name": name}


def _render_image(data: bytes) -> list[Rendition]:
    """Renditions of an image scan, never wider than the scan itself."""
    with Image.open(io.BytesIO(data)) as opened:
        image = opened.convert("RGB")
    renditions = []
    for width in sorted(WIDTHS, reverse=True):
        if width > image.width:
            continue
        scaled = image.resize((width, max(1, round(image.height * width / image.width))))
        renditions.append(Rendition("page", scaled.width, scaled.height, to_webp(scaled)))
    if not renditions:
        renditions.append(Rendition("page", image.width, image.height, to_webp(image)))
    thumb_width = min(THUMBNAIL_WIDTH, image.width)
    small = image.resize((thumb_width, max(1, round(image.height * thumb_width / image.width))))
    renditions.append(Rendition("thumbnail", small.width, small.height, to_webp(small)))
    return renditions


def store_regions(
    page: Page,
    page_input: PageInput | None,
    articles: dict[str, Article],
    page_photos: list[Photo],
    article_photos: dict[str, list[Photo]],
    manual: dict[tuple[str, str], list],
    saved: SavedFiles,
) -> list[str]:
    """Compute and store the regions of ``page`` (a PDF) for its articles and photos, and take
    each captioned photo's image from the PDF. ``manual`` maps (article key, text hash) to
    the boxes drawn by hand before a re-import, which are kept instead. Returns warnings."""
    text_hashes = {key: article.text_hash() for key, article in articles.items()}
    regions: list[Region] = []
    kept_manual = set()
    for key, article in articles.items():
        boxes = manual.get((key, text_hashes[key], page.number))
        if boxes is not None:
            kept_manual.add(key)
            regions.append(
                Region(
                    page=page,
                    article=article,
                    boxes=boxes,
                    source=Region.Source.MANUAL,
                    text_hash=text_hashes[key],
                )
            )
    warnings: list[str] = []
    if not page.scan or not page.scan_is_pdf or page_input is None:
        if page.scan and not page.scan_is_pdf:
            warnings.append(f"page {page.number} is an image scan: no text layer, no regions")
        Region.objects.bulk_create(regions)
        return warnings
    with default_storage.open(page.scan.name) as handle:
        data = handle.read()
    with PagePdf(data) as pdf:
        found = find_regions(pdf.text(0), page_input.parts, page_input.captions, pdf.images(0))
        for warning in found.warnings:
            warnings.append(f"page {page.number}: {warning.message}")
        photo_regions = []  # (Photo, PhotoRegion)
        for index, photo_region in enumerate(found.photos):
            if index < len(page_photos):
                photo_regions.append((page_photos[index], photo_region))
        for region in found.articles:
            article = articles.get(region.key)
            if article is None:
                continue
            for index, photo_region in enumerate(region.photos):
                photos = article_photos.get(region.key, [])
                if index < len(photos):
                    photo_regions.append((photos[index], photo_region))
            if region.key in kept_manual or not region.boxes:
                continue
            regions.append(
                Region(
                    page=page,
                    article=article,
                    boxes=[_round(box) for box in region.boxes],
                    text_hash=text_hashes[region.key],
                )
            )
        changed_photos = []
        for photo, photo_region in photo_regions:
            box = photo_region.image_box
            if box is None:
                continue
            regions.append(Region(page=page, photo=photo, boxes=[_round(box)]))
            if photo_region.image is not None and not photo.image:
                data, extension = pdf.extract_image_file(0, photo_region.image.index)
                if extension == "jp2":  # browsers do not show JPEG 2000
                    buffer = io.BytesIO()
                    pdf.extract_image(0, photo_region.image.index).save(buffer, "PNG")
                    data, extension = buffer.getvalue(), "png"
                digest = hashlib.sha256(data).hexdigest()
                photo.image.name = saved.save(f"photos/{digest[:2]}/{digest}.{extension}", data)
                # Readers get only renditions (bulk_update skips Photo.save, which makes them).
                saved.render(photo)
                changed_photos.append(photo)
        if changed_photos:
            Photo.objects.bulk_update(changed_photos, ["image", "renditions"])
    Region.objects.bulk_create(regions)
    return warnings


__all__ = [
    "PAGE_SUFFIXES",
    "PageFile",
    "PageFileError",
    "SavedFiles",
    "article_key",
    "page_folder",
    "read_page_files",
    "store_page",
    "store_regions",
]
