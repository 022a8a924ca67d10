"""The monthly 稿费/工作量 report: for each person, what they published in a month's issues,
by role: articles with their character counts, and photos; per issue and page, and in total.

Chinese papers pay correspondents per piece and per character, so the character count is the
article's text as printed (its paragraphs, without line breaks or spaces at their ends).
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext

from articles.models import Article, Byline, Photo


@dataclass
class Line:
    person: str
    person_id: int
    role: str
    issue: str = ""
    page: str = ""
    articles: int = 0
    characters: int = 0
    photos: int = 0
    headlines: list = field(default_factory=list)


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, month, 1)
    end = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def build(year: int, month: int, publication=None) -> tuple[list[Line], list[Line]]:
    """(totals per person and role, detail per person, role, issue and page).

    Queries: the month's published bylines with their articles, pages, issues and people;
    the month's published photos (in articles and photo news) with photographers.
    """
    start, end = month_bounds(year, month)
    in_month = {"page__issue__date__gte": start, "page__issue__date__lt": end}
    bylines = (
        Byline.objects.filter(
            article__status=Article.Status.PUBLISHED,
            **{f"article__{k}": v for k, v in in_month.items()},
        )
        .select_related("person", "article__page__issue__publication")
        .order_by(
            "person__name",
            "person_id",
            "role",
            "article__page__issue__date",
            "article__page__number",
        )
    )
    if publication is not None:
        bylines = bylines.filter(article__page__issue__publication=publication)
    photos = Photo.objects.filter(photographer__isnull=False).select_related(
        "photographer", "article__page__issue", "page__issue"
    )
    article_photos = photos.filter(
        article__status=Article.Status.PUBLISHED,
        **{f"article__{k}": v for k, v in in_month.items()},
    )
    news_photos = photos.filter(
        article__isnull=True,
        page__issue__status="published",
        page__issue__date__gte=start,
        page__issue__date__lt=end,
    )
    if publication is not None:
        article_photos = article_photos.filter(article__page__issue__publication=publication)
        news_photos = news_photos.filter(page__issue__publication=publication)

    role_labels = dict(Byline.Role.choices)
    detail: dict[tuple, Line] = {}
    totals: dict[tuple, Line] = {}

    def lines_for(person, role, page):
        label = str(role_labels.get(role, "")) if role else gettext("photographer")
        issue = page.issue
        key = (person.name, person.pk, label, issue.date, issue.number, page.number)
        if key not in detail:
            detail[key] = Line(person.name, person.pk, label, str(issue), str(page))
        total_key = (person.name, person.pk, label)
        if total_key not in totals:
            totals[total_key] = Line(person.name, person.pk, label)
        return detail[key], totals[total_key]

    for byline in bylines:
        article = byline.article
        characters = sum(len(p) for p in article.paragraphs)
        for line in lines_for(byline.person, byline.role, article.page):
            line.articles += 1
            line.characters += characters
            line.headlines.append(article.headline)
    for photo in [*article_photos, *news_photos]:
        page = photo.article.page if photo.article_id else photo.page
        for line in lines_for(photo.photographer, photo.credit_role or "photographer", page):
            line.photos += 1
    return [totals[k] for k in sorted(totals)], [detail[k] for k in sorted(detail)]


def header(detail: bool) -> list[str]:
    columns = [gettext("person"), gettext("role")]
    if detail:
        columns += [gettext("issue"), gettext("page")]
    return columns + [gettext("articles"), gettext("characters"), gettext("photos")]


def row(line: Line, detail: bool) -> list:
    values = [line.person, line.role]
    if detail:
        values += [line.issue, line.page]
    return values + [line.articles, line.characters, line.photos]


def as_csv(totals: list[Line], detail: list[Line]) -> bytes:
    """UTF-8 with a byte order mark, so that Excel opens the Chinese correctly: the detail
    per issue and page, then the totals per person."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header(True))
    for line in detail:
        writer.writerow(row(line, True))
    writer.writerow([])
    writer.writerow(header(False))
    for line in totals:
        writer.writerow(row(line, False))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(totals: list[Line], detail: list[Line]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = gettext("totals")
    sheet.append(header(False))
    for line in totals:
        sheet.append(row(line, False))
    details = book.create_sheet(gettext("by issue and page"))
    details.append(header(True))
    for line in detail:
        details.append(row(line, True))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
