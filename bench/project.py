"""Everything the serving benchmarks need to know about Newsroom's own modules, in one place.

The apps are being reorganised; when a module moves, this file (plus ``bench/settings.py``,
which star-imports the settings, and ``bench/synth.py``, ``import_archive.py``, ``search.py``,
older benchmarks with imports of their own) is what needs fixing. serve.py and
inprocess.py do not import project modules themselves: they call the functions below, in a
child process (``python -m bench.project COMMAND``, printing JSON).

    python -m bench.project count-issues
    python -m bench.project published-counts
    python -m bench.project paths PER_KIND
    python -m bench.project old-articles COUNT
    python -m bench.project export-peer FILE
"""

import json
import sys

# Dotted paths of the project, as strings (imported by gunicorn or Django, not here).
# bench/settings.py star-imports the settings module by name: change it there too.
SETTINGS_MODULE = "newsroom.settings"
WSGI_APPLICATION = "newsroom.wsgi:application"
URLCONF = "newsroom.urls"


def article_headline(pk):
    """One ORM query by primary key (bench/urls.py's one-query view)."""
    from articles.models import Article

    return Article.objects.values_list("headline", flat=True).get(pk=pk)


def count_issues():
    from issues.models import Issue

    return Issue.objects.count()


def published_counts():
    from articles.models import Article
    from issues.models import Issue

    return {
        "issues": Issue.objects.published().count(),
        "articles": Article.objects.published().count(),
    }


def pick_paths(per_kind):
    """Random published URLs of each public kind, plus the one-query floor view's URLs and
    the Wagtail peer's URLs of the same issues and articles (bench/peer: /<number>/<id>/)."""
    from articles.models import Article
    from issues.models import Issue, Page
    from people.models import Person

    issues = list(Issue.objects.published().select_related("publication").order_by("?")[:per_kind])
    pages = Page.objects.published().select_related("issue__publication").order_by("?")[:per_kind]
    articles = list(
        Article.objects.published()
        .select_related("page__issue__publication")
        .order_by("?")[:per_kind]
    )
    people = (
        Person.objects.filter(bylines__article__status="published")
        .distinct()
        .order_by("?")[:per_kind]
    )
    return {
        "issue": [issue.get_absolute_url() for issue in issues],
        "page": [page.get_absolute_url() for page in pages],
        "article": [article.get_absolute_url() for article in articles],
        "person": [person.get_absolute_url() for person in people],
        "one-query": [f"/bench/one-query/{article.pk}/" for article in articles],
        "peer-issue": [f"/{issue.number}/" for issue in issues],
        "peer-article": [_peer_article_url(article) for article in articles],
    }


def _peer_article_url(article):
    return f"/{article.page.issue.number}/{article.pk}/"


def old_article_paths(count):
    """The URLs of the ``count`` oldest published articles (a crawler reading the archive),
    in Newsroom and in the Wagtail peer."""
    from articles.models import Article

    articles = (
        Article.objects.published()
        .select_related("page__issue__publication")
        .order_by("page__issue__date", "page__number", "order", "id")[:count]
    )
    return {
        "newsroom": [article.get_absolute_url() for article in articles],
        "peer": [_peer_article_url(article) for article in articles],
    }


def export_for_peer(path):
    """Write the published archive as JSON for the Wagtail peer (bench/peer, load_archive).

    The text is what Newsroom's pages show: headlines, subheadlines, datelines, bylines as
    they read (role label, then names), paragraphs, and each issue's masthead.
    """
    from django.utils import translation

    from articles.models import Article, Byline
    from issues.models import Issue

    with translation.override("zh-hans"):
        issues = list(
            Issue.objects.published()
            .select_related("publication", "responsible_editor")
            .prefetch_related("layout_credits__person", "pages")
            .order_by("date", "number")
        )
        articles = (
            Article.objects.published()
            .select_related("page")
            .order_by("page__number", "order", "id")
        )
        by_issue = {}
        for article in articles.iterator(chunk_size=2000):
            by_issue.setdefault(article.page.issue_id, []).append(article)
        bylines = {}
        for byline in Byline.objects.select_related("person").order_by("order", "id"):
            bylines.setdefault(byline.article_id, []).append(byline)
        out = []
        for issue in issues:
            publication = issue.publication
            page_names = {page.number: page.name for page in issue.pages.all()}
            out.append(
                {
                    "newsroom_url": issue.get_absolute_url(),
                    "paper": publication.name,
                    "sponsors": publication.sponsors,
                    "sponsor_role": publication.get_sponsor_role_display(),
                    "number": issue.number,
                    "number_in_year": issue.number_in_year,
                    "date": issue.date.isoformat(),
                    "responsible_editor": (
                        issue.responsible_editor.name if issue.responsible_editor else ""
                    ),
                    "layout": [credit.person.name for credit in issue.layout_credits.all()],
                    "articles": [
                        {
                            "id": article.pk,
                            "page_number": article.page.number,
                            "page_name": page_names.get(article.page.number, ""),
                            "headline": article.headline,
                            "subheadline": article.subheadline,
                            "dateline": article.dateline,
                            "byline": _byline_text(bylines.get(article.pk, [])),
                            "paragraphs": article.paragraphs,
                        }
                        for article in by_issue.get(issue.pk, [])
                    ],
                }
            )
    with open(path, "w", encoding="utf-8") as file:
        json.dump(out, file, ensure_ascii=False)
    return {"issues": len(out), "articles": sum(len(issue["articles"]) for issue in out)}


def _byline_text(bylines):
    """记者 王某 李某 通讯员 张某: one role label per group of consecutive bylines."""
    parts = []
    role = None
    for byline in bylines:
        if byline.role != role:
            parts.append(byline.get_role_display())
            role = byline.role
        parts.append(byline.person.name)
    return " ".join(parts)


def main(argv):
    import django

    django.setup()
    command, *rest = argv
    if command == "count-issues":
        result = count_issues()
    elif command == "published-counts":
        result = published_counts()
    elif command == "paths":
        result = pick_paths(int(rest[0]))
    elif command == "old-articles":
        result = old_article_paths(int(rest[0]))
    elif command == "export-peer":
        result = export_for_peer(rest[0])
    else:
        sys.exit(f"unknown command {command!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
