"""sitemap.xml: published issues, pages, articles, and people with published work."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Q

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
        return Article.objects.published().select_related("page__issue__publication").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class PersonSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        published = Article.objects.published()
        published_issues = Issue.objects.published()
        return Person.objects.filter(
            Exists(Byline.objects.filter(person=OuterRef("pk"), article__in=published))
            | Exists(
                Photo.objects.filter(photographer=OuterRef("pk")).filter(
                    Q(article__in=published) | Q(page__issue__in=published_issues)
                )
            )
            | Exists(published_issues.filter(responsible_editor=OuterRef("pk")))
            | Exists(published_issues.filter(layout_credits__person=OuterRef("pk")))
        ).order_by("pk")


SITEMAPS = {
    "issues": IssueSitemap,
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "people": PersonSitemap,
}
