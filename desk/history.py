"""Readable history for the admin: the transition timeline and diffs between text revisions."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from articles.models import Article
from desk import workflow
from desk.models import CaptionSnapshot, Transition
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
    captions = _captions_by_version(article)
    revisions = []
    previous = None
    previous_captions = []
    for record in records:
        changes = _changes(previous, record)
        now_captions = captions.get(record.version, previous_captions)
        if now_captions != previous_captions and previous is not None:
            changes.append(
                (gettext("photo captions"), _diff_captions(previous_captions, now_captions))
            )
        previous_captions = now_captions
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


def _changes(before_record, after_record) -> list[tuple[str, SafeString]]:
    changes = []
    for name in workflow.TEXT_FIELDS:
        before = getattr(before_record, name, "") if before_record is not None else ""
        after = getattr(after_record, name)
        if before != after:
            label = Article._meta.get_field(name).verbose_name
            changes.append((str(label), diff_paragraphs(before, after)))
    return changes


def _captions_by_version(article) -> dict[int, list[str]]:
    return dict(CaptionSnapshot.objects.filter(article=article).values_list("version", "captions"))


def _diff_captions(before: list[str], after: list[str]) -> SafeString:
    return diff_paragraphs("\n".join(before), "\n".join(after))


@dataclass
class SinceApproval:
    article: Article
    approved_at: object  # None: never approved through the desk (imported)
    approved_by: str
    changes: list[tuple[str, SafeString]]


def changes_since_approval(article: Article) -> SinceApproval:
    """What changed in the text and the photo captions since the editor last approved it."""
    return changes_since_approval_of([article])[article.pk]


def changes_since_approval_of(articles: list[Article]) -> dict[int, SinceApproval]:
    """``changes_since_approval`` for many articles in three queries whatever their number:
    the latest approval of each, the text revision each was approved at, and their caption
    snapshots. The current captions are read from ``article.photos`` (prefetch them)."""
    pks = [article.pk for article in articles]
    approvals: dict[int, Transition] = {}
    for approval in (
        Transition.objects.filter(article__in=pks, action="approve")
        .select_related("by__person")
        .order_by("article", "-at", "-pk")
    ):
        approvals.setdefault(approval.article_id, approval)
    approved_records = {}
    if approvals:
        at_approval = Q()
        for pk, approval in approvals.items():
            at_approval |= Q(id=pk, history_date__lte=approval.at)
        approved_records = {
            record.id: record
            for record in Article.history.filter(at_approval)
            .annotate(
                newest=Window(
                    RowNumber(),
                    partition_by=F("id"),
                    order_by=[F("history_date").desc(), F("history_id").desc()],
                )
            )
            .filter(newest=1)
        }
    captions: dict[int, dict[int, list[str]]] = {}
    if approved_records:
        for pk, version, listed in CaptionSnapshot.objects.filter(
            article__in=list(approved_records)
        ).values_list("article", "version", "captions"):
            captions.setdefault(pk, {})[version] = listed
    result = {}
    for article in articles:
        approval = approvals.get(article.pk)
        if approval is None:
            result[article.pk] = SinceApproval(article, None, "", [])
            continue
        approved = approved_records.get(article.pk)
        changes = _changes(approved, article) if approved is not None else []
        then = captions.get(article.pk, {})
        if approved is not None and approved.version in then:
            now = [
                photo.caption
                for photo in sorted(article.photos.all(), key=lambda p: (p.order, p.pk))
            ]
            if then[approved.version] != now:
                changes.append(
                    (gettext("photo captions"), _diff_captions(then[approved.version], now))
                )
        result[article.pk] = SinceApproval(article, approval.at, display_name(approval.by), changes)
    return result


def timeline(target) -> list[Transition]:
    """The transitions of an article or an issue, newest first, labelled for reading."""
    field = "article" if isinstance(target, Article) else "issue"
    entries = Transition.objects.filter(**{field: target})
    return _labelled(entries, type(target))


# The steps of an article that concern the pages it is printed on.
PAGE_STEPS = ("place", "unplace", "publish", "unpublish", "withdraw", "correct", "reimport")


def page_steps(**where) -> list[Transition]:
    """The layout and publication steps of the articles now on an issue (``page__issue=``)
    or a page (``page=``), newest first, labelled, with the article's headline."""
    entries = Transition.objects.filter(
        action__in=PAGE_STEPS, **{f"article__{key}": value for key, value in where.items()}
    ).select_related("article")
    return _labelled(entries, Article)


def _labelled(entries, model) -> list[Transition]:
    rows = list(entries.select_related("by__person").order_by("-at", "-pk"))
    for entry in rows:
        entry.who = display_name(entry.by)
        entry.step = step_label(entry.action)
        entry.from_label = state_label(model, entry.from_state)
        entry.to_label = state_label(model, entry.to_state)
    return rows


@dataclass
class Change:
    """One change made in the desk's forms (the admin's log), for reading."""

    when: object
    who: str
    what: str


def admin_changes(obj) -> list[Change]:
    """What was added or changed through the desk's forms (the masthead, the pages, a scan),
    newest first, with people's names; the admin records it as it saves."""
    entries = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )
        .select_related("user__person")
        .order_by("-action_time", "-pk")
    )
    return [
        Change(entry.action_time, display_name(entry.user), _message(entry)) for entry in entries
    ]


def _message(entry: LogEntry) -> str:
    """The entry's message in Chinese. The admin stores the names of the changed fields and
    inlines untranslated and capitalised ("Submission e-mail"), and translates them when it
    shows them, which finds no msgid ("submission e-mail"): they would read in English."""
    if not entry.change_message.startswith("["):
        return entry.get_change_message()
    try:
        parts = json.loads(entry.change_message)
    except json.JSONDecodeError:
        return entry.change_message
    for part in parts:
        for detail in part.values():
            if not isinstance(detail, dict):
                continue
            if "name" in detail:
                detail["name"] = _label(detail["name"])
            if "fields" in detail:
                detail["fields"] = [_label(name) for name in detail["fields"]]
    entry.change_message = json.dumps(parts, ensure_ascii=False)
    return entry.get_change_message()


def _label(name: str) -> str:
    translated = gettext(name)
    if translated == name and name:
        translated = gettext(name[:1].lower() + name[1:])
    return translated


def step_label(action: str) -> str:
    rule = workflow.TRANSITIONS.get(action)
    if rule is not None:
        return str(rule.label)
    return str(workflow.EDITS.get(action, action))


def state_label(model, state: str) -> str:
    try:
        return str(model.Status(state).label)
    except ValueError:
        return state
