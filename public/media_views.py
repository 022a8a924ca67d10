"""Uploaded and generated files under `/media/`, read through the storage API (any storage).

`public/media.py` says which names exist for whom. Content-addressed files (photo renditions,
page images and thumbnails, page and issue PDFs) are served to anyone for a year; a page scan
uploaded at the desk to whoever may see its page; a photo's original (camera metadata, GPS) to
staff who may see photos, never to readers. Every response says what it is
(`X-Content-Type-Options: nosniff`), and anything that is not an image or a PDF is a download.
Unknown names, traversal attempts and missing files are a 404.

With S3 (MEDIA_STORAGE=s3) readers fetch the content-addressed files from the bucket or its CDN
(`newsroom/storage.py` gives their URLs); the desk's scans and the originals still come here.
"""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.views.decorators.http import require_safe

from articles.models import Photo
from issues.models import Issue, Page
from public.media import IMMUTABLE, SCAN_MAX_AGE, Access, classify, content_type


@require_safe
def media_file(request, name):
    kind = classify(name)
    if kind is None:
        raise Http404
    if kind.access is Access.PUBLIC:
        cache_control = IMMUTABLE
        etag = f'"{name.rsplit("/", 1)[-1].split(".")[0]}"'
        if request.headers.get("If-None-Match") == etag:
            response = HttpResponseNotModified()
            response["ETag"] = etag
            response["Cache-Control"] = cache_control
            return response
    elif kind.access is Access.PAGE:
        statuses = set(
            Page.objects.visible_to(request.user)
            .filter(scan=name)
            .values_list("issue__status", flat=True)
        )
        if not statuses:
            raise Http404
        published = Issue.Status.PUBLISHED in statuses
        cache_control = f"public, max-age={SCAN_MAX_AGE}" if published else "private, no-store"
        etag = None
    else:
        user = request.user
        if not (user.is_active and user.is_staff and user.has_perm("articles.view_photo")):
            raise Http404
        if not Photo.objects.filter(image=name).exists():
            raise Http404
        cache_control = "private, no-store"
        etag = None
    try:
        handle = default_storage.open(name, "rb")
    except OSError as missing:  # FileNotFoundError, and S3's missing key
        raise Http404 from missing
    media_type, inline = content_type(name)
    response = FileResponse(handle, content_type=media_type)
    if not inline:
        response["Content-Disposition"] = "attachment"
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    if etag:
        response["ETag"] = etag
    return response
