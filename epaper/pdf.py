"""Read a printed page: its size, a rendering, its text layer and its embedded images.

Built on pypdfium2, the Python binding of PDFium (Chrome's PDF engine): BSD/Apache licensed,
released often, with wheels for every platform, and fast because the parsing, text extraction
and rendering are done in C++. pdfminer.six would give the same characters and boxes but is
pure Python, several times slower on a newspaper page of 3,000 characters, and cannot render;
we would then need a second library (and a second parser of the same hostile input) for images.

PDFium is not thread-safe: keep one ``PagePdf`` to one thread (a web worker or a task), and
close it (or use ``with``) when done, since it holds native memory.

Coordinates: every box is a :class:`~epaper.geometry.Box` in fractions of the page with the
origin top-left (PDF user space has it bottom-left, in points); pages are addressed by their
0-based ``index`` in the file, not by the newspaper's page number.
"""

from __future__ import annotations

import ctypes
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from django.utils.translation import gettext_lazy
from PIL import Image
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from epaper.geometry import Box, bounding_box

__all__ = [
    "Char",
    "PageImage",
    "PagePdf",
    "PageText",
    "PdfSummary",
    "UnsafePdf",
    "Word",
    "normalize_text",
    "validate_pdf",
]


def normalize_text(text: str) -> str:
    """NFKC: the compatibility forms some PDF text layers use become the ordinary characters.

    Fonts with a Kangxi radical glyph for 日 map it to U+2F47 (⽇), full-width digits and Latin
    letters have their own code points (１２Ａ), and CJK compatibility ideographs exist twice.
    A reader searching for 日 must find ⽇, so every character is normalised once, here."""
    return unicodedata.normalize("NFKC", text)


@dataclass(frozen=True, slots=True)
class Char:
    """One character of the text layer: its NFKC text (usually one character, rarely more:
    ㈠ becomes (一)), its ink box, and the index of the line it sits on."""

    text: str
    box: Box
    line: int


@dataclass(frozen=True, slots=True)
class Word:
    """A unit for search and display: a run of Latin letters and digits, or one CJK character or
    punctuation mark (Chinese has no spaces, so every ideograph stands alone)."""

    text: str
    box: Box
    line: int
    start: int  # index of its first Char in PageText.chars
    end: int  # one past its last Char


@dataclass(frozen=True)
class PageText:
    """The text layer of one page in the PDF's reading order (for Chromium and most layout
    programs, the order the text was typeset in, column by column). Whitespace is dropped:
    Chinese text has none that matters, and line breaks are in ``Char.line``."""

    width_pt: float
    height_pt: float
    chars: tuple[Char, ...]

    @property
    def text(self) -> str:
        """The characters, with a newline between lines (for logs and tests)."""
        parts: list[str] = []
        line = None
        for char in self.chars:
            if line is not None and char.line != line:
                parts.append("\n")
            parts.append(char.text)
            line = char.line
        return "".join(parts)

    def words(self) -> list[Word]:
        words: list[Word] = []
        start = 0
        chars = self.chars
        while start < len(chars):
            end = start + 1
            if _is_latin(chars[start].text):
                while (
                    end < len(chars)
                    and chars[end].line == chars[start].line
                    and _is_latin(chars[end].text)
                ):
                    end += 1
            box = bounding_box(char.box for char in chars[start:end])
            text = "".join(char.text for char in chars[start:end])
            words.append(Word(text, box, chars[start].line, start, end))
            start = end
        return words


def _is_latin(text: str) -> bool:
    return text.isascii() and text.isalnum()


@dataclass(frozen=True, slots=True)
class PageImage:
    """An image placed on the page: ``index`` counts the page's images in content order (the
    handle for :meth:`PagePdf.extract_image`), the box is where it is drawn, and the pixel size
    is the embedded image's own (often larger than drawn)."""

    index: int
    box: Box
    pixel_width: int
    pixel_height: int


class PagePdf:
    """An open PDF. ``PagePdf(path_or_bytes)``; use as a context manager or call ``close()``."""

    def __init__(self, source: str | Path | bytes):
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        # PDFium reads the buffer lazily; keep our own reference so it outlives the document.
        self._data = data
        self._pdf = pdfium.PdfDocument(data)

    def __enter__(self) -> PagePdf:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._pdf.close()

    def __len__(self) -> int:
        return len(self._pdf)

    @property
    def page_count(self) -> int:
        return len(self._pdf)

    def page_size(self, index: int) -> tuple[float, float]:
        """(width, height) in points (1/72 inch); an A3 page is about 842 × 1191."""
        return tuple(self._pdf[index].get_size())

    def render(self, index: int, width: int) -> Image.Image:
        """The page as an RGB image ``width`` pixels wide (the height follows the page)."""
        page = self._pdf[index]
        scale = width / page.get_width()
        bitmap = page.render(scale=scale, may_draw_forms=False)
        image = bitmap.to_pil().convert("RGB")
        if image.width != width:  # PDFium rounds the scaled size; make it exact
            image = image.resize((width, round(image.height * width / image.width)))
        return image

    def text(self, index: int) -> PageText:
        """The page's characters with their boxes, NFKC-normalised, grouped into lines."""
        page = self._pdf[index]
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            chars = _read_chars(textpage, _PageSpace(page))
        finally:
            textpage.close()
        return PageText(width, height, tuple(chars))

    def images(self, index: int) -> list[PageImage]:
        """The images drawn on the page (also those inside form XObjects), in content order."""
        page = self._pdf[index]
        space = _PageSpace(page)
        found: list[PageImage] = []
        for number, image in enumerate(_image_objects(page)):
            box = space.box(*_page_bounds(image))
            pixel_width, pixel_height = image.get_px_size()
            found.append(PageImage(number, box, int(pixel_width), int(pixel_height)))
        return found

    def extract_image(self, index: int, image_index: int) -> Image.Image:
        """The embedded image at its full resolution, decoded (not the page rendering)."""
        image = _image_objects(self._pdf[index])[image_index]
        bitmap = image.get_bitmap(render=False)
        return bitmap.to_pil().convert("RGB")

    def extract_image_file(self, index: int, image_index: int) -> tuple[bytes, str]:
        """The embedded image as a file, (bytes, extension): the original JPEG or JPEG 2000
        stream when the PDF holds one (no re-encoding, no quality lost), else a PNG."""
        image = _image_objects(self._pdf[index])[image_index]
        buffer = io.BytesIO()
        image.extract(buffer, fb_format="png")
        data = buffer.getvalue()
        if data.startswith(b"\xff\xd8"):
            return data, "jpg"
        if data[4:8] == b"jP  " or data.startswith(b"\xff\x4f\xff\x51"):
            return data, "jp2"
        return data, "png"


def _image_objects(page: pdfium.PdfPage) -> list:
    return list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=8))


def _page_bounds(obj) -> tuple[float, float, float, float]:
    """An object's bounds on the page. PDFium gives the bounds of an object inside a form
    XObject in the form's own space (Chromium wraps an image with opacity or a transform in
    one), so each enclosing form's matrix is applied on the way up."""
    left, bottom, right, top = obj.get_bounds()
    container = obj.container
    while container is not None:
        left, bottom, right, top = container.get_matrix().on_rect(left, bottom, right, top)
        container = container.container
    return left, bottom, right, top


def _clip(box: Box) -> Box:
    return Box(
        min(max(box.x0, 0.0), 1.0),
        min(max(box.y0, 0.0), 1.0),
        min(max(box.x1, 0.0), 1.0),
        min(max(box.y1, 0.0), 1.0),
    )


class _PageSpace:
    """From PDF user space (points, origin bottom-left of the media box, as text and image
    bounds come) to fractions of the page as shown: origin top-left of the crop box, turned by
    the page's /Rotate. PDFium's FPDF_PageToDevice knows both; three points of it give the
    affine map, applied here in Python for every character."""

    # Device pixels across the page (C ints, up to 2**31): fine enough, and no overflow for the
    # probe points, which stay within the media box.
    SCALE = 100_000_000

    def __init__(self, page: pdfium.PdfPage):
        self.page = page
        left, bottom, right, top = page.get_mediabox()
        width, height = right - left, top - bottom
        x0, y0 = self._device(left, bottom)
        x1, y1 = self._device(right, bottom)
        x2, y2 = self._device(left, top)
        a, d = (x1 - x0) / width, (y1 - y0) / width
        b, e = (x2 - x0) / height, (y2 - y0) / height
        self.matrix = (a, b, x0 - a * left - b * bottom, d, e, y0 - d * left - e * bottom)

    def _device(self, x: float, y: float) -> tuple[float, float]:
        device_x, device_y = ctypes.c_int(), ctypes.c_int()
        size = self.SCALE
        pdfium_c.FPDF_PageToDevice(self.page.raw, 0, 0, size, size, 0, x, y, device_x, device_y)
        return device_x.value / size, device_y.value / size

    def box(self, left: float, bottom: float, right: float, top: float) -> Box:
        a, b, c, d, e, f = self.matrix
        if b == 0 and d == 0:  # not turned by a quarter: the common case, done cheaply
            x0, x1, y0, y1 = a * left + c, a * right + c, e * top + f, e * bottom + f
            return _clip(Box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
        xs = [a * x + b * y + c for x in (left, right) for y in (bottom, top)]
        ys = [d * x + e * y + f for x in (left, right) for y in (bottom, top)]
        return _clip(Box(min(xs), min(ys), max(xs), max(ys)))


def _read_chars(textpage: pdfium.PdfTextPage, space: _PageSpace) -> list[Char]:
    """Characters in PDFium's order, without whitespace, each with a line number.

    A new line starts where PDFium inserted a line break of its own, or where the next character
    is not on the same baseline band or goes back leftwards (PDFium's breaks alone miss lines
    that a layout program wrote as one text object)."""
    raw = textpage.raw
    chars: list[Char] = []
    line = 0
    previous: Box | None = None
    pending_break = False
    for i in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        text = chr(code) if code else ""
        if pdfium_c.FPDFText_IsGenerated(raw, i) or not text.strip():
            if text in ("\r", "\n"):
                pending_break = True
            continue
        left, right, bottom, top = _char_box(raw, i)
        box = space.box(left, bottom, right, top)
        if previous is not None and (pending_break or _starts_line(previous, box)):
            line += 1
        pending_break = False
        normalized = normalize_text(text)
        if normalized.strip():
            chars.append(Char(normalized, box, line))
            previous = box
    return chars


def _char_box(raw, i: int) -> tuple[float, float, float, float]:
    """The loose box (the font's ascent to descent) when PDFium has one: it is the same height
    for every character of a line, unlike the ink box (一 is a thin stroke)."""
    rect = pdfium_c.FS_RECTF()
    if pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect):
        return rect.left, rect.right, rect.bottom, rect.top
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top)
    return left.value, right.value, bottom.value, top.value


def _starts_line(previous: Box, box: Box) -> bool:
    height = max(previous.height, box.height, 1e-6)
    if abs(box.center_y - previous.center_y) > height / 2:
        return True
    return box.x0 < previous.x0 - height


# --------------------------------------------------------------------------- upload checks


def gettext_noop(message: str) -> str:
    """Marks a msgid for makemessages (xgettext knows the name). Django's own gettext_noop
    reads the settings, and this module must import without them."""
    return message


# What a layout editor reads when a page file is refused: English msgids, translated lazily
# (zh_Hans in locale/) by UnsafePdf.
UNSAFE_MESSAGES = {
    "not_pdf": gettext_noop("This file is not a PDF."),
    "damaged": gettext_noop(
        "This PDF is damaged or incomplete; export it again from the layout program."
    ),
    "encrypted": gettext_noop(
        "This PDF is encrypted or password-protected; upload an unprotected copy."
    ),
    "javascript": gettext_noop(
        "This PDF contains JavaScript or automatic actions, which are not allowed."
    ),
    "embedded_file": gettext_noop("This PDF contains embedded files, which are not allowed."),
    "no_pages": gettext_noop("This PDF has no pages."),
    "too_many_pages": gettext_noop("This PDF has too many pages for one newspaper page file."),
}

# Keys that run something when the file is opened or a page is shown, or that hold files.
_ACTIVE_KEYS = {"/JS": "javascript", "/JavaScript": "javascript", "/AA": "javascript"}
_FILE_KEYS = {"/EmbeddedFile", "/EmbeddedFiles", "/EF", "/RichMedia"}
_ACTIVE_ACTIONS = {
    "/JavaScript": "javascript",
    "/Launch": "javascript",
    "/ImportData": "javascript",
}


class UnsafePdf(ValueError):
    """An uploaded PDF that is refused. ``code`` is stable (for tests and logs), ``message`` a
    lazy translation for the desk; ``str()`` is the English text (no settings needed)."""

    def __init__(self, code: str, detail: str = ""):
        self.code = code
        self.message = gettext_lazy(UNSAFE_MESSAGES[code])
        self.detail = detail
        super().__init__(code, detail)

    def __str__(self) -> str:
        english = UNSAFE_MESSAGES[self.code]  # the msgid: no Django settings needed
        return f"{english} ({self.detail})" if self.detail else english


@dataclass(frozen=True)
class PdfSummary:
    """What an accepted upload holds: its pages' sizes in points."""

    page_sizes: tuple[tuple[float, float], ...]

    @property
    def page_count(self) -> int:
        return len(self.page_sizes)


def validate_pdf(data: bytes, max_pages: int = 64) -> PdfSummary:
    """Refuse (raise :class:`UnsafePdf`) a page file that is not a plain, readable PDF.

    Refused: anything without a PDF header; a file cut short (no ``%%EOF`` at its end: an
    interrupted upload, which PDFium would otherwise repair silently into a partial page);
    encryption; JavaScript anywhere (``/JS``, ``/JavaScript``, an ``/OpenAction`` or
    ``/AA`` additional action, a ``/Launch`` action); embedded files; no pages or too many.
    Every object is inspected through pypdf (which also reads compressed object streams and
    decodes ``#xx`` escapes in names, so ``/J#61vaScript`` does not slip through), then PDFium,
    the engine that will render the file, must open it and every page."""
    if b"%PDF-" not in data[:1024]:
        raise UnsafePdf("not_pdf")
    if b"%%EOF" not in data[-1024:]:
        raise UnsafePdf("damaged", "no %%EOF at the end")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UnsafePdf("encrypted")
        _inspect_objects(reader)
    except UnsafePdf:
        raise
    except Exception as error:  # pypdf raises many kinds on broken input
        raise UnsafePdf("damaged", f"pypdf: {error}") from error
    return _summary(data, max_pages)


def _summary(data: bytes, max_pages: int) -> PdfSummary:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        code = "encrypted" if "password" in str(error).lower() else "damaged"
        raise UnsafePdf(code, f"pdfium: {error}") from error
    try:
        count = len(pdf)
        if count == 0:
            raise UnsafePdf("no_pages")
        if count > max_pages:
            raise UnsafePdf("too_many_pages", f"{count} pages")
        sizes = tuple(tuple(pdf[i].get_size()) for i in range(count))
    finally:
        pdf.close()
    if any(width <= 0 or height <= 0 for width, height in sizes):
        raise UnsafePdf("damaged", "a page has no size")
    return PdfSummary(sizes)


def _inspect_objects(reader: pypdf.PdfReader) -> None:
    """Walk every object the file holds (by the cross-reference tables) and everything the
    trailer reaches, looking for active content and embedded files."""
    seen: set[tuple[int, int]] = set()
    pending: list = [reader.trailer]
    for generation, numbers in reader.xref.items():
        pending.extend(IndirectObject(n, generation, reader) for n in numbers)
    pending.extend(IndirectObject(n, 0, reader) for n in reader.xref_objStm)
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            _check_dictionary(item)
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)


def _check_dictionary(item: DictionaryObject) -> None:
    for key in item:
        if key in _ACTIVE_KEYS:
            raise UnsafePdf(_ACTIVE_KEYS[key], f"{key} entry")
        if key in _FILE_KEYS:
            raise UnsafePdf("embedded_file", f"{key} entry")
    action = item.get("/S")
    if action in _ACTIVE_ACTIONS:
        raise UnsafePdf(_ACTIVE_ACTIONS[action], f"{action} action")
    if item.get("/Type") == "/Filespec" and "/EF" in item:
        raise UnsafePdf("embedded_file", "file specification with a file")
    if item.get("/Subtype") == "/FileAttachment":
        raise UnsafePdf("embedded_file", "file attachment annotation")
