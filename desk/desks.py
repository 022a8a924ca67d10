"""What waits for each member of the desk, for the admin home page.

One section per workflow group the user is in; a superuser sees them all.
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, Subquery

from articles.models import Article
from desk import steps, workflow
from desk.models import Transition
from desk.services import display_name
from issues.models import Issue

A = Article.Status


def _with_last_step(queryset):
    # The latest step of each article, to show the editor's note on a returned story.
    latest = Transition.objects.filter(article=OuterRef("pk")).order_by("-at", "-pk")
    return queryset.annotate(
        last_action=Subquery(latest.values("action")[:1]),
        last_note=Subquery(latest.values("note")[:1]),
    )


def current_issue() -> Issue | None:
    """The next issue to sign off (the earliest not yet published), else the latest one."""
    pending = (
        Issue.objects.exclude(status=Issue.Status.PUBLISHED)
        .select_related("publication")
        .order_by("date", "number")
        .first()
    )
    return pending or Issue.objects.select_related("publication").latest_first().first()


def correspondent_desk(user) -> dict:
    mine = _with_last_step(
        Article.objects.filter(created_by=user, status__in=[A.DRAFT, A.SUBMITTED])
    ).order_by("-updated_at", "-pk")
    drafts, returned, waiting = [], [], []
    for article in mine:
        if article.status == A.SUBMITTED:
            waiting.append(article)
        elif article.last_action == "return_to_author":
            returned.append(article)
        else:
            drafts.append(article)
    return {"drafts": drafts, "returned": returned, "waiting": waiting}


def editor_desk(user) -> dict:
    queue = list(
        Article.objects.filter(status=A.SUBMITTED)
        .select_related("created_by__person")
        .annotate(photo_count=Count("photos", distinct=True))
        .order_by("updated_at", "pk")
    )
    for article in queue:
        article.author_name = display_name(article.created_by) if article.created_by else ""
        text = "".join(article.paragraphs)
        article.length = len(text)
        article.excerpt = text[:60] + ("…" if len(text) > 60 else "")
    return {"queue": queue}


def layout_desk(user) -> dict:
    waiting = list(
        Article.objects.filter(status=A.APPROVED, page__isnull=True).order_by("updated_at", "pk")
    )
    issues = list(
        Issue.objects.filter(status__in=workflow.OPEN_ISSUE_STATES)
        .select_related("publication")
        .annotate(page_count=Count("pages", distinct=True))
        .order_by("date", "number")
    )
    return {"waiting": waiting, "issues": issues}


def chief_desk(user) -> dict:
    issue = current_issue()
    if issue is None:
        return {"issue": None}
    pages = list(
        issue.pages.order_by("number").prefetch_related(
            Prefetch(
                "articles",
                queryset=Article.objects.order_by("order", "pk"),
                to_attr="ordered_articles",
            )
        )
    )
    counts = {
        row["status"]: row["n"]
        for row in Article.objects.filter(page__issue=issue)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    }
    return {
        "issue": issue,
        "pages": pages,
        "counts": [(label, counts.get(value, 0)) for value, label in A.choices],
        "blockers": workflow.publish_blockers(issue) if not issue.is_published else [],
        # Only the way forward on the home page: 签发 (which asks first). 撤回本期 and the
        # other steps live on the issue's own pages.
        "steps": [step for step in steps.buttons(issue, user) if step.name in ("publish_issue",)],
    }


def desk_for(user) -> dict:
    names = workflow.group_names(user)
    every = user.is_superuser
    desk = {}
    if every or workflow.CHIEF_EDITOR in names:
        desk["chief"] = chief_desk(user)
    if every or workflow.EDITOR in names:
        desk["editor"] = editor_desk(user)
    if every or workflow.LAYOUT in names:
        desk["layout"] = layout_desk(user)
    if workflow.CORRESPONDENT in names:
        desk["correspondent"] = correspondent_desk(user)
    return desk
