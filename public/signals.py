"""Invalidate cached public pages whenever a row that they show is saved or deleted."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from articles.models import Article, Byline, Correction, Photo
from issues.models import Issue, IssueCorrection, LayoutCredit, Page, Publication
from people.models import Person
from public.caching import invalidate_public_pages


def _cached(instance, field):
    """The related object when it is already loaded, else None (no query)."""
    descriptor = getattr(type(instance), field)
    return descriptor.field.get_cached_value(instance, None)


def _slug_of_issue(issue_id, issue=None):
    publication = _cached(issue, "publication") if issue is not None else None
    if publication is not None:
        return publication.slug
    return Issue.objects.filter(pk=issue_id).values_list("publication__slug", flat=True).first()


def _slug_of_page(page_id, page=None):
    if page is not None:
        issue = _cached(page, "issue")
        if issue is not None:
            return _slug_of_issue(issue.pk, issue)
    return (
        Page.objects.filter(pk=page_id).values_list("issue__publication__slug", flat=True).first()
    )


def _slug_of_article(article_id, article=None):
    if article is not None:
        return _slug_of_page(article.page_id, _cached(article, "page")) if article.page_id else None
    return (
        Article.objects.filter(pk=article_id)
        .values_list("page__issue__publication__slug", flat=True)
        .first()
    )


def _publication_slug(instance):
    """The slug of the publication an instance belongs to, or None when it cannot be told
    (a draft not on a page, a row whose parent a cascade already deleted). At most one
    query, none when the relations are loaded: publishing saves every article of an issue."""
    if isinstance(instance, Issue):
        publication = _cached(instance, "publication")
        if publication is not None:
            return publication.slug
        return (
            Publication.objects.filter(pk=instance.publication_id)
            .values_list("slug", flat=True)
            .first()
        )
    if isinstance(instance, LayoutCredit | IssueCorrection):
        return _slug_of_issue(instance.issue_id, _cached(instance, "issue"))
    if isinstance(instance, Page):
        return _slug_of_issue(instance.issue_id, _cached(instance, "issue"))
    if isinstance(instance, Article):
        return _slug_of_article(instance.pk, instance)
    if isinstance(instance, Photo) and instance.page_id:
        return _slug_of_page(instance.page_id, _cached(instance, "page"))
    if isinstance(instance, Byline | Correction | Photo) and instance.article_id:
        return _slug_of_article(instance.article_id, _cached(instance, "article"))
    return None


def invalidate_for(sender, instance, **kwargs):
    if isinstance(instance, Publication | Person):
        # Names show everywhere (and a renamed slug moves every URL): start afresh.
        invalidate_public_pages()
        return
    invalidate_public_pages(_publication_slug(instance))


def invalidate_for_layout_staff(sender, instance, action, **kwargs):
    """issue.layout_staff.add(...) writes LayoutCredit rows without post_save."""
    if action.startswith("post_"):
        if isinstance(instance, Issue):
            invalidate_public_pages(instance.publication.slug)
        else:
            invalidate_public_pages()


def connect():
    for model in (
        Publication,
        Issue,
        LayoutCredit,
        IssueCorrection,
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
    m2m_changed.connect(
        invalidate_for_layout_staff,
        sender=Issue.layout_staff.through,
        dispatch_uid="public-cache-layout-staff",
    )
