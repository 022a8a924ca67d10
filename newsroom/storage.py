"""Media on S3-compatible object storage (MEDIA_STORAGE=s3), through django-storages.

Each object is stored as `public/media.py` says of its name:

- content-addressed files readers get (photo renditions, page images and thumbnails, page and
  issue PDFs) are public objects (`public-read`, or a bucket policy for those prefixes when
  the bucket refuses ACLs) with `Cache-Control: public, max-age=31536000, immutable`; their
  URL is the bucket's or its CDN's (`MEDIA_PUBLIC_URL`), so readers never pass through Django;
- everything else (photo originals with their EXIF and GPS, page scans uploaded at the desk,
  manifests) is private; its URL is the site's `/media/…` view, which checks who is asking and
  reads the object with the site's credentials;
- a file that is not an image or a PDF carries `Content-Disposition: attachment`.

Uploads never overwrite an object (`file_overwrite=False`): a desk upload with a name already
taken gets a new name, as on the file system.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage

from public.media import IMMUTABLE, classify, content_type


class MediaS3Storage(S3Storage):
    def get_default_settings(self):
        defaults = super().get_default_settings()
        defaults["file_overwrite"] = False
        defaults["object_acls"] = True
        return defaults

    def get_object_parameters(self, name):
        params = super().get_object_parameters(name)
        kind = classify(name)
        public = kind is not None and kind.public
        if self.object_acls:
            params["ACL"] = "public-read" if public else "private"
        if public:
            params["CacheControl"] = IMMUTABLE
        media_type, inline = content_type(name)
        params["ContentType"] = media_type
        if not inline:
            params["ContentDisposition"] = "attachment"
        return params

    def url(self, name, parameters=None, expire=None, http_method=None):
        name = self._normalize_name(name)
        kind = classify(name)
        if kind is not None and kind.public:
            return f"{settings.MEDIA_PUBLIC_URL.rstrip('/')}/{filepath_to_uri(name)}"
        return f"/{settings.MEDIA_URL.strip('/')}/{filepath_to_uri(name)}"
