"""public.prepared: a query compiled once gives, for other values, the rows the ORM would."""

import datetime

from django.db.models import Q
from django.test import TestCase
from django.utils import timezone

from articles.models import Article
from issues.models import Issue, IssueCorrection
from public.prepared import PreparedRows
from tests import factories


def visible_headlines(issue_id, staff):
    articles = Article.objects.filter(page__issue_id=issue_id)
    if not staff:
        articles = articles.filter(status=Article.Status.PUBLISHED)
    return articles.order_by("order", "id").values_list("headline", "pages")


def around(publication_id, number, staff):
    """Comparisons (number < x, number > x): Django types and may compile away values."""
    return (
        Issue.objects.filter(publication_id=publication_id)
        .filter(Q(number__lt=number) | Q(number__gt=number + 0))
        .order_by("number")
        .values_list("number", "date")
    )


class PreparedRowsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.pub = factories.publication()
        cls.issues = [
            factories.issue(pub=cls.pub, number=n, pages=2, published=True) for n in (1, 2, 3)
        ]
        for issue in cls.issues:
            first, second = issue.pages.order_by("number")
            factories.article(first, headline=f"{issue.number} 头条", order=1)
            factories.article(second, headline=f"{issue.number} 二版", order=0)
            factories.article(
                second, headline=f"{issue.number} 未签发", status=Article.Status.PLACED
            )

    def test_each_call_gives_the_rows_of_its_own_values(self):
        prepared = PreparedRows(visible_headlines)
        for issue in self.issues:
            for staff in (False, True):
                with self.subTest(issue=issue.number, staff=staff):
                    with self.assertNumQueries(1):
                        rows = prepared(issue.pk, staff=staff)
                    expected = list(visible_headlines(issue.pk, staff))
                    self.assertEqual([tuple(row) for row in rows], expected)
        self.assertEqual(rows[0][1], [2])  # the JSON column decoded (二版, order 0)
        # One compiled query for readers and one for staff, reused for the other issues.
        self.assertEqual(len(prepared.compiled), 2)

    def test_comparisons_and_dates_come_back_as_the_orm_gives_them(self):
        prepared = PreparedRows(around)
        for issue in self.issues:
            rows = prepared(self.pub.pk, issue.number)
            self.assertEqual(
                [tuple(row) for row in rows], list(around(self.pub.pk, issue.number, False))
            )
            self.assertEqual(len(rows), 2)
            self.assertIsInstance(rows[0][1], datetime.date)

    def test_lists_of_any_length(self):
        ids = list(Article.objects.order_by("id").values_list("id", flat=True))
        prepared = PreparedRows(
            lambda pks, staff: Article.objects.filter(pk__in=pks).order_by("id").values_list("pk")
        )
        for size in (1, 3, len(ids), 2):
            with self.subTest(size=size):
                self.assertEqual([row[0] for row in prepared(ids[:size])], ids[:size])

    def test_a_datetime_column_is_aware(self):
        created = timezone.make_aware(datetime.datetime(2024, 12, 1, 9, 0))
        IssueCorrection.objects.create(issue=self.issues[0], note="更正", created_at=created)
        prepared = PreparedRows(
            lambda issue_id, staff: IssueCorrection.objects.filter(issue_id=issue_id).values_list(
                "created_at", "note"
            )
        )
        self.assertEqual([tuple(row) for row in prepared(self.issues[0].pk)], [(created, "更正")])
