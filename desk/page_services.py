"""An issue's own record: its pages, its number, date and masthead, its staff.

Every admin page that changes them (the issue form with its page and layout-credit rows, the
stand-alone Page pages, bulk delete, the layout board's credit buttons) calls these
functions. Each is one transaction with the issue row locked (both issues when a page moves),
checks the change against desk/workflow.py, applies it and logs it on the issue's timeline.

Once an issue is published:

- its pages (add, rename, renumber, move, scan, delete) are refused, for everyone: they are
  the printed record, and unpublishing the issue first (撤回本期) is itself a logged step;
- its publication, number and date are refused: every address of the issue is built from
  them and has been handed out;
- its masthead and staff (sponsors, 电子版, 投稿邮箱, 责任编辑, layout credits) change only by a
  correction of the responsible editor, with a note shown on the issue page (IssueCorrection).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from desk import workflow
from desk.services import log
from issues.models import Issue, IssueCorrection, LayoutCredit, Page
from people.validators import no_control_characters
from public.prerender import schedule_prerender

# What a published issue never changes: its addresses are made of them.
IDENTITY_FIELDS = ("publication", "date", "number_in_year", "number")
# What a published issue changes only by a correction.
CORRECTABLE_FIELDS = ("responsible_editor", *Issue.MASTHEAD_FIELDS, "extra")


def _lock(*issue_ids: int) -> dict[int, Issue]:
    return {pk: Issue.objects.select_for_update().get(pk=pk) for pk in sorted(set(issue_ids))}


def _check_constraints(obj, exclude=None) -> None:
    try:
        obj.validate_unique(exclude=exclude)
        obj.validate_constraints(exclude=exclude)
    except ValidationError as invalid:
        raise workflow.InvalidTransition(" ".join(invalid.messages)) from None


def _log(issue: Issue, *, by, action: str, note: str, at=None):
    log(
        by=by,
        action=action,
        from_state=issue.status,
        to_state=issue.status,
        note=note,
        at=at,
        issue=issue,
    )


# Pages.


def _may_edit_pages(issue: Issue, by) -> None:
    if issue.is_published:
        raise workflow.NotAllowed(
            gettext(
                "%(issue)s is published: its pages are the printed record. Unpublish the issue "
                "first to change them."
            )
            % {"issue": issue}
        )
    if not workflow.can_edit_pages(by, issue):
        raise workflow.NotAllowed(gettext("Only layout and the responsible editor change pages."))


@transaction.atomic
def save_page(*, page: Page, by) -> Page:
    """Add a page or save a changed one (name, number, scan, or its issue: a move)."""
    old = Page.objects.filter(pk=page.pk).first() if page.pk else None
    issues = _lock(page.issue_id, *([old.issue_id] if old else []))
    for issue in issues.values():
        _may_edit_pages(issue, by)
    _check_constraints(page)
    page.save()
    now = timezone.now()
    if old is None:
        _log(
            issues[page.issue_id],
            by=by,
            action="edit_page",
            note=gettext("%(page)s added") % {"page": page},
            at=now,
        )
    elif old.issue_id != page.issue_id:
        _log(
            issues[old.issue_id],
            by=by,
            action="edit_page",
            note=gettext("%(page)s moved to %(issue)s")
            % {"page": old, "issue": issues[page.issue_id]},
            at=now,
        )
        _log(
            issues[page.issue_id],
            by=by,
            action="edit_page",
            note=gettext("%(page)s moved from %(issue)s")
            % {"page": page, "issue": issues[old.issue_id]},
            at=now,
        )
    else:
        what = str(page) if str(old) == str(page) else f"{old} → {page}"
        if old.scan.name != page.scan.name:
            what += gettext(", new scan")
        _log(
            issues[page.issue_id],
            by=by,
            action="edit_page",
            note=gettext("%(what)s changed") % {"what": what},
            at=now,
        )
    return page


@transaction.atomic
def delete_page(*, page: Page, by) -> None:
    issue = _lock(page.issue_id)[page.issue_id]
    _may_edit_pages(issue, by)
    label = str(page)
    page.delete()
    _log(issue, by=by, action="edit_page", note=gettext("%(page)s deleted") % {"page": label})


# The issue's own fields.


def _correction(issue: Issue, *, by, note: str, what: str, correction) -> IssueCorrection:
    """Log a correction of the published issue; one public note per save of the form (pass
    the one this save already made as ``correction``)."""
    now = timezone.now()
    if correction is None:
        correction = IssueCorrection.objects.create(
            issue=issue, note=note.strip(), created_at=now, created_by=by
        )
        schedule_prerender([issue])
    _log(issue, by=by, action="correct_issue", note=f"{note.strip()}（{what}）", at=now)
    return correction


def _authorize_correction(issue: Issue, *, by, note: str) -> None:
    try:
        no_control_characters(note)
    except ValidationError as invalid:
        raise workflow.InvalidTransition(" ".join(invalid.messages)) from None
    workflow.check("correct_issue", issue, by, note=note)


def _changed(old: Issue, new: Issue, names) -> list[str]:
    changed = []
    for name in names:
        field = Issue._meta.get_field(name)
        if field.value_from_object(old) != field.value_from_object(new):
            changed.append(name)
    return changed


def _labels(names) -> str:
    return "、".join(str(Issue._meta.get_field(name).verbose_name) for name in names)


@transaction.atomic
def save_issue(*, issue: Issue, by, note: str = "", correction=None) -> IssueCorrection | None:
    """Add an issue or save its changed number, date, masthead or 责任编辑 (new values on
    ``issue``, not yet saved). Returns the correction made, if the issue was published."""
    if issue.pk is None:
        if not workflow.can_edit_issue(by, None):
            raise workflow.NotAllowed(gettext("Only the responsible editor adds issues."))
        issue.status = Issue.Status.PLANNING
        issue.published_at = None
        _check_constraints(issue)
        issue.save()
        _log(issue, by=by, action="edit_issue", note=gettext("issue added"))
        return None
    locked = _lock(issue.pk)[issue.pk]
    if not workflow.can_edit_issue(by, locked):
        raise workflow.NotAllowed(gettext("Only the responsible editor changes an issue."))
    # Status and publication time move only by the workflow's steps.
    issue.status, issue.published_at = locked.status, locked.published_at
    identity = _changed(locked, issue, IDENTITY_FIELDS)
    rest = _changed(locked, issue, CORRECTABLE_FIELDS)
    if not identity and not rest:
        return correction
    _check_constraints(issue)
    if locked.is_published:
        if identity:
            raise workflow.NotAllowed(
                gettext(
                    "%(issue)s is published: its %(fields)s never change (every address of "
                    "the issue is made of them)."
                )
                % {"issue": locked, "fields": _labels(identity)}
            )
        _authorize_correction(locked, by=by, note=note)
        issue.save()
        return _correction(locked, by=by, note=note, what=_labels(rest), correction=correction)
    issue.save()
    _log(
        locked,
        by=by,
        action="edit_issue",
        note=gettext("changed: %(fields)s") % {"fields": _labels(identity + rest)},
    )
    return correction


@transaction.atomic
def delete_issue(*, issue: Issue, by) -> None:
    locked = _lock(issue.pk)[issue.pk]
    if locked.is_published:
        raise workflow.NotAllowed(
            gettext("%(issue)s is published: it is never deleted.") % {"issue": locked}
        )
    if not workflow.can_edit_issue(by, locked):
        raise workflow.NotAllowed(gettext("Only the responsible editor changes an issue."))
    locked.delete()


# Layout credits (组版 in the masthead).


def _may_credit(issue: Issue, by, note: str) -> bool:
    """False: a plain edit; True: a correction of the published issue."""
    if issue.is_published:
        _authorize_correction(issue, by=by, note=note)
        return True
    if not (by.is_superuser or workflow.group_names(by) & {workflow.LAYOUT, workflow.CHIEF_EDITOR}):
        raise workflow.NotAllowed(gettext("Only layout staff record the layout credit."))
    return False


def _credit_logged(issue, *, by, note, what, correcting, correction):
    if correcting:
        return _correction(issue, by=by, note=note, what=what, correction=correction)
    _log(issue, by=by, action="edit_issue", note=what)
    return correction


@transaction.atomic
def save_layout_credit(*, credit: LayoutCredit, by, note: str = "", correction=None):
    """Add a person to the masthead's 组版 line, or change one (its person or order)."""
    old = LayoutCredit.objects.filter(pk=credit.pk).first() if credit.pk else None
    issue = _lock(credit.issue_id)[credit.issue_id]
    if old is not None and old.issue_id != credit.issue_id:
        raise workflow.InvalidTransition(gettext("A layout credit stays with its issue."))
    correcting = _may_credit(issue, by, note)
    _check_constraints(credit)
    credit.save()
    if old is None:
        what = gettext("layout credit added: %(name)s") % {"name": credit.person.name}
    else:
        what = gettext("layout credit changed: %(old)s → %(new)s") % {
            "old": old.person.name,
            "new": credit.person.name,
        }
    return _credit_logged(
        issue, by=by, note=note, what=what, correcting=correcting, correction=correction
    )


@transaction.atomic
def delete_layout_credit(*, credit: LayoutCredit, by, note: str = "", correction=None):
    issue = _lock(credit.issue_id)[credit.issue_id]
    correcting = _may_credit(issue, by, note)
    name = credit.person.name
    credit.delete()
    what = gettext("layout credit removed: %(name)s") % {"name": name}
    return _credit_logged(
        issue, by=by, note=note, what=what, correcting=correcting, correction=correction
    )
