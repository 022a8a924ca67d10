"""sitemap.xml: a sitemap index of one sitemap per publication and month (its published
issues, their pages and articles) and one of the people with published work.

One sitemap of the whole archive took half a minute to render on 1,000 issues, and every
publication made it stale: publishing an issue rendered it again. Split by month, a
publication makes stale only its month's sitemap (a few dozen URLs, keyed by the
publication's generation) and the index (one grouped query), and those are what the
pre-render after publishing renders.
"""

import datetime

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, sitemap, x_robots_tag
from django.db.models import Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.models import Article, Byline, Photo
from issues.models import Issue, Page
from people.models import Person
from public.caching import cache_public_page


class IssueSitemap(Sitemap):
    changefreq = "monthly"

    def __init__(self, issues):
        self.issues = issues

    def items(self):
        return self.issues

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(Sitemap):
    changefreq = "monthly"

    def __init__(self, issues):
        self.issues = {issue.pk: issue for issue in issues}

    def items(self):
        pages = list(
            Page.objects.filter(issue_id__in=list(self.issues))
            .only("issue_id", "number")
            .order_by("pk")
        )
        for page in pages:
            page.issue = self.issues[page.issue_id]
        return pages

    def lastmod(self, item):
        return item.issue.updated_at


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def __init__(self, issues):
        self.issues = {issue.pk: issue for issue in issues}

    def items(self):
        # Only what the URL and lastmod need: the texts are most of an article's bytes.
        articles = list(
            Article.objects.published()
            .filter(page__issue_id__in=list(self.issues))
            .select_related("page")
            .only("updated_at", "page__number", "page__issue_id")
            .order_by("pk")
        )
        for article in articles:
            article.page.issue = self.issues[article.page.issue_id]
        return articles

    def lastmod(self, item):
        return item.updated_at


class PersonSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        # pk IN (…) rather than EXISTS per person: PostgreSQL hashes each list once (an
        # EXISTS OR EXISTS filter was 11 s on the 1,000-issue archive, this is milliseconds).
        published = Article.objects.published()
        published_issues = Issue.objects.published()
        return Person.objects.filter(
            Q(pk__in=Byline.objects.filter(article__in=published).values("person"))
            | Q(
                pk__in=Photo.objects.filter(
                    Q(article__in=published) | Q(page__issue__in=published_issues)
                ).values("photographer")
            )
            | Q(pk__in=published_issues.values("responsible_editor"))
            | Q(pk__in=published_issues.values("layout_credits__person"))
        ).order_by("pk")


def month_sitemap_url(slug, date):
    """The path of the sitemap of ``date``'s month in that publication."""
    return reverse("sitemap_month", kwargs={"pub": slug, "month": date.strftime("%Y-%m")})


@x_robots_tag
@cache_public_page(scope="site")
def sitemap_index(request):
    """The sitemap of sitemaps: the people's, then each publication's months, oldest first.

    Queries: the months that have published issues, with their publication's slug.
    """
    months = (
        Issue.objects.published()
        .annotate(year=ExtractYear("date"), month=ExtractMonth("date"))
        .values_list("publication__slug", "year", "month")
        .distinct()
        .order_by("publication__slug", "year", "month")
    )
    paths = [reverse("sitemap_people")]
    paths += [
        month_sitemap_url(slug, datetime.date(year, month, 1)) for slug, year, month in months
    ]
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": [SitemapIndexItem(request.build_absolute_uri(path)) for path in paths]},
        content_type="application/xml",
    )


@x_robots_tag
@cache_public_page(query=("p",))
def sitemap_month(request, pub, month):
    """One publication's published issues of one month, their pages and articles.

    Queries: the issues; their pages; their published articles. A month without published
    issues is a 404.
    """
    try:
        first = datetime.datetime.strptime(month, "%Y-%m").date()
    except ValueError:
        raise Http404 from None
    issues = list(
        Issue.objects.published()
        .filter(publication__slug=pub, date__year=first.year, date__month=first.month)
        .select_related("publication")
        .only("publication__slug", "number", "updated_at")
        .order_by("pk")
    )
    if not issues:
        raise Http404
    return sitemap(
        request,
        {
            "issues": IssueSitemap(issues),
            "pages": PageSitemap(issues),
            "articles": ArticleSitemap(issues),
        },
    )


@x_robots_tag
@cache_public_page(scope="site", query=("p",))
def sitemap_people(request):
    """Everyone with published work (their person pages)."""
    return sitemap(request, {"people": PersonSitemap})
