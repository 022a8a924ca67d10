"""Pre-render the public pages of an issue into the shared page cache after it changes.

When an issue is published, imported or corrected, every public page that shows it is
rendered into the cache (public/caching.py) in the background, so the first reader after the
change, a crawler included, gets a cached page:

- ``issue_urls(issue)``: the pages of the issue itself (issue, its pages, its published
  articles, the person pages of its people). Pages added later for an issue (the e-paper)
  belong in this one function;
- ``publication_urls(publication, issues)``: what lists the issue (home, the paper's latest
  issue, the archive and its month, the feed, the sitemap index and the issue's month's
  sitemap) and the neighbouring issues,
  whose previous/next links changed.

``schedule_prerender(issues)`` queues one task (``prerender_issues``) when the surrounding
transaction commits, that is after the generation bump of public/caching.py, so the pages
are rendered from the committed rows under the new generation. Where the task runs depends
on TASKS_BACKEND (settings.py): with ``database``, ``manage.py db_worker`` (docker-compose's
``worker`` service) picks it up; with ``immediate`` (the embedded default, no worker) it runs
in the process that published: after the response when that was a request (the editor does
not wait for it), at commit otherwise. Either way a page nobody pre-rendered is still
rendered on demand by the first reader, exactly as before: nothing depends on the task.

Pages are rendered once for each origin readers use (``PUBLIC_SITE_URL``), by calling the
URL's view as an anonymous reader would reach it, so the cache key is the reader's key.
"""

import io
import logging
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.db.models import Q
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from articles.models import Article, Byline, Photo
from issues.models import Issue, LayoutCredit
from people.models import Person
from public.sitemaps import month_sitemap_url

logger = logging.getLogger(__name__)


def issue_urls(issue: Issue) -> list[str]:
    """The paths of the public pages that show this issue's own content: the issue, its
    pages, its published articles and the person pages of everyone credited in it.
    Extend it here when a new kind of page shows an issue (the e-paper's pages)."""
    issue = Issue.objects.select_related("publication").get(pk=issue.pk)
    paths = [issue.get_absolute_url()]
    pages = list(issue.pages.defer("words").order_by("number"))
    for page in pages:
        page.issue = issue
        paths.append(page.get_absolute_url())
    if any(page.scan for page in pages):
        # The whole issue as one PDF (issue 13): merged once into storage, here rather than
        # when the first reader asks for it.
        paths.append(
            reverse(
                "issues:issue_pdf", kwargs={"pub": issue.publication.slug, "number": issue.number}
            )
        )
    articles = (
        Article.objects.published()
        .filter(page__issue=issue)
        .order_by("page__number", "order", "id")
    )
    for article_id in articles.values_list("pk", flat=True):
        paths.append(
            reverse("articles:detail", kwargs={"pub": issue.publication.slug, "pk": article_id})
        )
    people = (
        Person.objects.filter(
            Q(pk__in=Byline.objects.filter(article__in=articles).values("person"))
            | Q(
                pk__in=Photo.objects.filter(Q(article__in=articles) | Q(page__issue=issue)).values(
                    "photographer"
                )
            )
            | Q(pk__in=LayoutCredit.objects.filter(issue=issue).values("person"))
            | Q(pk=issue.responsible_editor_id)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    paths += [reverse("people:detail", kwargs={"pk": pk}) for pk in people]
    return paths


def publication_urls(publication, issues) -> list[str]:
    """The pages that list these issues of one publication: the home page, the paper's
    latest issue, its archive (first page, each issue's year and month, the list by number),
    its feed, the sitemap index, the sitemap of each issue's month and the people's sitemap,
    and the published issues just before and after each one (their neighbour links)."""
    slug = publication.slug
    archive = reverse("issues:archive", kwargs={"pub": slug})
    paths = [
        reverse("home"),
        reverse("issues:latest", kwargs={"pub": slug}),
        archive,
        reverse("issues:numbers", kwargs={"pub": slug}),
        reverse("issues:feed", kwargs={"pub": slug}),
        reverse("sitemap"),
        reverse("sitemap_people"),
    ]
    published = Issue.objects.published().of(publication)
    for issue in issues:
        paths.append(month_sitemap_url(slug, issue.date))
        paths.append(f"{archive}?year={issue.date.year}")
        paths.append(f"{archive}?year={issue.date.year}&month={issue.date.month}")
        before = published.filter(date__lt=issue.date).order_by("-date").first()
        after = published.filter(date__gt=issue.date).order_by("date").first()
        for neighbour in (before, after):
            if neighbour is not None:
                neighbour.publication = publication
                paths.append(neighbour.get_absolute_url())
    return paths


def urls_for_issues(issue_ids) -> list[str]:
    """Every path to pre-render for these issues, each once, the issues' own pages first."""
    issues = list(Issue.objects.published().filter(pk__in=issue_ids).select_related("publication"))
    paths = []
    for issue in issues:
        paths += issue_urls(issue)
    by_publication = {}
    for issue in issues:
        by_publication.setdefault(issue.publication_id, (issue.publication, []))[1].append(issue)
    for publication, its_issues in by_publication.values():
        paths += publication_urls(publication, its_issues)
    return list(dict.fromkeys(paths))


def _request(origin: str, path: str) -> WSGIRequest:
    """An anonymous GET of ``path`` as a reader reaching ``origin`` sends it."""
    parts = urlsplit(origin)
    path, _, query = path.partition("?")
    secure = parts.scheme == "https"
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": parts.hostname or "localhost",
        "SERVER_PORT": str(parts.port or (443 if secure else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": parts.netloc,
        "wsgi.url_scheme": parts.scheme or "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if secure:
        # Behind the TLS load balancer (settings.SECURE_PROXY_SSL_HEADER).
        environ["HTTP_X_FORWARDED_PROTO"] = "https"
    request = WSGIRequest(environ)
    request.user = AnonymousUser()
    return request


def render_into_cache(paths) -> dict[str, int]:
    """Request each path as an anonymous reader, for each origin in PUBLIC_SITE_URL, so the
    page cache holds it; a page already cached under the current generation is not rendered
    again. Returns {url: status}. The views are called directly (no middleware, no request
    signals), so this is safe inside another request or a test transaction."""
    statuses = {}
    language = translation.get_language()
    try:
        for origin in settings.PUBLIC_SITE_URL:
            for path in paths:
                url = origin.rstrip("/") + path
                try:
                    match = resolve(path.partition("?")[0])
                except Resolver404:
                    statuses[url] = 404
                    continue
                request = _request(origin, path)
                request.resolver_match = match
                try:
                    response = match.func(request, *match.args, **match.kwargs)
                    statuses[url] = response.status_code
                    # A file response (the issue PDF) holds a file open. close() also sends
                    # request_finished, whose close_old_connections would close the database
                    # connection in the middle of the caller's transaction: as Django's test
                    # client does, close without it.
                    request_finished.disconnect(close_old_connections)
                    try:
                        response.close()
                    finally:
                        request_finished.connect(close_old_connections)
                except Exception:
                    # One page that fails must not stop the others; readers will see the
                    # same error and the log says which page.
                    logger.exception("pre-rendering %s failed", url)
                    statuses[url] = 500
    finally:
        if language:
            translation.activate(language)
        else:
            translation.deactivate()
    return statuses


@task()
def prerender_issues(issue_ids: list[int]) -> dict:
    """The background task: render every public page of these issues into the cache."""
    started = time.monotonic()
    paths = urls_for_issues(issue_ids)
    statuses = render_into_cache(paths)
    seconds = time.monotonic() - started
    failed = sorted(url for url, status in statuses.items() if status != 200)
    logger.info("pre-rendered %d pages of issues %s in %.2f s", len(statuses), issue_ids, seconds)
    return {"pages": len(statuses), "failed": failed, "seconds": round(seconds, 3)}


# Issues whose pre-render waits for the end of this thread's request (see schedule_prerender).
_after_response = threading.local()


def _runs_in_this_process() -> bool:
    return isinstance(prerender_issues.get_backend(), ImmediateBackend)


def schedule_prerender(issues) -> None:
    """Queue pre-rendering of these issues' public pages when the transaction commits (at
    once outside one). Unpublished issues are skipped by the task (they have no public
    pages).

    With a worker the task is queued at commit. Without one (the immediate backend) the
    task would run inside the request that published, and the editor would wait for every
    page to render (seconds on a loaded machine): in a request it runs after the response
    has been sent instead (``request_finished``, sent when the server closes the response),
    in the same process. Outside a request (a command such as import_issues) it runs at
    commit."""
    ids = sorted({issue.pk for issue in issues})
    if not ids:
        return

    def queue():
        if getattr(_after_response, "in_request", False) and _runs_in_this_process():
            _after_response.ids = sorted({*getattr(_after_response, "ids", []), *ids})
        else:
            prerender_issues.enqueue(ids)

    transaction.on_commit(queue)


def request_started_handler(**kwargs):
    _after_response.in_request = True
    _after_response.ids = []


def request_finished_handler(**kwargs):
    ids = getattr(_after_response, "ids", [])
    _after_response.in_request = False
    _after_response.ids = []
    if ids:
        prerender_issues.enqueue(ids)


def connect():
    """Called once when the app is ready (public/apps.py)."""
    request_started.connect(request_started_handler, dispatch_uid="prerender-request-started")
    request_finished.connect(request_finished_handler, dispatch_uid="prerender-request-finished")
