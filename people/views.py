"""The public person page."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from articles.models import Article, Byline, Photo
from issues.caching import cache_public_page
from issues.models import Issue
from people.models import Person


@cache_public_page(scope="site")
def person_detail(request, pk):
    """Everything a person wrote, photographed, edited or laid out, newest first, by role.

    Queries: the person; their bylines with article, page, issue and publication; their
    photos with the same (through the article or, for photo news, the page); the issues
    they signed off as 责任编辑; the issues they laid out (组版).
    """
    user = request.user
    person = get_object_or_404(Person, pk=pk)
    visible_articles = Article.objects.visible_to(user)
    visible_issues = Issue.objects.visible_to(user)
    # The visibility subqueries are narrowed to this person's work: unnarrowed, PostgreSQL
    # hashes every published article of the archive for each request (tens of ms).
    bylines = list(
        Byline.objects.filter(
            person=person, article__in=visible_articles.filter(bylines__person=person)
        )
        .select_related("article__page__issue__publication")
        .defer("article__body")
        .order_by("-article__page__issue__date", "article__page__number", "article__order", "id")
    )
    photos = list(
        Photo.objects.filter(photographer=person)
        .filter(
            Q(article__in=visible_articles.filter(photos__photographer=person))
            | Q(page__issue__in=visible_issues.filter(pages__photos__photographer=person))
        )
        .select_related("article__page__issue__publication", "page__issue__publication")
        .defer("article__body")
    )
    for photo in photos:
        photo.issue = photo.article.page.issue if photo.article_id else photo.page.issue
    # Newest first; sorted here because photos reach their issue by one of two paths.
    photos.sort(key=lambda photo: (-photo.issue.date.toordinal(), photo.order, photo.pk))
    edited = list(
        visible_issues.filter(responsible_editor=person)
        .select_related("publication")
        .latest_first()
    )
    laid_out = list(
        visible_issues.filter(layout_credits__person=person)
        .select_related("publication")
        .latest_first()
    )
    if not (bylines or photos or edited or laid_out) and not user.is_staff:
        # A name with no published work is nobody's business yet.
        raise Http404

    # The header names the paper when all of the person's work is in one.
    publications = {byline.article.page.issue.publication for byline in bylines}
    publications |= {photo.issue.publication for photo in photos}
    publications |= {issue.publication for issue in edited + laid_out}

    by_role = {}
    for byline in bylines:
        by_role.setdefault(byline.role, (byline.get_role_display(), []))[1].append(byline.article)
    roles = [(role, label, articles) for role, (label, articles) in by_role.items()]
    roles.sort(key=lambda entry: _ROLE_ORDER.index(entry[0]))
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "publication": publications.pop() if len(publications) == 1 else None,
            "roles": roles,
            "photos": photos,
            "issue_roles": [
                (_("Responsible editor"), edited, "responsible-editor"),
                (_("Layout"), laid_out, "layout"),
            ],
            "canonical": request.build_absolute_uri(person.get_absolute_url()),
        },
    )


_ROLE_ORDER = [choice.value for choice in Byline.Role]
