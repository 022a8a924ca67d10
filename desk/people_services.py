"""Names as printed: a person's or a paper's name in a published issue never changes.

Bylines, photo credits, the 责任编辑 and 组版 lines and the masthead print the name of a
Person or a Publication row. Renaming a row that a published issue prints would silently
rewrite what readers read as printed, so the rename is refused with the reason; a person who
now goes by another name is filed as a new person (new bylines use it), and a misprinted name
is fixed by a correction of the byline or the masthead (desk/parts_services.py,
desk/page_services.py). Other fields (affiliation, the login, the masthead defaults) change
freely.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from articles.models import Article, Byline, Photo
from desk import workflow
from issues.models import Issue, LayoutCredit, Publication
from people.models import Person

PUBLISHED = Issue.Status.PUBLISHED
IN_RECORD = (Article.Status.PUBLISHED, Article.Status.WITHDRAWN)


def printed_in_published_issue(person: Person) -> bool:
    """Whether a published issue prints this person's name."""
    return (
        Byline.objects.filter(
            person=person, article__status__in=IN_RECORD, article__page__issue__status=PUBLISHED
        ).exists()
        or Photo.objects.filter(photographer=person)
        .filter(
            Q(article__status__in=IN_RECORD, article__page__issue__status=PUBLISHED)
            | Q(page__issue__status=PUBLISHED)
        )
        .exists()
        or LayoutCredit.objects.filter(person=person, issue__status=PUBLISHED).exists()
        or Issue.objects.filter(responsible_editor=person, status=PUBLISHED).exists()
    )


@transaction.atomic
def save_person(*, person: Person, by) -> Person:
    if person.pk is not None:
        stored = Person.objects.select_for_update().get(pk=person.pk)
        if stored.name != person.name and printed_in_published_issue(stored):
            raise workflow.NotAllowed(
                gettext(
                    "%(name)s is printed under this name in published issues, which keep it. "
                    "Add the new name as a new person; a misprinted name is fixed by a "
                    "correction of the byline or masthead."
                )
                % {"name": stored.name}
            )
    person.save()
    return person


@transaction.atomic
def save_publication(*, publication: Publication, by) -> Publication:
    if publication.pk is not None:
        stored = Publication.objects.select_for_update().get(pk=publication.pk)
        changed = stored.name != publication.name or stored.slug != publication.slug
        if changed and stored.issues.filter(status=PUBLISHED).exists():
            raise workflow.NotAllowed(
                gettext(
                    "%(name)s has published issues: its name and address are part of what "
                    "they printed and where readers find them, and do not change."
                )
                % {"name": stored.name}
            )
    publication.save()
    return publication
