"""签发 with the whole issue in view: every page as readers will see it (the public site's
templates: text cut at its jumps, photos, photo news and the page scan), beside each article
what changed since the editor approved it, the ordered list of what still blocks publishing,
and the 签发 button that opens the confirmation page.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext

from articles.models import Article, Byline, Photo
from articles.presentation import article_parts
from desk import history, steps, workflow
from desk.models import ScheduledPublication
from issues.models import Issue, Page
from public.issue_views import SCAN_IMAGE_SUFFIXES


def signoff_page(modeladmin, request, issue: Issue):
    """Queries: the pages; their articles with bylines and photos (3); the page photo news;
    the issue's other articles continued onto each page come from the same rows; the
    approvals, revisions at approval and caption snapshots of all articles (3); the blockers
    (2). None per article: tests/desk/test_signoff_queries.py pins the count."""
    articles = Article.objects.order_by("order", "pk").prefetch_related(
        Prefetch(
            "bylines", queryset=Byline.objects.select_related("person").order_by("order", "pk")
        ),
        Prefetch(
            "photos", queryset=Photo.objects.select_related("photographer").order_by("order", "pk")
        ),
    )
    pages = list(
        Page.objects.filter(issue=issue)
        .order_by("number")
        .prefetch_related(
            Prefetch("articles", queryset=articles, to_attr="ordered_articles"),
            Prefetch(
                "photos",
                queryset=Photo.objects.select_related("photographer").order_by("order", "pk"),
                to_attr="photo_news",
            ),
        )
    )
    page_urls = {page.number: f"#page-{page.number}" for page in pages}
    by_number = {page.number: page for page in pages}
    for page in pages:
        page.issue = issue
        page.entries = []
        page.continued = []
        page.scan_is_image = bool(page.scan) and page.scan.name.lower().endswith(
            SCAN_IMAGE_SUFFIXES
        )
    since_approval = history.changes_since_approval_of(
        [article for page in pages for article in page.ordered_articles]
    )
    for page in pages:
        for article in page.ordered_articles:
            article.page = page
            parts = article_parts(article, page_urls)
            since = since_approval[article.pk]
            page.entries.append((article, parts[0], since))
            for part in parts[1:]:
                if part.page_number in by_number:
                    by_number[part.page_number].continued.append((article, part))
    blockers = workflow.publish_blockers(issue) if not issue.is_published else []
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": gettext("Sign-off: %(issue)s") % {"issue": issue},
        "original": issue,
        "issue": issue,
        "pages": pages,
        "blockers": blockers,
        "checklist": _checklist(issue, pages, blockers),
        "steps": steps.buttons(issue, request.user),
        "scheduled": ScheduledPublication.objects.filter(issue=issue).first(),
        "may_sign_off": workflow.TRANSITIONS["publish_issue"].may(request.user, issue),
        "cancel_url": reverse("admin:issues_issue_cancel_schedule", args=[issue.pk]),
        "next_url": request.get_full_path(),
    }
    return TemplateResponse(request, "admin/issues/issue/signoff.html", context)


def _checklist(issue, pages, blockers):
    """The order a responsible editor checks an issue in; each item done or not."""
    Status = Issue.Status
    articles = [article for page in pages for article in page.ordered_articles]
    return [
        (
            gettext("Layout handed over for sign-off (待签发)"),
            issue.status in (Status.READY, Status.PUBLISHED),
        ),
        (
            gettext("Every page has at least one article"),
            bool(pages) and all(p.ordered_articles for p in pages),
        ),
        (
            gettext("Every article on the pages was approved and placed"),
            all(
                a.status
                in (Article.Status.PLACED, Article.Status.PUBLISHED, Article.Status.WITHDRAWN)
                for a in articles
            ),
        ),
        (gettext("Nothing else blocks publishing"), not blockers),
    ]
