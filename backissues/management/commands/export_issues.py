"""manage.py export_issues DIR: write every issue as a text file, a portable archive."""

from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from backissues.exporter import issue_photos, issue_to_data, issues_for_export, lossy_text
from backissues.images import export_names, write_images
from backissues.textformat import render
from issues.models import Issue, Publication

# Issues read per round of queries: memory stays flat however long the archive is.
CHUNK = 100


class Command(BaseCommand):
    help = (
        "Write every issue (or one publication's) in the back-issue text format, one file an "
        "issue: DIR/<publication slug>/<number>.md, or a bundle DIR/<publication slug>/<number>/ "
        "(<number>.md and pages/<n>.pdf) for an issue with printed pages; photos' images are "
        "copied beside the text as photos/<number>-<n>.<ext>. import_issues DIR reads the "
        "archive back."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")
        parser.add_argument("--publication", metavar="SLUG", help="only this publication")

    def handle(self, *args, directory, publication, verbosity, **options):
        root = Path(directory)
        if root.exists() and not root.is_dir():
            raise CommandError(f"{directory} is not a directory")
        issues = Issue.objects.order_by("publication__slug", "number")
        if publication:
            if not Publication.objects.filter(slug=publication).exists():
                raise CommandError(f"no publication with the slug {publication}")
            issues = issues.filter(publication__slug=publication)
        ids = list(issues.values_list("pk", flat=True))
        written = 0
        failed = 0
        for start in range(0, len(ids), CHUNK):
            chunk = issues_for_export().filter(pk__in=ids[start : start + CHUNK])
            for issue in chunk.order_by("publication__slug", "number"):
                data = issue_to_data(issue)
                folder = root / issue.publication.slug
                scans = [page for page in issue.pages.all() if page.scan]
                if scans:
                    folder = folder / str(issue.number)
                path = folder / f"{issue.number}.md"
                images = export_names(issue.number, issue_photos(issue), data)
                try:
                    text = render(data)
                except ValueError as error:
                    failed += 1
                    self.stderr.write(f"{path}: not written, the text format cannot hold {error}")
                    continue
                folder.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                for page in scans:
                    write_page_file(folder, page)
                write_images(folder, images)
                written += 1
                problem = lossy_text(data, text)
                if problem:
                    self.stderr.write(f"{path}: warning: {problem}")
                if verbosity >= 2:
                    self.stdout.write(f"{path}: {issue}")
        if verbosity >= 1:
            self.stdout.write(f"exported {written} issues to {root}, failed {failed}")
        if failed:
            raise CommandError(
                f"{failed} issues could not be written in the text format; "
                "export_issue NUMBER --format json keeps everything"
            )


def write_page_file(folder: Path, page) -> Path:
    """A bundle's page file, pages/<n>.<the scan's own extension>, copied from storage."""
    suffix = Path(page.scan.name).suffix.lower() or ".pdf"
    target = folder / "pages" / f"{page.number}{suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    with default_storage.open(page.scan.name) as source:
        target.write_bytes(source.read())
    return target
