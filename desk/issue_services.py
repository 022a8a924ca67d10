"""Issue steps of the editorial workflow: layout, sign-off and publication.

The table of who may do what is desk/workflow.py. Publishing touches the issue and all its
placed articles, so it is one transaction with the rows locked: it changes everything with one
timestamp, or nothing.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from desk import workflow
from desk.services import log
from issues.models import Issue
from public.prerender import schedule_prerender


def _lock(issue: Issue) -> Issue:
    # Before any row lock: an import holding the issue's rows would make us wait for it.
    workflow.refuse_while_importing(Issue.objects.select_related("publication").get(pk=issue.pk))
    return Issue.objects.select_for_update().get(pk=issue.pk)


def _move(name: str, *, issue: Issue, by: AbstractBaseUser, note: str = "") -> Issue:
    locked = _lock(issue)
    rule = workflow.check(name, locked, by, note=note)
    from_state = locked.status
    locked.status = rule.target
    locked.save(update_fields=["status", "updated_at"])
    log(by=by, action=name, from_state=from_state, to_state=rule.target, note=note, issue=locked)
    issue.refresh_from_db()
    return locked


@transaction.atomic
def start_layout(*, issue: Issue, by: AbstractBaseUser) -> Issue:
    return _move("start_layout", issue=issue, by=by)


@transaction.atomic
def mark_ready(*, issue: Issue, by: AbstractBaseUser) -> Issue:
    return _move("mark_ready", issue=issue, by=by)


@transaction.atomic
def reopen_layout(*, issue: Issue, by: AbstractBaseUser) -> Issue:
    return _move("reopen_layout", issue=issue, by=by)


def _lock_articles(issue: Issue) -> list[Article]:
    # Ordered by key, not by the model's default (a join), so that the lock covers only
    # article rows, taken in the same order by every publisher.
    return list(
        Article.objects.select_for_update(of=("self",)).filter(page__issue=issue).order_by("pk")
    )


def _switch(
    *,
    issue: Issue,
    by: AbstractBaseUser,
    action: str,
    article_action: str,
    article_from: str,
    article_to: str,
    issue_to: str,
    published_at,
    note: str = "",
) -> Issue:
    """Publishing and unpublishing, which mirror each other: the issue and its articles in
    state article_from move together, locked, with one timestamp and a log line each."""
    locked = _lock(issue)
    articles = _lock_articles(locked)
    workflow.check(action, locked, by, note=note)
    now = timezone.now()
    for article in articles:
        if article.status != article_from:
            continue
        workflow.check(article_action, article, by, note=note)
        article.status = article_to
        article.published_at = published_at(now)
        article._history_user = by
        article.save()
        log(
            by=by,
            action=article_action,
            from_state=article_from,
            to_state=article_to,
            note=note,
            at=now,
            article=article,
        )
    from_state = locked.status
    locked.status = issue_to
    locked.published_at = published_at(now)
    locked.save(update_fields=["status", "published_at", "updated_at"])
    log(
        by=by,
        action=action,
        from_state=from_state,
        to_state=issue_to,
        note=note,
        at=now,
        issue=locked,
    )
    issue.refresh_from_db()
    return locked


@transaction.atomic
def publish_issue(*, issue: Issue, by: AbstractBaseUser, note: str = "") -> Issue:
    """签发: the issue and every placed article on its pages become published, with one
    timestamp. Refused, changing nothing, unless every page has an article and every article
    on the pages was approved and placed. Its public pages are then pre-rendered into the page
    cache (public/prerender.py), once the transaction commits."""
    published = _switch(
        issue=issue,
        by=by,
        action="publish_issue",
        article_action="publish",
        article_from=Article.Status.PLACED,
        article_to=Article.Status.PUBLISHED,
        issue_to=Issue.Status.PUBLISHED,
        published_at=lambda now: now,
        note=note,
    )
    schedule_prerender([published])
    return published


@transaction.atomic
def unpublish_issue(*, issue: Issue, by: AbstractBaseUser, reason: str) -> Issue:
    """Take a published issue off the public site: back to ready, its published articles back
    to placed (withdrawn ones stay withdrawn), the reason in the log of each."""
    return _switch(
        issue=issue,
        by=by,
        action="unpublish_issue",
        article_action="unpublish",
        article_from=Article.Status.PUBLISHED,
        article_to=Article.Status.PLACED,
        issue_to=Issue.Status.READY,
        published_at=lambda now: None,
        note=reason,
    )
