"""Keep the search index current: every save of an article or of what its index row holds
(bylines, photos, corrections, people's names, the issue's date) rewrites the affected rows.

Bulk writes (QuerySet.update, bulk_create) send no signals: the importer calls
index_articles itself, and the search view re-checks publication at query time.
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.models import Article, Byline, Correction, Photo
from issues.models import Issue
from people.models import Person
from search.index import index_articles


def _reindex(article_ids, using):
    ids = [pk for pk in article_ids if pk is not None]
    if ids:
        index_articles(ids, using=using)


def _deleting_article(origin):
    # Deleting an article deletes its bylines and photos first; indexing it again then
    # would leave a row pointing at an article about to go.
    return isinstance(origin, Article) or getattr(origin, "model", None) is Article


@receiver(post_save, sender=Article)
def article_saved(sender, instance, raw=False, using="default", **kwargs):
    if not raw:
        _reindex([instance.pk], using)


@receiver(post_save, sender=Byline)
@receiver(post_save, sender=Photo)
@receiver(post_save, sender=Correction)
def part_saved(sender, instance, raw=False, using="default", **kwargs):
    if not raw:
        _reindex([instance.article_id], using)


@receiver(post_delete, sender=Byline)
@receiver(post_delete, sender=Photo)
def part_deleted(sender, instance, using="default", origin=None, **kwargs):
    if not _deleting_article(origin):
        _reindex([instance.article_id], using)


@receiver(post_save, sender=Person)
def person_saved(sender, instance, created=False, raw=False, using="default", **kwargs):
    if raw or created:
        return
    ids = Article.objects.using(using).filter(
        Q(bylines__person=instance) | Q(photos__photographer=instance)
    )
    _reindex(ids.values_list("pk", flat=True).distinct(), using)


@receiver(post_save, sender=Issue)
def issue_saved(sender, instance, created=False, raw=False, using="default", **kwargs):
    if raw or created:
        return
    ids = Article.objects.using(using).filter(page__issue=instance).values_list("pk", flat=True)
    _reindex(ids, using)
