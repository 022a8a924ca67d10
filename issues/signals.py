"""Invalidate cached public pages whenever a row that they show is saved or deleted."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import post_delete, post_save

from issues.caching import invalidate_public_pages


def _publication_slug(instance):
    """The slug of the publication an instance belongs to, or None when it cannot be told
    (a draft not on a page, a row whose parent a cascade already deleted)."""
    from articles.models import Article, Byline, Correction, Photo
    from issues.models import Issue, LayoutCredit, Page

    try:
        if isinstance(instance, Issue):
            return instance.publication.slug
        if isinstance(instance, LayoutCredit | Page):
            return instance.issue.publication.slug
        if isinstance(instance, Byline | Correction):
            instance = instance.article
        if isinstance(instance, Photo):
            if instance.page_id:
                return instance.page.issue.publication.slug
            instance = instance.article
        if isinstance(instance, Article) and instance.page_id:
            return instance.page.issue.publication.slug
    except ObjectDoesNotExist:
        pass
    return None


def invalidate_for(sender, instance, **kwargs):
    from issues.models import Publication
    from people.models import Person

    if isinstance(instance, Publication | Person):
        # Names show everywhere (and a renamed slug moves every URL): start afresh.
        invalidate_public_pages()
        return
    invalidate_public_pages(_publication_slug(instance))


def connect():
    from articles.models import Article, Byline, Correction, Photo
    from issues.models import Issue, LayoutCredit, Page, Publication
    from people.models import Person

    for model in (
        Publication,
        Issue,
        LayoutCredit,
        Page,
        Article,
        Byline,
        Photo,
        Correction,
        Person,
    ):
        uid = f"public-cache-{model._meta.label_lower}"
        post_save.connect(invalidate_for, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(invalidate_for, sender=model, dispatch_uid=uid + "-delete")
