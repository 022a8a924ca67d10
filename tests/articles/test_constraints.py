"""The database refuses articles, bylines and photos that no printed page could hold."""

from django.db import IntegrityError, transaction
from django.test import TestCase
from django.utils import timezone

from articles.models import Article, Byline, Correction, Photo
from tests import factories


class ArticleConstraintTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.issue = factories.issue(pages=2, published=True)
        cls.page = cls.issue.pages.get(number=1)
        cls.reporter = factories.person("郁菲菲")
        cls.article = factories.article(cls.page)

    def test_a_draft_needs_no_page(self):
        draft = factories.article(None, headline="罗塘街道部署当前重点工作")
        self.assertEqual(draft.status, Article.Status.DRAFT)
        self.assertIsNone(draft.issue)

    def test_a_placed_article_must_be_on_a_page(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Article.objects.create(headline="无版面稿件", status=Article.Status.PLACED)

    def test_a_published_article_needs_a_publication_time(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Article.objects.create(
                headline="未记录发布时间", page=self.page, status=Article.Status.PUBLISHED
            )

    def test_unknown_status_is_refused(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Article.objects.create(headline="状态错误", status="lost")

    def test_headline_cannot_be_empty(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Article.objects.create(headline="")

    def test_version_starts_at_one(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Article.objects.filter(pk=self.article.pk).update(version=0)

    def test_issue_is_the_start_pages_issue(self):
        self.assertEqual(self.article.issue, self.issue)

    def test_paragraphs_are_the_lines_of_the_body(self):
        article = factories.article(self.page, body="第一段。\n第二段。\n")
        self.assertEqual(article.paragraphs, ["第一段。", "第二段。"])


class PublishedQuerySetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        published_issue = factories.issue(published=True)
        planned_issue = factories.issue(published=False)
        cls.public = factories.article(published_issue.pages.get())
        cls.placed = factories.article(
            published_issue.pages.get(), status=Article.Status.PLACED, headline="已组版稿件"
        )
        # A published article in an issue that is not: the issue decides.
        cls.hidden = factories.article(
            planned_issue.pages.get(),
            status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
            headline="未签发期次中的稿件",
        )

    def test_published_means_article_and_issue_are_published(self):
        self.assertQuerySetEqual(Article.objects.published(), [self.public])


class BylineConstraintTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = factories.article(None)
        cls.person = factories.person("郁菲菲")

    def test_one_person_may_hold_two_roles(self):
        Byline.objects.create(article=self.article, person=self.person, role="reporter")
        Byline.objects.create(article=self.article, person=self.person, role="photographer")
        self.assertEqual(self.article.bylines.count(), 2)

    def test_the_same_role_twice_is_refused(self):
        Byline.objects.create(article=self.article, person=self.person, role="reporter")
        with self.assertRaises(IntegrityError), transaction.atomic():
            Byline.objects.create(article=self.article, person=self.person, role="reporter")

    def test_unknown_role_is_refused(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Byline.objects.create(article=self.article, person=self.person, role="intern")


class PhotoConstraintTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.issue = factories.issue()
        cls.page = cls.issue.pages.get()
        cls.article = factories.article(cls.page, status=Article.Status.PLACED)

    def test_a_photo_belongs_to_an_article(self):
        photo = factories.photo(article=self.article)
        self.assertEqual(list(self.article.photos.all()), [photo])

    def test_a_photo_belongs_to_a_page_as_photo_news(self):
        photo = factories.photo(page=self.page)
        self.assertEqual(list(self.page.photos.all()), [photo])

    def test_a_photo_cannot_belong_to_both(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Photo.objects.create(caption="两处", article=self.article, page=self.page)

    def test_a_photo_cannot_belong_to_neither(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Photo.objects.create(caption="无处")


class CorrectionConstraintTests(TestCase):
    def test_a_correction_says_something(self):
        article = factories.article(None)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Correction.objects.create(article=article, note="")
