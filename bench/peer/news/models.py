"""A newspaper in Wagtail, built the way its documentation suggests: a paper page at the site
root, an IssuePage per issue under it and an ArticlePage per article under its issue.

URLs: ``/<number>/`` for 总第N期 and ``/<number>/<newsroom article id>/`` for an article.
"""

from django.db import models
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Page


class PaperPage(Page):
    """The paper (site root): its name is the page title."""

    sponsors = models.CharField(max_length=500, blank=True)
    sponsor_role = models.CharField(max_length=50, blank=True)

    subpage_types = ["news.IssuePage"]


class IssuePage(Page):
    """One numbered issue: the masthead and every article's headline and byline, by page."""

    paper_name = models.CharField(max_length=100)
    number = models.PositiveIntegerField()
    number_in_year = models.PositiveIntegerField()
    date = models.DateField()
    sponsors = models.CharField(max_length=500, blank=True)
    sponsor_role = models.CharField(max_length=50, blank=True)
    responsible_editor = models.CharField(max_length=50, blank=True)
    layout = models.CharField(max_length=200, blank=True)

    parent_page_types = ["news.PaperPage"]
    subpage_types = ["news.ArticlePage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Headlines only: the bodies are not shown here.
        context["articles"] = (
            ArticlePage.objects.child_of(self).live().defer("body").order_by("page_number", "path")
        )
        return context


class ArticlePage(Page):
    """One article: the headline is the page title."""

    page_number = models.PositiveSmallIntegerField()
    page_name = models.CharField(max_length=20, blank=True)
    subheadline = models.CharField(max_length=200, blank=True)
    dateline = models.CharField(max_length=50, blank=True)
    byline = models.CharField(max_length=300, blank=True)
    body = StreamField([("paragraph", blocks.TextBlock())], blank=True)

    parent_page_types = ["news.IssuePage"]
    subpage_types = []

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["issue"] = IssuePage.objects.parent_of(self).get()
        context["previous_article"] = self.get_prev_siblings().live().first()
        context["next_article"] = self.get_next_siblings().live().first()
        return context
