"""Read and write the back-issue text format (see docs/issue-format.md).

Pure Python, stdlib only: ``parse()`` turns a file into an ``IssueData``, ``render()`` writes one
back, ``to_dict()`` / ``from_dict()`` convert to and from the JSON form.

Decisions where the contract is silent (an editor reading the printed page decides):

* Lines of a block are joined with nothing between them (Chinese text has no spaces), except a
  single space between two ASCII letters/digits. A hard break (two trailing spaces) keeps a
  ``"\\n"`` in the text. Every line is stripped of surrounding whitespace.
* The sponsor role block is ``主办`` or ``联合主办``; every header line before it is a sponsor.
  A header without a role block is accepted (role ``""``) with a warning.
* Metadata blocks (``KEY: VALUE``) are read between the date line and the first page marker,
  headline or photo. Unknown keys are kept in ``extra`` and reported; a repeated key keeps its
  last value and is reported.
* A page marker is ``第N版`` optionally followed by a short name without sentence punctuation.
  It must be a whole block. Page numbers must rise strictly (a repeat is refused as well).
* Only the first *body* paragraph of an article (photos skipped) is examined for a byline. The
  text before the parenthesis (the dateline) is at most 12 characters without punctuation; the
  parenthesis must start with a role word. ``摄影记者`` (photographer) and ``编辑`` (editor) are
  role words too, so every role key can be written back.
* A photo credit needs whitespace before ``摄`` (``丁小勇 摄``); without a role word it also needs
  whitespace (or the start of the paragraph) before the name. Otherwise ``……拍摄`` in body text
  would be read as a credit.
* A jump line that points back to the same or an earlier page is refused: the continuation could
  never follow. A body paragraph after a jump line and before the next headline is refused too
  (only photos may sit there).
* Column breaks are healed across photos and across the jump (that is how the cut paragraph is
  put back together).
* A continuation (``## HEADLINE`` whose first block starts with ``(上接M版)``) is matched among
  the articles whose open jump goes from page M to this page: the one with the same headline if
  there is exactly one, else the only candidate; none or several is refused.
* Markers accept full-width digits, parentheses and colons, and ``第`` inside jump lines
  (``(下转第3版)``). The date line accepts ``|`` or ``｜`` or nothing, spaces anywhere, ``星期X``
  or ``周X`` (``日``/``天`` both Sunday), and ``总第N期`` before or after ``第N期``.
* ``breaks`` holds, for each jump, the character offset into ``"".join(paragraphs)`` where the
  text on the next page starts. ``len(breaks) == len(pages) - 1``. A jump whose continuation is
  not in the file has its break at the end of the text.

JSON form: the shape of docs/issue-format.md plus the fields needed for ``from_dict`` to invert
``to_dict``: ``weekday`` (after ``date``), ``extra`` (after ``layout``), ``breaks`` (after an
article's ``pages``) and ``photographer_role`` (after ``photographer``).

``render()`` always writes page markers. On a page it writes the standalone photos first (right
after the marker, so before any headline), then the articles that start there, each with its
photos at the end of its first part and a standalone ``(下转N版)`` line, then the continuation
blocks (``## HEADLINE``, a standalone ``(上接M版)`` line, the rest of the text).

Escaping (so that ``render()`` is faithful): a paragraph block starting with a backslash is plain
body text, taken literally without the backslash. It is never a heading, page marker, photo,
jump, continuation or byline, and it is never joined to the next paragraph. ``render()`` uses it
only for body paragraphs that would otherwise be misread. ``render()`` cannot write text with
surrounding whitespace or blank lines, or a dateline without a byline; it raises ValueError for a
photo whose photographer is not 2-4 CJK characters (the format knows a photo only by its credit)
rather than write text that reads back differently. Continuation text for a page missing from
the issue is written under a new page marker so that no text is lost.

Images (docs/issue-format.md, Additions): a line ``![](photos/118-1.jpg)`` always starts a block
of its own; the caption may follow on the next line of the same block (as ``render()`` writes
it) or as the next block. Either way the next thing read must be a photo caption, else the
image line is refused with its line. The path is kept as written in ``PhotoData.image`` (the
loader reads the file, relative to the issue file); an absolute path, a ``..`` step, a
backslash or an empty step is refused. Text in the brackets (Markdown's alt text) is not
read: a warning says so. The image is not part of the JSON form (``image`` there is only
true/false, added by the exporter): two issues compare by their images' content instead.
"""

from __future__ import annotations

import datetime
import itertools
import re
from dataclasses import dataclass, field

from issues.dates import WEEKDAYS, weekday_name

__all__ = [
    "ROLE_WORDS",
    "ArticleData",
    "BylineData",
    "FormatError",
    "FormatWarning",
    "IssueData",
    "PageData",
    "PhotoData",
    "PublicationData",
    "from_dict",
    "parse",
    "render",
    "to_dict",
]


def at_line(line: int | None, message: str) -> str:
    """How every import message reads: "12: what is wrong", or the message alone."""
    return f"{line}: {message}" if line is not None else message


class LineError(Exception):
    """An error about one line of an issue file (1-based), or the whole file when line is None.

    The base of FormatError (the text cannot be read) and the loader's LoadError (the database
    cannot take it): import_issues reports both as FILE:LINE: message."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message, line)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return at_line(self.line, self.message)


class FormatError(LineError, ValueError):
    """A file that cannot be read."""


@dataclass
class FormatWarning:
    line: int | None
    message: str

    def __str__(self) -> str:
        return at_line(self.line, self.message)


@dataclass
class BylineData:
    name: str
    role: str


@dataclass
class PhotoData:
    caption: str
    photographer: str = ""
    photographer_role: str = ""
    line: int | None = field(default=None, compare=False)
    # The image file as the text names it (``![](photos/118-1.jpg)``), relative to the text
    # file; "" for a caption-only photo. ``image_line`` is where the text names it.
    image: str = ""
    image_line: int | None = field(default=None, compare=False)


@dataclass
class ArticleData:
    headline: str
    subheadline: str = ""
    dateline: str = ""
    bylines: list[BylineData] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    photos: list[PhotoData] = field(default_factory=list)
    breaks: list[int] = field(default_factory=list)
    line: int | None = field(default=None, compare=False)


@dataclass
class PageData:
    number: int
    name: str = ""
    articles: list[ArticleData] = field(default_factory=list)
    photos: list[PhotoData] = field(default_factory=list)
    line: int | None = field(default=None, compare=False)


@dataclass
class PublicationData:
    name: str
    sponsors: list[str] = field(default_factory=list)
    sponsor_role: str = ""


@dataclass
class IssueData:
    publication: PublicationData
    date: datetime.date
    weekday: str
    number_in_year: int
    number: int
    epaper_url: str = ""
    submission_email: str = ""
    responsible_editor: str = ""
    layout: list[str] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
    pages: list[PageData] = field(default_factory=list)
    warnings: list[FormatWarning] = field(default_factory=list, compare=False)


# Longest words first matters for the regexes built from them (本报记者 before 记者).
ROLE_WORDS: dict[str, str] = {
    "本报记者": "reporter",
    "特约记者": "special_correspondent",
    "见习记者": "trainee_reporter",
    "摄影记者": "photographer",
    "记者": "reporter",
    "通讯员": "correspondent",
    "编辑": "editor",
}
# The word render() writes for each role key.
ROLE_WORD_FOR = {
    "reporter": "记者",
    "special_correspondent": "特约记者",
    "trainee_reporter": "见习记者",
    "photographer": "摄影记者",
    "correspondent": "通讯员",
    "editor": "编辑",
}
SPONSOR_ROLES = ("主办", "联合主办")
METADATA_KEYS = {
    "电子版": "epaper_url",
    "投稿邮箱": "submission_email",
    "责任编辑": "responsible_editor",
    "组版": "layout",
}

_ROLE_ALT = "|".join(ROLE_WORDS)
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HEADING = re.compile(r"^(#+)[ \t]+(.*)$", re.DOTALL)
_PAGE_MARKER = re.compile(r"^第\s*(\d+)\s*版(?:\s+([^\n。，,！？!?：:；;]{1,20}))?$")
_JUMP = re.compile(r"[(（]\s*下转\s*第?\s*(\d+)\s*版\s*[)）]$")
_CONTINUED = re.compile(r"^[(（]\s*上接\s*第?\s*(\d+)\s*版\s*[)）]")
_CREDIT = re.compile(
    rf"(?:(?P<role>{_ROLE_ALT})\s*|(?<=\s)|^)(?P<name>[{_CJK}]{{2,4}})\s+摄$", re.DOTALL
)
_BYLINE = re.compile(
    r"^(?P<dateline>[^()（）\s，,。：:]{0,12})\s*[(（](?P<inner>[^()（）]*)[)）]", re.DOTALL
)
_ROLE_PREFIX = re.compile(rf"^({_ROLE_ALT})(.*)$", re.DOTALL)
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_WEEKDAY = re.compile(r"(?:星期|周)[一二三四五六日天]")
# The number's group stops at 总 and 第: a date line of many 第 is read in linear time (it
# used to be quadratic: each 第 scanned the rest of the line).
_TOTAL_NUMBER = re.compile(r"总\s*第\s*([^\s期|｜总第]*)\s*期")
_YEAR_NUMBER = re.compile(r"第\s*([^\s期|｜总第]*)\s*期")
# The most digits each printed number may have: anything longer is a typing error (and int()
# refuses strings of more than 4,300 digits with a bare ValueError).
MAX_DIGITS = {"issue": 6, "year": 3, "page": 3}
_METADATA = re.compile(r"^([^\s:：()（）#]{1,12})\s*[:：]\s*(.*)$", re.DOTALL)
# `## 标题` directly followed by `### 副题` (no blank line) is a headline and its subheadline.
_HEADLINE_LINE = re.compile(r"^##[ \t]")
_SUBHEADLINE_AFTER = re.compile(r"^###[ \t]")
# `![](photos/118-1.jpg)`: the image of the photo whose caption follows.
_IMAGE_LINE = re.compile(r"^!\[(?P<alt>[^\]\n]*)\]\(\s*(?P<path>[^()\s]+)\s*\)$")
# What the masthead may print as 电子版 and 投稿邮箱 (checked where the key is read).
_EPAPER_URL = re.compile(r"^https?://[^\s/?#<>\"]+[^\s<>\"]*$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^\s@<>()\[\],;:\"]+@[^\s@<>()\[\],;:\"]+\.[^\s@<>()\[\],;:\".]+$")
# Names in a byline or a metadata value are separated by spaces, 、 or commas.
_NAME_SPLIT = re.compile(r"[\s、，,]+")
# Sentence-final punctuation, optionally followed by closing quotes/brackets: ends a paragraph.
_FINAL = re.compile(r"[。！？!?…][”’」』）)】\"'》]*$")


def ends_sentence(text: str) -> bool:
    return bool(_FINAL.search(text))


# --------------------------------------------------------------------------- reading


@dataclass
class _Block:
    line: int
    lines: list[str]  # logical lines (a hard break separates them)
    _text: str | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "\n".join(self.lines)
        return self._text


def _is_headline_so_far(block: _Block, pieces: list[str]) -> bool:
    """Is the block being read one logical line starting ``## ``? (Only its first physical line
    is looked at, so that asking again for every line costs nothing.)"""
    if len(block.lines) + bool(pieces) != 1:
        return False
    first = block.lines[0] if block.lines else pieces[0]
    return bool(_HEADLINE_LINE.match(first))


def _split_blocks(text: str) -> list[_Block]:
    """Blocks of logical lines. Each logical line is gathered as a list of its physical lines'
    pieces and joined once at its end: joining a string again for every physical line made a
    block of many lines quadratic."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[_Block] = []
    pieces: list[str] = []  # the current logical line, soft-wrapped lines joined at its end
    current: _Block | None = None

    def end_line() -> None:
        if pieces and current is not None:
            current.lines.append("".join(pieces))
            pieces.clear()

    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if not stripped:
            end_line()
            current = None
            continue
        if (
            current is not None
            and _SUBHEADLINE_AFTER.match(stripped)
            and _is_headline_so_far(current, pieces)
        ):
            end_line()
            current = None  # `## 标题` then `### 副题` on the next line: two blocks
        image = stripped.startswith("![") and _IMAGE_LINE.match(stripped)
        if image:
            end_line()
            current = None  # an image line starts a block; its caption may follow in it
        if current is None:
            current = _Block(number, [])
            blocks.append(current)
        if pieces and _soft_space(pieces[-1], stripped):
            pieces.append(" ")
        pieces.append(stripped)
        if image or raw.endswith("  "):  # a hard break ends the logical line
            end_line()
    end_line()
    return blocks


def _soft_space(left: str, right: str) -> bool:
    """Two soft-wrapped lines are joined by a space only between ASCII letters or digits."""
    return left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum()


@dataclass
class _ArticleState:
    """An article being read: raw body pieces (before healing) and where it stands."""

    data: ArticleData
    pieces: list[tuple[str, bool]] = field(default_factory=list)  # (text, literal)
    length: int = 0  # characters of body text so far: where the next jump cuts it
    seen_body: bool = False  # the first body paragraph (the byline's) has been read
    jump_to: int | None = None  # the page the last part jumps to, until its continuation
    continued: bool = False  # a continuation has been read: no byline any more


class _Parser:
    def __init__(self, strict: bool):
        self.strict = strict
        self.warnings: list[FormatWarning] = []
        self.pages: list[PageData] = []
        self.articles: list[_ArticleState] = []
        self.article: _ArticleState | None = None
        self.after_jump = False
        self.headline_block: _Block | None = None  # `##` waiting for its first block
        # An image line waiting for its caption: (path, line).
        self.pending_image: tuple[str, int] | None = None
        self.subheadline = ""
        # Articles whose last jump waits for its continuation: {(from, to): {headline: [state]}}
        self.open_jumps: dict[tuple[int, int], dict[str, list[_ArticleState]]] = {}
        self.open_counts: dict[tuple[int, int], int] = {}

    def warn(self, line: int | None, message: str) -> None:
        if self.strict:
            raise FormatError(message, line)
        self.warnings.append(FormatWarning(line, message))

    # ----- header

    def parse(self, text: str) -> IssueData:
        blocks = _split_blocks(text)
        position, publication = self.read_masthead(blocks)
        position, date_fields = self.read_date_line(blocks, position)
        position, metadata = self.read_metadata(blocks, position)
        for block in blocks[position:]:
            self.read_block_with_image(block)
        if self.pending_image is not None:
            self.refuse_pending_image()
        self.flush_headline()
        for state in self.articles:
            state.data.paragraphs = _heal(state.pieces)
        return IssueData(
            publication=publication,
            **date_fields,
            **metadata,
            pages=self.pages,
            warnings=self.warnings,
        )

    def read_masthead(self, blocks: list[_Block]) -> tuple[int, PublicationData]:
        if not blocks:
            raise FormatError("empty file: no publication heading '# NAME'", 1)
        heading = _HEADING.match(blocks[0].text)
        if not heading or len(heading.group(1)) != 1 or not heading.group(2).strip():
            raise FormatError(
                "no publication heading: the file must start with '# NAME'", blocks[0].line
            )
        publication = PublicationData(name=heading.group(2).strip())
        position = 1
        while position < len(blocks):
            block = blocks[position]
            if block.text in SPONSOR_ROLES:
                publication.sponsor_role = block.text
                return position + 1, publication
            if _DATE.match(block.text):
                if publication.sponsors:
                    self.warn(block.line, "sponsor list has no role line (主办 or 联合主办)")
                return position, publication
            if block.text.startswith("#") or _METADATA.match(block.text):
                break
            publication.sponsors.extend(block.lines)
            position += 1
        line = blocks[position].line if position < len(blocks) else None
        raise FormatError("no date line (e.g. 2024年11月28日 星期四 | 第11期 总第118期)", line)

    def read_date_line(self, blocks: list[_Block], position: int) -> tuple[int, dict]:
        block = blocks[position] if position < len(blocks) else None
        date_match = _DATE.match(block.text) if block else None
        if block is None or not date_match:
            line = block.line if block else None
            raise FormatError("no date line (e.g. 2024年11月28日 星期四 | 第11期 总第118期)", line)
        year, month, day = (int(group) for group in date_match.groups())
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            raise FormatError(f"not a real date: {date_match.group(0)}", block.line) from None
        rest = block.text[date_match.end() :]
        weekday_match = _WEEKDAY.search(rest)
        weekday = weekday_match.group(0) if weekday_match else ""
        if weekday and WEEKDAYS.index(weekday[-1].replace("天", "日")) != date.weekday():
            self.warn(
                block.line,
                f"weekday {weekday} does not match {date.isoformat()} ({weekday_name(date)})",
            )
        total = _TOTAL_NUMBER.search(rest)
        if total:
            rest = rest[: total.start()] + rest[total.end() :]
        in_year = _YEAR_NUMBER.search(rest)
        return position + 1, {
            "date": date,
            "weekday": weekday,
            "number_in_year": _number(in_year, "number in the year (第N期)", block.line, "year"),
            "number": _number(total, "cumulative number (总第N期)", block.line, "issue"),
        }

    def read_metadata(self, blocks: list[_Block], position: int) -> tuple[int, dict]:
        metadata: dict = {"extra": {}}
        while position < len(blocks):
            block = blocks[position]
            match = _METADATA.match(block.text) if len(block.lines) == 1 else None
            if not match or _CREDIT.search(block.text) or _PAGE_MARKER.match(block.text):
                break
            key, value = match.group(1), match.group(2).strip()
            field_name = METADATA_KEYS.get(key)
            if field_name in metadata or key in metadata["extra"]:
                self.warn(block.line, f"metadata key {key} repeated; the last value is kept")
            if field_name == "epaper_url":
                value = value.removeprefix("<").removesuffix(">").strip()
                if value and not _EPAPER_URL.match(value):
                    raise FormatError(
                        f"电子版 must be an http:// or https:// address, not {value[:60]}",
                        block.line,
                    )
                metadata[field_name] = value
            elif field_name == "submission_email" and value and not _EMAIL.match(value):
                raise FormatError(f"投稿邮箱 is not an e-mail address: {value[:60]}", block.line)
            elif field_name == "layout":
                metadata[field_name] = [name for name in _NAME_SPLIT.split(value) if name]
            elif field_name:
                metadata[field_name] = value
            else:
                metadata["extra"][key] = value
                self.warn(block.line, f"unknown key {key} kept as extra metadata")
            position += 1
        return position, metadata

    # ----- pages and articles

    def current_page(self, line: int) -> PageData:
        if not self.pages:
            self.pages.append(PageData(number=1, line=line))
        return self.pages[-1]

    def read_block_with_image(self, block: _Block) -> None:
        """A body block; one that opens with an image line names the image of the caption that
        follows (in the rest of the block, or in the next block)."""
        waiting = self.pending_image
        image = _IMAGE_LINE.match(block.lines[0])
        if image:
            if waiting is not None:
                self.refuse_pending_image()
            self.pending_image = (_image_path(image, block.line), block.line)
            if image.group("alt").strip():
                self.warn(
                    block.line,
                    "the text in ![…] is not read (the caption is the alt text): "
                    f"{image.group('alt')[:30]}",
                )
            if len(block.lines) == 1:
                if self.headline_block is not None:
                    self.start_article(self.headline_block)
                return
            waiting = self.pending_image
            block = _Block(block.line + 1, block.lines[1:])  # the caption's line
        self.read_body_block(block)
        if waiting is not None and self.pending_image is waiting:
            self.refuse_pending_image()

    def refuse_pending_image(self) -> None:
        assert self.pending_image is not None
        path, line = self.pending_image
        raise FormatError(
            f"the image line ![]({path}) must come directly before a photo caption "
            "(a paragraph ending with NAME 摄)",
            line,
        )

    def read_body_block(self, block: _Block) -> None:
        text = block.text
        literal = text.startswith("\\")
        heading = None if literal else _HEADING.match(text)
        if heading:
            self.read_heading(block, len(heading.group(1)), heading.group(2).strip())
            return
        marker = None if literal else _PAGE_MARKER.match(text)
        if marker:
            self.flush_headline()
            number = _bounded(marker.group(1), "page number (第N版)", block.line, "page")
            self.start_page(block, number, (marker.group(2) or "").strip())
            return
        if literal:
            self.flush_headline()
            text = text[1:]
        elif self.headline_block is not None:
            text = self.start_article_or_continuation(block, text)
        self.read_paragraph(block, text, literal)

    def read_heading(self, block: _Block, level: int, title: str) -> None:
        if level == 3 and self.headline_block is not None and not self.subheadline:
            self.subheadline = title
            return
        if level == 3:
            raise FormatError(
                "a subheadline '###' must come right after its headline '##'", block.line
            )
        if level != 2:
            raise FormatError(
                f"unexpected heading level {'#' * level} (articles use '##')", block.line
            )
        if not title:
            raise FormatError("empty headline", block.line)
        self.flush_headline()
        self.headline_block = block
        self.subheadline = ""

    def start_page(self, block: _Block, number: int, name: str) -> None:
        if number < 1:
            raise FormatError(f"page numbers start at 1, not 第{number}版", block.line)
        if self.pages and number <= self.pages[-1].number:
            previous = self.pages[-1].number
            what = "repeats" if number == previous else "goes backwards"
            raise FormatError(f"page marker 第{number}版 {what} (after 第{previous}版)", block.line)
        self.pages.append(PageData(number=number, name=name, line=block.line))
        self.article = None
        self.after_jump = False

    def flush_headline(self) -> None:
        """A headline followed by no paragraph at all is an article without text."""
        if self.headline_block is not None:
            self.start_article(self.headline_block)

    def start_article(self, headline: _Block | None) -> None:
        assert headline is not None, "an article starts at a headline"
        page = self.current_page(headline.line)
        title = _heading_text(headline)
        article = ArticleData(
            headline=title, subheadline=self.subheadline, pages=[page.number], line=headline.line
        )
        page.articles.append(article)
        self.article = _ArticleState(article)
        self.articles.append(self.article)
        self.after_jump = False
        self.headline_block = None

    def start_article_or_continuation(self, block: _Block, text: str) -> str:
        """Decide what a headline starts; return the block's text without a (上接N版) marker."""
        continued = _CONTINUED.match(text)
        if not continued:
            self.start_article(self.headline_block)
            return text
        page = self.current_page(block.line)
        from_page = _bounded(
            continued.group(1), "page of a continuation (上接N版)", block.line, "page"
        )
        title = _heading_text(self.headline_block)
        # Open jumps by (from page, to page), then by headline: looking among every article
        # read so far for each continuation made many continuations quadratic.
        key = (from_page, page.number)
        open_jumps = self.open_jumps.get(key, {})
        waiting = self.open_counts.get(key, 0)
        same_headline = open_jumps.get(title, [])
        if len(same_headline) == 1:
            state = same_headline[0]
        elif waiting == 1:
            state = next(itertools.chain.from_iterable(open_jumps.values()))
        elif not waiting:
            raise FormatError(
                f"continuation (上接{from_page}版) of '{title}': no article jumps "
                f"from page {from_page} to page {page.number}",
                block.line,
            )
        else:
            every = itertools.chain.from_iterable(open_jumps.values())
            names = ", ".join(f"'{state.data.headline}'" for state in every)
            raise FormatError(
                f"continuation (上接{from_page}版) of '{title}' could belong to several articles "
                f"jumping from page {from_page} to page {page.number}: {names}",
                block.line,
            )
        same = open_jumps[state.data.headline]
        same.remove(state)
        if not same:
            del open_jumps[state.data.headline]
        self.open_counts[key] -= 1
        state.jump_to = None
        state.continued = True
        self.article = state
        self.after_jump = False
        self.headline_block = None
        return text[continued.end() :].lstrip()

    def read_paragraph(self, block: _Block, text: str, literal: bool) -> None:
        state = self.article
        if not literal:
            jump = _JUMP.search(text)
            if jump:
                before = text[: jump.start()].rstrip()
                if _JUMP.search(before):
                    # Read one by one, thousands of them overflowed the stack.
                    raise FormatError("two jump lines (下转N版) in a row", block.line)
                if before:
                    self.read_paragraph(block, before, literal)
                to_page = _bounded(jump.group(1), "page of a jump (下转N版)", block.line, "page")
                self.read_jump(block, to_page)
                return
            if not text:
                return
            credit = _CREDIT.search(text)
            if credit:
                photo = PhotoData(
                    caption=text[: credit.start()].rstrip(),
                    photographer=credit.group("name"),
                    photographer_role=ROLE_WORDS.get(credit.group("role") or "", ""),
                    line=block.line,
                )
                if self.pending_image is not None:
                    photo.image, photo.image_line = self.pending_image
                    self.pending_image = None
                if state is None or self.after_jump:
                    self.current_page(block.line).photos.append(photo)
                else:
                    state.data.photos.append(photo)
                return
        if state is None:
            raise FormatError("text before any headline that is not a photo caption", block.line)
        if self.after_jump:
            raise FormatError(
                "text after the jump line (下转N版) that is not a photo caption", block.line
            )
        if not state.seen_body and not state.continued and not literal:
            text = _take_byline(state.data, text)
        state.seen_body = True
        if text:
            state.pieces.append((text, literal))
            state.length += len(text)

    def read_jump(self, block: _Block, to_page: int) -> None:
        state = self.article
        if state is None or self.after_jump:
            raise FormatError(f"jump line (下转{to_page}版) outside an article", block.line)
        page = state.data.pages[-1]
        if to_page <= page:
            raise FormatError(
                f"jump line (下转{to_page}版) on page {page} must point to a later page", block.line
            )
        state.data.pages.append(to_page)
        state.data.breaks.append(state.length)
        state.jump_to = to_page
        by_headline = self.open_jumps.setdefault((page, to_page), {})
        by_headline.setdefault(state.data.headline, []).append(state)
        self.open_counts[page, to_page] = self.open_counts.get((page, to_page), 0) + 1
        self.after_jump = True


def _image_path(match: re.Match, line: int) -> str:
    """The image's path as written, refused when it could leave the issue's folder."""
    path = match.group("path")
    steps = path.split("/")
    if (
        path.startswith("/")
        or "\\" in path
        or ":" in steps[0]
        or any(step in ("", ".", "..") for step in steps)
        or len(path) > 255
    ):
        raise FormatError(
            f"the image path {_shorten(path, 60)} must be relative to the issue file, "
            "inside its folder (like photos/118-1.jpg)",
            line,
        )
    return path


def _number(match: re.Match | None, what: str, line: int, kind: str) -> int:
    if not match or not match.group(1):
        raise FormatError(f"missing {what} in the date line", line)
    digits = match.group(1)
    if not digits.isdecimal():
        raise FormatError(f"{what} is not a number: {_shorten(digits)!r}", line)
    number = _bounded(digits, what, line, kind)
    if number < 1:
        raise FormatError(f"{what} is not a number: {digits!r}", line)
    return number


def _bounded(digits: str, what: str, line: int, kind: str) -> int:
    """The number written with these decimal digits, refused when it has too many."""
    limit = MAX_DIGITS[kind]
    if len(digits.lstrip("0０")) > limit:
        raise FormatError(f"{what} has more than {limit} digits: {_shorten(digits)}", line)
    return int(digits)


def _shorten(text: str, length: int = 20) -> str:
    return text if len(text) <= length else f"{text[:length]}… ({len(text)} characters)"


def _take_byline(article: ArticleData, text: str) -> str:
    """Take the dateline and byline off the first paragraph; return the rest of it."""
    match = _BYLINE.match(text)
    if not match:
        return text
    bylines: list[BylineData] = []
    role = ""
    for token in _NAME_SPLIT.split(match.group("inner")):
        if not token:
            continue
        prefixed = _ROLE_PREFIX.match(token)
        if prefixed:
            role = ROLE_WORDS[prefixed.group(1)]
            token = prefixed.group(2)
            if not token:
                continue
        if not role:
            return text  # a parenthesis that does not start with a role word: 罗塘街道(高新区)
        bylines.append(BylineData(name=token, role=role))
    if not bylines:
        return text
    article.dateline = match.group("dateline")
    article.bylines = bylines
    return text[match.end() :]


def _heal(pieces: list[tuple[str, bool]]) -> list[str]:
    """Join a paragraph cut by a column break (no sentence-final ending) to the next one.

    Each paragraph's pieces are gathered and joined once (adding to the same string again for
    every piece made many pieces without a full stop quadratic)."""
    paragraphs: list[list[str]] = []
    open_ended = False
    for text, literal in pieces:
        if open_ended:
            paragraphs[-1].append(text)
        else:
            paragraphs.append([text])
        open_ended = not literal and not ends_sentence(text)
    return ["".join(parts) for parts in paragraphs]


# Control characters the site refuses in any text (people/validators.py): tab, newline and
# carriage return are whitespace here; every other one is an error at its line.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def parse(text: str, strict: bool = False) -> IssueData:
    """Read one issue. Raises FormatError (only); with strict=True warnings are errors too."""
    control = _CONTROL_CHARACTER.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise FormatError(
            f"control character U+{ord(control.group()):04X} (often pasted from Word or a "
            "terminal): delete it",
            line,
        )
    return _Parser(strict).parse(text)


# --------------------------------------------------------------------------- writing


def render(issue: IssueData) -> str:
    """Write an issue in the text format; parse(render(issue)) == issue for writable data."""
    blocks = [f"# {issue.publication.name}"]
    if issue.publication.sponsors:
        blocks.append("  \n".join(issue.publication.sponsors))
    if issue.publication.sponsor_role:
        blocks.append(issue.publication.sponsor_role)
    weekday = f" {issue.weekday}" if issue.weekday else ""
    date = issue.date
    blocks.append(
        f"{date.year}年{date.month}月{date.day}日{weekday} | "
        f"第{issue.number_in_year}期 总第{issue.number}期"
    )
    if issue.epaper_url:
        blocks.append(f"电子版: <{issue.epaper_url}>")
    if issue.submission_email:
        blocks.append(f"投稿邮箱: {issue.submission_email}")
    if issue.responsible_editor:
        blocks.append(f"责任编辑: {issue.responsible_editor}")
    if issue.layout:
        blocks.append(f"组版: {'、'.join(issue.layout)}")
    blocks.extend(f"{key}: {value}" for key, value in issue.extra.items())

    # Every page is written with its marker; continuation parts go at the end of their page.
    names = {page.number: page.name for page in issue.pages}
    bodies: dict[int, list[str]] = {page.number: [] for page in issue.pages}
    continuations: dict[int, list[str]] = {}
    for page in issue.pages:
        bodies[page.number].extend(_render_photo(photo) for photo in page.photos)
        for article in page.articles:
            parts = _render_parts(article)
            bodies[page.number].extend(parts[0])
            for page_number, part in zip(article.pages[1:], parts[1:], strict=True):
                if part[2:] or page_number in bodies:
                    continuations.setdefault(page_number, []).extend(part)
    for number in sorted(set(bodies) | set(continuations)):
        name = names.get(number, "")
        blocks.append(f"第{number}版 {name}" if name else f"第{number}版")
        blocks.extend(bodies.get(number, []))
        blocks.extend(continuations.get(number, []))
    return "\n\n".join(blocks) + "\n"


_PHOTOGRAPHER = re.compile(rf"^[{_CJK}]{{2,4}}$")


def _render_photo(photo: PhotoData) -> str:
    # The format only knows a photo by its credit: without one the caption would become body text.
    if not _PHOTOGRAPHER.match(photo.photographer):
        raise ValueError(f"cannot write a photo credit for {photo.photographer!r}: {photo.caption}")
    role = f"{ROLE_WORD_FOR[photo.photographer_role]} " if photo.photographer_role else ""
    caption = f"{photo.caption} {role}{photo.photographer} 摄".lstrip()
    if photo.image:
        # The image line directly above its caption, in the same block.
        return f"![]({photo.image})\n{caption}"
    return caption


def _render_parts(article: ArticleData) -> list[list[str]]:
    """The article's blocks on each of its pages: its start part first, then continuations."""
    text_length = sum(len(paragraph) for paragraph in article.paragraphs)
    bounds = [0, *article.breaks, text_length]
    parts: list[list[str]] = []
    for index, (low, high) in enumerate(itertools.pairwise(bounds)):
        part = [f"## {article.headline}"]
        if index == 0 and article.subheadline:
            part.append(f"### {article.subheadline}")
        if index > 0:
            part.append(f"(上接{article.pages[index - 1]}版)")
        pieces = list(_pieces(article.paragraphs, low, high))
        if index == 0 and article.bylines and not (pieces and pieces[0][:2] == (0, 0)):
            part.append(_byline_prefix(article))  # no text on the start page
        part.extend(_render_piece(article, index, *piece) for piece in pieces)
        if index == 0:
            part.extend(_render_photo(photo) for photo in article.photos)
        if index < len(article.breaks):
            part.append(f"(下转{article.pages[index + 1]}版)")
        parts.append(part)
    return parts


def _pieces(paragraphs: list[str], low: int, high: int):
    """(paragraph index, offset in it, text, cut before its end) between two text offsets."""
    start = 0
    for number, paragraph in enumerate(paragraphs):
        end = start + len(paragraph)
        if end > low and start < high:
            offset = max(low - start, 0)
            yield number, offset, paragraph[offset : min(high, end) - start], high < end
        start = end


def _byline_prefix(article: ArticleData) -> str:
    groups: list[str] = []
    role = None
    for byline in article.bylines:
        if byline.role != role:
            role = byline.role
            groups.append(ROLE_WORD_FOR[role])
        groups.append(byline.name)
    return f"{article.dateline}({' '.join(groups)})"


def _render_piece(
    article: ArticleData, part: int, number: int, offset: int, piece: str, cut: bool
) -> str:
    first = part == 0 and number == 0 and offset == 0
    if first and article.bylines:
        return _byline_prefix(article) + piece
    if cut:
        return piece  # the parser joins it to its other half on the next page
    last = number == len(article.paragraphs) - 1
    if _misread(piece, last, first):
        return "\\" + piece
    return piece


def _misread(text: str, last: bool, first: bool) -> bool:
    """Would the parser read this body paragraph as anything but itself?"""
    return (
        text.startswith(("#", "\\"))
        or bool(_IMAGE_LINE.match(text))
        or bool(_PAGE_MARKER.match(text))
        or bool(_CREDIT.search(text))
        or bool(_JUMP.search(text))
        or bool(_CONTINUED.match(text))
        or (not last and not ends_sentence(text))
        or (first and _take_byline(ArticleData(headline=""), text) != text)
    )


# --------------------------------------------------------------------------- JSON form


def _photo_dict(photo: PhotoData, full: bool) -> dict:
    data = {"caption": photo.caption, "photographer": photo.photographer}
    if full:
        data["photographer_role"] = photo.photographer_role
    return data


def _article_dict(article: ArticleData, full: bool) -> dict:
    data = {
        "headline": article.headline,
        "subheadline": article.subheadline,
        "dateline": article.dateline,
        "bylines": [{"name": byline.name, "role": byline.role} for byline in article.bylines],
        "paragraphs": list(article.paragraphs),
        "pages": list(article.pages),
    }
    if full:
        data["breaks"] = list(article.breaks)
    data["photos"] = [_photo_dict(photo, full) for photo in article.photos]
    return data


def to_dict(issue: IssueData, *, full: bool = False) -> dict:
    """The JSON form of docs/issue-format.md, exactly its keys.

    With full=True it also carries what the spec's form leaves out (the printed weekday,
    unknown metadata kept as extra, where jumps cut the text, a credit's role word), so that
    from_dict(to_dict(x, full=True)) == x.
    """
    data: dict[str, object] = {
        "publication": {
            "name": issue.publication.name,
            "sponsors": list(issue.publication.sponsors),
            "sponsor_role": issue.publication.sponsor_role,
        },
        "date": issue.date.isoformat(),
    }
    if full:
        data["weekday"] = issue.weekday
    data.update(
        number_in_year=issue.number_in_year,
        number=issue.number,
        epaper_url=issue.epaper_url,
        submission_email=issue.submission_email,
        responsible_editor=issue.responsible_editor,
        layout=list(issue.layout),
    )
    if full:
        data["extra"] = dict(issue.extra)
    data["pages"] = [
        {
            "number": page.number,
            "name": page.name,
            "articles": [_article_dict(article, full) for article in page.articles],
            "photos": [_photo_dict(photo, full) for photo in page.photos],
        }
        for page in issue.pages
    ]
    return data


def _photo_from(data: dict) -> PhotoData:
    return PhotoData(
        caption=str(data["caption"]),
        photographer=str(data.get("photographer") or ""),
        photographer_role=str(data.get("photographer_role") or ""),
    )


def _heading_text(block: _Block | None) -> str:
    """The words of a `## …` block (the parser calls this only on heading blocks)."""
    match = _HEADING.match(block.text) if block is not None else None
    assert match is not None, "not a heading block"
    return match.group(2).strip()


def _article_from(data: dict) -> ArticleData:
    article = _article_fields(data)
    length = sum(len(paragraph) for paragraph in article.paragraphs)
    if "breaks" not in data:
        # The spec's JSON form has no breaks: each jump cuts at the end of the text, as
        # for a jump to a page the file does not hold.
        article.breaks = [length] * max(len(article.pages) - 1, 0)
    # render() relies on these: one break per jump, in order, inside the text.
    if len(article.breaks) != max(len(article.pages) - 1, 0):
        raise ValueError(f"{article.headline}: needs one break for each page after the first")
    if article.breaks != sorted(article.breaks) or any(
        not 0 <= b <= length for b in article.breaks
    ):
        raise ValueError(f"{article.headline}: breaks must rise within the text")
    return article


def _article_fields(data: dict) -> ArticleData:
    return ArticleData(
        headline=str(data["headline"]),
        subheadline=str(data.get("subheadline") or ""),
        dateline=str(data.get("dateline") or ""),
        bylines=[BylineData(name=str(b["name"]), role=str(b["role"])) for b in data["bylines"]],
        paragraphs=[str(paragraph) for paragraph in data["paragraphs"]],
        pages=[int(number) for number in data["pages"]],
        breaks=[int(offset) for offset in data.get("breaks", [])],
        photos=[_photo_from(photo) for photo in data["photos"]],
    )


def _weekday_of(iso_date: str) -> str:
    return weekday_name(datetime.date.fromisoformat(iso_date))


def from_dict(data: dict) -> IssueData:
    """The inverse of to_dict(); a malformed dict raises FormatError."""
    try:
        publication = data["publication"]
        return IssueData(
            publication=PublicationData(
                name=str(publication["name"]),
                sponsors=[str(sponsor) for sponsor in publication["sponsors"]],
                sponsor_role=str(publication.get("sponsor_role") or ""),
            ),
            date=datetime.date.fromisoformat(data["date"]),
            weekday=str(data["weekday"]) if "weekday" in data else _weekday_of(data["date"]),
            number_in_year=int(data["number_in_year"]),
            number=int(data["number"]),
            epaper_url=str(data.get("epaper_url") or ""),
            submission_email=str(data.get("submission_email") or ""),
            responsible_editor=str(data.get("responsible_editor") or ""),
            layout=[str(name) for name in data.get("layout") or []],
            extra={str(key): str(value) for key, value in (data.get("extra") or {}).items()},
            pages=[
                PageData(
                    number=int(page["number"]),
                    name=str(page.get("name") or ""),
                    articles=[_article_from(article) for article in page["articles"]],
                    photos=[_photo_from(photo) for photo in page["photos"]],
                )
                for page in data["pages"]
            ],
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise FormatError(
            f"not an issue in the JSON form: {type(error).__name__}: {error}"
        ) from None
