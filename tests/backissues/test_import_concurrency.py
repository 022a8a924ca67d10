"""Imports running at the same time as each other and as the desk, on PostgreSQL.

An import holds its issue with an advisory lock (issues/locks.py) for its whole transaction:
a second import of the issue waits for it, and a desk save on the issue is refused with
"本期正在重新导入" instead of a 500. New people are created under a lock per name, so two
imports sharing 40 new names create 40 people.

PostgreSQL only: SQLite has no advisory locks, and its one write lock serialises writers on
its own; what the desk answers there is tested in tests/desk/test_database_busy.py.
"""

import dataclasses
import threading
import unittest
from unittest import mock

from django.db import connection, transaction
from django.test import TransactionTestCase
from django.urls import reverse

from articles.models import Article
from backissues import loader
from backissues.textformat import BylineData, parse
from issues.locks import lock_issue_import
from issues.models import Issue, Publication
from people.models import Person
from tests import factories
from tests.desk.test_admin_workflow import change_data

from .importing import SAMPLE_TEXT

BEING_IMPORTED = "本期正在重新导入"


def changed_118():
    return parse(SAMPLE_TEXT.replace("11月21日,罗塘街道", "11月22日,罗塘街道", 1))


class PausedImport(threading.Thread):
    """``load_issue`` in its own thread and connection, stopped half-way through its
    transaction (after the articles are written, before they are indexed) until released."""

    def __init__(self, data, **options):
        super().__init__(daemon=True)
        self.data, self.options = data, options
        self.inside = threading.Event()
        self.release = threading.Event()
        self.result = None
        self.error = None

    def run(self):
        real = loader.index_articles

        def pause(pks):
            self.inside.set()
            self.release.wait(timeout=30)
            return real(pks)

        try:
            with mock.patch.object(loader, "index_articles", pause):
                self.result = loader.load_issue(data=self.data, **self.options)
        except Exception as error:  # noqa: BLE001 - the test reads it
            self.error = error
        finally:
            self.inside.set()
            connection.close()


@unittest.skipUnless(connection.vendor == "postgresql", "advisory locks are PostgreSQL's")
class DeskDuringImportTests(TransactionTestCase):
    def setUp(self):
        factories.restore_desk_groups()
        self.desk = factories.desk()
        loader.load_issue(data=parse(SAMPLE_TEXT), publish=False)  # 待签发: still editable
        self.issue = Issue.objects.get()
        self.article = Article.objects.get(headline="罗塘街道(高新区)部署当前重点工作")

    def start_import(self):
        running = PausedImport(changed_118(), replace=True, publish=False)
        running.start()
        self.assertTrue(running.inside.wait(timeout=30))
        self.addCleanup(running.join, 30)
        self.addCleanup(running.release.set)
        return running

    def test_an_editor_saving_an_article_during_a_replace_is_refused_cleanly(self):
        running = self.start_import()
        self.client.force_login(self.desk.editor)
        url = reverse("admin:articles_article_change", args=[self.article.pk])
        response = self.client.post(
            url, change_data(self.article, headline="编辑改的标题"), follow=True
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, BEING_IMPORTED)
        running.release.set()
        running.join(timeout=30)
        self.assertIsNone(running.error)
        self.assertEqual(running.result.status, "replaced")
        self.article.refresh_from_db()
        self.assertEqual(self.article.headline, "罗塘街道(高新区)部署当前重点工作")
        self.assertIn("11月22日", self.article.body)
        # Once the import is done, the same save goes through (from the version it left).
        response = self.client.post(url, change_data(self.article, headline="编辑改的标题"))
        self.article.refresh_from_db()
        self.assertEqual(self.article.headline, "编辑改的标题")

    def test_a_step_button_during_a_replace_is_refused_cleanly(self):
        self.start_import()
        self.client.force_login(self.desk.layout)
        url = reverse("admin:issues_issue_step", args=[self.issue.pk, "reopen_layout"])
        response = self.client.post(url, follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, BEING_IMPORTED)
        self.issue.refresh_from_db()
        self.assertEqual(self.issue.status, Issue.Status.READY)

    def test_a_save_while_another_connection_holds_the_import_lock_is_refused(self):
        holding, release = threading.Event(), threading.Event()

        def hold():
            with transaction.atomic():
                lock_issue_import("今日罗塘", 118)
                holding.set()
                release.wait(timeout=30)
            connection.close()

        holder = threading.Thread(target=hold, daemon=True)
        holder.start()
        self.assertTrue(holding.wait(timeout=30))
        self.client.force_login(self.desk.editor)
        url = reverse("admin:articles_article_change", args=[self.article.pk])
        data = change_data(self.article, headline="编辑改的标题")
        try:
            response = self.client.post(url, data, follow=True)
            self.assertContains(response, BEING_IMPORTED)
            self.article.refresh_from_db()
            self.assertEqual(self.article.version, 1)
        finally:
            release.set()
            holder.join(timeout=30)
        # Released: the same save goes through.
        self.client.post(url, data)
        self.article.refresh_from_db()
        self.assertEqual((self.article.headline, self.article.version), ("编辑改的标题", 2))

    def test_a_second_import_of_the_issue_waits_for_the_first(self):
        first = self.start_import()
        second = PausedImport(changed_118(), replace=True, publish=False)
        second.release.set()
        second.start()
        second.join(timeout=1)
        self.assertTrue(second.is_alive(), "the second import waits on the issue's lock")
        self.assertFalse(second.inside.is_set())
        first.release.set()
        first.join(timeout=30)
        second.join(timeout=30)
        self.assertEqual((first.error, second.error), (None, None))
        self.assertEqual((first.result.status, second.result.status), ("replaced", "unchanged"))
        self.assertEqual(Article.objects.count(), 5)


def with_new_names(number, day, names):
    """Issue 118's text as another issue, its bylines made of ``names``."""
    data = parse(
        SAMPLE_TEXT.replace("总第118期", f"总第{number}期").replace(
            "2024年11月28日 星期四", f"2024年11月{day}日"
        )
    )
    articles = data.pages[0].articles
    for index, article in enumerate(articles):
        chunk = names[index * 8 : (index + 1) * 8]
        article.bylines = [BylineData(name, "reporter") for name in chunk]
    return dataclasses.replace(data, warnings=[])


@unittest.skipUnless(connection.vendor == "postgresql", "advisory locks are PostgreSQL's")
class ParallelImportPeopleTests(TransactionTestCase):
    def test_two_imports_sharing_40_new_names_create_40_people(self):
        loader.load_issue(data=parse(SAMPLE_TEXT))  # the paper and its usual people
        names = [f"新人{n:02d}号" for n in range(40)]
        issues = [with_new_names(201, 1, names), with_new_names(202, 2, names)]
        # Both imports look the names up (and miss them all) before either takes the name
        # locks: the race the locks are there for.
        both_looked = threading.Barrier(2, timeout=30)
        real = loader.lock_names

        def after_both_looked(found):
            both_looked.wait()
            return real(found)

        errors = []

        def run(data):
            try:
                loader.load_issue(data=data)
            except Exception as error:  # noqa: BLE001
                errors.append(error)
            finally:
                connection.close()

        with mock.patch.object(loader, "lock_names", after_both_looked):
            threads = [threading.Thread(target=run, args=(data,)) for data in issues]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        self.assertEqual(errors, [])
        self.assertEqual(Issue.objects.count(), 3)
        self.assertEqual(Publication.objects.count(), 1)
        self.assertEqual(Person.objects.filter(name__in=names).count(), 40)
