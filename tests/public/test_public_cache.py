"""Anonymous pages come from the cache until something they show changes; conditional
requests get 304s; staff are never served or stored."""

import time
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Correction
from issues.models import Issue
from public.caching import invalidate_public_pages
from tests import factories
from tests.sample_site import build


class PublicCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = build()
        cls.jump = cls.site["jump"]
        cls.url = cls.jump.get_absolute_url()

    def test_second_request_is_served_from_the_cache_without_queries(self):
        first = self.client.get(self.url)
        with self.assertNumQueries(0):
            second = self.client.get(self.url)
        self.assertEqual(first.content, second.content)
        self.assertEqual(second["Cache-Control"], "public, max-age=0, must-revalidate")

    def test_edit_of_a_published_article_shows_at_once(self):
        self.client.get(self.url)
        self.jump.headline = "缪杰明带队走访辖区重点企业"
        self.jump.save()
        self.assertContains(self.client.get(self.url), "缪杰明带队走访辖区重点企业")

    def test_correction_shows_at_once(self):
        self.client.get(self.url)
        Correction.objects.create(article=self.jump, note="图片说明中的日期有误。")
        self.assertContains(self.client.get(self.url), "图片说明中的日期有误。")

    def test_byline_person_rename_shows_on_issue_and_article(self):
        issue_url = self.site["issue"].get_absolute_url()
        self.client.get(issue_url)
        self.client.get(self.url)
        yang = self.site["yang"]
        yang.name = "杨旭东"
        yang.save()
        self.assertContains(self.client.get(issue_url), "杨旭东")
        self.assertContains(self.client.get(self.url), "杨旭东")

    def test_publishing_an_issue_updates_the_home_page_and_archive(self):
        self.assertNotContains(self.client.get("/"), "总第119期")
        self.client.get("/jinriluotang/issues/")
        unsigned = self.site["unsigned"]
        unsigned.status = Issue.Status.PUBLISHED
        unsigned.published_at = timezone.now()
        unsigned.save()
        self.assertContains(self.client.get("/"), "第12期 总第119期")
        self.assertContains(self.client.get("/jinriluotang/issues/"), "总第119期")

    def test_layout_staff_added_through_the_relation_shows(self):
        issue = self.site["issue"]
        url = issue.get_absolute_url()
        zhou = factories.person("周组版")
        self.client.get(url)
        issue.layout_staff.add(zhou)
        self.assertContains(self.client.get(url), "周组版")

    def test_deleting_an_article_takes_it_off_the_cached_issue_page(self):
        url = self.site["issue"].get_absolute_url()
        self.assertContains(self.client.get(url), "初冬的罗塘河")
        Article.objects.get(headline="初冬的罗塘河").delete()
        self.assertNotContains(self.client.get(url), "初冬的罗塘河")

    def test_saving_an_article_with_its_relations_loaded_costs_no_lookup_query(self):
        article = Article.objects.select_related("page__issue__publication").get(pk=self.jump.pk)
        article.subheadline = "副题"
        # The publication for the cache comes from the loaded rows: no lookup of them.
        with CaptureQueriesContext(connection) as queries:
            article.save()
        lookups = [
            q["sql"]
            for q in queries.captured_queries
            # The search index re-reads the article (FROM articles_article JOIN issues_…);
            # what must not happen is a lookup of the page, issue or publication rows.
            if q["sql"].startswith("SELECT") and 'FROM "issues_' in q["sql"]
        ]
        self.assertEqual(lookups, [])

    def test_bulk_writes_need_invalidate_public_pages(self):
        self.client.get(self.url)
        Article.objects.filter(pk=self.jump.pk).update(headline="批量更新的标题")
        # update() sends no signal: the cached copy stands until the writer invalidates.
        self.assertNotContains(self.client.get(self.url), "批量更新的标题")
        invalidate_public_pages(self.site["publication"])
        self.assertContains(self.client.get(self.url), "批量更新的标题")

    def test_invalidating_one_publication_keeps_anothers_pages(self):
        other_pub = factories.publication(name="罗塘周末", slug="luotangzhoumo")
        other = factories.issue(pub=other_pub, number=5, published=True)
        other_url = other.get_absolute_url()
        self.client.get(other_url)
        invalidate_public_pages(self.site["publication"])
        with self.assertNumQueries(0):
            self.client.get(other_url)

    def test_etag_and_last_modified_answer_conditional_requests_with_304(self):
        response = self.client.get(self.url)
        etag, modified = response["ETag"], response["Last-Modified"]
        self.assertTrue(etag.startswith('"'))
        with self.assertNumQueries(0):
            again = self.client.get(self.url, headers={"if-none-match": etag})
        self.assertEqual(again.status_code, 304)
        self.assertEqual(again.content, b"")
        since = self.client.get(self.url, headers={"if-modified-since": modified})
        self.assertEqual(since.status_code, 304)

    def test_changed_page_answers_an_old_etag_with_200(self):
        etag = self.client.get(self.url)["ETag"]
        self.jump.subheadline = "走访普络斯等企业"
        self.jump.save()
        response = self.client.get(self.url, headers={"if-none-match": etag})
        self.assertEqual(response.status_code, 200)
        self.assertNotEqual(response["ETag"], etag)

    def test_old_if_modified_since_gets_the_page(self):
        response = self.client.get(
            self.url, headers={"if-modified-since": "Mon, 01 Jan 2024 00:00:00 GMT"}
        )
        self.assertEqual(response.status_code, 200)

    def test_staff_are_neither_served_nor_stored(self):
        self.client.force_login(factories.user("yufeifei"))
        staff_page = self.client.get(self.site["unsigned"].get_absolute_url())
        self.assertContains(staff_page, "预览：本期尚未签发")
        self.assertNotIn("ETag", staff_page)
        self.client.logout()
        self.assertEqual(self.client.get(self.site["unsigned"].get_absolute_url()).status_code, 404)

    def test_person_page_follows_a_new_byline(self):
        li = self.site["first"].bylines.get().person
        self.client.get(li.get_absolute_url())
        issue = self.site["issue"]
        factories.article(
            issue.pages.get(number=2),
            headline="李书翔的新稿",
            bylines=[(li, "correspondent")],
            order=9,
        )
        self.assertContains(self.client.get(li.get_absolute_url()), "李书翔的新稿")

    def test_feed_follows_a_newly_published_article(self):
        self.client.get("/jinriluotang/feed/")
        factories.article(self.site["pages"][4], headline="新发布的副刊文章", order=5)
        self.assertContains(self.client.get("/jinriluotang/feed/"), "新发布的副刊文章")

    def test_a_refusal_is_never_cached_so_a_bulk_published_issue_shows_at_once(self):
        # 404s and redirects are not stored: an issue published by a bulk write (no signal,
        # so no invalidation) is found at once, where a stored 404 would hide it.
        unsigned = self.site["unsigned"]
        permalink = f"/jinriluotang/{unsigned.date:%Y-%m-%d}/"
        self.assertEqual(self.client.get(permalink).status_code, 404)
        self.assertEqual(self.client.get(unsigned.get_absolute_url()).status_code, 404)
        Issue.objects.filter(pk=unsigned.pk).update(
            status=Issue.Status.PUBLISHED, published_at=timezone.now()
        )
        response = self.client.get(permalink)
        self.assertRedirects(response, unsigned.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(self.client.get(unsigned.get_absolute_url()).status_code, 200)


class LocalCopyTests(TestCase):
    """Each web process keeps the pages it served for PUBLIC_PAGE_LOCAL_SECONDS; a change
    made in another process (a new generation in the shared cache) shows after that."""

    @classmethod
    def setUpTestData(cls):
        cls.site = build()
        cls.jump = cls.site["jump"]
        cls.url = cls.jump.get_absolute_url()

    def _change_in_another_process(self):
        # What invalidate_public_pages() does elsewhere: new generations in the shared
        # cache, and nothing said to this process.
        Article.objects.filter(pk=self.jump.pk).update(headline="缪杰明带队走访辖区重点企业")
        pub = f"pub:{self.site['publication'].slug}"
        cache.set_many(
            {f"public-page:gen:{name}": time.time_ns() for name in ("site", pub)}, timeout=None
        )

    def test_a_page_read_again_at_once_asks_neither_database_nor_shared_cache(self):
        self.client.get(self.url)
        with self.assertNumQueries(0), mock.patch.object(cache, "get_many") as get_many:
            self.client.get(self.url)
        get_many.assert_not_called()

    def test_another_processs_change_shows_once_the_copy_is_too_old(self):
        self.assertNotContains(self.client.get(self.url), "缪杰明带队走访辖区重点企业")
        self._change_in_another_process()
        with override_settings(PUBLIC_PAGE_LOCAL_SECONDS=60):
            self.assertNotContains(self.client.get(self.url), "缪杰明带队走访辖区重点企业")
        with override_settings(PUBLIC_PAGE_LOCAL_SECONDS=0):
            self.assertContains(self.client.get(self.url), "缪杰明带队走访辖区重点企业")

    def test_copies_are_bounded_in_bytes(self):
        other_url = self.site["jump"].page.get_absolute_url()
        with override_settings(PUBLIC_PAGE_LOCAL_BYTES=1):
            self.client.get(self.url)
            self.client.get(other_url)
            # Only the newest page is kept (even alone it is over the bound): the first
            # page needs the shared cache again.
            with mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many:
                self.client.get(self.url)
            get_many.assert_called_once()
