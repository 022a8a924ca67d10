"""How ``import_issues --replace`` keeps what the desk did: pure functions, no database.

An issue imported again is merged three ways, article by article:

* **base**: the article as the last imported file printed it (``Article.printed``);
* **ours**: the article as it is now, with whatever the desk did (a correction, a byline);
* **theirs**: the article in the new file.

Articles are first matched (:func:`match`): same page, order and headline; then the same
headline elsewhere in the issue (a moved article), when it is unique; then the same page and
order with another headline, when the text is still mostly the same (a retitled article).
A matched article keeps its row, so its id, its address, its transitions and corrections.

Each part of an article (its text, its bylines, its photos) is then merged: a part the file
did not change keeps the desk's version; a part the desk did not change takes the file's; a
part both changed the same way is fine; a part both changed differently is a *conflict*.
Bylines never conflict: the desk's additions and removals are applied to the file's list.
A withdrawn article conflicts with any change the file makes to it; an article the file no
longer has conflicts when the desk did anything to it (its log, corrections, bylines,
uploaded images, regions drawn by hand would go with it).

The issue's own fields (its masthead, 责任编辑 and 组版 line) are merged the same way, field by
field (:func:`merge_issue`), against ``Issue.printed``.

A replace with a conflict is refused with the list (``--force`` takes the file's version).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from backissues.textformat import ArticleData, PhotoData

TEXT_FIELDS = ("headline", "subheadline", "dateline", "body", "pages", "breaks")
# A retitled article in the same place is the same article when this much of its text is.
SAME_TEXT_RATIO = 0.5
# A removed article's address redirects to the new article holding this much of its text.
SUCCESSOR_RATIO = 0.6


def printed_of(article: ArticleData) -> dict:
    """The snapshot of a file's article, as ``Article.printed`` holds it."""
    return {
        "headline": article.headline,
        "subheadline": article.subheadline,
        "dateline": article.dateline,
        "body": "\n".join(article.paragraphs),
        "pages": list(article.pages),
        "breaks": list(article.breaks),
        "bylines": [[byline.name, byline.role] for byline in article.bylines],
        "photos": photos_of(article.photos),
    }


def photos_of(photos: list[PhotoData]) -> list[list[str]]:
    return [
        [photo.caption, photo.photographer, photo.photographer_role if photo.photographer else ""]
        for photo in photos
    ]


def text_of(snapshot: dict) -> dict:
    return {name: snapshot[name] for name in TEXT_FIELDS}


@dataclass(frozen=True)
class Slot:
    """What matching looks at: where an article starts, its headline and body."""

    page: int
    order: int
    headline: str
    body: str


def similarity(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < SAME_TEXT_RATIO / 2:
        return 0.0
    return matcher.ratio()


def match(olds: list[Slot], news: list[Slot]) -> dict[int, int]:
    """{index in olds: index in news} of the articles that are the same article."""
    pairs: dict[int, int] = {}
    free_old = list(range(len(olds)))
    free_new = set(range(len(news)))

    def pair(i: int, j: int) -> None:
        pairs[i] = j
        free_old.remove(i)
        free_new.discard(j)

    by_place = {(new.page, new.order, new.headline): j for j, new in enumerate(news)}
    for i in list(free_old):
        old = olds[i]
        j = by_place.get((old.page, old.order, old.headline))
        if j is not None and j in free_new:
            pair(i, j)
    # Moved: the same headline on another page or order, unique on both sides.
    old_headlines = _counts(olds[i].headline for i in free_old)
    new_headlines = _counts(news[j].headline for j in free_new)
    for i in list(free_old):
        headline = olds[i].headline
        if old_headlines.get(headline) == 1 and new_headlines.get(headline) == 1:
            j = next(j for j in free_new if news[j].headline == headline)
            pair(i, j)
    # Retitled: the same place, another headline, mostly the same text.
    by_slot = {(news[j].page, news[j].order): j for j in free_new}
    for i in list(free_old):
        old = olds[i]
        j = by_slot.get((old.page, old.order))
        if (
            j is not None
            and j in free_new
            and similarity(old.body, news[j].body) >= SAME_TEXT_RATIO
        ):
            pair(i, j)
    return pairs


def successor(old: Slot, news: list[Slot]) -> int | None:
    """The new article holding most of a removed article's text, if any holds enough."""
    best, best_ratio = None, SUCCESSOR_RATIO
    for j, new in enumerate(news):
        ratio = similarity(old.body, new.body) if old.body and new.body else 0.0
        if ratio >= best_ratio:
            best, best_ratio = j, ratio
    return best


def _counts(values) -> dict:
    found: dict = {}
    for value in values:
        found[value] = found.get(value, 0) + 1
    return found


@dataclass
class Merged:
    """The outcome for one matched article."""

    text: dict  # the text fields to store
    bylines: list[list[str]]  # [name, role] in order
    photos: list[list[str]] | None  # photo descriptors to store, None: keep the rows as they are
    file_changed: list[str] = field(default_factory=list)  # parts the file changed
    kept: list[str] = field(default_factory=list)  # desk changes kept
    conflicts: list[str] = field(default_factory=list)


def merge_part(base, ours, theirs):
    """(value to store, what happened): "same", "kept" (the desk's), "changed" (the file's),
    or "conflict". ``base`` None: nothing is known of what was imported, so ours must equal
    theirs."""
    if base is not None and theirs == base:
        return ours, "same" if ours == base else "kept"
    if ours == theirs:
        return ours, "same"
    if base is not None and ours == base:
        return theirs, "changed"
    return ours, "conflict"


def merge_bylines(base, ours, theirs):
    """The file's bylines with the desk's additions and removals applied: (bylines, changed by
    the file, kept from the desk)."""
    base = ours if base is None else base
    base_set = {tuple(b) for b in base}
    ours_set = {tuple(b) for b in ours}
    theirs_set = {tuple(b) for b in theirs}
    added = [b for b in ours if tuple(b) not in base_set]
    removed = base_set - ours_set
    result = [b for b in theirs if tuple(b) not in removed]
    result += [b for b in added if tuple(b) not in theirs_set]
    kept = [f"byline {name} ({role}) added at the desk" for name, role in added]
    kept += [f"byline {name} ({role}) removed at the desk" for name, role in sorted(removed)]
    return [list(b) for b in result], theirs_set != base_set or theirs != base, kept


def merge_photos(base, ours, theirs, uploaded: list[bool]):
    """(descriptors to store or None to keep the rows, what happened, why it conflicts).
    ``uploaded[i]``: row i carries an image uploaded at the desk, which a shorter list of
    photos would delete."""
    value, how = merge_part(base, ours, theirs)
    if how != "changed":
        return None, how, []
    lost = [ours[i][0][:20] for i in range(len(theirs), len(ours)) if uploaded[i]]
    if lost:
        return (
            value,
            "conflict",
            [f"the uploaded image of photo “{c}” would be deleted" for c in lost],
        )
    return value, "changed", []


def merge_article(
    *,
    base: dict | None,
    ours: dict,
    theirs: dict,
    withdrawn: bool,
    uploaded: list[bool],
    corrections: list[str],
) -> Merged:
    text, how_text = merge_part(text_of(base) if base else None, text_of(ours), text_of(theirs))
    bylines, bylines_changed, bylines_kept = merge_bylines(
        base["bylines"] if base else None, ours["bylines"], theirs["bylines"]
    )
    photos, how_photos, photo_conflicts = merge_photos(
        base["photos"] if base else None, ours["photos"], theirs["photos"], uploaded
    )
    merged = Merged(text=text, bylines=bylines, photos=photos)
    if how_text == "changed":
        merged.file_changed.append("text")
    if bylines_changed:
        merged.file_changed.append("bylines")
    if how_photos == "changed":
        merged.file_changed.append("photos")
    if how_text == "kept":
        merged.kept.append(
            "corrected text (" + "; ".join(corrections) + ")"
            if corrections
            else "text edited at the desk"
        )
    merged.kept.extend(bylines_kept)
    if how_photos == "kept":
        merged.kept.append("photos changed at the desk")
    if how_text == "conflict":
        if corrections:
            merged.conflicts.append(
                "corrected (" + "; ".join(corrections) + ") and the file changes its text"
            )
        else:
            merged.conflicts.append("its text was edited at the desk and the file changes it")
    if how_photos == "conflict":
        merged.conflicts.extend(
            photo_conflicts or ["its photos were changed at the desk and the file changes them"]
        )
    file_touches = (
        how_text in ("changed", "conflict")
        or bylines_changed
        or how_photos in ("changed", "conflict")
    )
    if withdrawn and file_touches:
        merged.conflicts.append("withdrawn (撤稿) at the desk and the file changes it")
    if withdrawn:
        merged.kept.append("withdrawn (撤稿)")
    return merged


# --------------------------------------------------------------------------- the issue itself

# The issue's own fields as ``Issue.printed`` holds them, with the names the output uses (the
# format's keys where it has them).
ISSUE_FIELDS = {
    "date": "date",
    "number_in_year": "第N期",
    "responsible_editor": "责任编辑",
    "layout": "组版",
    "sponsors": "sponsors",
    "sponsor_role": "sponsor role",
    "epaper_url": "电子版",
    "submission_email": "投稿邮箱",
    "extra": "extra metadata",
}


def issue_printed_of(data) -> dict:
    """The snapshot of a file's issue-level fields (``data``: a normalised IssueData)."""
    return {
        "date": data.date.isoformat(),
        "number_in_year": data.number_in_year,
        "responsible_editor": data.responsible_editor,
        "layout": list(data.layout),
        "sponsors": list(data.publication.sponsors),
        "sponsor_role": data.publication.sponsor_role,
        "epaper_url": data.epaper_url,
        "submission_email": data.submission_email,
        "extra": dict(data.extra),
    }


def _shown(value) -> str:
    if isinstance(value, list):
        return "、".join(str(item) for item in value) or "(none)"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {item}" for key, item in value.items()) or "(none)"
    return str(value) if value not in ("", None) else "(none)"


@dataclass
class MergedIssue:
    """The outcome for the issue's own fields: each field the desk's, the file's or both's."""

    values: dict  # field -> value to store
    taken: list[str] = field(default_factory=list)  # fields the file changed (and wins)
    kept: list[str] = field(default_factory=list)  # desk changes kept, described
    conflicts: list[str] = field(default_factory=list)  # described, for the refusal


def merge_issue(*, base: dict | None, ours: dict, theirs: dict, corrections: list[str]):
    """Field by field, like an article's text: a field the file did not change keeps the
    desk's value (a 组版 credit added at the desk, a corrected 投稿邮箱); a field the desk did not
    change takes the file's; both changed it differently is a conflict. The 组版 line is one
    field: its names and their printed order go together."""
    merged = MergedIssue(values={})
    corrected = f"corrected ({'; '.join(corrections)})" if corrections else "changed"
    for name, label in ISSUE_FIELDS.items():
        value, how = merge_part(
            base.get(name) if base is not None else None, ours[name], theirs[name]
        )
        if how == "conflict":
            merged.conflicts.append(
                f"{label} {corrected} at the desk to {_shown(ours[name])} and the file "
                f"changes it to {_shown(theirs[name])}"
            )
        elif how == "kept":
            merged.kept.append(f"{label} {_shown(ours[name])}")
        elif how == "changed":
            merged.taken.append(label)
        merged.values[name] = value
    return merged
