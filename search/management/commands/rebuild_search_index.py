import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Article
from search.index import index_articles
from search.models import ArticleSearch


class Command(BaseCommand):
    help = (
        "Rebuild the search index of every article (all states: the search page itself "
        "shows only published ones). Safe to run twice; one transaction per batch."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the articles, write nothing."
        )

    def handle(self, *, batch_size, dry_run, verbosity, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        if dry_run:
            self.stdout.write(f"Would index {len(ids)} articles.")
            return
        started = time.monotonic()
        written = 0
        for start in range(0, len(ids), batch_size):
            with transaction.atomic():
                written += index_articles(ids[start : start + batch_size])
            if verbosity > 1:
                self.stdout.write(f"  {written}/{len(ids)} articles")
        # Rows of articles gone since: none should exist (the row is deleted with its
        # article), but a raw DELETE would leave them.
        stale, _ = ArticleSearch.objects.exclude(article__in=Article.objects.all()).delete()
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {written} articles in {time.monotonic() - started:.1f} s"
                f" ({stale} stale rows removed)."
            )
        )
