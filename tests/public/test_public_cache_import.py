"""Importing back issues (bulk writes) still makes cached public pages stale: the loader
saves the Issue row, whose signal invalidates the publication's pages, now and on commit."""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import TestCase

SAMPLE = Path(settings.BASE_DIR) / "backissues" / "fixtures" / "jinri-luotang-118.md"


class ImportInvalidatesTests(TestCase):
    def test_replacing_an_issue_shows_the_new_text(self):
        call_command("import_issues", str(SAMPLE), verbosity=0)
        url = "/jinriluotang/issues/118/"
        self.assertContains(self.client.get(url), "缪杰明带队走访辖区企业")
        changed = SAMPLE.read_text(encoding="utf-8").replace(
            "## 缪杰明带队走访辖区企业", "## 缪杰明带队走访辖区重点企业"
        )
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "118.md"
            path.write_text(changed, encoding="utf-8")
            call_command("import_issues", str(path), "--replace", verbosity=0)
        self.assertContains(self.client.get(url), "缪杰明带队走访辖区重点企业")
