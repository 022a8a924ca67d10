"""manage.py export_issue NUMBER: print one issue in the text format or as JSON."""

import json

from django.core.management.base import BaseCommand, CommandError

from backissues.exporter import issue_to_data, issues_for_export, json_additions, lossy_text
from backissues.textformat import render, to_dict


class Command(BaseCommand):
    help = (
        "Print an issue (by its cumulative number, 总第N期) in the back-issue text format, "
        "or as JSON. Importing the text into an empty database gives the same JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("number", type=int, help="the cumulative number (总第N期)")
        parser.add_argument(
            "--publication", metavar="SLUG", help="the publication, when several have this number"
        )
        parser.add_argument("--format", choices=("text", "json"), default="text")

    def handle(self, *args, number, publication, format, **options):
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
        data = issue_to_data(found[0])
        if format == "json":
            full = json_additions(found[0], to_dict(data))
            self.stdout.write(json.dumps(full, ensure_ascii=False, indent=2))
            return
        try:
            text = render(data)
        except ValueError as error:
            # Typed in at the desk, an issue can hold what the format cannot say.
            raise CommandError(
                f"issue 总第{number}期 cannot be written in the text format: {error}; "
                "--format json keeps everything"
            ) from None
        self.stdout.write(text, ending="")
        problem = lossy_text(data, text)
        if problem:
            self.stderr.write(f"warning: {problem}; --format json keeps everything")
