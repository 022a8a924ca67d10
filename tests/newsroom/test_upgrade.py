"""A database made before the apps were split (desk, backissues, public, search) upgrades with
nothing lost: the code of that commit migrates a fresh database and imports the sample, then
today's code migrates the same database forward and exports the same JSON, with the workflow
log and the search index still there (their models moved app, their tables did not)."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

ROOT = Path(settings.BASE_DIR)
# The last commit before the split: its migrations are "today's head" for this test.
BEFORE_SPLIT = "c022cd9"
SAMPLE = ROOT / "backissues" / "fixtures" / "jinri-luotang-118.md"

OLD_LOG_ROW = (
    "from articles.models import Article, Transition;"
    "Transition.objects.create(article=Article.objects.order_by('pk').first(),"
    " action='submit', from_state='draft', to_state='submitted', note='升级前')"
)
NEW_COUNTS = (
    "from desk.models import Transition; from search.models import ArticleSearch;"
    "print(Transition.objects.filter(note='升级前').count(), ArticleSearch.objects.count())"
)


ADDITIONS = {"page": ("scan",), "article": ("regions",), "photo": ("box", "image")}


def _without_additions(data: dict) -> dict:
    def strip(item: dict, kind: str) -> dict:
        return {key: value for key, value in item.items() if key not in ADDITIONS[kind]}

    pages = []
    for page in data["pages"]:
        articles = [
            {**strip(a, "article"), "photos": [strip(p, "photo") for p in a["photos"]]}
            for a in page["articles"]
        ]
        pages.append(
            {
                **strip(page, "page"),
                "articles": articles,
                "photos": [strip(p, "photo") for p in page["photos"]],
            }
        )
    return {**data, "pages": pages}


def _git_available() -> bool:
    if not shutil.which("git"):
        return False
    found = subprocess.run(
        ["git", "cat-file", "-e", f"{BEFORE_SPLIT}^{{commit}}"], cwd=ROOT, capture_output=True
    )
    return found.returncode == 0


class UpgradeFromBeforeTheSplitTests(SimpleTestCase):
    def setUp(self):
        if not _git_available():
            self.skipTest(f"needs git and commit {BEFORE_SPLIT} (a full clone)")
        self.tmp = Path(tempfile.mkdtemp(prefix="newsroom-upgrade-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.old = self.tmp / "old"
        self.old.mkdir()
        archive = subprocess.run(
            ["git", "archive", BEFORE_SPLIT], cwd=ROOT, capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(self.old)], input=archive.stdout, check=True)
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("DJANGO_") and key not in ("DATABASE_URL", "TESTING")
        }
        self.env["DATABASE_URL"] = f"sqlite:///{self.tmp / 'db.sqlite3'}"
        # The old commit's settings switched test storage with this variable.
        self.env["TESTING"] = "1"

    def manage(self, where: Path, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=where,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        self.assertEqual(result.returncode, 0, f"{args}: {result.stderr[-2000:]}")
        return result.stdout

    def test_a_database_from_before_the_split_upgrades_with_an_identical_export(self):
        self.manage(self.old, "migrate", "--no-input", "-v", "0")
        self.manage(self.old, "import_issues", str(SAMPLE), "-v", "0")
        self.manage(self.old, "shell", "-c", OLD_LOG_ROW)
        before = json.loads(self.manage(self.old, "export_issue", "118", "--format", "json"))

        self.manage(ROOT, "migrate", "--no-input", "-v", "0")
        after = json.loads(self.manage(ROOT, "export_issue", "118", "--format", "json"))

        self.assertEqual(after["number"], 118)
        self.assertEqual(len(after["pages"][0]["articles"]), 5)
        # Keys the format gained after that commit (docs/issue-format.md, Additions): empty
        # for a database that had no page files; everything else exactly as before.
        self.assertEqual(_without_additions(after), before)
        for page in after["pages"]:
            self.assertIs(page["scan"], False)
            for article in page["articles"]:
                self.assertEqual(article["regions"], [])
            for photo in page["photos"]:
                self.assertEqual((photo["box"], photo["image"]), (None, False))
        transitions, indexed = self.manage(ROOT, "shell", "-c", NEW_COUNTS).splitlines()[-1].split()
        self.assertEqual(transitions, "1")
        self.assertEqual(indexed, "5")
        # Nothing is left for makemigrations to do on the upgraded database either.
        self.manage(ROOT, "makemigrations", "--check", "--dry-run")
