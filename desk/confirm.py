"""What a confirmation page states, and the version it confirmed.

签发, 撤回本期 and 撤稿 are asked twice: the page says what will happen, in numbers, and its
form carries a fingerprint of what the person saw. The POST is refused if the fingerprint
changed meanwhile (someone placed, moved or edited an article), so nobody publishes what
they did not see.
"""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext, ngettext

from articles.models import Article
from issues.models import Issue

# The steps that need a confirmation page before they are taken.
CONFIRMED_STEPS = ("publish_issue", "unpublish_issue", "withdraw")


def issue_version(issue: Issue) -> str:
    """The issue's state and every article on its pages (key, version, state, place)."""
    rows = (
        Article.objects.filter(page__issue=issue)
        .order_by("pk")
        .values_list("pk", "version", "status", "page_id", "order", "pages")
    )
    fresh = Issue.objects.filter(pk=issue.pk).values_list("status", "updated_at").get()
    text = repr((fresh, list(rows)))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def article_version(article: Article) -> str:
    fresh = Article.objects.filter(pk=article.pk).values_list("version", "status").get()
    return f"{fresh[0]}-{fresh[1]}"


def version_of(obj) -> str:
    return issue_version(obj) if isinstance(obj, Issue) else article_version(obj)


def what_happens(name: str, obj) -> str:
    """One sentence: 今日罗塘 第11期 总第118期：4个版面、19篇稿件将对读者公开。"""
    if name == "withdraw":
        return gettext(
            "“%(headline)s” will disappear from the public site, from its page and from "
            "search; the note is kept in the log."
        ) % {"headline": obj.headline}
    pages = obj.pages.count()
    if name == "publish_issue":
        count = Article.objects.filter(page__issue=obj, status=Article.Status.PLACED).count()
        return ngettext(
            "%(issue)s: %(pages)d page(s), %(count)d article will become public to readers.",
            "%(issue)s: %(pages)d page(s), %(count)d articles will become public to readers.",
            count,
        ) % {"issue": obj, "pages": pages, "count": count}
    count = Article.objects.filter(page__issue=obj, status=Article.Status.PUBLISHED).count()
    return ngettext(
        "%(issue)s: %(pages)d page(s), %(count)d article will no longer be public.",
        "%(issue)s: %(pages)d page(s), %(count)d articles will no longer be public.",
        count,
    ) % {"issue": obj, "pages": pages, "count": count}
