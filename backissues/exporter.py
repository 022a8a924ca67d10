"""Read an issue back from the database as ``textformat.IssueData``.

``to_dict(issue_to_data(issue))`` is the JSON form of docs/issue-format.md and
``render(issue_to_data(issue))`` the text form; importing that text gives the same issue.
"""

from __future__ import annotations

from django.db.models import Prefetch

from articles.models import Article, Byline, Photo, Region
from backissues.textformat import (
    ArticleData,
    BylineData,
    FormatError,
    IssueData,
    PageData,
    PhotoData,
    PublicationData,
    parse,
    to_dict,
)
from issues.models import Issue, LayoutCredit, Page


def issues_for_export():
    """Issues with everything an export reads, in seven queries however many there are:
    issues (with publication and responsible editor), layout credits (with people), pages,
    page photos, articles, bylines (with people), article photos (with photographers)."""
    return Issue.objects.select_related("publication", "responsible_editor").prefetch_related(
        Prefetch("layout_credits", LayoutCredit.objects.select_related("person")),
        Prefetch(
            "pages",
            Page.objects.order_by("number").prefetch_related(
                Prefetch("photos", Photo.objects.select_related("photographer")),
                Prefetch(
                    "articles",
                    Article.objects.order_by("order", "id").prefetch_related(
                        Prefetch("bylines", Byline.objects.select_related("person")),
                        Prefetch("photos", Photo.objects.select_related("photographer")),
                    ),
                ),
            ),
        ),
    )


def issue_to_data(issue: Issue) -> IssueData:
    """The issue as the format sees it. Pass an issue from ``issues_for_export()`` to read it
    in a fixed number of queries; any other issue is re-read that way first."""
    if not hasattr(issue, "_prefetched_objects_cache") or "pages" not in getattr(
        issue, "_prefetched_objects_cache", {}
    ):
        issue = issues_for_export().get(pk=issue.pk)
    publication = issue.publication
    pages = []
    for page in issue.pages.all():
        articles = [_article(article) for article in page.articles.all()]
        pages.append(
            PageData(
                number=page.number,
                name=page.name,
                articles=articles,
                photos=[_photo(photo) for photo in page.photos.all()],
            )
        )
    return IssueData(
        # The masthead as this issue printed it, whatever the publication's defaults are now.
        publication=PublicationData(
            name=publication.name,
            sponsors=list(issue.sponsors),
            sponsor_role=issue.sponsor_role,
        ),
        date=issue.date,
        weekday=issue.weekday,
        number_in_year=issue.number_in_year,
        number=issue.number,
        epaper_url=issue.epaper_url,
        submission_email=issue.submission_email,
        responsible_editor=issue.responsible_editor.name if issue.responsible_editor else "",
        layout=[credit.person.name for credit in issue.layout_credits.all()],
        extra=dict(issue.extra),
        pages=pages,
    )


def issue_photos(issue: Issue) -> list[Photo]:
    """The issue's photos in the order ``issue_to_data`` lists them (each page's standalone
    photos, then its articles' photos); ``issue`` from ``issues_for_export()``."""
    photos: list[Photo] = []
    for page in issue.pages.all():
        photos.extend(page.photos.all())
        for article in page.articles.all():
            photos.extend(article.photos.all())
    return photos


def _article(article: Article) -> ArticleData:
    return ArticleData(
        headline=article.headline,
        subheadline=article.subheadline,
        dateline=article.dateline,
        bylines=[
            BylineData(name=byline.person.name, role=byline.role)
            for byline in article.bylines.all()
        ],
        paragraphs=article.paragraphs,
        pages=list(article.pages),
        breaks=list(article.breaks),
        photos=[_photo(photo) for photo in article.photos.all()],
    )


def _photo(photo: Photo) -> PhotoData:
    return PhotoData(
        caption=photo.caption,
        photographer=photo.photographer.name if photo.photographer else "",
        photographer_role=photo.credit_role,
    )


def lossy_text(data: IssueData, text: str) -> str:
    """Why ``text`` (``render(data)``) would not import back as ``data``, or "".

    Issues typed in at the desk can hold what the text format cannot say (a photo without a
    credit, say); an export should say so rather than write an archive that differs.
    """
    try:
        again = parse(text)
    except FormatError as error:
        return f"the text form cannot be read back ({error})"
    if to_dict(again, full=True) != to_dict(data, full=True):
        return "the text form does not hold everything in this issue"
    return ""


def json_additions(issue: Issue, data: dict) -> dict:
    """Add what the JSON form holds beyond the text (docs/issue-format.md, Additions) to
    ``to_dict(issue_to_data(issue))``: article ``regions``, photo ``box`` and ``image``, page
    ``scan``. Two queries (regions with their pages; the issue's photos)."""
    regions = list(
        Region.objects.filter(page__issue=issue).select_related("page").order_by("page__number")
    )
    article_regions: dict[int, list[dict]] = {}
    photo_box: dict[int, list] = {}
    for region in regions:
        if region.article_id:
            article_regions.setdefault(region.article_id, []).append(
                {"page": region.page.number, "boxes": region.boxes}
            )
        elif region.boxes:
            photo_box[region.photo_id] = region.boxes[0]
    for page, page_dict in zip(issue.pages.all(), data["pages"], strict=True):
        page_dict["scan"] = bool(page.scan)
        for photo, photo_dict in zip(page.photos.all(), page_dict["photos"], strict=True):
            _photo_additions(photo, photo_dict, photo_box)
        for article, article_dict in zip(page.articles.all(), page_dict["articles"], strict=True):
            article_dict["regions"] = article_regions.get(article.pk, [])
            for photo, photo_dict in zip(article.photos.all(), article_dict["photos"], strict=True):
                _photo_additions(photo, photo_dict, photo_box)
    return data


def _photo_additions(photo: Photo, photo_dict: dict, photo_box: dict) -> None:
    photo_dict["box"] = photo_box.get(photo.pk)
    photo_dict["image"] = bool(photo.image)
