"""The desk's log of what other rooms do to the desk's decisions (issues/signals.py)."""

from django.dispatch import receiver

from desk.services import log
from issues.signals import desk_decision_undone


@receiver(desk_decision_undone, dispatch_uid="desk.log_decision_undone")
def log_decision_undone(sender, *, from_state, to_state, note, **target):
    # By nobody: an import, like the revisions it writes (history_user None).
    target.pop("signal", None)
    log(by=None, action="reimport", from_state=from_state, to_state=to_state, note=note, **target)
