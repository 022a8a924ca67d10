"""Read the photographer and the caption a photo carries, before the renditions strip them.

The desk offers them as suggestions: cameras and photo software write the creator and a
description in three places, and we take the first that is filled in:

1. XMP `dc:creator` / `dc:description` (Unicode by definition; what Lightroom, Photoshop and
   phone editors write today);
2. IPTC-IIM 2:80 By-line / 2:120 Caption-Abstract (the news agencies' fields), in UTF-8 when
   1:90 says so, otherwise guessed;
3. EXIF Artist / ImageDescription, then Windows' XPAuthor / XPTitle / XPComment.

EXIF text is declared ASCII but phones and Chinese software write UTF-8 or GBK bytes there;
Pillow hands it back decoded as Latin-1, so the bytes are recovered and decoded again. Camera
placeholders ("OLYMPUS DIGITAL CAMERA", "SONY DSC") are not captions and are dropped.

XMP is parsed with the standard library's ElementTree: the expat it ships (2.4 and later)
refuses entity expansion attacks, and ElementTree never fetches external entities. Packets
larger than `_MAX_XMP_BYTES` are ignored.
"""

from __future__ import annotations

import io
import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import IO

from PIL import Image, IptcImagePlugin

from imaging.formats import register_openers

logger = logging.getLogger(__name__)

_MAX_XMP_BYTES = 1024 * 1024
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_EXIF_ARTIST = 0x013B
_EXIF_IMAGE_DESCRIPTION = 0x010E
_EXIF_XP_TITLE = 0x9C9B
_EXIF_XP_COMMENT = 0x9C9C
_EXIF_XP_AUTHOR = 0x9C9D
_IPTC_CHARSET = (1, 90)
_IPTC_BYLINE = (2, 80)
_IPTC_CAPTION = (2, 120)
_IPTC_UTF8 = b"\x1b%G"

# What cameras and tools write when nobody typed anything (compared case-insensitively).
_PLACEHOLDERS = frozenset(
    {
        "olympus digital camera",
        "sony dsc",
        "digital camera",
        "default",
        "exif_jpeg_picture",
        "unknown",
        "image",
        "picture",
        "camera",
        "samsung",
        "lg digital camera",
        "minolta digital camera",
        "konica minolta digital camera",
    }
)
# Several creators or several IPTC bylines are listed as Chinese lists are: 张三、李四.
_NAME_SEPARATOR = "、"


@dataclass(frozen=True)
class PhotoMetadata:
    """The suggestions for the desk; an empty string when the photo carries none."""

    creator: str = ""
    caption: str = ""


def read_photo_metadata(source: bytes | IO[bytes] | Image.Image) -> PhotoMetadata:
    """The creator and caption of a photo (bytes, a file object or an opened image).

    Only the headers are read, the pixels are not decoded. A metadata block that cannot be
    parsed is skipped, never an error: the photo itself was already verified.
    """
    if isinstance(source, Image.Image):
        return _read(source)
    register_openers()
    fileobj = io.BytesIO(source) if isinstance(source, bytes) else source
    with Image.open(fileobj) as img:
        return _read(img)


def _read(img: Image.Image) -> PhotoMetadata:
    xmp_creator, xmp_caption = _from_xmp(img)
    iptc_creator, iptc_caption = _from_iptc(img)
    exif = _exif_texts(img)
    return PhotoMetadata(
        creator=_first(
            xmp_creator, iptc_creator, exif.get(_EXIF_ARTIST), exif.get(_EXIF_XP_AUTHOR)
        ),
        caption=_first(
            xmp_caption,
            iptc_caption,
            exif.get(_EXIF_IMAGE_DESCRIPTION),
            exif.get(_EXIF_XP_TITLE),
            exif.get(_EXIF_XP_COMMENT),
        ),
    )


def _first(*candidates: str | None) -> str:
    for text in candidates:
        if text and text.casefold() not in _PLACEHOLDERS:
            return text
    return ""


# --- XMP ---------------------------------------------------------------------------------------


def _from_xmp(img: Image.Image) -> tuple[str, str]:
    packet = img.info.get("xmp") or img.info.get("XML:com.adobe.xmp")
    if not packet or len(packet) > _MAX_XMP_BYTES:
        return "", ""
    try:
        root = ET.fromstring(packet.strip(b"\0 \r\n\t") if isinstance(packet, bytes) else packet)
    except ET.ParseError:
        logger.info("unreadable XMP packet skipped")
        return "", ""
    return _xmp_property(root, "creator", _NAME_SEPARATOR), _xmp_property(root, "description")


def _xmp_property(root: ET.Element, name: str, separator: str = "\n") -> str:
    """A dc property: every item of a Seq/Bag, the x-default (else first) item of an Alt, or
    the shorthand attribute form some writers use."""
    for element in root.iter(f"{_DC}{name}"):
        items = list(element.iter(f"{_RDF}li"))
        if not items:
            text = _clean(element.text)
        elif element.find(f"{_RDF}Alt") is not None:
            text = _clean(_default_language(items).text)
        else:
            text = separator.join(filter(None, (_clean(item.text) for item in items)))
        if text:
            return text
    for description in root.iter(f"{_RDF}Description"):
        text = _clean(description.get(f"{_DC}{name}"))
        if text:
            return text
    return ""


def _default_language(items: list[ET.Element]) -> ET.Element:
    for item in items:
        if item.get(_XML_LANG, "").lower() == "x-default":
            return item
    for item in items:
        if item.get(_XML_LANG, "").lower().startswith("zh"):
            return item
    return items[0]


# --- IPTC --------------------------------------------------------------------------------------


def _from_iptc(img: Image.Image) -> tuple[str, str]:
    try:
        records = IptcImagePlugin.getiptcinfo(img) or {}  # type: ignore[arg-type]
    except Exception:  # a malformed Photoshop block: metadata is only a suggestion
        logger.info("unreadable IPTC block skipped")
        return "", ""
    utf8 = records.get(_IPTC_CHARSET) == _IPTC_UTF8
    return (
        _iptc_text(records.get(_IPTC_BYLINE), utf8, _NAME_SEPARATOR),
        _iptc_text(records.get(_IPTC_CAPTION), utf8, "\n"),
    )


def _iptc_text(value: bytes | list[bytes] | None, utf8: bool, separator: str) -> str:
    if value is None:
        return ""
    values = value if isinstance(value, list) else [value]
    texts = (
        _clean(raw.decode("utf-8", "replace") if utf8 else _decode_text(raw)) for raw in values
    )
    return separator.join(filter(None, texts))


# --- EXIF --------------------------------------------------------------------------------------


def _exif_texts(img: Image.Image) -> dict[int, str]:
    try:
        exif = img.getexif()
    except Exception:
        logger.info("unreadable EXIF block skipped")
        return {}
    texts = {}
    for tag in (_EXIF_ARTIST, _EXIF_IMAGE_DESCRIPTION):
        value = exif.get(tag)
        if isinstance(value, str):
            texts[tag] = _clean(_undo_latin1(value))
        elif isinstance(value, bytes):
            texts[tag] = _clean(_decode_text(value))
    for tag in (_EXIF_XP_TITLE, _EXIF_XP_COMMENT, _EXIF_XP_AUTHOR):
        raw = _as_bytes(exif.get(tag))
        if raw:
            texts[tag] = _clean(raw.decode("utf-16-le", "replace"))
    return texts


def _undo_latin1(text: str) -> str:
    """Pillow decodes EXIF ASCII fields as Latin-1; get the bytes back and decode them well."""
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:  # already decoded properly by someone
        return text
    return _decode_text(raw)


def _as_bytes(value: object) -> bytes:
    """XP* tags are BYTE arrays: Pillow gives bytes, or a tuple of ints for odd files."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, tuple) and all(isinstance(v, int) and 0 <= v < 256 for v in value):
        return bytes(value)
    return b""


def _decode_text(raw: bytes) -> str:
    """Text of unknown encoding: UTF-8 if it is valid UTF-8, else GB18030 (Chinese Windows and
    older cameras' software), else Latin-1."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _clean(text: str | None) -> str:
    """Without NULs (C strings, UTF-16 terminators) and surrounding blanks."""
    if not text:
        return ""
    return text.replace("\0", "").strip()
