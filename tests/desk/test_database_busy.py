"""SQLite: a desk save while an import holds the database's write lock.

SQLite has no advisory locks (issues/locks.py): an import holds the one write lock for its
whole transaction, so a desk request meeting it fails with "database is locked" (or, on the
shared-cache test database, "database table is locked"). The desk answers 503 with a plain
Chinese page (desk.middleware.DatabaseBusyMiddleware), never a 500, and nothing is saved. The
PostgreSQL behaviour (refused with 本期正在重新导入) is in tests/backissues/
test_import_concurrency.py.
"""

import unittest

from django.db import connection
from django.test import TransactionTestCase
from django.urls import reverse

from articles.models import Article
from backissues import loader
from backissues.textformat import parse
from tests import factories
from tests.backissues.importing import SAMPLE_TEXT
from tests.backissues.test_import_concurrency import PausedImport, changed_118
from tests.desk.test_admin_workflow import change_data


@unittest.skipUnless(connection.vendor == "sqlite", "SQLite's own write lock")
class DeskSaveDuringImportOnSqliteTests(TransactionTestCase):
    def setUp(self):
        factories.restore_desk_groups()
        self.desk = factories.desk()
        loader.load_issue(data=parse(SAMPLE_TEXT), publish=False)
        self.article = Article.objects.get(headline="罗塘街道(高新区)部署当前重点工作")

    def test_a_save_during_an_import_gets_a_plain_busy_page_and_changes_nothing(self):
        self.client.force_login(self.desk.editor)
        running = PausedImport(changed_118(), replace=True, publish=False)
        running.start()
        self.addCleanup(running.join, 30)
        self.addCleanup(running.release.set)
        self.assertTrue(running.inside.wait(timeout=30))
        url = reverse("admin:articles_article_change", args=[self.article.pk])
        response = self.client.post(url, change_data(self.article, headline="编辑改的标题"))
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "5")
        self.assertContains(response, "数据库正忙", status_code=503)
        self.assertContains(response, "本次未保存任何更改", status_code=503)
        running.release.set()
        running.join(timeout=30)
        self.assertIsNone(running.error)
        self.article.refresh_from_db()
        self.assertEqual(self.article.headline, "罗塘街道(高新区)部署当前重点工作")
