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
  otherwise it is refused unless ``replace`` is given, and then its articles, photos and
  layout credits are rebuilt. Pages with the same number are kept, so uploaded scans survive.
* A bundle's page files (``page_files``) are part of the issue: it is unchanged only when
  every page file is the one stored (SHA-256). Each page PDF gives the page's renditions,
  words and regions (backissues/pages.py); regions drawn by hand survive a re-import for an
  article whose text did not change. Pages kept with a PDF scan get their regions again.
* Photos' images (``![](photos/118-1.jpg)``, backissues/images.py) are part of the issue too:
  it is unchanged only when every photo has the image it had (SHA-256 of the original), a
  photo without an image line comparing equal to a stored one without an image, or to any
  when its page has a PDF (whose picture the bundle import takes). Every image is decoded with
  the upload check before anything is written; one that is refused refuses the issue at its
  image line. Originals are stored under content-hashed names and rendered once
  (``refresh_renditions`` finds an unchanged image's renditions and decodes nothing).
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils.text import slugify
from pypinyin import lazy_pinyin

from articles.models import Article, Byline, Photo, Region
from articles.photos import verify_photo_file
from backissues import pages as page_files_service
from backissues.epaper_inputs import article_key, page_inputs
from backissues.exporter import issue_photos, issue_to_data, issues_for_export
from backissues.images import EXTENSIONS, ImageFile, photos_in_text_order, stored_sha256
from backissues.textformat import ArticleData, IssueData, LineError, PhotoData, to_dict
from issues.dates import weekday_name
from issues.models import Issue, LayoutCredit, Page, Publication
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
    publish: bool = True,
    page_files: dict[int, page_files_service.PageFile] | None = None,
    saved: page_files_service.SavedFiles | None = None,
    image_files: dict[str, ImageFile] | None = None,
) -> LoadResult:
    """Write ``data`` to the database, or find it there already; see the module docstring.

    ``image_files`` holds the files the photos' image lines name (``read_image_files``).
    Raises LoadError for an issue the database cannot take (nothing is written then; the
    files stored meanwhile are listed in ``saved``, for the caller to delete on rollback).
    """
    _check_lengths(data)
    image_files = image_files or {}
    saved = saved if saved is not None else page_files_service.SavedFiles()
    for photo in photos_in_text_order(data):
        if photo.image and photo.image not in image_files:
            raise LoadError(f"image {photo.image} was not read", photo.image_line)
    publication, newest = _publication(data)
    incoming = normalized(data)
    existing = (
        Issue.objects.filter(publication=publication, number=data.number)
        .select_related("publication", "responsible_editor")
        .first()
    )
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
        if not replace:
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
    if newest:
        _update_masthead(publication, incoming)

    people, new_people = _people(_names(incoming))
    status = Issue.Status.PUBLISHED if publish else Issue.Status.READY
    when = published_at(data.date) if publish else None
    issue_fields = {
        "date": data.date,
        "number_in_year": data.number_in_year,
        "responsible_editor": people[incoming.responsible_editor]
        if incoming.responsible_editor
        else None,
        "status": status,
        "published_at": when,
        "extra": dict(incoming.extra),
        "sponsors": list(incoming.publication.sponsors),
        "sponsor_role": incoming.publication.sponsor_role,
        "epaper_url": incoming.epaper_url,
        "submission_email": incoming.submission_email,
    }
    if existing is None:
        issue = Issue.objects.create(publication=publication, number=data.number, **issue_fields)
        pages_by_number = {}
        manual = {}
    else:
        issue = existing
        for name, value in issue_fields.items():
            setattr(issue, name, value)
        issue.save()
        manual = _manual_regions(issue)
        # Articles protect their pages, so they go first; bylines, photos and corrections
        # go with them.
        Article.objects.filter(page__issue=issue).delete()
        Photo.objects.filter(page__issue=issue).delete()
        LayoutCredit.objects.filter(issue=issue).delete()
        wanted = {page.number for page in incoming.pages}
        Page.objects.filter(issue=issue).exclude(number__in=wanted).delete()
        pages_by_number = {page.number: page for page in Page.objects.filter(issue=issue)}

    LayoutCredit.objects.bulk_create(
        LayoutCredit(issue=issue, person=people[name], order=order)
        for order, name in enumerate(incoming.layout)
    )
    changed_pages = []
    new_pages = []
    for page_data in incoming.pages:
        page = pages_by_number.get(page_data.number)
        if page is None:
            new_pages.append(Page(issue=issue, number=page_data.number, name=page_data.name))
        elif page.name != page_data.name:
            page.name = page_data.name
            changed_pages.append(page)
    if changed_pages:
        Page.objects.bulk_update(changed_pages, ["name"])
    for page in Page.objects.bulk_create(new_pages):
        pages_by_number[page.number] = page

    article_status = Article.Status.PUBLISHED if publish else Article.Status.PLACED
    articles = []
    for page_data in incoming.pages:
        page = pages_by_number[page_data.number]
        for order, article_data in enumerate(page_data.articles):
            articles.append(
                Article(
                    page=page,
                    order=order,
                    headline=article_data.headline,
                    subheadline=article_data.subheadline,
                    dateline=article_data.dateline,
                    body="\n".join(article_data.paragraphs),
                    pages=list(article_data.pages),
                    breaks=list(article_data.breaks),
                    status=article_status,
                    published_at=when,
                )
            )
    Article.objects.bulk_create(articles)

    bylines: list[Byline] = []
    photos: list[Photo] = []
    article_rows = iter(articles)
    for page_data in incoming.pages:
        page = pages_by_number[page_data.number]
        photos.extend(
            _photo(photo_data, order, people, page=page)
            for order, photo_data in enumerate(page_data.photos)
        )
        for article_data in page_data.articles:
            article = next(article_rows)
            bylines.extend(
                Byline(article=article, person=people[byline.name], role=byline.role, order=order)
                for order, byline in enumerate(article_data.bylines)
            )
            photos.extend(
                _photo(photo_data, order, people, article=article)
                for order, photo_data in enumerate(article_data.photos)
            )
    for row, given in zip(photos, photos_in_text_order(incoming), strict=True):
        if given.image:
            _attach_image(row, image_files[given.image], suffixes, saved)
    Byline.objects.bulk_create(bylines)
    Photo.objects.bulk_create(photos)
    # bulk_create sends no signals: index the issue's articles for search in one go.
    index_articles(article.pk for article in articles)

    notes = _store_pages(
        incoming, pages_by_number, articles, photos, page_files or {}, manual, saved
    )
    return LoadResult(
        "imported" if existing is None else "replaced",
        issue,
        articles=len(articles),
        photos=len(photos),
        new_people=new_people,
        notes=notes,
    )


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


def _manual_regions(issue: Issue) -> dict[tuple[str, str, int], list]:
    """Regions drawn by hand, by (article key, the text they were drawn for, page)."""
    found: dict[tuple[str, str, int], list] = {}
    for region in Region.objects.filter(
        page__issue=issue, source=Region.Source.MANUAL, article__isnull=False
    ).select_related("page", "article__page"):
        article = region.article
        # article__isnull=False, and an article on an issue's page has its start page.
        assert article is not None and article.page is not None
        found[
            (
                article_key(article.page.number, article.order + 1),
                region.text_hash,
                region.page.number,
            )
        ] = region.boxes
    return found


def _store_pages(incoming, pages_by_number, articles, photos, page_files, manual, saved):
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
    article_photos: dict[str, list[Photo]] = {}
    page_photos: dict[int, list[Photo]] = {}
    pk_to_key = {article.pk: key for key, article in by_key.items()}
    for photo in photos:
        if photo.article_id:
            article_photos.setdefault(pk_to_key[photo.article_id], []).append(photo)
        else:
            page_photos.setdefault(photo.page.number, []).append(photo)
    inputs = page_inputs(incoming)
    for page in sorted(with_scans, key=lambda page: page.number):
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
    """One Person per name: the oldest of that name, or a new one. One query, plus one insert."""
    names = set(names)
    people: dict[str, Person] = {}
    for person in Person.objects.filter(name__in=names).order_by("-id"):
        people[person.name] = person  # lowest id last, so it wins
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
