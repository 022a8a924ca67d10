"""Signals the rooms above listen to.

``desk_decision_undone``: ``import_issues --force`` took a state the desk had decided (an
article's 撤稿, an issue taken back) from the file instead. The importer (backissues) may not
know the desk's log, so it says so here and the desk writes the step
(desk/receivers.py). Sent inside the import's transaction with ``article`` or ``issue``,
``from_state``, ``to_state`` and ``note``.
"""

from django.dispatch import Signal

desk_decision_undone = Signal()
