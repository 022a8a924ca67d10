"""签发 for a time, and the runner that publishes what is due.

The responsible editor confirms the issue as it stands now and chooses a time; the issue stays
待签发 until then and the schedule can be cancelled. ``manage.py publish_scheduled`` (run by a
timer, or as the ``scheduler`` service of docker-compose with ``--loop``) publishes each due
issue through the same ``publish_issue`` as the button, as the editor who scheduled it, and
only if nothing changed since it was confirmed.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from desk import confirm, issue_services, workflow
from desk.models import ScheduledPublication
from issues.models import Issue


@transaction.atomic
def schedule(*, issue: Issue, by, at: datetime.datetime, version: str) -> ScheduledPublication:
    """Refused (WorkflowError) unless ``by`` may publish the issue now, ``at`` is in the
    future and ``version`` is still the issue's version."""
    workflow.refuse_while_importing(Issue.objects.select_related("publication").get(pk=issue.pk))
    locked = Issue.objects.select_for_update().get(pk=issue.pk)
    workflow.check("publish_issue", locked, by)
    if at <= timezone.now():
        raise workflow.InvalidTransition(gettext("The publication time must be in the future."))
    if version != confirm.issue_version(locked):
        raise workflow.StaleEdit(
            gettext("The issue changed after you opened this page; check it again.")
        )
    scheduled, _ = ScheduledPublication.objects.update_or_create(
        issue=locked, defaults={"at": at, "version": version, "by": by, "error": ""}
    )
    return scheduled


@transaction.atomic
def cancel(*, issue: Issue, by) -> bool:
    if not workflow.TRANSITIONS["publish_issue"].may(by, issue):
        raise workflow.NotAllowed(gettext("Only the responsible editor signs issues off."))
    deleted, _ = ScheduledPublication.objects.filter(issue=issue).delete()
    return bool(deleted)


def run_due(now: datetime.datetime | None = None) -> list[tuple[ScheduledPublication, str]]:
    """Publish every issue whose time has come. Returns (schedule, error) pairs; an empty
    error means published. Each issue is its own transaction."""
    now = now or timezone.now()
    results = []
    due = ScheduledPublication.objects.filter(at__lte=now, error="").select_related("issue", "by")
    for scheduled in list(due.order_by("at", "pk")):
        results.append((scheduled, _publish_one(scheduled)))
    return results


@transaction.atomic
def _publish_one(scheduled: ScheduledPublication) -> str:
    issue = Issue.objects.select_for_update().get(pk=scheduled.issue_id)
    error = ""
    if confirm.issue_version(issue) != scheduled.version:
        error = gettext("The issue changed after the scheduled sign-off; sign it off again.")
    else:
        try:
            issue_services.publish_issue(
                issue=issue, by=scheduled.by, note=gettext("Scheduled sign-off")
            )
        except workflow.WorkflowError as refused:
            error = str(refused)
    if error:
        ScheduledPublication.objects.filter(pk=scheduled.pk).update(error=error)
    else:
        ScheduledPublication.objects.filter(pk=scheduled.pk).delete()
    return error
