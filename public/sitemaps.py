"""sitemap.xml: published issues, pages, articles, and people with published work."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Q

from articles.models import Article, Byline, Photo
from issues.models import Issue, Page
from people.models import Person


class IssueSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Issue.objects.published().select_related("publication").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Page.objects.published().select_related("issue__publication").order_by("pk")

    def lastmod(self, item):
        return item.issue.updated_at


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        # Only what the URL and lastmod need: 20,000 article texts took most of the time.
        return (
            Article.objects.published()
            .select_related("page__issue__publication")
            .only(
                "updated_at",
                "page__number",
                "page__issue__number",
                "page__issue__publication__slug",
            )
            .order_by("pk")
        )

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


SITEMAPS = {
    "issues": IssueSitemap,
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "people": PersonSitemap,
}
