"""The editorial workflow in one table.

Every move of an article or an issue from one state to another is a `Rule` in `TRANSITIONS`:
the states it starts from, the state it leads to, the groups that may take it and what must
hold first. The service functions (articles/services.py, issues/services.py), the admin's
buttons and actions, the desks and the tests all read this table; nothing else decides who may
move what.

Who may edit an article's text (not a transition, but the same rules) is `can_edit_text`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from issues.locks import issue_open_for_desk
from issues.models import Issue

# The four groups of the desk, created by a data migration (articles/0003); these names are
# what staff see in the admin and what README's desk section lists.
CORRESPONDENT = "通讯员"
EDITOR = "编辑"
LAYOUT = "组版"
CHIEF_EDITOR = "责任编辑"
GROUPS = (CORRESPONDENT, EDITOR, LAYOUT, CHIEF_EDITOR)

A = Article.Status
I = Issue.Status  # noqa: E741 - reads like the table it builds

# Placement and page changes stop once the issue is ready for sign-off.
OPEN_ISSUE_STATES = (I.PLANNING, I.IN_LAYOUT)
# Text is edited until publication; afterwards only through a correction.
EDITABLE_TEXT_STATES = (A.DRAFT, A.SUBMITTED, A.APPROVED, A.PLACED)
TEXT_FIELDS = ("headline", "subheadline", "dateline", "body")


class WorkflowError(Exception):
    """A workflow step refused; the message is for the person who tried it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


class NotAllowed(WorkflowError, PermissionDenied):
    """The user's groups do not allow this step (or this object is not theirs)."""


class InvalidTransition(WorkflowError):
    """The object is not in a state the step starts from, or what must hold does not."""


class Blocked(InvalidTransition):
    """Publishing refused: the reasons say what to fix first."""

    def __init__(self, message: str, reasons: list[str]):
        super().__init__(message)
        self.reasons = reasons

    def __str__(self):
        return f"{self.message}：{'；'.join(self.reasons)}"


class IssueBeingImported(InvalidTransition):
    """``import_issues`` is replacing the issue right now: the desk writes nothing to it."""


def refuse_while_importing(issue) -> None:
    """Raise IssueBeingImported while an import holds ``issue``; otherwise hold the issue
    (shared with other desk saves) until the transaction ends, so that an import waits for
    this save instead of the save waiting for, or writing into, the import."""
    if issue is not None and not issue_open_for_desk(issue):
        raise IssueBeingImported(
            gettext("This issue is being re-imported; nothing was saved. Try again in a moment.")
        )


class StaleEdit(WorkflowError):
    """Optimistic locking: someone saved the article since this form was read."""


@dataclass(frozen=True)
class Rule:
    name: str
    model: type
    sources: tuple[str, ...]
    target: str
    groups: frozenset[str]
    label: object  # lazy translation: the button and log label
    # Groups that may take the step only on articles they filed themselves.
    own_groups: frozenset[str] = frozenset()
    needs_note: bool = False
    # What must hold besides state and group: returns the reasons it does not (empty: fine).
    guard: Callable[..., list[str]] | None = None
    # False: taken only as part of an issue step (publishing publishes the placed articles).
    direct: bool = True

    def may(self, user, obj=None) -> bool:
        """Whether the user's groups allow this step on obj (state aside)."""
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return False
        if user.is_superuser:
            return True
        names = group_names(user)
        if names & self.groups:
            return True
        return bool(
            names & self.own_groups
            and obj is not None
            and getattr(obj, "created_by_id", None) == user.pk
        )


def group_names(user) -> frozenset[str]:
    """The user's workflow groups, read once per user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_workflow_groups", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=GROUPS).values_list("name", flat=True))
        user._workflow_groups = cached
    return cached


def _status_label(model, state) -> str:
    return str(model.Status(state).label)


# Guards: what must hold besides the state and the group.


def _has_text(article: Article, **params) -> list[str]:
    if not article.body.strip():
        return [gettext("the article has no body text")]
    return []


def _page_is_open(article: Article, *, page=None, **params) -> list[str]:
    reasons = []
    targets = [page] if page is not None else []
    if article.page_id is not None:
        targets.append(article.page)
    for target in targets:
        if target.issue.status not in OPEN_ISSUE_STATES:
            reasons.append(
                gettext(
                    "%(issue)s is %(status)s; pages can change only while planning or in layout"
                )
                % {"issue": target.issue, "status": _status_label(Issue, target.issue.status)}
            )
            break
    return reasons


def publish_blockers(issue: Issue) -> list[str]:
    """Why the issue cannot be published yet: every page needs an article, and every article
    on its pages must have been approved and placed."""
    reasons = []
    pages = list(issue.pages.order_by("number"))
    if not pages:
        reasons.append(gettext("the issue has no pages"))
    on_pages = Article.objects.filter(page__issue=issue).order_by("page__number", "order", "pk")
    placed_pages = set()
    for article in on_pages.select_related("page"):
        if article.status in (A.PLACED, A.PUBLISHED):
            placed_pages.add(article.page_id)
        elif article.status != A.WITHDRAWN:
            reasons.append(
                gettext("“%(headline)s” on %(page)s is %(status)s, not approved")
                % {
                    "headline": article.headline,
                    "page": article.page,
                    "status": _status_label(Article, article.status),
                }
            )
    for page in pages:
        if page.pk not in placed_pages:
            reasons.append(gettext("%(page)s has no article") % {"page": page})
    return reasons


def _issue_publishable(issue: Issue, **params) -> list[str]:
    return publish_blockers(issue)


TRANSITIONS: dict[str, Rule] = {
    rule.name: rule
    for rule in [
        # Articles.
        Rule(
            "submit",
            Article,
            (A.DRAFT,),
            A.SUBMITTED,
            frozenset({EDITOR}),
            _("Submit for review"),
            own_groups=frozenset({CORRESPONDENT}),
            guard=_has_text,
        ),
        Rule("approve", Article, (A.SUBMITTED,), A.APPROVED, frozenset({EDITOR}), _("Approve")),
        Rule(
            "return_to_author",
            Article,
            (A.SUBMITTED,),
            A.DRAFT,
            frozenset({EDITOR}),
            _("Return to the author"),
            needs_note=True,
        ),
        # Placing again moves a placed article to another page or position.
        Rule(
            "place",
            Article,
            (A.APPROVED, A.PLACED),
            A.PLACED,
            frozenset({LAYOUT}),
            _("Place on a page"),
            guard=_page_is_open,
            direct=False,
        ),
        Rule(
            "unplace",
            Article,
            (A.PLACED,),
            A.APPROVED,
            frozenset({LAYOUT}),
            _("Take off the page"),
            guard=_page_is_open,
        ),
        Rule(
            "publish",
            Article,
            (A.PLACED,),
            A.PUBLISHED,
            frozenset({CHIEF_EDITOR}),
            _("Publish with the issue"),
            direct=False,
        ),
        Rule(
            "unpublish",
            Article,
            (A.PUBLISHED,),
            A.PLACED,
            frozenset({CHIEF_EDITOR}),
            _("Unpublish with the issue"),
            needs_note=True,
            direct=False,
        ),
        Rule(
            "withdraw",
            Article,
            (A.PUBLISHED,),
            A.WITHDRAWN,
            frozenset({CHIEF_EDITOR}),
            _("Withdraw"),
            needs_note=True,
        ),
        Rule(
            "correct",
            Article,
            (A.PUBLISHED,),
            A.PUBLISHED,
            frozenset({CHIEF_EDITOR}),
            _("Correct"),
            needs_note=True,
            direct=False,
        ),
        # Issues.
        Rule(
            "start_layout",
            Issue,
            (I.PLANNING,),
            I.IN_LAYOUT,
            frozenset({LAYOUT, CHIEF_EDITOR}),
            _("Start layout"),
        ),
        Rule(
            "mark_ready",
            Issue,
            (I.IN_LAYOUT,),
            I.READY,
            frozenset({LAYOUT, CHIEF_EDITOR}),
            _("Ready for sign-off"),
        ),
        Rule(
            "reopen_layout",
            Issue,
            (I.READY,),
            I.IN_LAYOUT,
            frozenset({LAYOUT, CHIEF_EDITOR}),
            _("Back to layout"),
        ),
        Rule(
            "publish_issue",
            Issue,
            (I.READY,),
            I.PUBLISHED,
            frozenset({CHIEF_EDITOR}),
            _("Sign off and publish"),
            guard=_issue_publishable,
        ),
        # 更正 of a published issue: its masthead, staff or photo news, with a public note.
        Rule(
            "correct_issue",
            Issue,
            (I.PUBLISHED,),
            I.PUBLISHED,
            frozenset({CHIEF_EDITOR}),
            _("Correct the issue"),
            needs_note=True,
            direct=False,
        ),
        Rule(
            "unpublish_issue",
            Issue,
            (I.PUBLISHED,),
            I.READY,
            frozenset({CHIEF_EDITOR}),
            _("Unpublish"),
            needs_note=True,
        ),
    ]
}


def check(name: str, obj, user, *, note: str = "", **params) -> Rule:
    """Raise unless `user` may take step `name` on `obj` now; return the rule.

    Order matters for the messages: permission first (a correspondent learns nothing about
    others' articles), then state, then the note, then the guard.
    """
    rule = TRANSITIONS[name]
    if not isinstance(obj, rule.model):
        raise InvalidTransition(gettext("This step does not apply to this object."))
    if not rule.may(user, obj):
        raise NotAllowed(
            gettext("You may not “%(step)s”: this needs the group %(groups)s.")
            % {"step": rule.label, "groups": "、".join(sorted(rule.groups | rule.own_groups))}
        )
    if obj.status not in rule.sources:
        raise InvalidTransition(
            gettext("Cannot “%(step)s”: %(object)s is %(status)s.")
            % {"step": rule.label, "object": obj, "status": _status_label(rule.model, obj.status)}
        )
    if rule.needs_note and not note.strip():
        raise InvalidTransition(gettext("“%(step)s” needs a note.") % {"step": rule.label})
    if rule.guard is not None:
        reasons = rule.guard(obj, **params)
        if reasons:
            raise Blocked(gettext("Cannot “%(step)s”") % {"step": rule.label}, reasons)
    return rule


def available(obj, user) -> list[Rule]:
    """The direct steps the user may take on obj in its current state (guards aside: the
    button is shown and the refusal says why)."""
    return [
        rule
        for rule in TRANSITIONS.values()
        if rule.direct
        and isinstance(obj, rule.model)
        and obj.status in rule.sources
        and rule.may(user, obj)
    ]


def can_edit_text(user, article: Article | None) -> bool:
    """Headline, subheadline, dateline, body, bylines and photos. `None` asks about a new
    article. Published text changes only through a correction, for everyone."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    names = group_names(user)
    if article is None:
        return user.is_superuser or bool(names & {CORRESPONDENT, EDITOR})
    if article.status not in EDITABLE_TEXT_STATES:
        return False
    if user.is_superuser or EDITOR in names:
        return True
    return CORRESPONDENT in names and article.status == A.DRAFT and article.created_by_id == user.pk


def can_correct(user, article: Article) -> bool:
    """A published article changes only by a correction, which the responsible editor makes."""
    return article.status == A.PUBLISHED and TRANSITIONS["correct"].may(user, article)


def can_edit_parts(user, article: Article) -> bool:
    """Bylines and photos of an article: with its text, or by a correction once published."""
    return can_edit_text(user, article) or can_correct(user, article)


def can_edit_page_photos(user, issue: Issue) -> bool:
    """Photo news (a photo on a page, not in an article): editors, until the issue is
    published; afterwards only a correction of the responsible editor."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if issue.status == I.PUBLISHED:
        return TRANSITIONS["correct_issue"].may(user, issue)
    return user.is_superuser or EDITOR in group_names(user)


def can_edit_issue(user, issue: Issue | None) -> bool:
    """An issue's number, date, masthead and staff: the responsible editor (and layout for the
    layout credits, see desk/page_services.py) until it is published; afterwards the
    masthead and staff only by a correction, the number and date never."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return user.is_superuser or CHIEF_EDITOR in group_names(user)


def can_edit_pages(user, issue: Issue) -> bool:
    """Adding, renaming, renumbering, moving a page or changing its scan: layout and the
    responsible editor, until the issue is published (a published issue's pages are the
    printed record; unpublishing it first is a logged step)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if issue.status == I.PUBLISHED:
        return False
    return user.is_superuser or bool(group_names(user) & {LAYOUT, CHIEF_EDITOR})


# Logged changes that are not moves between states (bylines, photos, pages, the issue's
# fields): their names and labels in the timeline.
EDITS = {
    "edit_bylines": _("Bylines changed"),
    "edit_photos": _("Photos changed"),
    "edit_page": _("Pages changed"),
    "edit_issue": _("Issue details changed"),
    "regions": _("Regions corrected"),  # desk/region_services.py
    # import_issues --force undoing a state the desk decided (撤稿, 撤回本期): backissues/loader.py
    "reimport": _("Re-imported with --force"),
}


def sees_all_articles(user) -> bool:
    """Correspondents see only what they filed; the rest of the desk sees everything."""
    return user.is_superuser or bool(group_names(user) & {EDITOR, LAYOUT, CHIEF_EDITOR})
