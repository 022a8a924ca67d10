"""Atom feed of a publication's latest published articles.

Summaries are plain text (``type="text"``): a subheadline like ``副题<img onerror=…>`` reaches
feed readers as the characters typed, never as markup. Every string is stripped of control
characters on the way out, since XML cannot carry them: text written around the models (raw
SQL) must not turn the feed into a 500.
"""

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from articles.models import Article, Byline
from articles.presentation import byline_text
from issues.models import Publication
from people.validators import strip_control_characters

FEED_LENGTH = 30


def _plain(value):
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


class PlainTextAtom1Feed(Atom1Feed):
    """Atom with ``<summary type="text">`` and no control characters anywhere."""

    def __init__(self, *args, **kwargs):
        super().__init__(
            *[_plain(arg) for arg in args], **{k: _plain(v) for k, v in kwargs.items()}
        )

    def add_item(self, *args, **kwargs):
        super().add_item(
            *[_plain(arg) for arg in args], **{k: _plain(v) for k, v in kwargs.items()}
        )

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"]:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class LatestArticlesFeed(Feed):
    feed_type = PlainTextAtom1Feed

    def get_object(self, request, pub):
        return get_object_or_404(Publication, slug=pub)

    def title(self, obj):
        return _("%(publication)s: latest articles") % {"publication": obj.name}

    def subtitle(self, obj):
        return " ".join(obj.sponsors)

    def link(self, obj):
        return reverse("issues:latest", kwargs={"pub": obj.slug})

    def items(self, obj):
        # Queries: the articles with page, issue and publication; their bylines with people.
        return (
            Article.objects.published()
            .filter(page__issue__publication=obj)
            .select_related("page__issue__publication")
            .prefetch_related(
                Prefetch(
                    "bylines",
                    queryset=Byline.objects.select_related("person").order_by("order", "id"),
                )
            )
            .order_by("-page__issue__date", "page__number", "order", "id")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        paragraphs = item.paragraphs
        return item.subheadline or (paragraphs[0] if paragraphs else "")

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return byline_text(item.bylines.all()) or None

    def item_categories(self, item):
        return [str(item.page)]
