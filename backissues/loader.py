"""Write one parsed issue (``textformat.IssueData``) to the database, in one transaction.

``load_issue()`` is the only entry point; ``import_issues`` calls it once per file.

Decisions where the format or the models leave room (they are also in the README):

* The publication is matched by its exact name, or created with a pinyin slug. Each issue
  keeps the masthead it printed (sponsors, sponsor role, e-paper URL, submission e-mail),
  exactly as the file has it. The publication holds only the defaults a new issue typed in at
  the desk starts from: they follow the newest issue (a file updates them only when no other
  issue of the paper is dated later), so an older issue does not rewind them.
* People are matched by exact name; the oldest Person with that name is reused (Chinese names
  repeat, so a new Person is created only for a name never seen).
* The weekday is not stored: it follows from the date. A hard break inside a body paragraph
  becomes a paragraph break (the body is one paragraph a line).
* Back issues were printed, so they are imported published (the issue date, 06:00 in the site's
  time zone). With ``publish=False`` the issue is complete but waiting for sign-off: issue
  ``ready`` (待签发), articles ``placed`` (已组版) — the state publishing moves from.
* An issue is the same issue when its publication and cumulative number match. It is
  unchanged when its export equals the incoming data (after the normalisations above);
  otherwise it is refused unless ``replace`` is given. A replace keeps every article it can
  match, with its id and what the desk did to it, and refuses where the file contradicts the
  desk (``force`` takes the file's version); see backissues/replace.py. The issue's own
  fields (masthead, 责任编辑, 组版) are merged the same way against ``Issue.printed``. The very
  file imported last (``Issue.printed_digest``) is unchanged, whatever the desk did since.
  Pages with the same number are kept, so uploaded scans survive.
* Each issue is imported under a lock of its publication and number (issues/locks.py): two
  imports of one issue run one after the other, and the desk refuses saves on it meanwhile.
* A bundle's page files (``page_files``) are part of the issue: it is unchanged only when
  every page file is the one stored (SHA-256). Each page PDF gives the page's renditions,
  words and regions (backissues/pages.py); regions drawn by hand survive a re-import for an
  article whose text did not change. Pages kept with a PDF scan get their regions again.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import io
import json
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from pypinyin import lazy_pinyin

from articles.models import Article, Byline, Correction, Photo, Region, RetiredArticle
from articles.photos import verify_photo_file
from backissues import pages as page_files_service
from backissues import replace as replace_merge
from backissues.epaper_inputs import article_key, page_inputs
from backissues.exporter import issue_photos, issue_to_data, issues_for_export
from backissues.images import EXTENSIONS, ImageFile, photos_in_text_order, stored_sha256
from backissues.textformat import ArticleData, IssueData, LineError, PhotoData, to_dict
from issues.dates import weekday_name
from issues.locks import lock_issue_import, lock_names, lock_publication_name
from issues.models import Issue, IssueCorrection, LayoutCredit, Page, Publication
from issues.signals import desk_decision_undone
from people.models import Person
from search.index import index_articles

# A printed paper is out in the morning of its date.
PUBLISHED_TIME = datetime.time(6, 0)


class LoadError(LineError):
    """An issue the database cannot take as it is."""


@dataclass
class LoadResult:
    status: str  # "imported", "unchanged" or "replaced"
    issue: Issue
    articles: int = 0
    photos: int = 0
    new_people: int = 0
    notes: list[str] = field(default_factory=list)
    # What a replace did, article by article (empty for a new issue).
    report: list[ArticleReport] = field(default_factory=list)
    # What a replace did to the issue's own fields (masthead, staff), one line each.
    issue_report: list[str] = field(default_factory=list)


def publication_slug(name: str) -> str:
    """今日罗塘 -> jinriluotang; letters and digits in the name are kept as they are."""
    slug = slugify("".join(lazy_pinyin(name)))
    return slug[:90] or "publication"


def published_at(date: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        date, PUBLISHED_TIME, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)
    )


@transaction.atomic
def load_issue(
    *,
    data: IssueData,
    replace: bool = False,
    force: bool = False,
    publish: bool = True,
    page_files: dict[int, page_files_service.PageFile] | None = None,
    saved: page_files_service.SavedFiles | None = None,
    image_files: dict[str, ImageFile] | None = None,
) -> LoadResult:
    """Write ``data`` to the database, or find it there already; see the module docstring.

    ``image_files`` holds the files the photos' image lines name (``read_image_files``).
    Raises LoadError for an issue the database cannot take (nothing is written then; the
    files stored meanwhile are listed in ``saved``, for the caller to delete on rollback),
    and ReplaceRefused (a LoadError) when replacing would undo what the desk did, unless
    ``force``.
    """
    _check_lengths(data)
    image_files = image_files or {}
    saved = saved if saved is not None else page_files_service.SavedFiles()
    for photo in photos_in_text_order(data):
        if photo.image and photo.image not in image_files:
            raise LoadError(f"image {photo.image} was not read", photo.image_line)
    # One import of an issue at a time; desk saves on it are refused meanwhile (issues.locks).
    lock_issue_import(data.publication.name, data.number)
    publication, newest = _publication(data)
    incoming = normalized(data)
    digest = file_digest(incoming, image_files, page_files or {})
    existing = (
        Issue.objects.filter(publication=publication, number=data.number)
        .select_related("publication", "responsible_editor")
        .first()
    )
    if existing is not None and existing.printed_digest == digest:
        # The very file imported last: whatever the desk did since stays, nothing is written.
        return LoadResult("unchanged", existing)
    if existing is not None:
        same_files = True
        if page_files:
            stored = dict(Page.objects.filter(issue=existing).values_list("number", "scan_sha256"))
            same_files = all(
                stored.get(number) == page_file.sha256 for number, page_file in page_files.items()
            )
        stored = issues_for_export().get(pk=existing.pk)
        if (
            same_files
            and to_dict(issue_to_data(stored), full=True) == to_dict(incoming, full=True)
            and _same_images(stored, incoming, image_files, page_files or {})
        ):
            return LoadResult("unchanged", existing)
        if not (replace or force):
            raise LoadError(
                f"issue 总第{data.number}期 already exists with different content (use --replace)"
            )
    same_date = (
        Issue.objects.filter(publication=publication, date=data.date)
        .exclude(number=data.number)
        .values_list("number", flat=True)
        .first()
    )
    if same_date is not None:
        raise LoadError(
            f"{publication.name} already has an issue dated {data.date.isoformat()}: "
            f"总第{same_date}期, not 总第{data.number}期"
        )

    suffixes = _verified_images(incoming, image_files)
    status = Issue.Status.PUBLISHED if publish else Issue.Status.READY
    plan = _plan(existing, incoming, status) if existing is not None else _Plan()
    if plan.conflicts and not force:
        raise ReplaceRefused(data.number, plan.conflicts)

    if newest:
        _update_masthead(publication, incoming)
    people, new_people = _people(_names(incoming))
    when = published_at(data.date) if publish else None
    theirs = replace_merge.issue_printed_of(incoming)
    values = plan.issue.values if plan.issue is not None else theirs
    if plan.issue is not None and plan.issue.conflicts:
        values = theirs  # only with --force: otherwise the plan was refused
    issue_fields = {
        "date": datetime.date.fromisoformat(values["date"]),
        "number_in_year": values["number_in_year"],
        "status": status,
        "published_at": when,
        "extra": dict(values["extra"]),
        "sponsors": list(values["sponsors"]),
        "sponsor_role": values["sponsor_role"],
        "epaper_url": values["epaper_url"],
        "submission_email": values["submission_email"],
        "printed": theirs,
        "printed_digest": digest,
    }
    if existing is None or values["responsible_editor"] != plan.issue_ours["responsible_editor"]:
        # A 责任编辑 kept from the desk keeps its person (two people may share a name).
        name = values["responsible_editor"]
        issue_fields["responsible_editor"] = people[name] if name else None
    if existing is None:
        issue = Issue.objects.create(publication=publication, number=data.number, **issue_fields)
    else:
        issue = existing
        status_before = issue.status
        for name, value in issue_fields.items():
            setattr(issue, name, value)
        if plan.keep_status:
            issue.status = plan.issue_status
        if plan.issue_published_at is not None and issue.status == plan.issue_status:
            issue.published_at = plan.issue_published_at  # the desk's 签发 time stays
        # Saving the issue also makes its cached public pages stale (public/signals.py).
        issue.save()
        if plan.issue_forced and issue.status != status_before:
            _log_forced(issue=issue, from_state=status_before, to_state=issue.status)
    if existing is None or values["layout"] != plan.issue_ours["layout"]:
        # The 组版 line is rewritten only when the file's wins; the desk's stays as it is.
        if existing is not None:
            LayoutCredit.objects.filter(issue=issue).delete()
        LayoutCredit.objects.bulk_create(
            LayoutCredit(issue=issue, person=people[name], order=order)
            for order, name in enumerate(values["layout"])
        )

    pages_by_number = (
        {page.number: page for page in Page.objects.filter(issue=issue)} if existing else {}
    )
    changed_pages = []
    new_pages = []
    for page_data in incoming.pages:
        printed_photos = replace_merge.photos_of(page_data.photos)
        page = pages_by_number.get(page_data.number)
        if page is None:
            new_pages.append(
                Page(
                    issue=issue,
                    number=page_data.number,
                    name=page_data.name,
                    printed_photos=printed_photos,
                )
            )
        elif (page.name, page.printed_photos) != (page_data.name, printed_photos):
            page.name = page_data.name
            page.printed_photos = printed_photos
            changed_pages.append(page)
    if changed_pages:
        Page.objects.bulk_update(changed_pages, ["name", "printed_photos"])
    for page in Page.objects.bulk_create(new_pages):
        pages_by_number[page.number] = page

    article_status = Article.Status.PUBLISHED if publish else Article.Status.PLACED
    rows = _write_articles(
        plan, incoming, pages_by_number, people, article_status, when, force=force
    )
    wanted = {page.number for page in incoming.pages}
    for number in sorted(set(pages_by_number) - wanted):
        pages_by_number.pop(number).delete()  # its photo news go with it
    page_photo_count = _write_page_photos(plan, incoming, pages_by_number, people, force=force)
    _attach_file_images(plan, incoming, pages_by_number, rows, image_files, suffixes, saved)
    # bulk_create sends no signals: index the issue's articles for search in one go.
    index_articles(article.pk for article in rows)

    notes = _store_pages(
        incoming, issue, pages_by_number, rows, page_files or {}, plan.manual, saved
    )
    photo_count = page_photo_count + sum(
        len(article_data.photos) for page in incoming.pages for article_data in page.articles
    )
    return LoadResult(
        "imported" if existing is None else "replaced",
        issue,
        articles=len(rows),
        photos=photo_count,
        new_people=new_people,
        notes=notes,
        report=plan.report if existing is not None else [],
        issue_report=plan.issue_report if existing is not None else [],
    )


def file_digest(
    incoming: IssueData,
    image_files: dict[str, ImageFile],
    page_files: dict[int, page_files_service.PageFile],
) -> str:
    """SHA-256 of a file as the loader reads it: its normalised text, the content of each
    photo's picture in text order and of each page file. Names of files do not count."""
    payload = {
        "issue": to_dict(incoming, full=True),
        "images": [
            image_files[photo.image].sha256 if photo.image else ""
            for photo in photos_in_text_order(incoming)
        ],
        "pages": {str(number): page.sha256 for number, page in sorted(page_files.items())},
    }
    encoded = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def _log_forced(*, from_state: str, to_state: str, **target) -> None:
    """A state the desk decided (撤稿, 撤回本期) that ``--force`` undid: a step in the desk's
    log, by nobody (an import, like its revisions), saying so (issues/signals.py)."""
    desk_decision_undone.send(
        sender=load_issue,
        from_state=from_state,
        to_state=to_state,
        note=gettext("Re-imported with --force: the file's version replaced the desk's decision."),
        **target,
    )


# --------------------------------------------------------------------------- replacing


class ReplaceRefused(LoadError):
    """Replacing the issue would undo what the desk did: the list says what, article by
    article. Nothing was written."""

    def __init__(self, number: int, conflicts: list[str]):
        lines = "\n".join(f"  {conflict}" for conflict in conflicts)
        super().__init__(
            f"replacing 总第{number}期 would undo what the desk did, so nothing was changed "
            f"(--force discards it):\n{lines}"
        )
        self.conflicts = conflicts


@dataclass
class ArticleReport:
    """One line of what a replace did to an article."""

    page: int
    position: int  # 1-based, as printed
    article_id: int | None
    headline: str
    outcome: str  # unchanged, text changed, added, removed, kept desk changes, ...
    details: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        where = f"第{self.page}版 {self.position}"
        ident = f"#{self.article_id}" if self.article_id else "(new)"
        details = f" ({'; '.join(self.details)})" if self.details else ""
        return f"{where} {ident} {self.headline}: {self.outcome}{details}"


@dataclass
class _Matched:
    old: Article
    page: int
    order: int
    data: ArticleData
    theirs: dict
    ours: dict
    merged: replace_merge.Merged


@dataclass
class _Plan:
    """What a replace will do, worked out before anything is written."""

    matched: list[_Matched] = field(default_factory=list)
    # Position in the file's order of articles -> the matched old article
    by_position: dict[int, _Matched] = field(default_factory=dict)
    removed: list[tuple[Article, replace_merge.Slot]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    report: list[ArticleReport] = field(default_factory=list)
    manual: dict[tuple[str, str, int], list] = field(default_factory=dict)
    # Page number -> (its photo news rows, what to make them say or None to keep them, how
    # the merge went)
    page_photos: dict[int, tuple[list[Photo], list | None, str]] = field(default_factory=dict)
    issue_status: str = ""
    keep_status: bool = False
    issue_published_at: datetime.datetime | None = None
    # The issue's own fields: as they are now, merged, and what the report says of them.
    issue_ours: dict = field(default_factory=dict)
    issue: replace_merge.MergedIssue | None = None
    issue_report: list[str] = field(default_factory=list)
    issue_forced: bool = False  # --force will take the issue's state from the file


# An image the loader took from a page PDF is stored under its SHA-256
# (backissues/pages.py); anything else on a photo was uploaded at the desk.
_FROM_PAGE_PDF = re.compile(r"^photos/[0-9a-f]{2}/[0-9a-f]{64}\.\w+$")


def _start(article: Article) -> Page:
    """The start page of an article of the issue (every one has one)."""
    assert article.page is not None
    return article.page


def _uploaded(photo: Photo) -> bool:
    return bool(photo.image) and not _FROM_PAGE_PDF.match(photo.image.name or "")


def _descriptor(photo: Photo) -> list[str]:
    return [photo.caption, photo.photographer.name if photo.photographer else "", photo.credit_role]


def _current(article: Article) -> dict:
    return {
        **{name: getattr(article, name) for name in replace_merge.TEXT_FIELDS},
        "bylines": [[byline.person.name, byline.role] for byline in article.bylines.all()],
        "photos": [_descriptor(photo) for photo in article.photos.all()],
    }


def _base(article: Article, ours: dict) -> dict | None:
    """What the last import printed. Articles imported before it was kept: their current
    state, with the first revision's text when they were corrected; a story filed at the desk
    has none."""
    if article.printed:
        return article.printed
    if article.created_by_id is not None:
        return None
    base = dict(ours)
    if article.corrections.all():
        first = article.history.order_by("history_date", "history_id").first()
        if first is not None:
            base.update(
                headline=first.headline,
                subheadline=first.subheadline,
                dateline=first.dateline,
                body=first.body,
            )
    return base


def _corrections(article: Article) -> list[str]:
    return [
        f"更正 {correction.created_at:%Y-%m-%d}: {correction.note[:30]}"
        for correction in article.corrections.all()
    ]


def _desk_marks(article: Article, base: dict | None, ours: dict) -> list[str]:
    """What the desk did to an article, which deleting it would lose."""
    marks = []
    if article.status == Article.Status.WITHDRAWN:
        marks.append("withdrawn (撤稿)")
    marks.extend(_corrections(article))
    steps = getattr(article, "steps", 0)  # annotated by _plan
    if steps:
        marks.append(f"{steps} logged desk steps")
    if base is None:
        marks.append("filed at the desk")
    else:
        if (
            replace_merge.text_of(base) != replace_merge.text_of(ours)
            and not article.corrections.all()
        ):
            marks.append("text edited at the desk")
        printed = {tuple(b) for b in base["bylines"]}
        marks.extend(
            f"byline {name} ({role}) added at the desk"
            for name, role in ours["bylines"]
            if (name, role) not in printed
        )
    marks.extend(
        f"uploaded image of photo “{photo.caption[:20]}”"
        for photo in article.photos.all()
        if _uploaded(photo)
    )
    if getattr(article, "hand_regions", 0):
        marks.append("region drawn by hand")
    return marks


def _plan(issue: Issue, incoming: IssueData, status: str) -> _Plan:
    plan = _Plan(issue_status=issue.status)
    if issue.transitions.exists():
        plan.issue_published_at = issue.published_at  # when the desk published it
    olds = list(
        Article.objects.filter(page__issue=issue)
        .select_related("page")
        .prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("person")),
            Prefetch("photos", queryset=Photo.objects.select_related("photographer")),
            Prefetch("corrections", queryset=Correction.objects.order_by("created_at", "id")),
        )
        .annotate(
            steps=Count("transitions", distinct=True),
            hand_regions=Count(
                "regions", filter=Q(regions__source=Region.Source.MANUAL), distinct=True
            ),
        )
        .order_by("page__number", "order", "id")
    )
    news = [
        (page_data.number, order, article_data)
        for page_data in incoming.pages
        for order, article_data in enumerate(page_data.articles)
    ]
    old_slots = [
        replace_merge.Slot(_start(article).number, article.order, article.headline, article.body)
        for article in olds
    ]
    new_slots = [
        replace_merge.Slot(page, order, data.headline, "\n".join(data.paragraphs))
        for page, order, data in news
    ]
    pairs = replace_merge.match(old_slots, new_slots)
    if status != issue.status and issue.transitions.exists():
        published = Issue.Status.PUBLISHED
        if published in (status, issue.status):
            # Publishing or taking back an issue is the responsible editor's decision.
            plan.conflicts.append(
                f"总第{issue.number}期 is {issue.status} at the desk (see its log); "
                f"this import would make it {status}"
            )
            plan.issue_forced = True
        else:
            plan.keep_status = True  # still unpublished: the desk's layout state stays
    _plan_issue(plan, issue, incoming)
    hand_drawn = _manual_regions(issue)
    new_style = any(article.printed for article in olds)
    for i, article in enumerate(olds):
        ours = _current(article)
        base = _base(article, ours)
        label = f"第{_start(article).number}版 {article.order + 1} #{article.pk} {article.headline}"
        j = pairs.get(i)
        if j is None:
            marks = _desk_marks(article, base, ours)
            if marks:
                plan.conflicts.append(
                    f"{label}: the file no longer has it, and the desk's work would be lost: "
                    + "; ".join(marks)
                )
            plan.removed.append((article, old_slots[i]))
            continue
        page, order, data = news[j]
        theirs = replace_merge.printed_of(data)
        merged = replace_merge.merge_article(
            base=base,
            ours=ours,
            theirs=theirs,
            withdrawn=article.status == Article.Status.WITHDRAWN,
            uploaded=[_uploaded(photo) for photo in article.photos.all()],
            corrections=_corrections(article),
        )
        plan.conflicts.extend(f"{label}: {conflict}" for conflict in merged.conflicts)
        matched = _Matched(article, page, order, data, theirs, ours, merged)
        plan.matched.append(matched)
        plan.by_position[j] = matched
        for (old_pk, text_hash, region_page), boxes in hand_drawn.items():
            if old_pk == article.pk:
                plan.manual[(article_key(page, order + 1), text_hash, region_page)] = boxes
    # Photo news on the pages.
    pages = {page.number: page for page in Page.objects.filter(issue=issue)}
    rows_by_page: dict[int, list[Photo]] = {number: [] for number in pages}
    numbers = {page_row.pk: number for number, page_row in pages.items()}
    for photo in Photo.objects.filter(page__issue=issue).select_related("photographer"):
        rows_by_page[numbers[photo.page_id]].append(photo)  # type: ignore[index]
    file_photos = {page.number: replace_merge.photos_of(page.photos) for page in incoming.pages}
    for number, page_row in pages.items():
        rows = rows_by_page[number]
        current = [_descriptor(photo) for photo in rows]
        printed = page_row.printed_photos if new_style else current
        value, how, why = replace_merge.merge_photos(
            printed, current, file_photos.get(number, []), [_uploaded(photo) for photo in rows]
        )
        if how == "conflict":
            plan.conflicts.extend(
                f"第{number}版 photo news: {reason}"
                for reason in why or ["changed at the desk and the file changes them"]
            )
        plan.page_photos[number] = (rows, value, how)
    return plan


def _issue_current(issue: Issue) -> dict:
    """The issue's own fields as they are now, in the form of ``Issue.printed``."""
    return {
        "date": issue.date.isoformat(),
        "number_in_year": issue.number_in_year,
        "responsible_editor": issue.responsible_editor.name if issue.responsible_editor else "",
        "layout": [
            credit.person.name
            for credit in LayoutCredit.objects.filter(issue=issue).select_related("person")
        ],
        "sponsors": list(issue.sponsors),
        "sponsor_role": issue.sponsor_role,
        "epaper_url": issue.epaper_url,
        "submission_email": issue.submission_email,
        "extra": dict(issue.extra),
    }


def _plan_issue(plan: _Plan, issue: Issue, incoming: IssueData) -> None:
    """Merge the issue's masthead and staff three ways, like an article's text. An issue
    imported before its printed state was kept counts as printed as it is now."""
    ours = _issue_current(issue)
    corrections = [
        f"更正 {correction.created_at:%Y-%m-%d}: {correction.note[:30]}"
        for correction in IssueCorrection.objects.filter(issue=issue)
    ]
    merged = replace_merge.merge_issue(
        base=issue.printed or ours,
        ours=ours,
        theirs=replace_merge.issue_printed_of(incoming),
        corrections=corrections,
    )
    plan.issue_ours, plan.issue = ours, merged
    where = f"总第{issue.number}期"
    plan.conflicts.extend(f"{where} {conflict}" for conflict in merged.conflicts)
    if merged.conflicts:
        plan.issue_report.append(
            f"{where}: desk changes discarded (--force) ({'; '.join(merged.conflicts)})"
        )
        return
    if merged.taken:
        plan.issue_report.append(f"{where}: changed by the file: {', '.join(merged.taken)}")
    if merged.kept:
        plan.issue_report.append(f"{where}: kept desk changes ({'; '.join(merged.kept)})")


def _write_articles(plan, incoming, pages_by_number, people, article_status, when, *, force):
    """Update the matched articles, create the new ones, retire the removed ones; the
    issue's article rows in the file's order."""
    now = timezone.now()
    rows: list[Article] = []
    created: list[tuple[Article, ArticleData]] = []
    updated: list[Article] = []
    history_before: list[Article] = []
    history_after: list[Article] = []
    position = 0
    for page_data in incoming.pages:
        page = pages_by_number[page_data.number]
        for order, article_data in enumerate(page_data.articles):
            matched = plan.by_position.get(position)
            position += 1
            theirs = replace_merge.printed_of(article_data)
            if matched is None:
                article = Article(
                    page=page,
                    order=order,
                    status=article_status,
                    published_at=when,
                    printed=theirs,
                    **{name: theirs[name] for name in replace_merge.TEXT_FIELDS},
                )
                created.append((article, article_data))
                rows.append(article)
                plan.report.append(
                    ArticleReport(page.number, order + 1, None, article_data.headline, "added")
                )
                continue
            rows.append(
                _update_article(
                    matched,
                    page,
                    order,
                    article_status,
                    when,
                    now,
                    people,
                    force=force,
                    plan=plan,
                    history=(history_before, history_after),
                )
            )
            updated.append(matched.old)
    if history_before:
        Article.history.bulk_history_create(history_before, default_user=None)
    Article.objects.bulk_update(
        updated,
        [
            "page",
            "order",
            *replace_merge.TEXT_FIELDS,
            "status",
            "published_at",
            "version",
            "printed",
            "updated_at",
        ],
    )
    if history_after:
        Article.history.bulk_history_create(history_after, default_user=None)
    Article.objects.bulk_create(article for article, _data in created)
    bylines: list[Byline] = []
    photos: list[Photo] = []
    for article, article_data in created:
        bylines.extend(
            Byline(article=article, person=people[byline.name], role=byline.role, order=order)
            for order, byline in enumerate(article_data.bylines)
        )
        photos.extend(
            _photo(photo_data, order, people, article=article)
            for order, photo_data in enumerate(article_data.photos)
        )
    Byline.objects.bulk_create(bylines)
    Photo.objects.bulk_create(photos)
    _retire(plan, rows)
    # Matched articles first in the report, in the file's order; then the removed ones.
    plan.report.sort(key=lambda line: (line.outcome == "removed", line.page, line.position))
    return rows


def _update_article(
    matched, page, order, article_status, when, now, people, *, force, plan, history
):
    article, merged = matched.old, matched.merged
    history_before, history_after = history
    text, photos = merged.text, merged.photos
    details: list[str] = []
    discarded = bool(merged.conflicts)  # only with --force: otherwise the plan was refused
    if discarded:
        text = replace_merge.text_of(matched.theirs)
        photos = matched.theirs["photos"]
        corrections = list(article.corrections.all())
        if corrections and text != replace_merge.text_of(matched.ours):
            Correction.objects.filter(pk__in=[c.pk for c in corrections]).delete()
    if (_start(article).number, article.order) != (page.number, order):
        details.append(f"moved from 第{_start(article).number}版 {article.order + 1}")
    text_changed = text != replace_merge.text_of(matched.ours)
    withdrawn = article.status == Article.Status.WITHDRAWN and not discarded
    status = Article.Status.WITHDRAWN if withdrawn else article_status
    republished = article.status == Article.Status.WITHDRAWN and status != article.status
    if republished:
        # 撤稿 was the responsible editor's decision: undoing it is a step in the log too.
        _log_forced(article=article, from_state=article.status, to_state=status)
    if status != article.status or article.published_at is None:
        article.published_at = when
    if text_changed and not article.history.filter(version=article.version).exists():
        history_before.append(_copy(article))
    changed = text_changed or merged.bylines != matched.ours["bylines"] or photos is not None
    article.page = page
    article.order = order
    for name in replace_merge.TEXT_FIELDS:
        setattr(article, name, text[name])
    article.status = status
    article.printed = matched.theirs
    article.updated_at = now
    if changed:
        article.version += 1
    if text_changed:
        history_after.append(article)
    if merged.bylines != matched.ours["bylines"]:
        persons = {(b.person.name, b.role): b.person for b in article.bylines.all()}
        Byline.objects.filter(article=article).delete()
        Byline.objects.bulk_create(
            Byline(
                article=article,
                person=persons.get((name, role)) or people[name],
                role=role,
                order=position,
            )
            for position, (name, role) in enumerate(merged.bylines)
        )
    if photos is not None:
        _apply_photos(list(article.photos.all()), photos, people, article=article)
    if discarded:
        outcome = "desk changes discarded (--force)"
        details.extend(merged.conflicts)
        if republished:
            details.append(
                f"the withdrawal (撤稿) was undone, now {status}: logged as re-imported with "
                "--force"
            )
    elif merged.file_changed:
        outcome = "text changed" if "text" in merged.file_changed else "changed"
        details.append("by the file: " + ", ".join(merged.file_changed))
        if merged.kept:
            details.append("kept desk changes: " + "; ".join(merged.kept))
    elif merged.kept:
        outcome = "kept desk changes"
        details.extend(merged.kept)
    else:
        outcome = "unchanged"
    plan.report.append(
        ArticleReport(page.number, order + 1, article.pk, article.headline, outcome, details)
    )
    return article


def _copy(article: Article) -> Article:
    """The article as stored, for its revision history (before it changes)."""
    return Article.objects.get(pk=article.pk)


def _apply_photos(rows: list[Photo], wanted: list[list[str]], people, *, article=None, page=None):
    """Make the photo rows say ``wanted`` ([caption, photographer, role] each), in place: a
    row keeps its image (uploaded or taken from the page PDF)."""
    changed, new = [], []
    for order, (caption, name, role) in enumerate(wanted):
        photographer = people[name] if name else None
        if order < len(rows):
            row = rows[order]
            row.caption, row.photographer, row.credit_role, row.order = (
                caption,
                photographer,
                role,
                order,
            )
            changed.append(row)
        else:
            new.append(
                Photo(
                    article=article,
                    page=page,
                    caption=caption,
                    photographer=photographer,
                    credit_role=role,
                    order=order,
                )
            )
    if changed:
        Photo.objects.bulk_update(changed, ["caption", "photographer", "credit_role", "order"])
    Photo.objects.bulk_create(new)
    for row in rows[len(wanted) :]:
        row.delete()  # its files go after the commit (articles.models.forget_photo_files)


def _write_page_photos(plan, incoming, pages_by_number, people, *, force) -> int:
    count = 0
    for page_data in incoming.pages:
        page = pages_by_number[page_data.number]
        theirs = replace_merge.photos_of(page_data.photos)
        rows, value, how = plan.page_photos.get(page.number, ([], theirs, "changed"))
        if how == "conflict" and force:
            value = theirs  # the desk's changes, discarded
        if value is not None:
            _apply_photos(rows, value, people, page=page)
        count += len(value if value is not None else rows)
    return count


def _retire(plan: _Plan, rows: list[Article]) -> None:
    """The removed articles go; their addresses are kept as RetiredArticle rows (301 to a
    successor holding their text, 410 otherwise)."""
    if not plan.removed:
        return
    new_slots = [
        replace_merge.Slot(_start(row).number, row.order, row.headline, row.body) for row in rows
    ]
    retired = []
    for article, slot in plan.removed:
        index = replace_merge.successor(slot, new_slots)
        successor = rows[index] if index is not None else None
        retired.append(
            RetiredArticle(
                id=article.pk,
                publication_id=_start(article).issue.publication_id,
                issue_id=_start(article).issue_id,
                headline=article.headline,
                successor=successor,
            )
        )
        # Addresses retired earlier that led here follow on to the successor.
        RetiredArticle.objects.filter(successor=article).update(successor=successor)
        plan.report.append(
            ArticleReport(
                _start(article).number,
                article.order + 1,
                article.pk,
                article.headline,
                "removed",
                [
                    f"its address redirects to #{successor.pk}"
                    if successor is not None
                    else "its address answers 410 Gone"
                ],
            )
        )
    RetiredArticle.objects.bulk_create(retired)
    Article.objects.filter(pk__in=[article.pk for article, _slot in plan.removed]).delete()


# --------------------------------------------------------------------------- helpers


def _photos_and_pages(data: IssueData):
    """Each photo in text order with the pages it may sit on (its article's pages)."""
    for page in data.pages:
        for photo in page.photos:
            yield photo, {page.number}
        for article in page.articles:
            for photo in article.photos:
                yield photo, set(article.pages)


def _same_images(
    stored: Issue,
    incoming: IssueData,
    image_files: dict[str, ImageFile],
    page_files: dict[int, page_files_service.PageFile],
) -> bool:
    """Does every photo have the image the file gives it? (Called once the texts are equal,
    so the photos pair up.) A photo without an image line on a page with a PDF takes its
    picture from the PDF, which is compared as a page file."""
    pdf_pages = {number for number, page_file in page_files.items() if page_file.is_pdf}
    pdf_pages.update(page.number for page in stored.pages.all() if page.scan and page.scan_is_pdf)
    rows = issue_photos(stored)
    for (photo, pages), row in zip(_photos_and_pages(incoming), rows, strict=True):
        wanted = image_files[photo.image].sha256 if photo.image else None
        if wanted is None and pages & pdf_pages:
            continue
        if wanted != stored_sha256(row):
            return False
    return True


def _verified_images(data: IssueData, image_files: dict[str, ImageFile]) -> dict[str, str]:
    """Decode every image the issue names with the upload check, before anything is written;
    the file extension each is stored with, by name. LoadError at the first refused one."""
    suffixes: dict[str, str] = {}
    for photo in photos_in_text_order(data):
        if not photo.image or photo.image in suffixes:
            continue
        try:
            info = verify_photo_file(io.BytesIO(image_files[photo.image].data))
        except ValidationError as refused:
            reason = "; ".join(str(message) for message in refused.messages)
            raise LoadError(f"image {photo.image} is refused: {reason}", photo.image_line) from None
        suffixes[photo.image] = EXTENSIONS.get(info.media_type, ".img")
    return suffixes


def _attach_image(
    photo: Photo,
    image: ImageFile,
    suffixes: dict[str, str],
    saved: page_files_service.SavedFiles,
) -> None:
    """The original under its content's name, and its renditions (made once per content)."""
    digest = image.sha256
    photo.image.name = saved.save(f"photos/{digest[:2]}/{digest}{suffixes[image.name]}", image.data)
    saved.render(photo)


def _attach_file_images(plan, incoming, pages_by_number, rows, image_files, suffixes, saved):
    """Give each photo the image its file's image line names (``![](photos/…)``), by its
    place among its article's or page's photos. A photo whose image was uploaded at the desk
    keeps it (the report says so)."""
    if not image_files:
        return
    owners: list[tuple[list[PhotoData], list[Photo]]] = []
    article_rows: dict[int, list[Photo]] = {}
    page_rows: dict[int, list[Photo]] = {}
    issue_pages = {page.pk: number for number, page in pages_by_number.items()}
    for photo in Photo.objects.filter(article__in=rows).order_by("order", "id"):
        article_rows.setdefault(photo.article_id, []).append(photo)  # type: ignore[arg-type]
    for photo in Photo.objects.filter(page__in=list(pages_by_number.values())).order_by(
        "order", "id"
    ):
        page_rows.setdefault(issue_pages[photo.page_id], []).append(photo)
    index = 0
    for page_data in incoming.pages:
        owners.append((page_data.photos, page_rows.get(page_data.number, [])))
        for article_data in page_data.articles:
            article = rows[index]
            index += 1
            owners.append((article_data.photos, article_rows.get(article.pk, [])))
    changed = []
    for given_photos, photo_rows in owners:
        for given, row in zip(given_photos, photo_rows, strict=False):
            if not given.image:
                continue
            image = image_files[given.image]
            if stored_sha256(row) == image.sha256 or _uploaded(row):
                continue
            _attach_image(row, image, suffixes, saved)
            changed.append(row)
    if changed:
        Photo.objects.bulk_update(changed, ["image", "renditions"])


def _manual_regions(issue: Issue) -> dict[tuple[int, str, int], list]:
    """Regions drawn by hand, by (article id, the text they were drawn for, page)."""
    return {
        (region.article_id, region.text_hash, region.page.number): region.boxes  # type: ignore[misc]
        for region in Region.objects.filter(
            page__issue=issue, source=Region.Source.MANUAL, article__isnull=False
        ).select_related("page")
    }


def _store_pages(incoming, issue, pages_by_number, articles, page_files, manual, saved):
    """Page files, renditions, words and regions; the notes for the importer."""
    saved = saved if saved is not None else page_files_service.SavedFiles()
    notes: list[str] = []
    changed = []
    for number, page_file in sorted(page_files.items()):
        page = pages_by_number[number]
        if page_files_service.store_page(page, page_file, saved):
            changed.append(page)
    if changed:
        Page.objects.bulk_update(changed, ["scan", "scan_sha256", "renditions", "words"])
    with_scans = [page for page in pages_by_number.values() if page.scan]
    if not with_scans:
        return notes
    by_key: dict[str, Article] = {}
    rows = iter(articles)
    for page_data in incoming.pages:
        for order, _article_data in enumerate(page_data.articles, start=1):
            by_key[article_key(page_data.number, order)] = next(rows)
    pk_to_key = {article.pk: key for key, article in by_key.items()}
    article_photos: dict[str, list[Photo]] = {}
    page_photos: dict[int, list[Photo]] = {}
    for photo in Photo.objects.filter(article__page__issue=issue).order_by("order", "id"):
        article_photos.setdefault(pk_to_key[photo.article_id], []).append(photo)  # type: ignore[index]
    numbers = {page.pk: number for number, page in pages_by_number.items()}
    for photo in Photo.objects.filter(page__issue=issue).order_by("order", "id"):
        page_photos.setdefault(numbers[photo.page_id], []).append(photo)
    inputs = page_inputs(incoming)
    for page in sorted(with_scans, key=lambda page: page.number):
        # Regions are found again for the page as it now is; hand-drawn ones come back from
        # ``manual`` while their article's text is the one they were drawn for.
        Region.objects.filter(page=page).delete()
        notes.extend(
            page_files_service.store_regions(
                page,
                inputs.get(page.number),
                by_key,
                page_photos.get(page.number, []),
                article_photos,
                manual,
                saved,
            )
        )
    return notes


def _publication(data: IssueData) -> tuple[Publication, bool]:
    """The publication, and whether this issue is its newest (so it sets the defaults for
    new issues)."""
    publication = Publication.objects.filter(name=data.publication.name).first()
    if publication is None:
        base = publication_slug(data.publication.name)
        # Two imports of a new paper (or of two papers with the same pinyin) create it once:
        # the second waits here, then finds it.
        lock_publication_name(base)
        publication = Publication.objects.filter(name=data.publication.name).first()
    if publication is None:
        taken = set(
            Publication.objects.filter(slug__startswith=base).values_list("slug", flat=True)
        )
        slug, suffix = base, 2
        while slug in taken:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        publication = Publication.objects.create(
            name=data.publication.name,
            slug=slug,
            sponsor_role=data.publication.sponsor_role or Publication.SponsorRole.SPONSOR,
        )
        return publication, True
    later = (
        Issue.objects.filter(publication=publication, date__gt=data.date)
        .exclude(number=data.number)
        .exists()
    )
    return publication, not later


def _update_masthead(publication: Publication, data: IssueData) -> None:
    """The newest issue's masthead becomes the publication's default for new issues (a file
    without a role line keeps the paper's role: the default cannot be empty)."""
    wanted = (
        list(data.publication.sponsors),
        data.publication.sponsor_role or publication.sponsor_role,
        data.epaper_url,
        data.submission_email,
    )
    current = (
        publication.sponsors,
        publication.sponsor_role,
        publication.epaper_url,
        publication.submission_email,
    )
    if current != wanted:
        publication.sponsors, publication.sponsor_role = wanted[0], wanted[1]
        publication.epaper_url = data.epaper_url
        publication.submission_email = data.submission_email
        publication.save(
            update_fields=["sponsors", "sponsor_role", "epaper_url", "submission_email"]
        )


def normalized(data: IssueData) -> IssueData:
    """The issue as the database will hold it, so that it compares equal to its export."""
    pages = [
        dataclasses.replace(
            page, articles=[_normalized_article(article) for article in page.articles]
        )
        for page in data.pages
    ]
    return dataclasses.replace(
        data,
        publication=dataclasses.replace(data.publication, sponsors=list(data.publication.sponsors)),
        weekday=weekday_name(data.date),
        pages=pages,
    )


def _normalized_article(article: ArticleData) -> ArticleData:
    """Split hard breaks into paragraphs; move the jump breaks by the characters dropped."""
    if not any("\n" in paragraph or not paragraph.strip() for paragraph in article.paragraphs):
        return article
    paragraphs: list[str] = []
    kept: list[int] = []  # kept[i]: offset in the new text of the old text's i-th character
    position = 0
    for paragraph in article.paragraphs:
        for line in paragraph.split("\n"):
            if line.strip():
                paragraphs.append(line)
                kept.extend(range(position, position + len(line)))
                position += len(line)
            else:
                kept.extend([position] * len(line))
            kept.append(position)  # the "\n" after each line (one too many; trimmed below)
        kept.pop()
    kept.append(position)
    breaks = [kept[offset] if offset < len(kept) else position for offset in article.breaks]
    return dataclasses.replace(article, paragraphs=paragraphs, breaks=breaks)


def _names(data: IssueData) -> set[str]:
    names = set(data.layout)
    if data.responsible_editor:
        names.add(data.responsible_editor)
    for page in data.pages:
        names.update(photo.photographer for photo in page.photos if photo.photographer)
        for article in page.articles:
            names.update(byline.name for byline in article.bylines)
            names.update(photo.photographer for photo in article.photos if photo.photographer)
    return names


def _people(names: Iterable[str]) -> tuple[dict[str, Person], int]:
    """One Person per name: the oldest of that name, or a new one.

    Race-free by an advisory lock per (normalised) name, not by a unique constraint: names
    are not unique (two people called 张伟 are two rows, made at the desk), so the database
    cannot refuse a second 张伟, and a constraint on an "imported" flag would still let an
    import and the desk disagree. The missing names are locked (in key order, so imports
    sharing names cannot deadlock) and looked up again: an import that created one meanwhile
    has committed by then (the lock is held to the end of its transaction), and READ
    COMMITTED lets this statement see it. On SQLite the database's one write lock serialises
    imports already. Queries: one lookup; with new names, the lock, a second lookup and one
    insert."""
    names = set(names)
    people: dict[str, Person] = {}

    def find(wanted):
        for person in Person.objects.filter(name__in=wanted).order_by("-id"):
            people[person.name] = person  # lowest id last, so it wins

    find(names)
    missing = sorted(names - people.keys())
    if missing:
        lock_names(missing)
        find(missing)
        missing = sorted(names - people.keys())
    for person in Person.objects.bulk_create(Person(name=name) for name in missing):
        people[person.name] = person
    return people, len(missing)


def _photo(
    data: PhotoData,
    order: int,
    people: dict[str, Person],
    *,
    article: Article | None = None,
    page: Page | None = None,
) -> Photo:
    return Photo(
        article=article,
        page=page,
        caption=data.caption,
        photographer=people[data.photographer] if data.photographer else None,
        credit_role=data.photographer_role if data.photographer else "",
        order=order,
    )


def _valid(validator, value: str) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def _too_long(value: str, model, field_name: str) -> bool:
    return len(value) > model._meta.get_field(field_name).max_length


def _check_lengths(data: IssueData) -> None:
    """Refuse what a column cannot hold, with the line, before PostgreSQL refuses it bare."""
    problems: list[tuple[int | None, str]] = []

    def check(value, model, field_name, what, line=None):
        if _too_long(value, model, field_name):
            limit = model._meta.get_field(field_name).max_length
            problems.append((line, f"{what} is longer than {limit} characters: {value[:30]}…"))

    check(data.publication.name, Publication, "name", "publication name")
    check(data.epaper_url, Issue, "epaper_url", "e-paper URL")
    check(data.submission_email, Issue, "submission_email", "submission e-mail")
    # The text parser refuses these with their line; this is the door for the JSON form.
    if data.epaper_url and not _valid(URLValidator(schemes=["http", "https"]), data.epaper_url):
        problems.append((None, f"电子版 is not an http(s) address: {data.epaper_url[:60]}"))
    if data.submission_email and not _valid(EmailValidator(), data.submission_email):
        problems.append((None, f"投稿邮箱 is not an e-mail address: {data.submission_email[:60]}"))
    if data.publication.sponsor_role not in ("", *Publication.SponsorRole.values):
        problems.append((None, f"unknown sponsor role {data.publication.sponsor_role}"))
    check(data.responsible_editor, Person, "name", "name of the responsible editor")
    for name in data.layout:
        check(name, Person, "name", "name in 组版")
    if len(set(data.layout)) != len(data.layout):
        problems.append((None, f"a name is repeated in 组版: {'、'.join(data.layout)}"))
    for page in data.pages:
        check(page.name, Page, "name", f"name of page {page.number}", page.line)
        photos = list(page.photos)
        for article in page.articles:
            line = article.line
            check(article.headline, Article, "headline", "headline", line)
            check(article.subheadline, Article, "subheadline", "subheadline", line)
            check(article.dateline, Article, "dateline", "dateline", line)
            if not article.headline.strip():
                problems.append((line, "empty headline"))
            seen = set()
            for byline in article.bylines:
                check(byline.name, Person, "name", "byline name", line)
                if byline.role not in Byline.Role.values:
                    problems.append((line, f"unknown byline role {byline.role}"))
                if (byline.name, byline.role) in seen:
                    problems.append(
                        (line, f"byline {byline.name} ({byline.role}) is repeated in the article")
                    )
                seen.add((byline.name, byline.role))
            photos.extend(article.photos)
        for photo in photos:
            line = photo.line or page.line
            check(photo.photographer, Person, "name", "photographer's name", line)
            if photo.photographer_role and photo.photographer_role not in Byline.Role.values:
                problems.append((line, f"unknown photo credit role {photo.photographer_role}"))
    if problems:
        line, message = problems[0]
        raise LoadError(message, line)
