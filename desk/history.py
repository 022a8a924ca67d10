"""Readable history for the admin: the transition timeline and diffs between text revisions."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article
from desk import workflow
from desk.models import Transition
from desk.services import display_name


@dataclass
class Revision:
    version: int
    who: str
    when: object
    changes: list[tuple[str, SafeString]]  # (field label, diff html)


def _inline_diff(old: str, new: str) -> SafeString:
    """One paragraph changed in place: deleted characters struck, added ones underlined."""
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(format_html("{}", old[a1:a2]))
        if op in ("delete", "replace"):
            parts.append(format_html("<del>{}</del>", old[a1:a2]))
        if op in ("insert", "replace"):
            parts.append(format_html("<ins>{}</ins>", new[b1:b2]))
    return mark_safe("".join(parts))


def diff_paragraphs(old: str, new: str) -> SafeString:
    """Paragraph by paragraph: unchanged ones are left out, changed ones shown in place."""
    old_lines = [p for p in old.split("\n") if p.strip()]
    new_lines = [p for p in new.split("\n") if p.strip()]
    rows = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and a2 - a1 == b2 - b1:
            for before, after in zip(old_lines[a1:a2], new_lines[b1:b2], strict=True):
                rows.append(
                    format_html('<p class="diff-changed">{}</p>', _inline_diff(before, after))
                )
            continue
        for line in old_lines[a1:a2]:
            rows.append(format_html('<p class="diff-removed"><del>{}</del></p>', line))
        for line in new_lines[b1:b2]:
            rows.append(format_html('<p class="diff-added"><ins>{}</ins></p>', line))
    return mark_safe("".join(rows))


def text_revisions(article: Article) -> list[Revision]:
    """Each saved change of the text, newest first, with what changed from the one before."""
    records = list(
        article.history.select_related("history_user__person").order_by("history_date", "pk")
    )
    revisions = []
    previous = None
    for record in records:
        changes = []
        for name in workflow.TEXT_FIELDS:
            before = getattr(previous, name, "") if previous is not None else ""
            after = getattr(record, name)
            if before != after:
                label = Article._meta.get_field(name).verbose_name
                changes.append((str(label), diff_paragraphs(before, after)))
        if changes:
            revisions.append(
                Revision(
                    version=record.version,
                    who=display_name(record.history_user),
                    when=record.history_date,
                    changes=changes,
                )
            )
        previous = record
    revisions.reverse()
    return revisions


def timeline(target) -> list[Transition]:
    """The transitions of an article or an issue, newest first, labelled for reading."""
    field = "article" if isinstance(target, Article) else "issue"
    model = type(target)
    entries = list(
        Transition.objects.filter(**{field: target})
        .select_related("by__person")
        .order_by("-at", "-pk")
    )
    for entry in entries:
        entry.who = display_name(entry.by)
        entry.step = step_label(entry.action)
        entry.from_label = state_label(model, entry.from_state)
        entry.to_label = state_label(model, entry.to_state)
    return entries


def step_label(action: str) -> str:
    rule = workflow.TRANSITIONS.get(action)
    return str(rule.label) if rule else action


def state_label(model, state: str) -> str:
    try:
        return str(model.Status(state).label)
    except ValueError:
        return state
