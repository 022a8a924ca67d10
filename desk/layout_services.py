"""Layout's page-plan steps besides placing: a story's jump to another page (下转N版) and the
masthead's 组版 credit. Each is one transaction and logged like the other steps."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from articles.models import Article
from desk import page_services, workflow
from desk.services import log
from issues.models import Issue, LayoutCredit, Page


def _middle_break(article: Article) -> int:
    """Where the continuation starts: the paragraph boundary nearest half the text."""
    lengths = [len(p) for p in article.paragraphs]
    total = sum(lengths)
    best, offset = total, 0
    for length in lengths[:-1]:
        offset += length
        if abs(offset - total / 2) < abs(best - total / 2):
            best = offset
    return best if len(lengths) > 1 else total


@transaction.atomic
def set_jump(*, article: Article, to_page: Page | None, by) -> Article:
    """A placed story continues on ``to_page`` of the same issue (下转N版), cut at the
    paragraph nearest its middle; ``None`` keeps it all on its start page."""
    workflow.refuse_while_importing(
        Issue.objects.select_related("publication").filter(pages__articles=article.pk).first()
    )
    locked = (
        Article.objects.select_for_update(of=("self",))
        .select_related("page__issue")
        .get(pk=article.pk)
    )
    workflow.check("place", locked, by, page=locked.page)
    if locked.status != Article.Status.PLACED:
        raise workflow.InvalidTransition(gettext("Only a placed story can jump to another page."))
    start = locked.page.number
    if to_page is None:
        locked.pages, locked.breaks = [start], []
        note = gettext("no jump")
    else:
        if to_page.issue_id != locked.page.issue_id or to_page.number == start:
            raise workflow.InvalidTransition(gettext("Choose another page of the same issue."))
        locked.pages, locked.breaks = [start, to_page.number], [_middle_break(locked)]
        note = gettext("continued on page %(n)s") % {"n": to_page.number}
    locked._history_user = by
    locked.save(update_fields=["pages", "breaks", "updated_at"])
    log(
        by=by,
        action="place",
        from_state=locked.status,
        to_state=locked.status,
        note=note,
        article=locked,
    )
    article.refresh_from_db()
    return locked


def may_credit(user) -> bool:
    return user.is_superuser or workflow.LAYOUT in workflow.group_names(user)


@transaction.atomic
def add_layout_credit(*, issue: Issue, person, by) -> LayoutCredit:
    """Put a person in the masthead's 组版 line (once); refused once the issue is published
    (desk/page_services.py)."""
    if not may_credit(by):
        raise workflow.NotAllowed(gettext("Only layout staff record the layout credit."))
    workflow.refuse_while_importing(Issue.objects.select_related("publication").get(pk=issue.pk))
    locked = Issue.objects.select_for_update().get(pk=issue.pk)
    credit = LayoutCredit.objects.filter(issue=locked, person=person).first()
    if credit is None:
        credit = LayoutCredit(issue=locked, person=person, order=locked.layout_credits.count())
        page_services.save_layout_credit(credit=credit, by=by)
    return credit


@transaction.atomic
def remove_layout_credit(*, issue: Issue, person, by) -> None:
    if not may_credit(by):
        raise workflow.NotAllowed(gettext("Only layout staff record the layout credit."))
    workflow.refuse_while_importing(Issue.objects.select_related("publication").get(pk=issue.pk))
    for credit in LayoutCredit.objects.filter(issue=issue, person=person):
        page_services.delete_layout_credit(credit=credit, by=by)
