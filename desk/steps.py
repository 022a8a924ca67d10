"""Take a direct workflow step by its name in the table (for the admin's buttons and actions).

Only dispatch: each step's rules and effects are in its service function.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext

from desk import issue_services, services, workflow
from desk.confirm import CONFIRMED_STEPS
from people.validators import no_control_characters

_STEPS = {
    "submit": lambda obj, by, note: services.submit(article=obj, by=by),
    "approve": lambda obj, by, note: services.approve(article=obj, by=by),
    "return_to_author": lambda obj, by, note: services.return_to_author(
        article=obj, by=by, note=note
    ),
    "unplace": lambda obj, by, note: services.unplace(article=obj, by=by),
    "withdraw": lambda obj, by, note: services.withdraw(article=obj, by=by, note=note),
    "start_layout": lambda obj, by, note: issue_services.start_layout(issue=obj, by=by),
    "mark_ready": lambda obj, by, note: issue_services.mark_ready(issue=obj, by=by),
    "reopen_layout": lambda obj, by, note: issue_services.reopen_layout(issue=obj, by=by),
    "publish_issue": lambda obj, by, note: issue_services.publish_issue(issue=obj, by=by),
    "unpublish_issue": lambda obj, by, note: issue_services.unpublish_issue(
        issue=obj, by=by, reason=note
    ),
}

# Every direct step of the table can be taken here, and nothing else.
assert set(_STEPS) == {name for name, rule in workflow.TRANSITIONS.items() if rule.direct}


def take(name: str, *, obj, by, note: str = ""):
    """Raise WorkflowError (with a message for the user) if refused."""
    rule = workflow.TRANSITIONS.get(name)
    if rule is None or not rule.direct or not isinstance(obj, rule.model):
        raise workflow.InvalidTransition(gettext("Unknown step."))
    try:
        no_control_characters(note)
    except ValidationError as invalid:
        raise workflow.InvalidTransition(" ".join(invalid.messages)) from None
    return _STEPS[name](obj, by, note)


@dataclass(frozen=True)
class Button:
    """A step the user may take, as the admin shows it: a POST form to ``url``."""

    name: str
    label: str
    needs_note: bool
    url: str
    # 签发, 撤回本期, 撤稿: the button opens a page that says what will happen (a GET).
    confirm: bool = False


def buttons(obj, user) -> list[Button]:
    """The buttons for the direct steps this user may take on an article or an issue now."""
    url_name = f"admin:{obj._meta.app_label}_{obj._meta.model_name}_step"
    return [
        Button(
            name=rule.name,
            label=rule.label,
            needs_note=rule.needs_note,
            url=reverse(url_name, args=[obj.pk, rule.name]),
            confirm=rule.name in CONFIRMED_STEPS,
        )
        for rule in workflow.available(obj, user)
    ]
