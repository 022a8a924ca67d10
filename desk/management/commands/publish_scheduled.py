import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from desk import scheduling


class Command(BaseCommand):
    help = (
        "Publish the issues signed off for a time that has come (签发 for a time). Safe to run "
        "as often as you like: each issue is published once. Run it every minute from a timer, "
        "or with --loop as a service (docker-compose's scheduler)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", action="store_true", help="keep running, checking every --interval seconds"
        )
        parser.add_argument("--interval", type=int, default=30, help="seconds between checks")

    def handle(self, *args, loop=False, interval=30, **options):
        while True:
            self.run_once(options["verbosity"])
            if not loop:
                return
            close_old_connections()
            time.sleep(max(1, interval))

    def run_once(self, verbosity):
        results = scheduling.run_due()
        for scheduled, error in results:
            if error:
                self.stderr.write(f"{scheduled.issue}: {error}")
            elif verbosity:
                self.stdout.write(f"{scheduled.issue}: published")
        if verbosity > 1 or (verbosity and results):
            published = sum(1 for _, error in results if not error)
            self.stdout.write(f"{published} published, {len(results) - published} refused")
