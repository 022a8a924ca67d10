"""Copy the files of an existing MEDIA_ROOT into the configured storage (a bucket), keeping
their names: what to run once when switching a site to MEDIA_STORAGE=s3.

    MEDIA_STORAGE=s3 AWS_STORAGE_BUCKET_NAME=… python manage.py copy_media_to_storage [--all]
        [--source /path/to/media] [--dry-run]

It copies every file the database refers to (photo originals and their renditions with their
manifests, page scans and page renditions), and with --all every file under the source folder
too (merged issue PDFs, which are otherwise merged again on demand, and anything else). Each
object gets what the storage gives that kind of name (newsroom/storage.py: public-read and a
year of cache for the content-addressed files readers get, private for the rest, the type and
`Content-Disposition: attachment` for anything not an image or a PDF).

Safe to run twice: a name already stored with the same bytes (size, then MD5 against the
object's ETag, or SHA-256 when the storage has no such hash) is skipped; one stored with other
bytes is never overwritten and is reported. One file's failure never stops the others; the
summary always prints, and the command exits non-zero when any file failed.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.core.management.base import BaseCommand, CommandError

from articles.models import Photo
from imaging.renditions import manifest_files
from issues.models import Page

CHUNK = 1024 * 1024


SIZES = re.compile(r"(pages/.+)-(?:[0-9]+|thumb)\.webp")


def referenced_names() -> tuple[list[str], set[str]]:
    """Every stored name a row refers to, sorted, each once; and the files that go with them
    when they exist (the `.sizes` file beside a page's renditions, which spares a re-import
    the rendering)."""
    names: set[str] = set()
    companions: set[str] = set()
    for image, renditions in Photo.objects.values_list("image", "renditions").iterator():
        if image:
            names.add(image)
        names.update(manifest_files(renditions or {}))
    for scan, renditions in Page.objects.values_list("scan", "renditions").iterator():
        if scan:
            names.add(scan)
        renditions = renditions or {}
        page_images = [entry["name"] for entry in renditions.get("renditions", [])]
        if renditions.get("thumbnail"):
            page_images.append(renditions["thumbnail"]["name"])
        names.update(page_images)
        for name in page_images:
            if found := SIZES.fullmatch(name):
                companions.add(f"{found.group(1)}.sizes")
    names.discard("")
    return sorted(names), companions - names


def files_under(folder: Path) -> list[str]:
    """Every file under `folder`, as storage names (relative, with /)."""
    found = []
    for directory, _, files in os.walk(folder):
        for file_name in files:
            path = Path(directory, file_name)
            found.append(path.relative_to(folder).as_posix())
    return sorted(found)


def digest(storage: Storage, name: str, algorithm: str) -> str:
    hasher = hashlib.new(algorithm)
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def stored_md5(storage: Storage, name: str) -> str | None:
    """The object's MD5 as the storage already knows it (an S3 ETag of a single-part upload),
    or None when it does not."""
    bucket = getattr(storage, "bucket", None)
    if bucket is None:
        return None
    etag = bucket.Object(storage._normalize_name(name)).e_tag.strip('"')  # type: ignore[attr-defined]
    return etag if len(etag) == 32 and "-" not in etag else None


def same_bytes(source: Storage, target: Storage, name: str) -> bool:
    if source.size(name) != target.size(name):
        return False
    md5 = stored_md5(target, name)
    if md5 is not None:
        return digest(source, name, "md5") == md5
    return digest(source, name, "sha256") == digest(target, name, "sha256")


@dataclass
class Summary:
    copied: int = 0
    copied_bytes: int = 0
    present: int = 0
    errors: list[str] = field(default_factory=list)


class Command(BaseCommand):
    help = (
        "Copy the media files the database refers to (with --all: every file under MEDIA_ROOT) "
        "into the configured default storage, keeping their names; skips what is already there."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            default=None,
            help="the folder to copy from (default: MEDIA_ROOT)",
        )
        parser.add_argument(
            "--all",
            action="store_true",
            help="also every file under the source that no row refers to (merged issue PDFs …)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be copied; copy nothing"
        )

    def handle(self, *args, source=None, all=False, dry_run=False, verbosity=1, **options):
        folder = Path(source or settings.MEDIA_ROOT).resolve()
        if not folder.is_dir():
            raise CommandError(f"{folder}: no such folder")
        target = default_storage
        if isinstance(target, FileSystemStorage) and Path(target.location).resolve() == folder:
            raise CommandError(
                f"The default storage is {folder} itself: set MEDIA_STORAGE=s3 (and the AWS_* "
                "variables) to copy into a bucket."
            )
        source_storage = FileSystemStorage(location=folder)
        names, companions = referenced_names()
        names += [name for name in sorted(companions) if source_storage.exists(name)]
        if all:
            names = sorted(set(names) | set(files_under(folder)))
        summary = Summary()
        for name in names:
            try:
                self.copy(name, source_storage, target, summary, dry_run, verbosity)
            except Exception as error:  # noqa: BLE001 -- one file's failure never stops the others
                summary.errors.append(name)
                self.stderr.write(f"{name}: {type(error).__name__}: {error}")

        verb = "would copy" if dry_run else "copied"
        self.stdout.write(
            f"{len(names)} files ({'every file under ' + str(folder) if all else 'referenced by the database'}): "
            f"{verb} {summary.copied} ({summary.copied_bytes / 1e6:.1f} MB), "
            f"{summary.present} already there, {len(summary.errors)} failed."
        )
        if summary.errors:
            raise CommandError(
                f"{len(summary.errors)} files were not copied (see above); run it again once "
                "they are fixed: what is copied is skipped."
            )

    def copy(self, name, source, target, summary, dry_run, verbosity):
        in_target = target.exists(name)
        if not source.exists(name):
            if in_target:  # gone from the folder, already in the bucket
                summary.present += 1
                return
            raise FileNotFoundError(f"not in {source.location}")
        if in_target:
            if not same_bytes(source, target, name):
                raise FileExistsError(
                    "already stored with other bytes: left as it is (compare the two and delete "
                    "the wrong one)"
                )
            summary.present += 1
            if verbosity >= 2:
                self.stdout.write(f"already there: {name}")
            return
        size = source.size(name)
        if not dry_run:
            with source.open(name, "rb") as handle:
                stored = target.save(name, handle)
            if stored != name:
                raise RuntimeError(f"stored as {stored}, not under its own name")
        summary.copied += 1
        summary.copied_bytes += size
        if verbosity >= 2:
            self.stdout.write(f"{'would copy' if dry_run else 'copied'}: {name} ({size} bytes)")
