"""Photo renditions served to readers, read through the storage API.

Rendition names hold their content's hash (imaging/renditions.py), so a file never changes
under its name and browsers and CDNs may keep it for a year. Only renditions are served here:
the originals in `photos/` keep the camera's EXIF and GPS and are for the desk only.
"""

import re

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from imaging.renditions import DEFAULT_PREFIX

_NAME = re.compile(r"^[0-9a-f]{16}/[0-9]{1,5}\.(webp|jpg|jpeg|avif)$")
_TYPES = {"webp": "image/webp", "jpg": "image/jpeg", "jpeg": "image/jpeg", "avif": "image/avif"}
IMMUTABLE = "public, max-age=31536000, immutable"


@require_safe
def rendition(request, name):
    match = _NAME.match(name)
    if match is None:
        raise Http404
    stored = f"{DEFAULT_PREFIX}/{name}"
    try:
        fh = default_storage.open(stored, "rb")
    except (FileNotFoundError, OSError) as missing:
        raise Http404 from missing
    response = FileResponse(fh, content_type=_TYPES[match.group(1)])
    response["Cache-Control"] = IMMUTABLE
    response["X-Content-Type-Options"] = "nosniff"
    return response
