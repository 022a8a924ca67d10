"""Read an issue back from the database as ``textformat.IssueData``.

``to_dict(issue_to_data(issue))`` is the JSON form of docs/issue-format.md and
``render(issue_to_data(issue))`` the text form; importing that text gives the same issue.
"""

from __future__ import annotations

from django.db.models import Prefetch

from articles.models import Article, Byline, Photo
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
