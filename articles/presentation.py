"""How an article reads on the public site: grouped bylines, and its text cut at the jumps.

Plain Python over rows already fetched, so the views' query counts stay fixed.
"""

from dataclasses import dataclass, field


@dataclass
class BylineGroup:
    """One role word and the names printed after it: 通讯员 李书翔 杨旭."""

    role: str
    label: str
    people: list = field(default_factory=list)


def group_bylines(bylines):
    """Consecutive bylines of the same role under one role word, in printed order."""
    groups = []
    for byline in bylines:
        if groups and groups[-1].role == byline.role:
            groups[-1].people.append(byline.person)
        else:
            groups.append(BylineGroup(byline.role, byline.get_role_display(), [byline.person]))
    return groups


def byline_text(bylines):
    """The printed byline as one string: 记者 郁菲菲 通讯员 杨旭."""
    return " ".join(
        f"{group.label} {' '.join(person.name for person in group.people)}"
        for group in group_bylines(bylines)
    )


@dataclass
class Jump:
    """下转N版 / 上接N版; ``url`` is None when that page is not (publicly) there."""

    page_number: int
    url: str | None


@dataclass
class Paragraph:
    text: str
    # The paragraph carries on text cut by a jump, so it is not indented.
    continues_cut: bool = False


@dataclass
class Part:
    """The article's text on one of the pages it runs on."""

    page_number: int
    paragraphs: list
    jump_from: Jump | None = None
    jump_to: Jump | None = None


def _slice(paragraphs, lo, hi):
    """The paragraphs' text between character offsets lo and hi of their concatenation."""
    out = []
    start = 0
    for text in paragraphs:
        end = start + len(text)
        if end > lo and start < hi:
            out.append(Paragraph(text[max(lo, start) - start : min(hi, end) - start], lo > start))
        start = end
    return out


def article_parts(article, page_urls):
    """Split the article's text into one Part per page it runs on.

    ``article.pages`` lists the pages from the start page on ([1, 3]); ``article.breaks``
    holds, for each jump, the offset into the joined paragraphs where the next page's text
    starts. When the breaks do not fit the pages (hand-edited rows), the whole text stays on
    the start page and the jump is shown after it. ``page_urls`` maps the page numbers that
    may be linked to their URLs.
    """
    start = article.page.number
    pages = list(article.pages or [])
    pages = pages[pages.index(start) :] if start in pages else [start]
    paragraphs = article.paragraphs
    total = sum(len(text) for text in paragraphs)
    breaks = list(article.breaks or [])
    fits = len(breaks) == len(pages) - 1 and all(
        0 <= a <= b <= total for a, b in zip([0, *breaks], [*breaks, total], strict=True)
    )
    if not fits:
        breaks = [total] * (len(pages) - 1)
    bounds = [0, *breaks, total]
    parts = []
    for index, number in enumerate(pages):
        part = Part(number, _slice(paragraphs, bounds[index], bounds[index + 1]))
        if index > 0:
            previous = pages[index - 1]
            part.jump_from = Jump(previous, page_urls.get(previous))
        if index + 1 < len(pages):
            following = pages[index + 1]
            part.jump_to = Jump(following, page_urls.get(following))
        parts.append(part)
    return parts
