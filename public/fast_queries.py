"""The article and person views' queries, compiled to SQL once per process (public.prepared).

Each query below is stated as the ORM queryset it always was (the source of truth: change
the queryset, the SQL follows at the next start), compiled for a reader and for staff the
first time it runs, and afterwards sent with each request's own values. The visibility rules
stay the models' own (``Article.objects.visible_to``, ``visible_q``, ``Issue.objects``): the
``staff`` flag picks which of the two compiled versions runs. Rows come back as tuples and are
turned here into what the views used to get from the ORM: model instances with the same
loaded columns (``Model.from_db``, as ``only()`` makes them), or the ``values()`` dicts.

tests/public/test_fast_queries.py checks every query against the ORM queryset it comes from,
for every article and person of a generated archive, as a reader and as staff.
"""

from collections import namedtuple

from django.db.models import Exists, OuterRef

from articles.models import Article, Byline, Correction, Photo
from issues.models import Issue, LayoutCredit, Publication
from people.models import Person
from public.prepared import PreparedRows


class _Reader:
    is_authenticated = is_staff = False


class _Staff:
    is_authenticated = is_staff = True


def as_user(staff):
    """A stand-in user for the models' visibility rules, which look at nothing else."""
    return _Staff() if staff else _Reader()


def is_staff(user):
    return user.is_authenticated and user.is_staff


def _from_row(model, names, row, prefix=""):
    return model.from_db("default", [name.removeprefix(prefix) for name in names], row)


# --- The article page ---------------------------------------------------------------------

# What the article page shows of its rows, model by model (the texts, the pages' text layers
# and images, the imported copy of the article and the issue's extra metadata stay in the
# database). Each model's columns start with its primary key.
_ARTICLE_FIELDS = (
    "id",
    "page_id",
    "order",
    "headline",
    "subheadline",
    "dateline",
    "body",
    "pages",
    "breaks",
    "status",
    "published_at",
)
_PAGE_FIELDS = ("id", "issue_id", "number", "name")
_ISSUE_FIELDS = (
    "id",
    "publication_id",
    "date",
    "number_in_year",
    "number",
    "responsible_editor_id",
    "status",
    "sponsors",
    "sponsor_role",
)
_PUBLICATION_FIELDS = ("id", "name", "slug", "sponsors", "sponsor_role")
_EDITOR_FIELDS = ("id", "name")
_ARTICLE_PARTS = (
    (Article, "", _ARTICLE_FIELDS),
    (Page := Article._meta.get_field("page").related_model, "page__", _PAGE_FIELDS),
    (Issue, "page__issue__", _ISSUE_FIELDS),
    (Publication, "page__issue__publication__", _PUBLICATION_FIELDS),
    (Person, "page__issue__responsible_editor__", _EDITOR_FIELDS),
)
_ARTICLE_COLUMNS = [prefix + name for _model, prefix, fields in _ARTICLE_PARTS for name in fields]


def article_queryset(slug, pk, staff):
    """1. The article the reader may see, with its page, issue, paper and responsible editor,
    and whether it has photos and corrections (their queries run only then). One row or
    none: no ORDER BY (the model's ordering joins and sorts for nothing)."""
    return (
        Article.objects.visible_to(as_user(staff))
        .filter(page__issue__publication__slug=slug, pk=pk)
        .annotate(
            has_photos=Exists(Photo.objects.filter(article=OuterRef("pk"))),
            has_corrections=Exists(Correction.objects.filter(article=OuterRef("pk"))),
        )
        .order_by()
        .values_list(*_ARTICLE_COLUMNS, "has_photos", "has_corrections")
    )


ARTICLE = PreparedRows(article_queryset)


def article(slug, pk, user):
    """The article as model instances (article.page.issue.publication, and
    issue.responsible_editor), with ``has_photos`` and ``has_corrections``; or None."""
    rows = ARTICLE(slug, pk, staff=is_staff(user))
    if not rows:
        return None
    row = rows[0]
    made = []
    start = 0
    for model, _prefix, fields in _ARTICLE_PARTS:
        values = row[start : start + len(fields)]
        start += len(fields)
        made.append(None if values[0] is None else model.from_db("default", fields, values))
    found, page, issue, publication, editor = made
    found.has_photos, found.has_corrections = row[start], row[start + 1]
    found.page = page
    page.issue = issue
    issue.publication = publication
    issue.responsible_editor = editor
    return found


def bylines_queryset(article_id, staff):
    """2. The article's bylines in printed order, with each person's name."""
    return (
        Byline.objects.filter(article_id=article_id)
        .order_by("order", "id")
        .values_list("role", "person_id", "person__name")
    )


BYLINES = PreparedRows(bylines_queryset)

IssueArticle = namedtuple("IssueArticle", ["pk", "headline", "status", "page_id", "order"])


def issue_articles_queryset(issue_id, staff):
    """3. Every article of the issue, a few columns each, in the issue's order (the article
    page's previous and next article, and its place on its page): ``Article.in_issue``."""
    return (
        Article.objects.filter(page__issue_id=issue_id)
        .order_by("page__number", "order", "id")
        .values_list(*IssueArticle._fields)
    )


ISSUE_ARTICLES = PreparedRows(issue_articles_queryset)


def issue_articles(issue_id):
    return [IssueArticle._make(row) for row in ISSUE_ARTICLES(issue_id)]


def near_issues_queryset(publication_id, before, after, staff):
    """4. The issues of the paper numbered ``before`` and ``after`` that the reader may see
    (the (publication, number) index)."""
    return (
        Issue.objects.visible_to(as_user(staff))
        .filter(publication_id=publication_id, number__in=[before, after])
        .order_by()
        .values_list("id", "number")
    )


NEAR_ISSUES = PreparedRows(near_issues_queryset)


def near_issues(issue, user):
    """{number: Issue (only its id, paper and number)} of the issues one number before and
    after ``issue``."""
    rows = NEAR_ISSUES(
        issue.publication_id, issue.number - 1, issue.number + 1, staff=is_staff(user)
    )
    return {
        number: Issue.from_db(
            "default", ("id", "publication_id", "number"), (pk, issue.publication_id, number)
        )
        for pk, number in rows
    }


# --- The person page ----------------------------------------------------------------------

_PERSON_FIELDS = tuple(field.attname for field in Person._meta.concrete_fields)


def person_queryset(pk, staff):
    """1. The person, and whether they took photos, signed off or laid out issues at all."""
    return (
        Person.objects.annotate(
            took_photos=Exists(Photo.objects.filter(photographer=OuterRef("pk"))),
            edited_issues=Exists(Issue.objects.filter(responsible_editor=OuterRef("pk"))),
            laid_out_issues=Exists(LayoutCredit.objects.filter(person=OuterRef("pk"))),
        )
        .filter(pk=pk)
        .order_by()
        .values_list(*_PERSON_FIELDS, "took_photos", "edited_issues", "laid_out_issues")
    )


PERSON = PreparedRows(person_queryset)


def person(pk):
    """The Person with ``took_photos``, ``edited_issues`` and ``laid_out_issues``; or None."""
    rows = PERSON(pk, staff=False)
    if not rows:
        return None
    row = rows[0]
    found = Person.from_db("default", _PERSON_FIELDS, row[: len(_PERSON_FIELDS)])
    found.took_photos, found.edited_issues, found.laid_out_issues = row[len(_PERSON_FIELDS) :]
    return found


class Values:
    """A ``values()`` query compiled once: ``rows(*values, staff=…)`` gives its dicts."""

    def __init__(self, build, names, limit=None):
        self.names = names

        def valued(*values, staff):
            queryset = build(*values, staff=staff).values_list(*names)
            return queryset if limit is None else queryset[:limit]

        self.prepared = PreparedRows(valued)

    def __call__(self, *values, staff):
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in self.prepared(*values, staff=staff)]
