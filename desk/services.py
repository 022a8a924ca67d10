"""Article steps of the editorial workflow, and saving an article's text.

Each function locks the article row (select_for_update), checks the step against the table in
articles/workflow.py on the locked row, applies it and logs a Transition, all in one
transaction: two editors approving at once cannot both apply. The caller's instance is
refreshed afterwards. Issue steps (publishing) are in issues/services.py.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from articles.models import Article, Correction
from desk import workflow
from desk.models import Transition
from issues.models import Issue, Page
from public.prerender import schedule_prerender


def log(*, by, action: str, from_state: str, to_state: str, note: str = "", at=None, **target):
    return Transition.objects.create(
        by=by,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note.strip(),
        at=at or timezone.now(),
        **target,
    )


def _lock(article: Article) -> Article:
    issue = Issue.objects.select_related("publication").filter(pages__articles=article.pk).first()
    workflow.refuse_while_importing(issue)
    return Article.objects.select_for_update().get(pk=article.pk)


def _move(
    name: str, *, article: Article, by: AbstractBaseUser, note: str = "", **params
) -> Article:
    locked = _lock(article)
    rule = workflow.check(name, locked, by, note=note, **params)
    from_state = locked.status
    locked.status = rule.target
    locked._history_user = by
    for attribute, value in params.items():
        setattr(locked, attribute, value)
    locked.save()
    log(by=by, action=name, from_state=from_state, to_state=rule.target, note=note, article=locked)
    article.refresh_from_db()
    return locked


@transaction.atomic
def submit(*, article: Article, by: AbstractBaseUser) -> Article:
    return _move("submit", article=article, by=by)


@transaction.atomic
def approve(*, article: Article, by: AbstractBaseUser) -> Article:
    return _move("approve", article=article, by=by)


@transaction.atomic
def return_to_author(*, article: Article, by: AbstractBaseUser, note: str) -> Article:
    return _move("return_to_author", article=article, by=by, note=note)


@transaction.atomic
def place(*, article: Article, page: Page, order: int, by: AbstractBaseUser) -> Article:
    """Put an approved article on a page of an open issue at a position, or move a placed
    one. The start page is also the first page it runs on."""
    if order < 0:
        raise workflow.InvalidTransition(gettext("The order on the page cannot be negative."))
    page = Page.objects.select_related("issue__publication").get(pk=page.pk)
    workflow.refuse_while_importing(page.issue)
    locked = _lock(article)
    note = gettext("%(page)s, position %(order)s") % {"page": page, "order": order}
    workflow.check("place", locked, by, page=page)
    from_state = locked.status
    locked.status = Article.Status.PLACED
    locked.page = page
    locked.order = order
    # Jumps (下转3版) belong to the text; a move keeps the continuation pages.
    locked.pages = [page.number, *[n for n in locked.pages[1:] if n != page.number]]
    locked._history_user = by
    locked.save()
    log(
        by=by,
        action="place",
        from_state=from_state,
        to_state=locked.status,
        note=note,
        article=locked,
    )
    article.refresh_from_db()
    return locked


@transaction.atomic
def unplace(*, article: Article, by: AbstractBaseUser) -> Article:
    """Take a placed article off its page (it stays approved, ready to place again)."""
    return _move("unplace", article=article, by=by, page=None, order=0, pages=[])


@transaction.atomic
def withdraw(*, article: Article, by: AbstractBaseUser, note: str) -> Article:
    """撤稿: a published article disappears from the public site; the log says why."""
    return _move("withdraw", article=article, by=by, note=note)


@transaction.atomic
def correct(*, article: Article, by: AbstractBaseUser, text: str, note: str) -> Correction:
    """更正: change a published article's body, with a dated public note. The old text stays
    in the revision history."""
    locked = _lock(article)
    workflow.check("correct", locked, by, note=note)
    text = Article.tidy_body(text)
    if not text:
        raise workflow.InvalidTransition(gettext("A corrected text cannot be empty."))
    if text == locked.body:
        raise workflow.InvalidTransition(gettext("The corrected text is the same as the old one."))
    _ensure_history(locked)
    now = timezone.now()
    correction = Correction.objects.create(
        article=locked, note=note.strip(), created_at=now, created_by=by
    )
    locked.body = text
    locked.version += 1
    locked._history_user = by
    locked.save()
    log(
        by=by,
        action="correct",
        from_state=locked.status,
        to_state=locked.status,
        note=note,
        at=now,
        article=locked,
    )
    article.refresh_from_db()
    schedule_prerender([locked.page.issue])
    return correction


def _ensure_history(article: Article) -> None:
    """Imported articles (bulk-created) may have no revision yet; record the text as it is
    before changing it, so that the old text is kept."""
    if not article.history.filter(version=article.version).exists():
        Article.history.bulk_history_create([article], default_user=None)


def last_change(article: Article) -> tuple[str, object]:
    """Who made the article's current version, and when (from the revision history)."""
    record = (
        article.history.filter(version=article.version)
        .select_related("history_user__person")
        .order_by("history_date")
        .first()
    )
    if record is None:
        return "", article.updated_at
    return display_name(record.history_user), record.history_date


def display_name(user) -> str:
    if user is None:
        return gettext("someone")
    person = getattr(user, "person", None)
    return person.name if person else (user.get_full_name() or user.get_username())


def stale_message(article: Article) -> str:
    who, when = last_change(article)
    when = timezone.localtime(when)
    return gettext("This article was changed by %(who)s on %(when)s; reload it before editing.") % {
        "who": who,
        "when": f"{date_format(when, 'MONTH_DAY_FORMAT')} {when:%H:%M}",
    }


@transaction.atomic
def save_text(*, article: Article, by: AbstractBaseUser, expected_version: int) -> Article:
    """Save an edited article (new values on `article`, not yet saved), refusing if someone
    saved it since `expected_version` was read, or if `by` may not edit its text. Only the
    text fields are taken from `article`; status, placement and the author stay as stored."""
    locked = _lock(article)
    if not workflow.can_edit_text(by, locked):
        raise workflow.NotAllowed(gettext("You may not edit this article's text now."))
    if locked.version != expected_version:
        raise workflow.StaleEdit(stale_message(locked))
    for name in workflow.TEXT_FIELDS:
        setattr(locked, name, getattr(article, name))
    locked.version += 1
    locked._history_user = by
    locked.save()
    article.refresh_from_db()
    return locked


@transaction.atomic
def file_article(*, article: Article, by: AbstractBaseUser) -> Article:
    """A new article, filed as a draft by `by` (who then sees and edits it)."""
    if not workflow.can_edit_text(by, None):
        raise workflow.NotAllowed(gettext("You may not file articles."))
    article.status = Article.Status.DRAFT
    article.page = None
    article.order = 0
    article.version = 1
    article.created_by = by
    article._history_user = by
    article.save()
    return article
