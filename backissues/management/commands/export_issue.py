"""manage.py export_issue NUMBER: print one issue in the text format or as JSON."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backissues.exporter import (
    issue_photos,
    issue_to_data,
    issues_for_export,
    json_additions,
    lossy_text,
)
from backissues.images import export_names, write_images
from backissues.textformat import render, to_dict


class Command(BaseCommand):
    help = (
        "Print an issue (by its cumulative number, 总第N期) in the back-issue text format, "
        "or as JSON. Importing the text into an empty database gives the same JSON. With "
        "--output FILE the text is written to FILE and the photos' images beside it "
        "(photos/<number>-<n>.<ext>, named by ![](…) lines in the text)."
    )

    def add_arguments(self, parser):
        parser.add_argument("number", type=int, help="the cumulative number (总第N期)")
        parser.add_argument(
            "--publication", metavar="SLUG", help="the publication, when several have this number"
        )
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument(
            "--output",
            "-o",
            metavar="FILE",
            help="write the text to FILE and the photos' images beside it, instead of printing",
        )

    def handle(self, *args, number, publication, format, output, **options):
        issues = issues_for_export().filter(number=number)
        if publication:
            issues = issues.filter(publication__slug=publication)
        found = list(issues.order_by("publication__slug")[:10])
        if not found:
            where = f" in publication {publication}" if publication else ""
            raise CommandError(f"no issue 总第{number}期{where}")
        if len(found) > 1:
            slugs = ", ".join(f"{issue.publication.slug} ({issue.publication})" for issue in found)
            raise CommandError(
                f"several publications have an issue 总第{number}期: {slugs}; "
                "choose one with --publication SLUG"
            )
        issue = found[0]
        data = issue_to_data(issue)
        if format == "json":
            full = json_additions(issue, to_dict(data))
            text = json.dumps(full, ensure_ascii=False, indent=2) + "\n"
            if output:
                Path(output).write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text, ending="")
            return
        images = export_names(issue.number, issue_photos(issue), data) if output else []
        try:
            text = render(data)
        except ValueError as error:
            # Typed in at the desk, an issue can hold what the format cannot say.
            raise CommandError(
                f"issue 总第{number}期 cannot be written in the text format: {error}; "
                "--format json keeps everything"
            ) from None
        if output:
            target = Path(output)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            write_images(target.parent, images)
        else:
            self.stdout.write(text, ending="")
            with_images = sum(1 for photo in issue_photos(issue) if photo.image)
            if with_images:
                self.stderr.write(
                    f"note: {with_images} photos' images are not in the printed text; "
                    "--output FILE writes them beside the text, with their ![](…) lines"
                )
        problem = lossy_text(data, text)
        if problem:
            self.stderr.write(f"warning: {problem}; --format json keeps everything")
