"""历史 of an issue and of a page in the desk's words, in place of the admin's stock history
(which lists only its own log, with login names): the workflow steps with people's names,
the layout and publication steps of the articles on it, and what was changed in the forms.
An article's history is desk/views/articles.py's ``history_page``."""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from desk import history
from issues.models import Issue, Page


def _visible(modeladmin, request, object_id):
    """As the stock history view: a 404 for what does not exist, a 403 for what the user may
    neither view nor change."""
    obj = modeladmin.get_object(request, unquote(object_id))
    if obj is None:
        raise Http404
    if not modeladmin.has_view_or_change_permission(request, obj):
        raise PermissionDenied
    return obj


def issue_history(modeladmin, request, object_id):
    issue: Issue = _visible(modeladmin, request, object_id)
    return _page(
        modeladmin,
        request,
        issue,
        timeline=history.timeline(issue),
        article_steps=history.page_steps(page__issue=issue),
    )


def page_history(modeladmin, request, object_id):
    page: Page = _visible(modeladmin, request, object_id)
    return _page(
        modeladmin,
        request,
        page,
        name=f"{page.issue} {page}",
        article_steps=history.page_steps(page=page),
    )


def _page(modeladmin, request, obj, *, name=None, **sections):
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": gettext("History of “%(headline)s”") % {"headline": name or obj},
        "original": obj,
        "show_timeline": "timeline" in sections,
        "changes": history.admin_changes(obj),
        **sections,
    }
    return TemplateResponse(request, "admin/newsroom/history.html", context)
