"""What the issue text says is printed on each page, as plain inputs for ``find_regions``.

The bridge between the text format's dataclasses and the e-paper engine (``epaper``, which
knows nothing of them): the engine takes :class:`~epaper.regions.ArticlePart` and caption
strings, so the loader of bundles builds them from the issue text here.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from backissues import textformat
from epaper.regions import ArticlePart

__all__ = [
    "PageInput",
    "article_key",
    "byline_text",
    "caption_text",
    "page_inputs",
    "parse_issue",
]


@dataclass(frozen=True)
class PageInput:
    """One printed page: its article parts (starts and continuations) and its own photos."""

    number: int
    parts: tuple[ArticlePart, ...]
    captions: tuple[str, ...]


def parse_issue(text: str) -> textformat.IssueData:
    """Parse an issue text file (``textformat.FormatError`` when it cannot be read)."""
    return textformat.parse(text)


def article_key(page: int, order: int) -> str:
    """An article's key: the page it starts on and its 1-based order there (``"1-4"``)."""
    return f"{page}-{order}"


def byline_text(article: textformat.ArticleData) -> str:
    """The dateline and byline as printed: ``本报讯(记者 郁菲菲 通讯员 杨旭)``."""
    if not article.bylines:
        return article.dateline
    words: list[str] = []
    role = None
    for byline in article.bylines:
        if byline.role != role:
            role = byline.role
            words.append(textformat.ROLE_WORD_FOR.get(role, ""))
        words.append(byline.name)
    return f"{article.dateline}({' '.join(w for w in words if w)})"


def caption_text(photo: textformat.PhotoData) -> str:
    """The caption as printed, with its credit: ``…… 丁小勇 摄``."""
    if not photo.photographer:
        return photo.caption
    role = textformat.ROLE_WORD_FOR.get(photo.photographer_role, "")
    credit = f"{role} {photo.photographer}" if role else photo.photographer
    return f"{photo.caption} {credit} 摄"


def page_inputs(issue: textformat.IssueData) -> dict[int, PageInput]:
    """For every page the issue prints on: the parts of the articles on it and its photos.

    An article that jumps (下转3版) gives one part per page, cut where ``breaks`` says; its
    photos are printed with its first part, as the format writes them."""
    parts: dict[int, list[ArticlePart]] = {page.number: [] for page in issue.pages}
    captions: dict[int, list[str]] = {
        page.number: [caption_text(photo) for photo in page.photos] for page in issue.pages
    }
    for page in issue.pages:
        for order, article in enumerate(page.articles, start=1):
            key = article_key(page.number, order)
            for number, part in _article_parts(key, article, page.number):
                if number not in parts and not part.paragraphs:
                    continue  # a jump to a page the file does not hold, with no text there
                parts.setdefault(number, []).append(part)
                captions.setdefault(number, [])
    return {
        number: PageInput(number, tuple(parts[number]), tuple(captions[number]))
        for number in sorted(parts)
    }


def _article_parts(key: str, article: textformat.ArticleData, start_page: int):
    pages = article.pages or [start_page]
    length = sum(len(paragraph) for paragraph in article.paragraphs)
    bounds = [0, *article.breaks, length]
    for index, (low, high) in enumerate(itertools.pairwise(bounds)):
        if index >= len(pages):
            break
        first = index == 0
        yield (
            pages[index],
            ArticlePart(
                key=key,
                headline=article.headline,
                subheadline=article.subheadline if first else "",
                byline=byline_text(article) if first else "",
                paragraphs=tuple(_slice(article.paragraphs, low, high)),
                captions=tuple(caption_text(photo) for photo in article.photos) if first else (),
                continues_on=pages[index + 1] if index + 1 < len(pages) else None,
                continued_from=pages[index - 1] if index else None,
            ),
        )


def _slice(paragraphs: list[str], low: int, high: int):
    """The paragraphs' text between two offsets into their concatenation, paragraph by
    paragraph (a paragraph cut by the jump gives its half on each side)."""
    start = 0
    for paragraph in paragraphs:
        end = start + len(paragraph)
        if end > low and start < high:
            yield paragraph[max(low - start, 0) : min(high, end) - start]
        start = end
