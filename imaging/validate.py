"""Refuse uploads that must never be stored, before anything else reads them.

Every check decodes the file itself: neither the name's extension nor the browser's content
type is trusted. `verify_image` is for photos, `verify_scan` for page scans (a PDF or an
image). Both raise an `UploadRefused` subclass whose message the desk can show as it is; the
classes are `ValidationError`s, so a form's `clean_<field>` can let them through unchanged.

The limits are checked from the header, before any pixel is decoded, and do not depend on
Pillow's global `Image.MAX_IMAGE_PIXELS` (Pillow's own bomb error, raised while opening when
an image exceeds twice that global, is reported as the same `TooManyPixels`). Truncated files are
caught because the whole image is decoded (`load()`), which relies on Pillow's default
`ImageFile.LOAD_TRUNCATED_IMAGES = False`; nothing in this project turns it on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from imaging.formats import accepted_formats, accepted_names, register_openers

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
DEFAULT_MAX_PIXELS = 60_000_000
# A broadsheet page scanned at 400 dpi is about 40 MP; a PDF of one page is rarely over 30 MB.
DEFAULT_SCAN_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_SCAN_MAX_PIXELS = 100_000_000

# Enough of the start of a file to recognise a PDF or markup.
_SNIFF_BYTES = 1024
# Opened only to refuse with a better message than "not an image": an animated GIF is common.
_RECOGNISED_ONLY = ("GIF",)
# Formats whose extra frames are not animation: MPO is a JPEG with a preview or gain map
# appended (iPhone, cameras), HEIF may hold several images of which the primary one is shown.
_STILL_MULTI_FRAME = frozenset({"MPO", "HEIF"})
# EXIF orientations that turn the picture a quarter: width and height swap on display.
_QUARTER_TURNS = frozenset({5, 6, 7, 8})


@dataclass(frozen=True)
class ImageInfo:
    """What a verified image is. `width` and `height` are as displayed, after the EXIF
    orientation (a portrait phone photo stored 4032×3024 is 3024 wide)."""

    format: str
    media_type: str
    width: int
    height: int
    byte_size: int


@dataclass(frozen=True)
class PdfInfo:
    """What a verified PDF is."""

    page_count: int
    byte_size: int
    media_type: str = "application/pdf"


class UploadRefused(ValidationError):
    """Base of every refusal. `str(error)` is the translated message with its values."""

    code = "refused"
    message_text: Any = _("The file was refused.")

    def __init__(self, message: Any = None, **params: Any) -> None:
        super().__init__(message or self.message_text, code=self.code, params=params or None)

    def __str__(self) -> str:
        return self.messages[0]

    def __reduce__(self) -> tuple[Any, ...]:
        """Copy and pickle without calling the subclasses' own constructors (Django deep-copies
        form errors, and their arguments differ from ValidationError's)."""
        return (_restore, (type(self), self.args), self.__dict__)


def _restore(cls: type[UploadRefused], args: tuple[Any, ...]) -> UploadRefused:
    error = cls.__new__(cls)
    error.args = args
    return error


class FileTooLarge(UploadRefused):
    code = "too_large"
    message_text = _("The file is %(size)s, more than the limit of %(limit)s.")

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(size=_file_size(size), limit=_file_size(limit))


class EmptyFile(UploadRefused):
    code = "empty"
    message_text = _("The file is empty.")


class NotAnImage(UploadRefused):
    code = "not_an_image"
    message_text = _("The file is not an image we can read (we accept %(formats)s).")

    def __init__(self) -> None:
        super().__init__(formats=_format_names())


class MarkupNotImage(NotAnImage):
    """SVG drawings and web pages: refused with a hint, as they are a common mistake (a logo,
    a "Save page as" of a photo) and can carry scripts."""

    code = "markup"
    message_text = _(
        "The file is an SVG drawing or a web page, not a photo: export it as JPEG or PNG."
    )


class NotAScan(NotAnImage):
    code = "not_a_scan"
    message_text = _(
        "The file is neither a PDF nor an image we can read (we accept PDF, %(formats)s)."
    )


class UnsupportedFormat(UploadRefused):
    code = "unsupported_format"
    message_text = _("%(format)s images are not accepted (we accept %(formats)s).")

    def __init__(self, fmt: str) -> None:
        super().__init__(format=fmt, formats=_format_names())


class DamagedImage(UploadRefused):
    code = "damaged"
    message_text = _(
        "The image is damaged or incomplete (was the upload cut off?): save or export it again."
    )


class AnimatedImage(UploadRefused):
    code = "animated"
    message_text = _("The image is animated (%(frames)s frames): upload a still photo.")

    def __init__(self, frames: int) -> None:
        super().__init__(frames=frames)


class TooManyPixels(UploadRefused):
    """A decompression bomb, or simply a scan too big to process: refused from the header
    size, before the pixels are decoded."""

    code = "too_many_pixels"
    message_text = _(
        "The image is %(width)s × %(height)s pixels (%(megapixels)s megapixels), more than the "
        "limit of %(limit)s megapixels."
    )
    message_without_size = _("The image has more than %(limit)s megapixels.")

    def __init__(self, limit: int, size: tuple[int, int] | None = None) -> None:
        limit_mp = _megapixels(limit)
        if size is None:
            super().__init__(self.message_without_size, limit=limit_mp)
        else:
            width, height = size
            super().__init__(
                width=width, height=height, megapixels=_megapixels(width * height), limit=limit_mp
            )


class DamagedPdf(UploadRefused):
    code = "damaged_pdf"
    message_text = _("The PDF is damaged and cannot be read: export it again.")


class EncryptedPdf(UploadRefused):
    code = "encrypted_pdf"
    message_text = _("The PDF is encrypted or has a password: export it again without one.")


class ActivePdf(UploadRefused):
    """A PDF that does something when opened. `detail` names what was found, for logs."""

    code = "active_pdf"
    message_text = _(
        "The PDF contains JavaScript or actions that run by themselves: export the page again "
        "as a plain PDF or as an image."
    )

    def __init__(self, detail: str) -> None:
        super().__init__()
        self.detail = detail


class PdfWithAttachments(ActivePdf):
    code = "pdf_attachments"
    message_text = _("The PDF has other files embedded in it: export the page again without them.")


class PdfWithLaunch(ActivePdf):
    code = "pdf_launch"
    message_text = _(
        "The PDF tries to open other programs or files: export the page again as a plain PDF."
    )


def verify_image(
    fileobj: IO[bytes],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> ImageInfo:
    """Decode a photo fully and say what it is, or raise an `UploadRefused`.

    `fileobj` must be seekable (Django's uploaded files are); it is left at its start, ready to
    be saved.
    """
    size = _checked_byte_size(fileobj, max_bytes)
    try:
        return _verify_image(fileobj, size, max_pixels, NotAnImage)
    finally:
        fileobj.seek(0)


def verify_scan(
    fileobj: IO[bytes],
    *,
    max_bytes: int = DEFAULT_SCAN_MAX_BYTES,
    max_pixels: int = DEFAULT_SCAN_MAX_PIXELS,
) -> ImageInfo | PdfInfo:
    """Check a page scan: a PDF without scripts, actions, attachments or encryption, or an
    image as `verify_image` accepts it. The file is left at its start."""
    size = _checked_byte_size(fileobj, max_bytes)
    try:
        if b"%PDF-" in fileobj.read(_SNIFF_BYTES):
            fileobj.seek(0)
            return _verify_pdf(fileobj, size)
        fileobj.seek(0)
        return _verify_image(fileobj, size, max_pixels, NotAScan)
    finally:
        fileobj.seek(0)


def _checked_byte_size(fileobj: IO[bytes], max_bytes: int) -> int:
    """The file's size, from seeking to its end: a client-sent length is not trusted."""
    fileobj.seek(0, os.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(0)
    if size == 0:
        raise EmptyFile()
    if size > max_bytes:
        raise FileTooLarge(size, max_bytes)
    return size


def _verify_image(
    fileobj: IO[bytes], size: int, max_pixels: int, not_image: type[NotAnImage]
) -> ImageInfo:
    head = fileobj.read(_SNIFF_BYTES)
    fileobj.seek(0)
    register_openers()
    accepted = accepted_formats()
    try:
        img = Image.open(fileobj, formats=_opened_formats())
    except UnidentifiedImageError as exc:
        raise (MarkupNotImage() if _looks_like_markup(head) else not_image()) from exc
    except Image.DecompressionBombError as exc:
        raise TooManyPixels(max_pixels) from exc
    except Exception as exc:  # a plugin recognised the file but could not parse its header
        raise DamagedImage() from exc
    with img:
        fmt = img.format or ""
        width, height = img.size
        if width * height > max_pixels:
            raise TooManyPixels(max_pixels, (width, height))
        frames = _frame_count(img)
        if frames > 1 and fmt not in _STILL_MULTI_FRAME:
            raise AnimatedImage(frames)
        if fmt not in accepted:
            raise UnsupportedFormat(fmt)
        try:
            img.load()
        except Exception as exc:  # truncated data, a corrupt stream
            raise DamagedImage() from exc
        orientation = _orientation(img)
    if orientation in _QUARTER_TURNS:
        width, height = height, width
    return ImageInfo(
        format="JPEG" if fmt == "MPO" else fmt,
        media_type=accepted[fmt],
        width=width,
        height=height,
        byte_size=size,
    )


def _opened_formats() -> list[str]:
    """The plugins allowed to look at an upload. MPO is opened by the JPEG plugin, so it is
    not in Pillow's registry of openers."""
    Image.init()
    return [fmt for fmt in (*accepted_formats(), *_RECOGNISED_ONLY) if fmt in Image.OPEN]


def _orientation(img: Image.Image) -> int | None:
    """The EXIF orientation; None when the EXIF block cannot be read, which does not make the
    photo unusable (the renditions drop EXIF anyway)."""
    try:
        return img.getexif().get(0x0112)
    except Exception:
        return None


def _frame_count(img: Image.Image) -> int:
    """Frames as the file declares them; counting may read through the file (GIF)."""
    try:
        return int(getattr(img, "n_frames", 1))
    except Exception as exc:
        raise DamagedImage() from exc


def _looks_like_markup(head: bytes) -> bool:
    """SVG, HTML and other XML start with "<" once a byte-order mark and blanks are skipped."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return text.startswith(b"<")


# Sizes and lists are written in the language of whoever reads the message ("25.0 MB",
# "1000 字节"; "JPEG, PNG" or "JPEG、PNG").
_file_size = lazy(filesizeformat, str)
_format_names = lazy(accepted_names, str)


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f}".removesuffix(".0")


# --- PDF --------------------------------------------------------------------------------------

# Keys whose presence means code or an action runs without the reader asking: /AA are
# "additional actions" triggered by opening a page, focusing a field or moving the mouse.
_SCRIPT_KEYS = frozenset({"/JS", "/JavaScript", "/AA", "/XFA"})
_ATTACHMENT_KEYS = frozenset({"/EmbeddedFiles", "/EF"})
# Action types (the /S of an action dictionary) that run code, send data or open files.
_SCRIPT_ACTIONS = frozenset({"/JavaScript", "/SubmitForm", "/ImportData", "/RichMediaExecute"})
_LAUNCH_ACTIONS = frozenset({"/Launch"})
_ATTACHMENT_ACTIONS = frozenset({"/GoToE"})
# Annotations that embed and play Flash or other media.
_ACTIVE_ANNOTATIONS = frozenset({"/RichMedia"})


def _verify_pdf(fileobj: IO[bytes], size: int) -> PdfInfo:
    from pypdf import PdfReader

    try:
        reader = PdfReader(fileobj, strict=False)
        if reader.is_encrypted:
            raise EncryptedPdf()
        _refuse_active_content(reader.trailer)
        pages = len(reader.pages)
    except UploadRefused:
        raise
    except Exception as exc:  # pypdf's parse errors, broken cross-references, bad objects
        raise DamagedPdf() from exc
    if pages == 0:
        raise DamagedPdf()
    return PdfInfo(page_count=pages, byte_size=size)


def _refuse_active_content(trailer: Any) -> None:
    """Walk every object reachable from the trailer (what a viewer can ever reach) and refuse
    scripts, automatic actions, launches and attachments. Stream data is not decoded: the
    keys of its dictionary are enough.

    /OpenAction is allowed only as a destination ("open at page 1, fit width", which many
    export tools write) or a plain /GoTo; any other opening action is refused.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    stack: list[Any] = [trailer]
    seen: set[tuple[int, int]] = set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            _check_dictionary(obj)
            stack.extend(dict.values(obj))
        elif isinstance(obj, ArrayObject):
            stack.extend(list.__iter__(obj))


def _check_dictionary(obj: Any) -> None:
    from pypdf.generic import DictionaryObject

    for key in dict.keys(obj):
        if key in _SCRIPT_KEYS:
            raise ActivePdf(key)
        if key in _ATTACHMENT_KEYS:
            raise PdfWithAttachments(key)
    _check_action(obj)
    subtype = _value(obj, "/Subtype")
    if subtype in _ACTIVE_ANNOTATIONS:
        raise ActivePdf(f"/Subtype {subtype}")
    opening = _value(obj, "/OpenAction")
    if isinstance(opening, DictionaryObject):
        _check_action(opening)
        if _value(opening, "/S") != "/GoTo":
            raise ActivePdf(f"/OpenAction {_value(opening, '/S')}")


def _check_action(obj: Any) -> None:
    """Refuse an action dictionary (its /S) that runs code, launches or opens an attachment."""
    action = _value(obj, "/S")
    if action in _SCRIPT_ACTIONS:
        raise ActivePdf(f"/S {action}")
    if action in _LAUNCH_ACTIONS:
        raise PdfWithLaunch(f"/S {action}")
    if action in _ATTACHMENT_ACTIONS:
        raise PdfWithAttachments(f"/S {action}")


def _value(obj: Any, key: str) -> Any:
    """A dictionary entry with an indirect reference followed (pypdf's `get` does not)."""
    value = dict.get(obj, key)
    return None if value is None else value.get_object()
