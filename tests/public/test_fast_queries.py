"""public.fast_queries: the article and person views' queries, compiled once, give exactly
what their ORM querysets give, for every article and person of a varied archive, as a reader
and as staff (published and unpublished issues, placed, withdrawn and unplaced articles,
photos on articles and on pages, editors and layout staff)."""

import datetime
import random

from django.db.models import Exists, OuterRef
from django.test import TestCase

from articles.models import Article, Byline, Correction, Photo
from issues.models import Issue, LayoutCredit
from people.models import Person
from public import fast_queries, person_views
from tests import factories

_STATUSES = [
    Article.Status.PUBLISHED,
    Article.Status.PUBLISHED,
    Article.Status.PLACED,
    Article.Status.WITHDRAWN,
]


class FastQueriesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        chance = random.Random(16)
        cls.people = [factories.person(f"记者{n}") for n in range(8)]
        cls.pubs = [factories.publication(), factories.publication(name="罗塘周末", slug="weekend")]
        for pub in cls.pubs:
            for number in range(1, 7):
                issue = factories.issue(
                    pub=pub,
                    number=number,
                    date=datetime.date(2024, 1, 1) + datetime.timedelta(days=number),
                    pages=3,
                    # Issue 4 of each paper unpublished: a gap in the readers' numbering.
                    published=number != 4,
                    responsible_editor=chance.choice([None, *cls.people[:3]]),
                    layout=chance.sample(cls.people, chance.randint(0, 2)),
                )
                for page in issue.pages.all():
                    for order in range(chance.randint(0, 4)):
                        article = factories.article(
                            page,
                            headline=f"{pub.slug}{number}-{page.number}-{order}",
                            status=chance.choice(_STATUSES),
                            order=order,
                            bylines=[
                                (who, chance.choice(Byline.Role.values))
                                for who in chance.sample(cls.people, chance.randint(0, 3))
                            ],
                        )
                        if chance.random() < 0.3:
                            factories.photo(article=article, photographer=chance.choice(cls.people))
                        if chance.random() < 0.1:
                            Correction.objects.create(article=article, note="更正")
                    if chance.random() < 0.3:
                        factories.photo(page=page, photographer=chance.choice(cls.people))
        factories.article(None, headline="未排版")  # a draft with no page
        # More photos than a section shows (the limit).
        front = Issue.objects.filter(status=Issue.Status.PUBLISHED).first().pages.first()
        for _ in range(person_views.SECTION_SIZE + 2):
            factories.photo(page=front, photographer=cls.people[7])
        cls.article_ids = [*Article.objects.values_list("pk", flat=True), 999_999]
        cls.person_ids = [*Person.objects.values_list("pk", flat=True), 999_999]

    def test_the_article_row_is_the_orm_row(self):
        for staff in (False, True):
            for pk in self.article_ids:
                for slug in ("jinriluotang", "weekend"):
                    with self.subTest(pk=pk, slug=slug, staff=staff):
                        self.assertEqual(
                            [tuple(row) for row in fast_queries.ARTICLE(slug, pk, staff=staff)],
                            list(fast_queries.article_queryset(slug, pk, staff)),
                        )

    def test_the_article_is_the_one_the_orm_reads_with_the_same_columns(self):
        """The instances ``article()`` makes against the view's former ORM query (visible_to,
        select_related, only), loaded field by loaded field."""
        columns = [c for c in fast_queries._ARTICLE_COLUMNS if not c.endswith(("__id", "id"))]
        for staff in (False, True):
            user = fast_queries.as_user(staff)
            for pk in self.article_ids:
                with self.subTest(pk=pk, staff=staff):
                    expected = (
                        Article.objects.visible_to(user)
                        .select_related(
                            "page__issue__publication", "page__issue__responsible_editor"
                        )
                        .only(*columns)
                        .annotate(
                            has_photos=Exists(Photo.objects.filter(article=OuterRef("pk"))),
                            has_corrections=Exists(
                                Correction.objects.filter(article=OuterRef("pk"))
                            ),
                        )
                        .filter(pk=pk)
                        .first()
                    )
                    slug = expected.page.issue.publication.slug if expected else "jinriluotang"
                    found = fast_queries.article(slug, pk, user)
                    if expected is None:
                        self.assertIsNone(found)
                        continue
                    for obj, other in (
                        (found, expected),
                        (found.page, expected.page),
                        (found.page.issue, expected.page.issue),
                        (found.page.issue.publication, expected.page.issue.publication),
                    ):
                        self.assertEqual(
                            obj.get_deferred_fields(), other.get_deferred_fields(), type(obj)
                        )
                        for field in type(obj)._meta.concrete_fields:
                            if field.attname not in obj.get_deferred_fields():
                                self.assertEqual(
                                    getattr(obj, field.attname), getattr(other, field.attname)
                                )
                    editor = found.page.issue.responsible_editor
                    other = expected.page.issue.responsible_editor
                    self.assertEqual(
                        editor and (editor.pk, editor.name), other and (other.pk, other.name)
                    )
                    self.assertEqual(
                        (bool(found.has_photos), bool(found.has_corrections)),
                        (expected.has_photos, expected.has_corrections),
                    )

    def test_bylines_issue_articles_and_near_issues_are_the_orm_rows(self):
        issue_ids = list(Issue.objects.values_list("pk", flat=True))
        for article_id in self.article_ids:
            self.assertEqual(
                [tuple(row) for row in fast_queries.BYLINES(article_id)],
                list(fast_queries.bylines_queryset(article_id, False)),
            )
        for issue in Issue.objects.all():
            self.assertEqual(
                fast_queries.issue_articles(issue.pk),
                list(
                    Article.objects.in_issue(issue).values_list(
                        "pk", "headline", "status", "page_id", "order", named=True
                    )
                ),
            )
            for staff in (False, True):
                user = fast_queries.as_user(staff)
                with self.subTest(issue=issue.pk, staff=staff):
                    near = fast_queries.near_issues(issue, user)
                    expected = Issue.objects.visible_to(user).filter(
                        publication_id=issue.publication_id,
                        number__in=(issue.number - 1, issue.number + 1),
                    )
                    self.assertEqual(
                        sorted((n, each.pk, each.publication_id) for n, each in near.items()),
                        sorted(expected.values_list("number", "pk", "publication_id")),
                    )
        self.assertGreater(len(issue_ids), 10)

    def test_the_person_and_their_lists_are_the_orm_rows(self):
        queries = [
            (person_views.NEWEST_BYLINES, person_views._newest_bylines),
            (person_views.NEWEST_PHOTOS, person_views._newest_photos),
            (person_views.NEWEST_EDITED, person_views._newest_issues("responsible-editor")),
            (person_views.NEWEST_LAID_OUT, person_views._newest_issues("layout")),
        ]
        seen = 0
        for pk in self.person_ids:
            found = fast_queries.person(pk)
            expected = Person.objects.filter(pk=pk).first()
            self.assertEqual(found is None, expected is None)
            if expected is not None:
                for field in Person._meta.concrete_fields:
                    self.assertEqual(
                        getattr(found, field.attname), getattr(expected, field.attname)
                    )
                self.assertEqual(
                    bool(found.took_photos), Photo.objects.filter(photographer=pk).exists()
                )
                self.assertEqual(
                    (bool(found.edited_issues), bool(found.laid_out_issues)),
                    (
                        Issue.objects.filter(responsible_editor=pk).exists(),
                        LayoutCredit.objects.filter(person=pk).exists(),
                    ),
                )
            for staff in (False, True):
                for prepared, build in queries:
                    with self.subTest(pk=pk, staff=staff, names=prepared.names[:3]):
                        rows = build(pk, staff).values(*prepared.names)
                        if prepared is not person_views.NEWEST_BYLINES:
                            rows = rows[: person_views.SECTION_SIZE]
                        expected_rows = list(rows)
                        self.assertEqual(prepared(pk, staff=staff), expected_rows)
                        seen += len(expected_rows)
        self.assertGreater(seen, 100)
