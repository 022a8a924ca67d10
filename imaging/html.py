"""The `<picture>` element for a stored rendition manifest.

Browsers pick the smallest file that fills the slot (`sizes`) at the screen's pixel density
from each `srcset`, and the first `<source>` type they can show; the `<img>` carries the JPEG
set for the rest, plus `width`/`height` so the page does not jump while the photo loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.files.storage import Storage
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from imaging.renditions import OUTPUT_FORMATS

# Served as <source> elements, best first; the fallback format goes on the <img>.
_SOURCE_PREFERENCE = ("avif", "webp")
_FALLBACK_FORMAT = "jpeg"
# The <img src> for browsers without srcset: the widest rendition up to this (720 with
# today's widths), fine on any screen.
_FALLBACK_WIDTH = 960


@dataclass(frozen=True)
class PictureSource:
    media_type: str
    srcset: str


@dataclass(frozen=True)
class Picture:
    """What a template needs: `sources` best first, the fallback `<img>`, and the intrinsic
    size (of the largest rendition) for `width`/`height`."""

    sources: list[PictureSource]
    fallback_src: str
    fallback_srcset: str
    width: int
    height: int


def picture_data(manifest: dict[str, Any], storage: Storage) -> Picture:
    """Group a manifest's renditions by format into srcset strings with their URLs."""
    by_format: dict[str, list[dict[str, Any]]] = {}
    for entry in sorted(manifest["renditions"], key=lambda entry: entry["w"]):
        by_format.setdefault(entry["format"], []).append(entry)
    if not by_format:
        raise ValueError("the manifest lists no renditions")
    fallback_format = _FALLBACK_FORMAT if _FALLBACK_FORMAT in by_format else list(by_format)[-1]
    fallback = by_format[fallback_format]
    sources = [
        PictureSource(OUTPUT_FORMATS[fmt].media_type, _srcset(by_format[fmt], storage))
        for fmt in _SOURCE_PREFERENCE
        if fmt in by_format and fmt != fallback_format
    ]
    src_entry = _fallback_entry(fallback)
    largest = fallback[-1]
    return Picture(
        sources=sources,
        fallback_src=storage.url(src_entry["name"]),
        fallback_srcset=_srcset(fallback, storage),
        width=largest["w"],
        height=largest["h"],
    )


def picture_html(
    manifest: dict[str, Any],
    storage: Storage,
    *,
    alt: str,
    sizes: str = "100vw",
    lazy: bool = True,
) -> SafeString:
    """`<picture><source …><img …></picture>` for a manifest, every value escaped.

    `sizes` is the slot's width as CSS media conditions ("(min-width: 48rem) 40rem, 100vw").
    `lazy=False` for a photo at the top of the page, which should load at once.
    """
    picture = picture_data(manifest, storage)
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        ((source.media_type, source.srcset, sizes) for source in picture.sources),
    )
    loading = format_html(' loading="{}"', "lazy") if lazy else ""
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{}'
        ' decoding="async"></picture>',
        sources,
        picture.fallback_src,
        picture.fallback_srcset,
        sizes,
        picture.width,
        picture.height,
        alt,
        loading,
    )


def _srcset(entries: list[dict[str, Any]], storage: Storage) -> str:
    return ", ".join(f"{storage.url(entry['name'])} {entry['w']}w" for entry in entries)


def _fallback_entry(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """The widest rendition up to _FALLBACK_WIDTH, else the narrowest."""
    fitting = [entry for entry in entries if entry["w"] <= _FALLBACK_WIDTH]
    return fitting[-1] if fitting else entries[0]
