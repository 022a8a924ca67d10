"""After 郁菲菲 signs an issue off (or corrects it, or an issue is imported), every public page
that shows it is rendered into the page cache, so the first reader gets a cached page."""

from pathlib import Path
from unittest import mock

from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import TestCase, override_settings
from django_tasks import default_task_backend

from articles.models import Article
from desk import issue_services, services, workflow
from issues.models import Issue
from public import prerender
from public.caching import clear_local_copies
from public.prerender import prerender_issues, urls_for_issues
from tests import factories
from tests.sample_site import build

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SAMPLE = Path(__file__).resolve().parents[2] / "backissues/fixtures/jinri-luotang-118.md"


class PrerenderOnPublishTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = build()
        cls.desk = factories.desk()
        cls.issue = cls.site["unsigned"]
        cls.issue.status = Issue.Status.READY
        cls.issue.save()

    def publish(self):
        with self.captureOnCommitCallbacks(execute=True):
            issue_services.publish_issue(issue=self.issue, by=self.desk.chief)

    @override_settings(TASKS=IMMEDIATE)
    def test_after_publishing_every_page_of_the_issue_is_served_with_no_query(self):
        self.publish()
        urls = urls_for_issues([self.issue.pk])
        yang = self.site["yang"]
        for expected in [
            "/jinriluotang/issues/119/",
            "/jinriluotang/issues/119/pages/1/",
            self.site["secret"].get_absolute_url(),
            yang.get_absolute_url(),
            self.site["issue"].get_absolute_url(),  # 118: its "next issue" link changed
            "/",
            "/jinriluotang/",
            "/jinriluotang/issues/",
            "/jinriluotang/issues/?year=2024&month=12",
            "/jinriluotang/issues/?year=2024",
            "/jinriluotang/issues/numbers/",
            "/jinriluotang/feed/",
            "/sitemap.xml",
            "/sitemaps/jinriluotang/2024-12.xml",
            "/sitemaps/people.xml",
        ]:
            self.assertIn(expected, urls)
        # Only the issue's month's sitemap: the others did not change.
        self.assertNotIn("/sitemaps/jinriluotang/2024-11.xml", urls)
        # Not this process's own copies: what a reader reaching another web process gets.
        clear_local_copies()
        for url in urls:
            with self.subTest(url=url), self.assertNumQueries(0):
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
        self.assertContains(self.client.get("/"), "总第119期")
        self.assertContains(
            self.client.get(self.site["secret"].get_absolute_url()), "尚未签发的稿件"
        )

    def test_without_a_worker_publishing_queues_one_task_and_pages_render_on_demand(self):
        default_task_backend.results.clear()
        self.publish()
        queued = list(default_task_backend.results)
        self.assertEqual(len(queued), 1)
        self.assertEqual(queued[0].task, prerender_issues)
        self.assertEqual(queued[0].args, [[self.issue.pk]])
        # Nothing ran: the first reader renders the page, as before.
        response = self.client.get("/jinriluotang/issues/119/")
        self.assertContains(response, "尚未签发的稿件")

    def test_a_refused_publication_queues_nothing(self):
        default_task_backend.results.clear()
        factories.article(self.issue.pages.get(), status=Article.Status.SUBMITTED)
        with self.captureOnCommitCallbacks(execute=True), self.assertRaises(workflow.Blocked):
            issue_services.publish_issue(issue=self.issue, by=self.desk.chief)
        self.assertEqual(default_task_backend.results, [])

    @override_settings(TASKS=IMMEDIATE)
    def test_a_correction_is_on_the_cached_article_page_before_anyone_asks(self):
        article = self.site["jump"]
        url = article.get_absolute_url()
        self.client.get(url)
        with self.captureOnCommitCallbacks(execute=True):
            services.correct(
                article=article,
                by=self.desk.chief,
                text=article.body + "\n（本报记者补充）",
                note="补充了记者的说明。",
            )
        clear_local_copies()
        with self.assertNumQueries(0):
            response = self.client.get(url)
        self.assertContains(response, "补充了记者的说明。")

    @override_settings(TASKS=IMMEDIATE)
    def test_a_page_that_fails_does_not_stop_the_others(self):
        from public import prerender

        statuses = prerender.render_into_cache(["/jinriluotang/issues/118/", "/nowhere/at/all/"])
        self.assertEqual(statuses["http://testserver/jinriluotang/issues/118/"], 200)
        self.assertEqual(statuses["http://testserver/nowhere/at/all/"], 404)


class PrerenderOnImportTests(TestCase):
    def setUp(self):
        default_task_backend.results.clear()

    def test_one_import_run_queues_one_task_for_its_issues(self):
        with self.captureOnCommitCallbacks(execute=True):
            call_command("import_issues", str(SAMPLE), verbosity=0)
        issue = Issue.objects.get(number=118)
        self.assertEqual([result.args for result in default_task_backend.results], [[[issue.pk]]])
        # Importing the same file again changes nothing and renders nothing.
        default_task_backend.results.clear()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("import_issues", str(SAMPLE), verbosity=0)
        self.assertEqual(default_task_backend.results, [])

    def test_dry_runs_unpublished_imports_and_no_prerender_queue_nothing(self):
        with self.captureOnCommitCallbacks(execute=True):
            call_command("import_issues", str(SAMPLE), "--dry-run", verbosity=0)
            call_command("import_issues", str(SAMPLE), "--no-prerender", verbosity=0)
            call_command("import_issues", str(SAMPLE), "--unpublished", "--replace", verbosity=0)
        self.assertEqual(default_task_backend.results, [])

    @override_settings(TASKS=IMMEDIATE)
    def test_an_imported_issue_is_read_from_the_cache_with_no_query(self):
        with self.captureOnCommitCallbacks(execute=True):
            call_command("import_issues", str(SAMPLE), verbosity=0)
        clear_local_copies()
        issue = Issue.objects.select_related("publication").get(number=118)
        for url in [issue.get_absolute_url(), "/", "/sitemap.xml"]:
            with self.subTest(url=url), self.assertNumQueries(0):
                self.assertEqual(self.client.get(url).status_code, 200)


class PrerenderAfterTheResponseTests(TestCase):
    """Without a worker, the pages are rendered after the response that published has gone:
    郁菲菲 does not wait for them."""

    @classmethod
    def setUpTestData(cls):
        cls.site = build()
        cls.desk = factories.desk()
        cls.issue = cls.site["unsigned"]
        cls.issue.status = Issue.Status.READY
        cls.issue.save()

    def setUp(self):
        self.rendered = []
        original = prerender.render_into_cache

        def recording(paths):
            self.rendered.append(list(paths))
            return original(paths)

        patcher = mock.patch.object(prerender, "render_into_cache", recording)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.addCleanup(self.send, request_finished)  # never leave a request open

    def send(self, signal):
        """As the WSGI handler sends it; as Django's test client does, without closing the
        test's database connection."""
        signal.disconnect(close_old_connections)
        try:
            signal.send(sender=None)
        finally:
            signal.connect(close_old_connections)

    @override_settings(TASKS=IMMEDIATE)
    def test_in_a_request_the_pages_render_when_the_response_is_closed(self):
        # As the WSGI handler does: request_started, the view, then request_finished when
        # the server closes the response.
        self.send(request_started)
        with self.captureOnCommitCallbacks(execute=True):
            issue_services.publish_issue(issue=self.issue, by=self.desk.chief)
        self.assertEqual(self.rendered, [])
        self.send(request_finished)
        self.assertEqual(len(self.rendered), 1)
        self.assertIn("/jinriluotang/issues/119/", self.rendered[0])
        clear_local_copies()
        with self.assertNumQueries(0):
            self.assertContains(self.client.get("/jinriluotang/issues/119/"), "总第119期")

    @override_settings(TASKS=IMMEDIATE)
    def test_outside_a_request_they_render_at_commit(self):
        with self.captureOnCommitCallbacks(execute=True):
            issue_services.publish_issue(issue=self.issue, by=self.desk.chief)
        self.assertEqual(len(self.rendered), 1)

    def test_with_a_worker_the_task_is_queued_at_commit_even_in_a_request(self):
        default_task_backend.results.clear()
        self.send(request_started)
        with self.captureOnCommitCallbacks(execute=True):
            issue_services.publish_issue(issue=self.issue, by=self.desk.chief)
        self.assertEqual(
            [result.args for result in default_task_backend.results], [[[self.issue.pk]]]
        )
        self.send(request_finished)
        self.assertEqual(len(default_task_backend.results), 1)
        self.assertEqual(self.rendered, [])
