from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ArticleSearch(models.Model):
    """The search index row of one article, kept out of Article so that the article's
    history and admin form never carry it. search.index writes it.

    `document` is the article's searchable text (headline, subheadline, names, body,
    captions), NFKC-normalised: SQLite searches it by substring and every database builds
    snippets from it. `vector` holds overlapping character bigrams, weighted by field, and is
    only filled on PostgreSQL, where a GIN index (created by migration) serves it.
    """

    article = models.OneToOneField(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search",
    )
    document = models.TextField(_("searchable text"), blank=True)
    # The date, copied here so the newest matches come off one index in date order.
    date = models.DateField(_("date"), null=True, blank=True)
    vector = SearchVectorField(null=True, blank=True)
    indexed_at = models.DateTimeField(_("indexed at"), default=timezone.now)

    class Meta:
        # The table was made when this model lived in the articles app; it keeps its name.
        db_table = "articles_articlesearch"
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")
        indexes = [models.Index(fields=["date", "article"], name="articlesearch_date")]

    def __str__(self):
        return str(self.article_id)
