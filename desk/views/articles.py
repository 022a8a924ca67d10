"""Desk pages of one article besides its change form: the preview as readers will see it,
the readable history, and the draft autosave."""

from __future__ import annotations

from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext

from articles.models import Article
from articles.presentation import article_parts
from desk import history, services, workflow
from desk.models import CaptionSnapshot


def snapshot_captions(article: Article) -> None:
    """Record the article's photo captions at its current version (see CaptionSnapshot)."""
    captions = list(article.photos.order_by("order", "pk").values_list("caption", flat=True))
    CaptionSnapshot.objects.update_or_create(
        article=article, version=article.version, defaults={"captions": captions}
    )


def preview(modeladmin, request, article: Article):
    """The article as the public site will print it, before it is placed or published: the
    public templates' bylines, text (cut at its jumps) and photos.

    Queries: the article (by the caller), its bylines with people, its photos with
    photographers, the pages of its issue when it is placed.
    """
    bylines = list(article.bylines.select_related("person").order_by("order", "pk"))
    photos = list(article.photos.select_related("photographer").order_by("order", "pk"))
    part = None
    if article.page_id is not None:
        part = article_parts(article, {})[0]
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": gettext("Preview: %(headline)s") % {"headline": article.headline},
        "original": article,
        "article": article,
        "bylines": bylines,
        "photos": photos,
        "part": part,
        "length": sum(len(p) for p in article.paragraphs),
    }
    return TemplateResponse(request, "admin/articles/article/preview.html", context)


def history_page(modeladmin, request, article: Article):
    """历史 in the desk's words: the steps with people's names, and the text's versions as
    diffs (captions included), instead of the admin's log of field names."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": gettext("History of “%(headline)s”") % {"headline": article.headline},
        "original": article,
        "show_timeline": True,
        "timeline": history.timeline(article),
        "revisions": history.text_revisions(article),
    }
    return TemplateResponse(request, "admin/newsroom/history.html", context)


def autosave(request, article: Article):
    """POST the text fields and the version the form was read at: saved as a new revision of
    the draft when they changed. Answers JSON: the new version (the form's next save must
    carry it) and the time, or the reason it was refused (409)."""
    if article.status != Article.Status.DRAFT or not workflow.can_edit_text(request.user, article):
        return JsonResponse(
            {"error": gettext("This article is not a draft you may edit.")}, status=403
        )
    try:
        expected = int(request.POST.get("expected_version", ""))
    except ValueError:
        return JsonResponse({"error": gettext("The form has no version.")}, status=400)
    values = {name: request.POST.get(name, getattr(article, name)) for name in workflow.TEXT_FIELDS}
    values["body"] = Article.tidy_body(values["body"])
    values["headline"] = values["headline"].strip()[:200]
    if not values["headline"]:
        return JsonResponse({"error": gettext("A headline is needed.")}, status=400)
    values["subheadline"] = values["subheadline"][:200]
    values["dateline"] = values["dateline"][:50]
    now = timezone.localtime()
    if article.version == expected and all(
        getattr(article, name) == value for name, value in values.items()
    ):
        return JsonResponse(
            {"version": article.version, "saved_at": f"{now:%H:%M}", "changed": False}
        )
    for name, value in values.items():
        setattr(article, name, value)
    try:
        saved = services.save_text(article=article, by=request.user, expected_version=expected)
    except workflow.WorkflowError as refused:
        return JsonResponse({"error": str(refused)}, status=409)
    snapshot_captions(saved)
    return JsonResponse({"version": saved.version, "saved_at": f"{now:%H:%M}", "changed": True})
