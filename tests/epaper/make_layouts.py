"""Build the e-paper layout fixtures: printed pages with measured truth boxes.

    .venv/bin/python tests/epaper/make_layouts.py [--only NAME] [--out DIR]

For each layout this writes ``tests/epaper/fixtures/<name>/``: ``issue.md`` (the issue in the
back-issue text format), ``pages/<n>.pdf`` (each page printed by Debian's Chromium from HTML,
with a real text layer and embedded JPEG photos) and ``truth.json`` (where every article part,
photo and caption sits, in the shape of ``tests/fixtures/epaper-118-truth/truth.json``). It also
writes ``tests/epaper/fixtures/kangxi.pdf``, a page whose text layer holds compatibility
characters (⽇, full-width digits) for the NFKC test, and ``form-images.pdf`` (with the
measured ``form-images.json``), whose photos sit inside form XObjects.

Truth is measured, not assumed: the page is laid out by Chromium in print mode and every
article element's ``getBoundingClientRect()`` (divided by the page size) is its box; an article
printed as two elements (an L shape) has two boxes. Text comes from issue 118: its own clauses
and sentences generated out of its words, seeded, so a rebuild gives the same text; each
layout is a different arrangement of columns, so the aligner is tested on 2, 3, 4, 6 columns,
photos, a jump across two pages, a page with one long article, and a reading order in the PDF
that differs from the order of the issue text.

The fixtures are committed; rebuild them only when the layouts change. Needs /usr/bin/chromium
and fonts-noto-cjk.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))

from backissues.textformat import parse  # noqa: E402

HERE = Path(__file__).resolve().parent
OUT = HERE / "fixtures"
SOURCE = ROOT / "tests" / "fixtures" / "epaper-118" / "118.md"
CHROMIUM = "/usr/bin/chromium"

PAGE_W_MM, PAGE_H_MM = 297.0, 420.0  # A3
MARGIN_X_MM, MARGIN_Y_MM = 14.0, 12.0
GAP_MM = 5.0
PX_PER_MM = 96 / 25.4

NAMES = ["李书翔", "吉祥", "缪国华", "金慧霞", "杨旭", "郁菲菲", "王海燕", "张振华", "陈静", "周明"]
PHOTOGRAPHERS = ["丁小勇", "钱立新", "孙悦"]
HEADLINE_ENDINGS = [
    "工作推进会召开",
    "取得新成效",
    "专题调研",
    "部署会举行",
    "见闻",
    "纪实",
    "座谈会召开",
]


# --------------------------------------------------------------------------- text


def _source_paragraphs() -> list[str]:
    """The body paragraphs of issue 118, without their datelines."""
    issue = parse(SOURCE.read_text(encoding="utf-8"))
    return [p for page in issue.pages for a in page.articles for p in a.paragraphs]


# Chromium embeds about 0.9 KB of font per distinct CJK character; the text keeps to the most
# frequent characters of 118 so that each PDF stays well under 500 KB.
CHARACTERS = 240


class TextSource:
    """Text for the layouts, made of issue 118's own clauses and of sentences generated from its
    words, using only its CHARACTERS most frequent characters (seeded: a rebuild is the same).
    Real clauses keep the phrases that recur across articles (罗塘街道, 乡村振兴指导员), which is
    what makes alignment hard."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        paragraphs = _source_paragraphs()
        counts = Counter(ch for p in paragraphs for ch in p if "\u4e00" <= ch <= "\u9fff")
        allowed = {ch for ch, _ in counts.most_common(CHARACTERS)}
        clauses = [
            c for p in paragraphs for c in re.split(r"[，。、；：“”（）()！？,.;:!?\s]+", p) if c
        ]
        self.clauses = sorted({c for c in clauses if len(c) >= 4 and set(c) <= allowed})
        words = {c[i : i + 2] for c in clauses for i in range(0, len(c) - 1, 2)}
        self.words = sorted(w for w in words if set(w) <= allowed)

    def clause(self) -> str:
        if self.rng.random() < 0.4:
            return self.rng.choice(self.clauses)
        return "".join(self.rng.choice(self.words) for _ in range(self.rng.randint(3, 7)))

    def sentence(self) -> str:
        return "，".join(self.clause() for _ in range(self.rng.randint(1, 3))) + "。"

    def paragraph(self, chars: int) -> str:
        text = ""
        while len(text) < chars:
            text += self.sentence()
        return text

    def body(self, chars: int) -> list[str]:
        """Paragraphs of about ``chars`` characters in all."""
        paragraphs: list[str] = []
        while sum(map(len, paragraphs)) < chars:
            paragraphs.append(self.paragraph(self.rng.randint(60, 160)))
        return paragraphs

    def headline(self) -> str:
        return "".join(self.rng.choice(self.words) for _ in range(3)) + self.rng.choice(
            HEADLINE_ENDINGS
        )

    def byline(self) -> str:
        role = self.rng.choice(["通讯员", "记者"])
        names = " ".join(self.rng.sample(NAMES, self.rng.randint(1, 2)))
        return f"本报讯({role} {names})"


def make_photo(seed: int, width: int = 640, height: int = 420) -> bytes:
    """A JPEG of coloured discs (like the photo of 118): small, but a real photo to extract."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), (40, 30, 60))
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randint(15, 80)
        colour = tuple(rng.randint(60, 255) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


# --------------------------------------------------------------------------- model


@dataclass
class Photo:
    caption: str
    photographer: str
    seed: int

    @property
    def printed(self) -> str:
        return f"{self.caption} {self.photographer} 摄"


@dataclass
class Article:
    key: str
    headline: str
    byline: str
    paragraphs: list[str]
    subheadline: str = ""
    photos: list[Photo] = field(default_factory=list)
    jump_to: int | None = None  # the page its second part is printed on
    jump_at: int = 0  # characters of the text printed before the jump


@dataclass
class Block:
    """An element on a page: one article's part (or a piece of it) or a standalone photo.

    ``piece`` says which text the element prints: ``all``, ``first``/``rest`` (the two sides of
    a jump), or ``head``/``tail`` (the two elements of an L-shaped article, split at
    ``split`` characters)."""

    article: Article | None = None
    photo: Photo | None = None
    columns: int = 1
    piece: str = "all"
    split: int = 0


@dataclass
class PageLayout:
    number: int
    name: str
    bands: list[list[tuple[int, list[Block]]]]  # bands of stacks (width in columns, blocks)
    columns: int
    masthead: bool = False
    reverse: bool = False  # stacks in reverse DOM order: the PDF reads right to left


@dataclass
class Layout:
    name: str
    about: str
    pages: list[PageLayout]
    standalone: dict[int, list[Photo]] = field(default_factory=dict)


# --------------------------------------------------------------------------- issue text


def issue_text(layout: Layout) -> str:
    """The layout's issue in the back-issue text format (what ``import_issues`` reads)."""
    lines = [
        "# 今日罗塘",
        "姜堰区罗塘街道党工委  \n姜堰区融媒体中心",
        "联合主办",
        "2024年12月5日 星期四 | 第12期 总第119期",
        "责任编辑: 郁菲菲",
        "组版: 徐冬梅",
    ]
    starts: dict[int, list[Article]] = {}
    continuations: dict[int, list[Article]] = {}
    for page in layout.pages:
        for article in _page_articles(page):
            pieces = [b.piece for b in _page_blocks(page) if b.article is article]
            if "rest" in pieces:
                continuations.setdefault(page.number, []).append(article)
            else:
                starts.setdefault(page.number, []).append(article)
    for page in layout.pages:
        lines.append(f"第{page.number}版 {page.name}")
        lines.extend(photo.printed for photo in layout.standalone.get(page.number, []))
        for article in starts.get(page.number, []):
            lines.append(f"## {article.headline}")
            if article.subheadline:
                lines.append(f"### {article.subheadline}")
            body = _text_before_jump(article)
            body[0] = article.byline + body[0]
            if article.jump_to:
                body[-1] += f"(下转{article.jump_to}版)"
            lines.extend(body)
            lines.extend(photo.printed for photo in article.photos)
        for article in continuations.get(page.number, []):
            lines.append(f"## {article.headline}")
            rest = _text_after_jump(article)
            rest[0] = f"(上接{_start_page(layout, article)}版)" + rest[0]
            lines.extend(rest)
    return "\n\n".join(lines) + "\n"


def _start_page(layout: Layout, article: Article) -> int:
    return next(p.number for p in layout.pages if article in _page_articles(p))


def _page_blocks(page: PageLayout) -> list[Block]:
    return [block for band in page.bands for _, stack in band for block in stack]


def _page_articles(page: PageLayout) -> list[Article]:
    seen: list[Article] = []
    for block in _page_blocks(page):
        if block.article is not None and block.article not in seen:
            seen.append(block.article)
    return seen


def _cut(paragraphs: list[str], at: int) -> tuple[list[str], list[str]]:
    before: list[str] = []
    after: list[str] = []
    position = 0
    for paragraph in paragraphs:
        end = position + len(paragraph)
        if end <= at:
            before.append(paragraph)
        elif position >= at:
            after.append(paragraph)
        else:
            before.append(paragraph[: at - position])
            after.append(paragraph[at - position :])
        position = end
    return before, after


def _text_before_jump(article: Article) -> list[str]:
    if not article.jump_to:
        return list(article.paragraphs)
    return _cut(article.paragraphs, article.jump_at)[0]


def _text_after_jump(article: Article) -> list[str]:
    return _cut(article.paragraphs, article.jump_at)[1]


# --------------------------------------------------------------------------- HTML

CSS = f"""
@page {{ size: {PAGE_W_MM}mm {PAGE_H_MM}mm; margin: 0; }}
* {{ box-sizing: border-box; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: 'Noto Sans CJK SC', sans-serif; color: #111; }}
.page {{ width: {PAGE_W_MM}mm; height: {PAGE_H_MM}mm; padding: {MARGIN_Y_MM}mm {MARGIN_X_MM}mm;
  overflow: hidden; position: relative; }}
.masthead {{ display: flex; justify-content: space-between; align-items: flex-end;
  border-bottom: 1.2mm solid #b00; padding-bottom: 2mm; margin-bottom: {GAP_MM}mm; }}
.masthead .name {{ font-size: 64px; color: #b00; letter-spacing: 8px; }}
.masthead .meta {{ font-size: 12px; text-align: right; line-height: 1.5; }}
.band {{ display: flex; gap: {GAP_MM}mm; margin-bottom: {GAP_MM}mm; align-items: flex-start; }}
.band.reverse {{ flex-direction: row-reverse; }}
.stack {{ display: flex; flex-direction: column; gap: {GAP_MM}mm; flex: none; }}
article, figure.alone {{ margin: 0; }}
h2 {{ font-size: 22px; line-height: 1.3; margin: 0 0 2mm; font-weight: normal; }}
h2.small {{ font-size: 17px; }}
h3 {{ font-size: 15px; line-height: 1.3; margin: 0 0 2mm; font-weight: normal; }}
.body {{ column-gap: {GAP_MM}mm; font-size: 14px; line-height: 1.55; text-align: justify; }}
.body p {{ margin: 0; text-indent: 2em; }}
figure {{ margin: 0 0 2mm; }}
figure {{ max-width: 135mm; }}
figure img {{ display: block; width: 100%; }}
figcaption {{ font-size: 12px; line-height: 1.45; margin-top: 1mm; }}
"""


def column_width(columns: int, span: int) -> float:
    inner = PAGE_W_MM - 2 * MARGIN_X_MM
    one = (inner - (columns - 1) * GAP_MM) / columns
    return span * one + (span - 1) * GAP_MM


def page_html(layout: Layout, page: PageLayout, photo_urls: dict[int, str]) -> str:
    parts = [f"<!doctype html><html lang='zh'><head><meta charset='utf-8'><style>{CSS}</style>"]
    parts.append("</head><body><div class='page'>")
    if page.masthead:
        parts.append(
            "<div class='masthead'><div class='meta' style='text-align:left'>"
            "姜堰区罗塘街道党工委<br>姜堰区融媒体中心<br>联合主办</div>"
            "<div class='name'>今日罗塘</div><div class='meta'>2024年12月5日 星期四<br>"
            "第12期 总第119期<br>责任编辑: 郁菲菲 组版: 徐冬梅</div></div>"
        )
    for band in page.bands:
        stacks = list(band)
        parts.append(f"<div class='band{' reverse' if page.reverse else ''}'>")
        for span, blocks in stacks:
            width = column_width(page.columns, span)
            parts.append(f"<div class='stack' style='width:{width:.2f}mm'>")
            parts.extend(_block_html(layout, page, block, photo_urls) for block in blocks)
            parts.append("</div>")
        parts.append("</div>")
    parts.append("</div></body></html>")
    return "".join(parts)


def _figure(photo: Photo, photo_urls: dict[int, str], css: str = "") -> str:
    return (
        f"<figure data-photo='{photo.seed}' class='{css}'><img src='{photo_urls[photo.seed]}'>"
        f"<figcaption>{html.escape(photo.printed)}</figcaption></figure>"
    )


def _block_html(layout: Layout, page: PageLayout, block: Block, photo_urls) -> str:
    if block.photo is not None:
        return _figure(block.photo, photo_urls, "alone")
    article = block.article
    assert article is not None
    head = ""
    if block.piece == "rest":
        head = f"<h2 class='small'>{html.escape(article.headline)}</h2>"
        paragraphs = _text_after_jump(article)
        paragraphs[0] = f"(上接{_start_page(layout, article)}版)" + paragraphs[0]
    else:
        paragraphs = _text_before_jump(article)
        paragraphs[0] = article.byline + paragraphs[0]
        if article.jump_to:
            paragraphs[-1] += f"(下转{article.jump_to}版)"
        if block.piece != "tail":
            head = f"<h2>{html.escape(article.headline)}</h2>"
            if article.subheadline:
                head += f"<h3>{html.escape(article.subheadline)}</h3>"
            head += "".join(_figure(photo, photo_urls) for photo in article.photos)
        if block.piece in ("head", "tail"):
            before, after = _cut(paragraphs, block.split)
            paragraphs = before if block.piece == "head" else after
    # The tail of an L-shaped article starts inside a paragraph: no indent there.
    first_indent = " style='text-indent:0'" if block.piece == "tail" else ""
    body = "".join(
        f"<p{first_indent if n == 0 else ''}>{html.escape(p)}</p>" for n, p in enumerate(paragraphs)
    )
    columns = f"column-count:{block.columns}" if block.columns > 1 else ""
    return (
        f"<article data-article='{article.key}'>{head}"
        f"<div class='body' style='{columns}'>{body}</div></article>"
    )


# --------------------------------------------------------------------------- printing

MEASURE = """() => {
  const page = document.querySelector('.page').getBoundingClientRect();
  const box = r => [r.left / page.width, r.top / page.height,
                    r.right / page.width, r.bottom / page.height];
  const articles = {};
  for (const el of document.querySelectorAll('article[data-article]')) {
    (articles[el.dataset.article] ||= []).push(box(el.getBoundingClientRect()));
  }
  const photos = [...document.querySelectorAll('figure[data-photo]')].map(f => ({
    seed: Number(f.dataset.photo),
    image_box: box(f.querySelector('img').getBoundingClientRect()),
    caption_box: box(f.querySelector('figcaption').getBoundingClientRect()),
  }));
  return {articles, photos};
}"""


def print_layout(browser, layout: Layout, folder: Path) -> dict:
    """Print every page to ``folder/pages/<n>.pdf``; return the measured truth."""
    photos_dir = folder / "photos"
    (folder / "pages").mkdir(parents=True, exist_ok=True)
    photos_dir.mkdir(exist_ok=True)
    every_photo = [p for ps in layout.standalone.values() for p in ps] + [
        p for page in layout.pages for a in _page_articles(page) for p in a.photos
    ]
    photo_urls = {}
    for photo in every_photo:
        path = photos_dir / f"{photo.seed}.jpg"
        path.write_bytes(make_photo(photo.seed))
        photo_urls[photo.seed] = path.as_uri()

    truth_pages = {}
    for page in layout.pages:
        html_path = folder / f"page{page.number}.html"
        html_path.write_text(page_html(layout, page, photo_urls), encoding="utf-8")
        tab = browser.new_page(
            viewport={
                "width": round(PAGE_W_MM * PX_PER_MM),
                "height": round(PAGE_H_MM * PX_PER_MM),
            }
        )
        tab.emulate_media(media="print")
        tab.goto(html_path.as_uri())
        tab.wait_for_load_state("load")
        measured = tab.evaluate(MEASURE)
        tab.pdf(
            path=str(folder / "pages" / f"{page.number}.pdf"),
            width=f"{PAGE_W_MM}mm",
            height=f"{PAGE_H_MM}mm",
            print_background=True,
            margin={"top": "0", "right": "0", "bottom": "0", "left": "0"},
        )
        tab.close()
        html_path.unlink()
        truth_pages[str(page.number)] = _truth_page(layout, page, measured)
    for path in photos_dir.iterdir():
        path.unlink()
    photos_dir.rmdir()
    return {
        "about": layout.about
        + " Boxes are [x0, y0, x1, y1], fractions of the page, origin top-left, measured by"
        " Chromium (getBoundingClientRect of each article element; two boxes when an article"
        " is printed as two elements).",
        "page_size_mm": [PAGE_W_MM, PAGE_H_MM],
        "pages": truth_pages,
    }


def _truth_page(layout: Layout, page: PageLayout, measured: dict) -> dict:
    articles = []
    for article in _page_articles(page):
        boxes = [[round(v, 4) for v in box] for box in measured["articles"][article.key]]
        for box in boxes:
            if not (0 <= box[0] < box[2] <= 1 and 0 <= box[1] < box[3] <= 1):
                raise SystemExit(f"{layout.name}: {article.headline} falls off the page: {box}")
        articles.append(
            {
                "headline": article.headline,
                "key": article.key,
                "boxes": boxes,
                "photos": [p.seed for p in article.photos],
            }
        )
    by_seed = {p.seed: p for ps in layout.standalone.values() for p in ps}
    by_seed.update({p.seed: p for a in _page_articles(page) for p in a.photos})
    photos = [
        {
            "caption": by_seed[m["seed"]].printed,
            "image_box": [round(v, 4) for v in m["image_box"]],
            "caption_box": [round(v, 4) for v in m["caption_box"]],
            "standalone": m["seed"] in {p.seed for p in layout.standalone.get(page.number, [])},
        }
        for m in measured["photos"]
    ]
    return {"articles": articles, "photos": photos}


def print_kangxi(browser, path: Path) -> None:
    """A small page whose text layer has compatibility characters: the Kangxi radical ⽇
    (U+2F47) where 日 is meant, and full-width digits and letters."""
    tab = browser.new_page()
    tab.set_content(
        "<html><head><meta charset='utf-8'><style>@page{size:148mm 105mm;margin:10mm}"
        "body{font-family:'Noto Serif CJK SC';font-size:16px}</style></head><body>"
        "<p>今⽇罗塘 ⽇报</p><p>第１２期 ＡＢ</p></body></html>"
    )
    tab.pdf(path=str(path), width="148mm", height="105mm")
    tab.close()


def print_form_images(browser, folder: Path) -> None:
    """A page with two photos that Chromium puts inside form XObjects (one with opacity, one
    scaled by a CSS transform), and their boxes as measured: ``form-images.pdf`` and
    ``form-images.json``."""
    photo = folder / "form-photo.jpg"
    photo.write_bytes(make_photo(901))
    page_html = (
        "<html><head><style>@page{size:210mm 297mm;margin:0} body{margin:0}</style></head>"
        "<body><div style='position:absolute;left:100px;top:300px;opacity:0.5'>"
        f"<img src='{photo.name}' style='width:300px'></div>"
        "<div style='position:absolute;left:400px;top:700px;transform:scale(0.5);"
        f"transform-origin:0 0;opacity:0.7'><img src='{photo.name}' style='width:300px'>"
        "</div></body></html>"
    )
    html_path = folder / "form-images.html"
    html_path.write_text(page_html, encoding="utf-8")
    width, height = round(210 * PX_PER_MM), round(297 * PX_PER_MM)
    tab = browser.new_page(viewport={"width": width, "height": height})
    tab.emulate_media(media="print")
    tab.goto(html_path.as_uri())
    boxes = tab.evaluate(
        "([w, h]) => [...document.images].map(i => { const r = i.getBoundingClientRect();"
        " return [r.left / w, r.top / h, r.right / w, r.bottom / h]; })",
        [210 * PX_PER_MM, 297 * PX_PER_MM],
    )
    tab.pdf(path=str(folder / "form-images.pdf"), width="210mm", height="297mm")
    tab.close()
    html_path.unlink()
    photo.unlink()
    truth = {"image_boxes": [[round(v, 4) for v in box] for box in boxes]}
    (folder / "form-images.json").write_text(json.dumps(truth) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- layouts


def _article(text: TextSource, key: str, chars: int) -> Article:
    return Article(key, text.headline(), text.byline(), text.body(chars))


def _photo(text: TextSource, seed: int) -> Photo:
    return Photo(text.sentence()[:-1] + "。", text.rng.choice(PHOTOGRAPHERS), seed)


def layouts() -> list[Layout]:
    """The fixtures: each a different arrangement, with fixed seeds."""
    result = []

    t = TextSource(2)
    a = [_article(t, f"a{n}", c) for n, c in enumerate([900, 500, 300, 450, 200])]
    a[2].photos.append(_photo(t, 201))
    result.append(
        Layout(
            "cols2",
            "Two columns: a lead across both, four articles, one with a photo.",
            [
                PageLayout(
                    1,
                    "要闻",
                    [
                        [(2, [Block(a[0], columns=2)])],
                        [(1, [Block(a[1]), Block(a[3])]), (1, [Block(a[2]), Block(a[4])])],
                    ],
                    columns=2,
                    masthead=True,
                )
            ],
        )
    )

    t = TextSource(3)
    a = [_article(t, f"b{n}", c) for n, c in enumerate([1100, 200, 300, 500, 150, 250])]
    a[1].photos.append(_photo(t, 301))
    a[0].subheadline = t.headline()
    result.append(
        Layout(
            "cols3-reversed",
            "Three columns, a lead in CSS columns across all three, a photo; the stacks are in"
            " reverse DOM order, so the PDF reads the page right to left.",
            [
                PageLayout(
                    1,
                    "要闻",
                    [
                        [(3, [Block(a[0], columns=3)])],
                        [
                            (1, [Block(a[1]), Block(a[4])]),
                            (1, [Block(a[2]), Block(a[5])]),
                            (1, [Block(a[3])]),
                        ],
                    ],
                    columns=3,
                    masthead=True,
                    reverse=True,
                )
            ],
        )
    )

    t = TextSource(4)
    a = [_article(t, f"c{n}", c) for n, c in enumerate([1050, 200, 350, 150, 200, 150, 120])]
    a[3].photos.append(_photo(t, 401))
    result.append(
        Layout(
            "cols4-lshape",
            "Four columns; the lead runs across two columns and then down the first (an L"
            " shape, printed as two elements), with another article in the corner of the L.",
            [
                PageLayout(
                    1,
                    "综合",
                    [
                        [
                            (2, [Block(a[0], columns=2, piece="head", split=700)]),
                            (2, [Block(a[3], columns=2)]),
                        ],
                        [
                            (1, [Block(a[0], piece="tail", split=700)]),
                            (1, [Block(a[1]), Block(a[5])]),
                            (1, [Block(a[2])]),
                            (1, [Block(a[4]), Block(a[6])]),
                        ],
                    ],
                    columns=4,
                )
            ],
        )
    )

    t = TextSource(6)
    a = [_article(t, f"d{n}", c) for n, c in enumerate([700, 90, 200, 120, 200, 90, 200, 70, 70])]
    alone = _photo(t, 601)
    a[3].photos.append(_photo(t, 602))
    result.append(
        Layout(
            "cols6-photo",
            "Six narrow columns of short articles, one with a photo, and a standalone photo"
            " (图片新闻) across two: two images for the captions to choose from.",
            [
                PageLayout(
                    1,
                    "民生",
                    [
                        [(4, [Block(a[0], columns=4)]), (2, [Block(photo=alone)])],
                        [
                            (1, [Block(a[1]), Block(a[7])]),
                            (1, [Block(a[2])]),
                            (1, [Block(a[3])]),
                            (1, [Block(a[4])]),
                            (1, [Block(a[5]), Block(a[8])]),
                            (1, [Block(a[6])]),
                        ],
                    ],
                    columns=6,
                    masthead=True,
                )
            ],
            standalone={1: [alone]},
        )
    )

    t = TextSource(7)
    a = [_article(t, f"e{n}", c) for n, c in enumerate([1500, 600, 500, 650, 550])]
    a[0].jump_to, a[0].jump_at = 2, 800
    a[1].photos.append(_photo(t, 701))
    result.append(
        Layout(
            "jump",
            "Two pages: the lead jumps from page 1 (下转2版) to page 2 (上接1版), cut inside a"
            " paragraph.",
            [
                PageLayout(
                    1,
                    "要闻",
                    [
                        [(3, [Block(a[0], columns=3, piece="first")])],
                        [(2, [Block(a[1], columns=2)]), (1, [Block(a[2])])],
                    ],
                    columns=3,
                    masthead=True,
                ),
                PageLayout(
                    2,
                    "综合",
                    [
                        [(2, [Block(a[0], columns=2, piece="rest")]), (1, [Block(a[3])])],
                        [(3, [Block(a[4], columns=3)])],
                    ],
                    columns=3,
                ),
            ],
        )
    )

    t = TextSource(8)
    long = _article(t, "f0", 2000)
    long.subheadline = t.headline()
    long.photos.append(_photo(t, 801))
    result.append(
        Layout(
            "long",
            "One long article filling the page in five columns, with a photo.",
            [PageLayout(1, "副刊", [[(5, [Block(long, columns=5)])]], columns=5, masthead=True)],
        )
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="build only this layout (or kangxi, form-images)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder (default {OUT})")
    args = parser.parse_args()
    out = args.out
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        out.mkdir(exist_ok=True)
        if args.only in (None, "kangxi"):
            print_kangxi(browser, out / "kangxi.pdf")
        if args.only in (None, "form-images"):
            print_form_images(browser, out)
        for layout in layouts():
            if args.only and layout.name != args.only:
                continue
            folder = out / layout.name
            text = issue_text(layout)
            parse(text, strict=True)  # the issue text must be valid before anything is printed
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "issue.md").write_text(text, encoding="utf-8")
            truth = print_layout(browser, layout, folder)
            (folder / "truth.json").write_text(
                json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
            sizes = ", ".join(
                f"{p.name} {p.stat().st_size // 1024} KB" for p in sorted(folder.glob("pages/*"))
            )
            print(f"{layout.name}: {sizes}")
        browser.close()


if __name__ == "__main__":
    main()
