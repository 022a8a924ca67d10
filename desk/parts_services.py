"""Bylines and photos: the one door for adding, changing, moving and deleting them.

Every admin page that touches a byline or a photo (the article form's rows, the stand-alone
Byline and Photo pages, their bulk delete) calls these functions. Each is one transaction:
it locks every article and issue the change touches (the old place and the new one when a
byline or photo moves), checks the change against desk/workflow.py on the locked rows,
applies it, bumps each touched article's ``version`` (so a stale article form is refused
rather than writing the old rows back) and logs a Transition on each.

Who may: an article's bylines and photos change with its text (``can_edit_text``: the author
while it is a draft, editors until it is published). Once it is published, only the
responsible editor changes them, as a correction (更正) with a note that readers see on the
article. Photo news on a page (a photo without an article) is the editors' until the issue is
published, then a correction of the issue by the responsible editor, shown on the issue page.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from articles.models import Article, Byline, Correction, Photo
from desk import workflow
from desk.models import CaptionSnapshot
from desk.services import _ensure_history, log
from issues.models import Issue, IssueCorrection, Page
from public.prerender import schedule_prerender


class _Target:
    """One article or one page's issue a change touches, locked, and how it may change."""

    def __init__(self, *, article: Article | None = None, issue: Issue | None = None):
        self.article = article
        self.issue = issue
        self.correction = False

    def authorize(self, by, note: str) -> None:
        if self.article is not None:
            self.correction = _authorize_article(self.article, by, note)
        else:
            assert self.issue is not None
            self.correction = _authorize_issue(self.issue, by, note)


def _authorize_article(article: Article, by, note: str) -> bool:
    """False: a plain edit; True: a correction. Raise if neither is allowed."""
    if workflow.can_edit_text(by, article):
        return False
    if workflow.can_correct(by, article):
        if not note.strip():
            raise workflow.InvalidTransition(
                gettext(
                    "“%(headline)s” is published: changing its bylines or photos is a "
                    "correction, and needs a correction note."
                )
                % {"headline": article.headline}
            )
        return True
    if article.status in (Article.Status.PUBLISHED, Article.Status.WITHDRAWN):
        raise workflow.NotAllowed(
            gettext(
                "“%(headline)s” is %(status)s: its bylines and photos change only by a "
                "correction of the responsible editor."
            )
            % {"headline": article.headline, "status": article.get_status_display()}
        )
    raise workflow.NotAllowed(gettext("You may not change this article's bylines or photos."))


def _authorize_issue(issue: Issue, by, note: str) -> bool:
    if not workflow.can_edit_page_photos(by, issue):
        if issue.is_published:
            raise workflow.NotAllowed(
                gettext(
                    "%(issue)s is published: its photo news changes only by a correction of "
                    "the responsible editor."
                )
                % {"issue": issue}
            )
        raise workflow.NotAllowed(gettext("Only editors change the photo news of a page."))
    if issue.is_published:
        if not note.strip():
            raise workflow.InvalidTransition(
                gettext(
                    "%(issue)s is published: changing its photo news is a correction, and "
                    "needs a correction note."
                )
                % {"issue": issue}
            )
        return True
    return False


def _lock_targets(keys: set[tuple[str, int]]) -> dict[tuple[str, int], _Target]:
    """Lock the articles, then the issues (of pages), each in key order: the same order for
    every writer."""
    targets = {}
    for kind, pk in sorted(keys):
        if kind == "article":
            article = (
                Article.objects.select_for_update(of=("self",))
                .select_related("page__issue")
                .get(pk=pk)
            )
            targets[(kind, pk)] = _Target(article=article)
    pages = {pk: Page.objects.get(pk=pk) for kind, pk in keys if kind == "page"}
    issues = {}
    for issue_pk in sorted({page.issue_id for page in pages.values()}):
        issues[issue_pk] = Issue.objects.select_for_update().get(pk=issue_pk)
    for pk, page in pages.items():
        targets[("page", pk)] = _Target(issue=issues[page.issue_id])
    return targets


def _record(target: _Target, *, by, action: str, what: str, note: str, now, photos, bump):
    """Bump the article's version (with a revision), log the change, and for a correction
    write the public note."""
    note = note.strip()
    logged_note = f"{note}（{what}）" if target.correction else what
    if target.article is not None:
        article = target.article
        if bump:
            _ensure_history(article)
            article.version += 1
            article._history_user = by
            article.save(update_fields=["version", "updated_at"])
        if photos and bump:
            captions = list(
                article.photos.order_by("order", "pk").values_list("caption", flat=True)
            )
            CaptionSnapshot.objects.update_or_create(
                article=article, version=article.version, defaults={"captions": captions}
            )
        if target.correction:
            Correction.objects.create(article=article, note=note, created_at=now, created_by=by)
        log(
            by=by,
            action="correct" if target.correction else action,
            from_state=article.status,
            to_state=article.status,
            note=logged_note,
            at=now,
            article=article,
        )
        if target.correction:
            schedule_prerender([article.page.issue])
        return
    issue = target.issue
    assert issue is not None
    if target.correction:
        IssueCorrection.objects.create(issue=issue, note=note, created_at=now, created_by=by)
    log(
        by=by,
        action="correct_issue" if target.correction else action,
        from_state=issue.status,
        to_state=issue.status,
        note=logged_note,
        at=now,
        issue=issue,
    )
    if target.correction:
        schedule_prerender([issue])


def _key(*, article_id=None, page_id=None) -> tuple[str, int] | None:
    if article_id is not None:
        return ("article", article_id)
    if page_id is not None:
        return ("page", page_id)
    return None


def _check_constraints(obj) -> None:
    try:
        obj.validate_constraints()
    except ValidationError as invalid:
        raise workflow.InvalidTransition(" ".join(invalid.messages)) from None


def _byline_text(byline: Byline) -> str:
    return f"{byline.get_role_display()} {byline.person.name}"


def _photo_text(photo: Photo) -> str:
    return photo.caption[:30]


def _describe(kind: str, old_text: str | None, new_text: str | None, moved: str = "") -> str:
    if old_text is None:
        return gettext("%(kind)s added: %(new)s") % {"kind": kind, "new": new_text}
    if new_text is None:
        return gettext("%(kind)s removed: %(old)s") % {"kind": kind, "old": old_text}
    if moved:
        return gettext("%(kind)s moved (%(where)s): %(new)s") % {
            "kind": kind,
            "where": moved,
            "new": new_text,
        }
    if old_text == new_text:
        return gettext("%(kind)s changed: %(new)s") % {"kind": kind, "new": new_text}
    return gettext("%(kind)s changed: %(old)s → %(new)s") % {
        "kind": kind,
        "old": old_text,
        "new": new_text,
    }


def _place(key: tuple[str, int] | None) -> str:
    if key is None:
        return "-"
    kind, pk = key
    if kind == "article":
        headline = Article.objects.filter(pk=pk).values_list("headline", flat=True).first()
        return f"“{headline}”"
    page = Page.objects.select_related("issue__publication").get(pk=pk)
    return f"{page.issue} {page}"


def _apply(
    *, kind_label, action, old_key, new_key, old_text, new_text, by, note, write, photos, bump
):
    keys = {key for key in (old_key, new_key) if key is not None}
    targets = _lock_targets(keys)
    for key in sorted(keys):
        targets[key].authorize(by, note)
    write()
    now = timezone.now()
    moved = old_key is not None and new_key is not None and old_key != new_key
    for key in sorted(keys):
        if moved:
            where = (
                gettext("to %(place)s") % {"place": _place(new_key)}
                if key == old_key
                else gettext("from %(place)s") % {"place": _place(old_key)}
            )
            what = _describe(kind_label, old_text, new_text, moved=where)
        else:
            what = _describe(kind_label, old_text, new_text)
        _record(
            targets[key],
            by=by,
            action=action,
            what=what,
            note=note,
            now=now,
            photos=photos,
            bump=bump,
        )


@transaction.atomic
def save_byline(*, byline: Byline, by, note: str = "", bump: bool = True) -> Byline:
    """Add a byline or save a changed one (new values on ``byline``, not yet saved); moving
    it to another article is a change of both. ``bump=False`` only from the article form,
    whose own save (services.save_text) made the new version in the same transaction."""
    old = Byline.objects.select_for_update().filter(pk=byline.pk).first() if byline.pk else None
    if old is not None:
        # Read before anything else locks: the person's name as it was.
        old_text = _byline_text(old)
    _check_constraints(byline)
    _apply(
        kind_label=gettext("byline"),
        action="edit_bylines",
        old_key=_key(article_id=old.article_id) if old else None,
        new_key=_key(article_id=byline.article_id),
        old_text=old_text if old is not None else None,
        new_text=_byline_text(byline),
        by=by,
        note=note,
        write=byline.save,
        photos=False,
        bump=bump,
    )
    return byline


@transaction.atomic
def delete_byline(*, byline: Byline, by, note: str = "", bump: bool = True) -> None:
    old = Byline.objects.select_for_update().filter(pk=byline.pk).first()
    if old is None:
        return
    _apply(
        kind_label=gettext("byline"),
        action="edit_bylines",
        old_key=_key(article_id=old.article_id),
        new_key=None,
        old_text=_byline_text(old),
        new_text=None,
        by=by,
        note=note,
        write=old.delete,
        photos=False,
        bump=bump,
    )


@transaction.atomic
def save_photo(*, photo: Photo, by, note: str = "", bump: bool = True) -> Photo:
    """Add a photo or save a changed one (in an article, or photo news on a page); moving it
    between articles or pages is a change of both."""
    old = Photo.objects.select_for_update().filter(pk=photo.pk).first() if photo.pk else None
    _check_constraints(photo)
    _apply(
        kind_label=gettext("photo"),
        action="edit_photos",
        old_key=_key(article_id=old.article_id, page_id=old.page_id) if old else None,
        new_key=_key(article_id=photo.article_id, page_id=photo.page_id),
        old_text=_photo_text(old) if old is not None else None,
        new_text=_photo_text(photo),
        by=by,
        note=note,
        write=photo.save,
        photos=True,
        bump=bump,
    )
    return photo


@transaction.atomic
def delete_photo(*, photo: Photo, by, note: str = "", bump: bool = True) -> None:
    old = Photo.objects.select_for_update().filter(pk=photo.pk).first()
    if old is None:
        return
    _apply(
        kind_label=gettext("photo"),
        action="edit_photos",
        old_key=_key(article_id=old.article_id, page_id=old.page_id),
        new_key=None,
        old_text=_photo_text(old),
        new_text=None,
        by=by,
        note=note,
        write=old.delete,
        photos=True,
        bump=bump,
    )


@transaction.atomic
def move_photo(*, photo: Photo, up: bool, by, note: str = "") -> Photo:
    """Move a photo one place up or down among its article's photos (or its page's photo
    news): the order readers see them in. The photos are numbered 0, 1, 2 … afresh, so equal
    or gappy 顺序 numbers typed at the desk end up as the order they were shown in."""
    old = Photo.objects.select_for_update().filter(pk=photo.pk).first()
    if old is None:
        raise workflow.InvalidTransition(gettext("This photo no longer exists."))
    key = _key(article_id=old.article_id, page_id=old.page_id)
    assert key is not None  # a photo is in an article or on a page (photo_article_xor_page)
    target = _lock_targets({key})[key]
    target.authorize(by, note)
    if old.article_id is not None:
        siblings = Photo.objects.filter(article_id=old.article_id)
    else:
        siblings = Photo.objects.filter(page_id=old.page_id, article__isnull=True)
    ordered = list(siblings.order_by("order", "pk"))
    index = next(position for position, each in enumerate(ordered) if each.pk == old.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        raise workflow.InvalidTransition(
            gettext("The photo is already the first.")
            if up
            else gettext("The photo is already the last.")
        )
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for order, each in enumerate(ordered):
        if each.order != order:
            each.order = order
            each.save(update_fields=["order"])  # signals: the public pages go stale
    what = (
        gettext("photo moved up: %(caption)s") if up else gettext("photo moved down: %(caption)s")
    ) % {"caption": _photo_text(old)}
    _record(
        target,
        by=by,
        action="edit_photos",
        what=what,
        note=note,
        now=timezone.now(),
        photos=True,
        bump=True,
    )
    photo.order = ordered.index(next(each for each in ordered if each.pk == old.pk))
    return photo
