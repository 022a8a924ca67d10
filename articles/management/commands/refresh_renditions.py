from django.core.management.base import BaseCommand, CommandError

from articles.photos import refresh_stale_renditions


class Command(BaseCommand):
    help = (
        "Make the renditions that photos stored before the rendition widths changed lack "
        "(files already stored are kept, not encoded again). Run after deploying a change of "
        "imaging/renditions.py DEFAULT_WIDTHS; safe to run twice or to interrupt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the photos to refresh, change nothing."
        )

    def handle(self, *, dry_run, verbosity, **options):
        def progress(done, total):
            if verbosity > 1 and (done % 50 == 0 or done == total):
                self.stdout.write(f"  {done}/{total} photos")

        counts = refresh_stale_renditions(dry_run=dry_run, progress=progress)
        if dry_run:
            self.stdout.write(f"{counts['stale']} photos lack renditions of today's widths.")
            return
        self.stdout.write(
            self.style.SUCCESS(f"Refreshed the renditions of {counts['refreshed']} photos.")
        )
        if counts["failed"]:
            raise CommandError(
                f"{counts['failed']} photos could not be refreshed (their original is missing "
                "or unreadable; see the log). Run again once they are fixed."
            )
