"""Which image formats the engine accepts, decided by what this Pillow build can decode.

HEIC (the iPhone's default) is read through pillow-heif. We chose to depend on it: iPhones are
what correspondents shoot with, and asking them to convert first loses photos at the desk. The
wheel is self-contained (libheif, libde265 and x265, about 26 MB installed, no system
packages) and the plugin is actively maintained. The price is one more C decoder facing
uploads, which only logged-in staff can send; if the package is missing, HEIC is simply not
accepted. AVIF comes with Pillow's own wheels from 11.3 on and is accepted when
`PIL.features.check("avif")` says this build reads it.
"""

from functools import cache

from django.utils.translation import pgettext
from PIL import features

# Pillow format name -> the media type the file is served and stored as. MPO is how Pillow
# names a JPEG with extra pictures appended (iPhone gain maps, camera previews): a JPEG to us.
_ALWAYS = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


@cache
def register_openers() -> bool:
    """Teach Pillow to open HEIC once per process; say whether it can."""
    try:
        import pillow_heif
    except ImportError:
        return False
    pillow_heif.register_heif_opener()
    return True


@cache
def accepted_formats() -> dict[str, str]:
    """Pillow format name -> media type, for every format an upload may be in."""
    accepted = dict(_ALWAYS)
    if features.check("avif"):
        accepted["AVIF"] = "image/avif"
    if register_openers():
        accepted["HEIF"] = "image/heic"
    return accepted


def accepted_names() -> str:
    """The accepted formats as people call them, for messages: "JPEG, PNG, WebP, AVIF, HEIC"
    (the separator is translated: "、" in Chinese)."""
    names = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "AVIF": "AVIF", "HEIF": "HEIC"}
    separator = pgettext("list separator", ", ")
    return separator.join(names[fmt] for fmt in accepted_formats() if fmt in names)
