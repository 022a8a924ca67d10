"""热区 at the desk: layout staff and the responsible editor correct the article regions of a
printed page (where each article sits on the page image, read by the reader's page view and
the IIIF manifest).

The rules follow the page plan's (desk/workflow.py): while the issue is being planned or laid
out, 组版 and 责任编辑 change regions freely; once it is ready for sign-off nobody does (take it
back to layout first); once it is published, only the responsible editor does, with a note, as
a correction. Every change is logged on the issue's timeline. A region saved here is *manual*:
a re-import of the issue's bundle keeps it while the article's text is the one it was drawn
for (backissues/loader.py).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from articles.models import Article, Region
from desk import workflow
from desk.services import log
from issues.models import Issue, Page
from public.caching import invalidate_public_pages
from public.prerender import schedule_prerender

ACTION = "regions"


def page_articles(page: Page) -> list[Article]:
    """The articles a region on this page may be for: those that start on it and those
    continued on it from another page of the issue (上接), in printed order."""
    articles = Article.objects.filter(page__issue_id=page.issue_id).select_related("page")
    return sorted(
        (
            article
            for article in articles
            if article.page_id == page.pk or page.number in (article.pages or [])
        ),
        key=lambda article: (article.page_id != page.pk, article.page.number, article.order),
    )


def refusal(user, issue: Issue) -> str | None:
    """Why ``user`` may not change the regions of this issue's pages now (None: they may)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return gettext("You may not change regions.")
    names = workflow.group_names(user)
    if issue.status in workflow.OPEN_ISSUE_STATES:
        if user.is_superuser or names & {workflow.LAYOUT, workflow.CHIEF_EDITOR}:
            return None
        return gettext("Only layout staff and the responsible editor change regions.")
    if issue.status == Issue.Status.PUBLISHED:
        if user.is_superuser or workflow.CHIEF_EDITOR in names:
            return None
        return gettext(
            "%(issue)s is published: only the responsible editor corrects its regions."
        ) % {"issue": issue}
    return gettext(
        "%(issue)s is ready for sign-off: take it back to layout to change its regions."
    ) % {"issue": issue}


def needs_note(issue: Issue) -> bool:
    """A published issue's regions change only as a correction, with its reason."""
    return issue.status == Issue.Status.PUBLISHED


@transaction.atomic
def save_regions(*, page: Page, boxes: dict[int, list[list[float]]], by, note: str = "") -> int:
    """Make ``boxes`` (article id → rectangles ``[x0, y0, x1, y1]``, fractions of the page,
    origin top-left) the article regions of ``page``: a region that changed is saved as
    drawn by hand, one whose article has no rectangle left is deleted, the others stay as
    they were (an automatic region stays automatic). Photo regions are not touched.
    Returns how many regions changed."""
    workflow.refuse_while_importing(
        Issue.objects.select_related("publication").get(pk=page.issue_id)
    )
    issue = Issue.objects.select_for_update().get(pk=page.issue_id)
    reason = refusal(by, issue)
    if reason:
        raise workflow.NotAllowed(reason)
    note = note.strip()
    if needs_note(issue) and not note:
        raise workflow.InvalidTransition(
            gettext("A published issue's regions are corrected with a note saying why.")
        )
    page = Page.objects.get(pk=page.pk)
    articles = {article.pk: article for article in page_articles(page)}
    unknown = set(boxes) - set(articles)
    if unknown:
        raise workflow.InvalidTransition(gettext("A region must be for an article on this page."))
    for rectangles in boxes.values():
        for rectangle in rectangles:
            if not _valid(rectangle):
                raise workflow.InvalidTransition(
                    gettext("A rectangle must lie on the page and have a width and a height.")
                )
    existing = {
        region.article_id: region
        for region in Region.objects.select_for_update().filter(page=page, article__isnull=False)
    }
    changed = 0
    for article_id, region in existing.items():
        if not boxes.get(article_id):
            region.delete()
            changed += 1
    for article_id, rectangles in boxes.items():
        if not rectangles:
            continue
        rounded = [[round(value, 4) for value in rectangle] for rectangle in rectangles]
        region = existing.get(article_id)
        if region is not None and region.boxes == rounded:
            continue
        if region is None:
            region = Region(page=page, article=articles[article_id])
        region.boxes = rounded
        region.source = Region.Source.MANUAL
        region.text_hash = articles[article_id].text_hash()
        region.save()
        changed += 1
    if changed:
        summary = gettext("%(page)s: %(n)s regions changed") % {"page": page, "n": changed}
        log(
            by=by,
            action=ACTION,
            from_state=issue.status,
            to_state=issue.status,
            note=f"{summary}. {note}" if note else summary,
            issue=issue,
        )
        invalidate_public_pages(issue.publication)
        schedule_prerender([issue])
    return changed


def _valid(rectangle) -> bool:
    if len(rectangle) != 4:
        return False
    x0, y0, x1, y1 = rectangle
    return 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1
