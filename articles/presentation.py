"""How an article reads on the public site: grouped bylines, and its text cut at the jumps.

Plain Python over rows already fetched, so the views' query counts stay fixed.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext


@dataclass
class BylineGroup:
    """One role word and the names printed after it: 通讯员 李书翔 杨旭."""

    role: str
    label: str
    people: list = field(default_factory=list)


@lru_cache(maxsize=16)
def _role_labels(language):
    """The role words in one language (what ``get_role_display()`` gives, which hashes every
    lazy label of the choices again for each byline)."""
    from articles.models import Byline

    return {value: str(label) for value, label in Byline.Role.choices}


def group_bylines(bylines):
    """Consecutive bylines of the same role under one role word, in printed order."""
    groups = []
    labels = None
    for byline in bylines:
        if groups and groups[-1].role == byline.role:
            groups[-1].people.append(byline.person)
        else:
            labels = labels or _role_labels(get_language())
            label = labels.get(byline.role, byline.role)
            groups.append(BylineGroup(byline.role, label, [byline.person]))
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


@dataclass
class JumpMarker:
    """A quiet line between paragraphs where the printed text went on to another page:
    本文转第3版 (linked to the article's part on that page), or 第3版未收录 when that page
    is not in the archive (``url`` is None)."""

    page_number: int
    url: str | None


def continuous_text(article, page_urls, anchor=""):
    """The whole article as one text: its paragraphs in order (a paragraph cut by a jump
    shown whole) and a JumpMarker after the paragraph where each jump fell, so no sentence
    is split. ``anchor`` (e.g. "#c12") is appended to a marker's page URL to land on the
    article's part there."""
    start = article.page.number
    pages = list(article.pages or [])
    pages = pages[pages.index(start) :] if start in pages else [start]
    paragraphs = article.paragraphs
    total = sum(len(text) for text in paragraphs)
    breaks = list(article.breaks or [])
    if not (len(breaks) == len(pages) - 1 and all(0 <= b <= total for b in breaks)):
        breaks = [total] * (len(pages) - 1)
    # For each paragraph, the jumps that fell inside it or at its end.
    ends = []
    position = 0
    for text in paragraphs:
        position += len(text)
        ends.append(position)
    markers_after = {}
    for offset, number in zip(breaks, pages[1:], strict=True):
        # The first paragraph ending at or after the break: a break between paragraphs
        # falls at the end of one, a break inside a sentence stays with its paragraph.
        index = next((i for i, end in enumerate(ends) if offset <= end), len(ends) - 1)
        url = page_urls.get(number)
        marker = JumpMarker(number, f"{url}{anchor}" if url else None)
        markers_after.setdefault(max(index, 0), []).append(marker)
    blocks = []
    for index, text in enumerate(paragraphs):
        blocks.append(Paragraph(text))
        blocks.extend(markers_after.get(index, []))
    if not paragraphs:
        blocks.extend(markers_after.get(0, []))
    return blocks


# Half-width punctuation typed into Chinese text, and the full-width form a reader expects.
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}
# Han, kana, CJK and full-width punctuation, Chinese quotes, dashes and ellipses: a half-width
# mark next to one of these is in Chinese text.
_CJK = (
    "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60"
    "\u2018\u2019\u201c\u201d\u2014\u2026\U00020000-\U0003134f"
)
_PAIR = re.compile(r"\(([^()\n]*)\)")
_MARK = re.compile(r"[,:;?!()]")
_IS_CJK = re.compile(f"[{_CJK}]")
# In escaped HTML (a search snippet) the ; of &quot; is markup, not punctuation.
_ENTITY = re.compile(r"&#?[0-9A-Za-z]+;")


def _cjk(char):
    return bool(char) and _IS_CJK.match(char) is not None


def display_punctuation(text):
    """Half-width , : ; ( ) ? ! in Chinese text shown full-width (10月25日,罗塘 → 10月25日，罗塘).

    For the reader's view only: stored and exported text stays exactly as printed. A mark
    is Chinese when a CJK character stands right before or after it (9:00 and 3,000 stay);
    brackets go by pairs, so (2024) in 于(2024)年 turns whole and (A) in a Latin phrase stays."""
    if not text or not _MARK.search(text):
        return text
    chars = list(text)
    markup = {match.end() - 1 for match in _ENTITY.finditer(text)}
    paired = set()
    for match in _PAIR.finditer(text):
        paired.update((match.start(), match.end() - 1))
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if _cjk(before) or _cjk(after) or _IS_CJK.search(match.group(1)):
            chars[match.start()] = "（"
            chars[match.end() - 1] = "）"
    for index, char in enumerate(text):
        if char in FULL_WIDTH and index not in paired and index not in markup:
            before = text[index - 1] if index else ""
            after = text[index + 1] if index + 1 < len(text) else ""
            if _cjk(before) or _cjk(after):
                chars[index] = FULL_WIDTH[char]
    return "".join(chars)


# The pieces of HTML that public pages repeat for every article, built in Python rather than
# by an {% include %} a time: an issue page has 20 articles, and each include pushed a
# context, looked its template up and translated its labels again. Each gives exactly what
# its template did (templates/articles/_bylines.html, _part.html and _jump.html, the body
# loop of article_detail.html and _jump_marker.html, kept in git history), including the
# newline an included file ended with.


def bylines_html(bylines):
    """<p class="byline">: the bylines grouped as printed, each name linking to the person."""
    bylines = list(bylines)
    if not bylines:
        return mark_safe("\n")
    groups = []
    for group in group_bylines(bylines):
        names = "".join(
            f' <a href="{escape(person.get_absolute_url())}">{escape(person.name)}</a>'
            for person in group.people
        )
        groups.append(
            f'<span class="byline-group"><span class="role">{escape(group.label)}</span>'
            f"{names}</span>"
        )
    return mark_safe(
        f'<p class="byline"><span class="visually-hidden">{escape(gettext("By"))} </span>'
        f"{' '.join(groups)}</p>\n"
    )


def _jump_html(jump, direction):
    if direction == "to":
        text = gettext("(continued on page %(n)s)") % {"n": jump.page_number}
    else:
        text = gettext("(continued from page %(n)s)") % {"n": jump.page_number}
    html = f'<span class="jump-text">{text}</span>'
    if jump.url:
        return f'<a class="jump" href="{escape(jump.url)}">{html}</a>\n'
    if direction == "to":
        missing = gettext("(page %(n)s is not in the archive)") % {"n": jump.page_number}
        return f'{html}<span class="jump-missing">{missing}</span>\n'
    return f"{html}\n"


def part_html(part):
    """The article's text on one page (a Part), with 上接/下转 at its ends."""
    out = []
    paragraphs = part.paragraphs
    last = len(paragraphs) - 1
    for index, paragraph in enumerate(paragraphs):
        out.append('<p class="cut">' if paragraph.continues_cut else "<p>")
        if index == 0 and part.jump_from:
            out.append(_jump_html(part.jump_from, "from"))
        out.append(escape(display_punctuation(paragraph.text)))
        if index == last and part.jump_to:
            out.append(_jump_html(part.jump_to, "to"))
        out.append("</p>\n")
    if not paragraphs:
        if part.jump_from:
            out.append(f'<p class="cut">{_jump_html(part.jump_from, "from")}</p>')
        if part.jump_to:
            out.append(f'<p class="cut">{_jump_html(part.jump_to, "to")}</p>')
    out.append("\n")
    return mark_safe("".join(out))


def _marker_html(marker):
    text = gettext("Continued on page %(n)s") % {"n": marker.page_number}
    if marker.url:
        inner = f'<a href="{escape(marker.url)}">{text}</a>'
    else:
        missing = gettext("(page %(n)s is not in the archive)") % {"n": marker.page_number}
        inner = f'{text}<span class="jump-missing">{missing}</span>'
    return f'<p class="jump-marker">{inner}</p>\n'


def blocks_html(blocks):
    """The article read whole (continuous_text's blocks): paragraphs and jump markers."""
    return mark_safe(
        "".join(
            (
                _marker_html(block)
                if isinstance(block, JumpMarker)
                else f"<p>{escape(display_punctuation(block.text))}</p>"
            )
            + "\n    "
            for block in blocks
        )
    )
