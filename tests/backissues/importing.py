"""Helpers for the import and export tests: run a command, snapshot the tables."""

import io
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, Byline, Correction, Photo
from issues.models import Issue, LayoutCredit, Page, Publication
from people.models import Person

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "backissues" / "fixtures" / "jinri-luotang-118.md"
SAMPLE_TEXT = SAMPLE.read_text("utf-8")
EXPECTED_118 = Path(__file__).parent / "expected_118.json"

TABLES = (Publication, Issue, LayoutCredit, Page, Article, Byline, Photo, Correction, Person)


class Run:
    """What a management command printed, and whether it ended in a CommandError."""

    def __init__(self, stdout, stderr, error):
        self.stdout = stdout
        self.stderr = stderr
        self.error = error

    @property
    def failed(self):
        return self.error is not None


def run(command, *args, **options):
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command(command, *[str(arg) for arg in args], stdout=stdout, stderr=stderr, **options)
    except CommandError as error:
        return Run(stdout.getvalue(), stderr.getvalue(), error)
    return Run(stdout.getvalue(), stderr.getvalue(), None)


def dump_tables():
    """Every row of every table the importer writes: equal dumps mean nothing changed."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in TABLES}


def counts():
    return {model.__name__: model.objects.count() for model in TABLES}


def write(directory, name, text):
    path = Path(directory) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def with_empty_additions(data):
    """The JSON export of an issue without page files: the issue-13 additions (article
    regions, photo box and image, page scan) hold their empty values."""

    def photo(photo_dict):
        return {**photo_dict, "box": None, "image": False}

    return {
        **data,
        "pages": [
            {
                **page,
                "scan": False,
                "photos": [photo(p) for p in page["photos"]],
                "articles": [
                    {**article, "regions": [], "photos": [photo(p) for p in article["photos"]]}
                    for article in page["articles"]
                ],
            }
            for page in data["pages"]
        ],
    }
