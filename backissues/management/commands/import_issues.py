"""manage.py import_issues PATH [PATH ...]: load back issues from the text format."""

from __future__ import annotations

import re
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, reset_queries, transaction

from backissues.images import read_image_files
from backissues.loader import LoadError, load_issue
from backissues.pages import PageFileError, SavedFiles, page_folder, read_page_files
from backissues.textformat import LineError, parse
from public.prerender import schedule_prerender

SUFFIXES = (".md", ".txt")
# The progress bar is worth drawing from this many files on.
PROGRESS_FROM = 20
_DATE_LINE = re.compile(r"^\s*\d{4}\s*年")


class Command(BaseCommand):
    help = (
        "Import back issues from the text format (docs/issue-format.md): files, or directories "
        "searched recursively for *.md and *.txt; a folder holding one issue text file and "
        "pages/<n>.pdf (or .jpg, .png, .webp) is a bundle, its page files part of the issue; "
        "![](photos/118-1.jpg) before a caption attaches that image (relative to the file). "
        "Each file is one transaction: a file with an "
        "error changes nothing and the others still import. Re-importing an identical file "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="read and check everything, report what would change, write nothing",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace an existing issue with the same number whose content differs, "
            "keeping its articles' ids and what the desk did (corrections, withdrawals, "
            "bylines, images, regions, the log); refused, changing nothing, where the file "
            "would undo any of it",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="like --replace, but the file wins where it conflicts with the desk: "
            "discards those desk changes (asks first, unless --yes)",
        )
        parser.add_argument(
            "--yes",
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation (of --force)",
        )
        parser.add_argument(
            "--strict", action="store_true", help="treat warnings (e.g. a wrong weekday) as errors"
        )
        parser.add_argument(
            "--unpublished",
            action="store_true",
            help="import issues ready for sign-off (articles placed) instead of published",
        )
        parser.add_argument(
            "--no-prerender",
            action="store_false",
            dest="prerender",
            help="do not queue the pre-rendering of the imported issues' public pages "
            "(they are then rendered when first read)",
        )

    def handle(
        self,
        *args,
        paths,
        dry_run,
        replace,
        force,
        interactive,
        strict,
        unpublished,
        prerender,
        verbosity,
        **options,
    ):
        files = collect_files(paths)
        if not files:
            raise CommandError(f"no *.md or *.txt files in {', '.join(paths)}")
        if force and not dry_run and interactive and not self.confirm(files):
            raise CommandError("import cancelled, nothing was changed")
        self.verbosity = verbosity
        self.bar = ProgressBar(self.stderr, len(files)) if self._wants_bar(len(files)) else None
        counts = dict.fromkeys(("imported", "unchanged", "replaced", "failed"), 0)
        totals = dict.fromkeys(("articles", "photos", "people"), 0)
        started = time.perf_counter()
        changed = []
        for position, path in enumerate(files, start=1):
            try:
                result = self.import_file(
                    path,
                    dry_run=dry_run,
                    replace=replace,
                    force=force,
                    strict=strict,
                    publish=not unpublished,
                )
            except LineError as failure:
                counts["failed"] += 1
                where = f"{path}:{failure.line}" if failure.line is not None else str(path)
                self.say_error(f"{where}: {failure.message}")
            except Exception as failure:  # noqa: BLE001 - one file's bug must not stop the rest
                counts["failed"] += 1
                self.say_error(
                    f"{path}: could not be imported: {type(failure).__name__}: {failure}"
                )
            else:
                counts[result.status] += 1
                totals["articles"] += result.articles
                totals["photos"] += result.photos
                totals["people"] += result.new_people
                if result.status != "unchanged" and not dry_run:
                    changed.append(result.issue)
                if verbosity >= 2 or (verbosity >= 1 and self.bar is None):
                    self.say(f"{path}: {self.describe(result, dry_run)}")
                if verbosity >= 1:
                    for line in result.issue_report:
                        self.say(f"  {line}")
                    for line in result.report:
                        self.say(f"  {line}")
            # With DEBUG on, Django logs every query until the next request; a long import is
            # one "request", so clear the log per file to keep memory flat.
            reset_queries()
            if self.bar:
                self.bar.update(position)
        if self.bar:
            self.bar.finish()
        seconds = time.perf_counter() - started
        if prerender and not unpublished:
            # One task for the whole run: the pages every issue shares (home, archive, feed,
            # sitemap) are rendered once, not once per file.
            schedule_prerender(changed)
        if verbosity >= 1:
            prefix = "dry run, nothing written: would have " if dry_run else ""
            self.stdout.write(
                f"{prefix}imported {counts['imported']}, unchanged {counts['unchanged']}, "
                f"replaced {counts['replaced']}, failed {counts['failed']}; "
                f"{totals['articles']} articles, {totals['photos']} photos, "
                f"{totals['people']} new people; {seconds:.1f} s"
            )
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} of {len(files)} files failed")

    def confirm(self, files) -> bool:
        """Like flush: --force discards desk work, so a person types yes first."""
        self.stdout.write(
            f"--force replaces the issues of {len(files)} file(s) as the files print them, "
            "discarding whatever the desk did that the files contradict: corrections, "
            "withdrawals (撤稿), edits, uploaded images, hand-drawn regions and the articles "
            "the files no longer have, with their logs. Removed articles' addresses answer "
            "410 or redirect to their successor."
        )
        try:
            answer = input("Type 'yes' to continue, or 'no' to cancel: ")
        except EOFError:
            return False
        return answer.strip().lower() == "yes"

    def import_file(self, path: Path, *, dry_run, replace, force=False, strict, publish):
        raw = read_file(path, settings.IMPORT_MAX_FILE_BYTES)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise LineError(
                f"not UTF-8 text (byte 0x{raw[error.start]:02x} cannot be read)", line
            ) from None
        del raw
        if "\x00" in text:
            raise LineError("NUL character", text[: text.index("\x00")].count("\n") + 1)
        data = parse(text, strict=strict)  # a FormatError is a LineError
        for warning in data.warnings if self.verbosity >= 1 else ():
            where = f"{path}:{warning.line}" if warning.line is not None else str(path)
            self.say_error(f"{where}: warning: {warning.message}")
        page_files = None
        folder = page_folder(path)
        if folder is not None:
            texts = [
                found
                for found in path.parent.iterdir()
                if found.suffix.lower() in SUFFIXES and found.is_file()
            ]
            if len(texts) > 1:
                raise LineError(
                    f"a bundle holds one issue text file, {path.parent} has {len(texts)}"
                )
            try:
                page_files = read_page_files(folder, {page.number for page in data.pages})
            except PageFileError as error:
                raise LineError(str(error)) from None
        # The photos' images (![](photos/…) lines), relative to the text file.
        image_files = read_image_files(path.parent, data, settings.PHOTO_UPLOAD_MAX_BYTES)
        saved = SavedFiles()
        try:
            with transaction.atomic():
                result = load_issue(
                    data=data,
                    replace=replace,
                    force=force,
                    publish=publish,
                    page_files=page_files,
                    saved=saved,
                    image_files=image_files,
                )
                if dry_run:
                    transaction.set_rollback(True)
        except LoadError as error:
            saved.delete_all()  # the transaction rolled back: its files would be orphans
            raise LineError(error.message, error.line or date_line(text)) from None
        except DatabaseError as error:
            saved.delete_all()
            # A rule of the database that the loader does not check first (or a row another
            # process wrote meanwhile): report it for this file, go on with the next.
            text_of_error = str(error).strip()
            first = text_of_error.splitlines()[0] if text_of_error else type(error).__name__
            raise LineError(f"the database refused the issue: {first}", date_line(text)) from None
        except BaseException:
            saved.delete_all()
            raise
        if dry_run:
            saved.delete_all()
        for note in result.notes if self.verbosity >= 1 else ():
            self.say_error(f"{path}: note: {note}")
        return result

    def describe(self, result, dry_run):
        issue = result.issue
        status = {
            "imported": "would import" if dry_run else "imported",
            "replaced": "would replace" if dry_run else "replaced",
            "unchanged": "unchanged",
        }[result.status]
        what = f"{issue.publication.name} 总第{issue.number}期 ({issue.date.isoformat()})"
        if result.status == "unchanged":
            return f"{status}, {what}"
        return (
            f"{status} {what}: {result.articles} articles, {result.photos} photos, "
            f"{result.new_people} new people"
        )

    def _wants_bar(self, count):
        return self.verbosity >= 1 and count >= PROGRESS_FROM and self.stderr.isatty()

    def say(self, message):
        if self.bar:
            self.bar.clear()
        self.stdout.write(message)

    def say_error(self, message):
        if self.bar:
            self.bar.clear()
        self.stderr.write(message)


def collect_files(paths: list[str]) -> list[Path]:
    """The files to read, in order: each argument as given, directories searched recursively
    (sorted); a file is read once even when named twice."""
    files: list[Path] = []
    for argument in paths:
        path = Path(argument)
        if path.is_dir():
            files.extend(
                sorted(
                    found
                    for found in path.rglob("*")
                    if found.suffix.lower() in SUFFIXES and found.is_file()
                )
            )
        elif path.is_file():
            files.append(path)
        else:
            raise CommandError(f"{argument}: no such file or directory")
    seen = set()
    unique = []
    for path in files:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def read_file(path: Path, limit: int) -> bytes:
    """The file's bytes; a file that cannot be read or is larger than the limit is a LineError
    naming what went wrong (the caller adds the file's name)."""
    try:
        with path.open("rb") as file:
            raw = file.read(limit + 1)
    except OSError as error:
        raise LineError(f"cannot read the file: {error.strerror or error}") from None
    if len(raw) > limit:
        raise LineError(
            f"larger than the limit of {limit / 1024 / 1024:g} MB a file "
            "(IMPORT_MAX_FILE_MB); split it or raise the limit"
        )
    return raw


def date_line(text: str) -> int | None:
    """The line of the date line: where an error about the issue as a whole is reported."""
    for number, line in enumerate(text.splitlines(), start=1):
        if _DATE_LINE.match(line):
            return number
    return None


class ProgressBar:
    """One line on a terminal: [#####.....] 250/1000 files."""

    width = 30

    def __init__(self, out, total: int):
        self.out = out
        self.total = total
        self.drawn = -1
        self.started = time.perf_counter()

    def update(self, done: int) -> None:
        filled = self.width * done // self.total
        if filled == self.drawn and done != self.total:
            return
        self.drawn = filled
        elapsed = time.perf_counter() - self.started
        bar = "#" * filled + "." * (self.width - filled)
        self.out.write(f"\r[{bar}] {done}/{self.total} files, {elapsed:.0f} s", ending="")
        self.out.flush()

    def clear(self) -> None:
        self.out.write("\r" + " " * (self.width + 40) + "\r", ending="")
        self.drawn = -1

    def finish(self) -> None:
        self.out.write("")
