"""The database itself refuses issues and pages that would break the paper's identity."""

import datetime

from django.db import IntegrityError, transaction
from django.test import TestCase
from django.utils import timezone

from issues.models import Issue, Page, Publication
from tests import factories


class IssueConstraintTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.pub = factories.publication()
        cls.issue = factories.issue(
            pub=cls.pub, number=118, number_in_year=11, date=datetime.date(2024, 11, 28)
        )

    def create(self, **fields):
        values = {
            "publication": self.pub,
            "number": 119,
            "number_in_year": 12,
            "date": datetime.date(2024, 12, 5),
        }
        values.update(fields)
        with transaction.atomic():
            return Issue.objects.create(**values)

    def test_two_issues_cannot_share_a_cumulative_number(self):
        with self.assertRaisesMessage(IntegrityError, ""):
            self.create(number=118)

    def test_two_issues_cannot_share_a_date(self):
        with self.assertRaises(IntegrityError):
            self.create(date=datetime.date(2024, 11, 28))

    def test_another_publication_may_reuse_number_and_date(self):
        other = factories.publication(name="姜堰日报", slug="jiangyanribao")
        issue = self.create(publication=other, number=118, date=datetime.date(2024, 11, 28))
        self.assertEqual(issue.number, 118)

    def test_numbers_must_be_positive(self):
        with self.assertRaises(IntegrityError):
            self.create(number=0)
        with self.assertRaises(IntegrityError):
            self.create(number_in_year=0)

    def test_unknown_status_is_refused(self):
        with self.assertRaises(IntegrityError):
            self.create(status="printed")

    def test_published_issue_needs_a_publication_time(self):
        with self.assertRaises(IntegrityError):
            self.create(status=Issue.Status.PUBLISHED, published_at=None)
        issue = self.create(status=Issue.Status.PUBLISHED, published_at=timezone.now())
        self.assertTrue(issue.is_published)

    def test_weekday_is_read_off_the_date(self):
        self.assertEqual(self.issue.weekday, "星期四")
        self.assertEqual(str(self.issue), "今日罗塘 第11期 总第118期")


class PageConstraintTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.issue = factories.issue(pages=1)

    def test_an_issue_has_one_page_of_each_number(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Page.objects.create(issue=self.issue, number=1)

    def test_page_number_must_be_positive(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Page.objects.create(issue=self.issue, number=0)

    def test_page_label_reads_like_print(self):
        page = Page.objects.create(issue=self.issue, number=2, name="综合新闻")
        self.assertEqual(str(page), "第2版 综合新闻")


class PublicationConstraintTests(TestCase):
    def test_names_and_slugs_are_unique(self):
        factories.publication()
        with self.assertRaises(IntegrityError), transaction.atomic():
            Publication.objects.create(name="今日罗塘", slug="other")
        with self.assertRaises(IntegrityError), transaction.atomic():
            Publication.objects.create(name="罗塘周刊", slug="jinriluotang")

    def test_sponsor_role_is_one_of_the_printed_forms(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Publication.objects.create(name="罗塘周刊", slug="luotang", sponsor_role="承办")
