"""The image engine: safe uploads, credits read from the file, renditions and <picture> markup.

Plain functions over bytes, file objects and Django storages, with no models: the ORM and admin
integration is built on top of them.

- `imaging.validate`: `verify_image` and `verify_scan` refuse what must never be stored
  (non-images, damaged or animated files, decompression bombs, active PDFs) with an
  `UploadRefused` error whose message the desk can show;
- `imaging.metadata`: `read_photo_metadata` offers the photographer and caption written by the
  camera or the photo desk's software, read before the renditions strip them;
- `imaging.renditions`: `make_renditions` and `store_renditions` make the resized WebP and JPEG
  files readers download, without EXIF/GPS, under content-hashed names;
- `imaging.html`: `picture_html` writes the `<picture>` element for a stored manifest.
"""
