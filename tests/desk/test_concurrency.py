"""Two people taking the same step at once: the row lock lets only one apply.

PostgreSQL only: SQLite serialises writers on its own and ignores SELECT ... FOR UPDATE.
"""

import threading
import unittest

from django.db import connection, transaction
from django.test import TransactionTestCase

from articles.models import Article
from desk import services, workflow
from desk.models import Transition
from tests import factories


@unittest.skipUnless(connection.vendor == "postgresql", "row locks need PostgreSQL")
class ConcurrentApprovalTests(TransactionTestCase):
    def test_two_editors_approving_at_once_only_one_applies(self):
        desk = factories.desk()
        article = factories.article(status=Article.Status.SUBMITTED)
        outcome = {}

        def second_editor():
            try:
                services.approve(article=Article.objects.get(pk=article.pk), by=desk.superuser)
                outcome["second"] = "approved"
            except workflow.InvalidTransition:
                outcome["second"] = "refused"
            finally:
                connection.close()

        with transaction.atomic():
            services.approve(article=article, by=desk.editor)
            other = threading.Thread(target=second_editor)
            other.start()
            # The second approval waits on the row lock until this transaction commits.
            other.join(timeout=0.5)
            self.assertTrue(other.is_alive())
        other.join(timeout=10)
        self.assertEqual(outcome, {"second": "refused"})
        self.assertEqual(Transition.objects.filter(action="approve").count(), 1)
