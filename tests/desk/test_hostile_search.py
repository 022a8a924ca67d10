"""Hostile search terms in the admin (a NUL byte, control characters, LIKE wildcards, a very
long term) are searched or ignored, never a 500: PostgreSQL refuses a NUL in a query string
with DataError, so it must never reach the database."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from tests import factories

HOSTILE_TERMS = ["\x00", "罗塘\x00", "a\x00b", "\x1b[31m", "%", "_", "\\", "'\"", "x" * 5000]


class HostileAdminSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.superuser = get_user_model().objects.create_superuser("chief", password="pw")
        editor = factories.person("郁菲菲")
        issue = factories.issue(published=True, responsible_editor=editor, layout=[editor])
        cls.article = factories.article(
            issue.pages.get(), headline="罗塘街道开展消防演练", bylines=[(editor, "reporter")]
        )
        factories.photo(article=cls.article, photographer=editor)

    def setUp(self):
        self.client.force_login(self.superuser)

    def test_every_changelist_search_answers(self):
        for model, model_admin in admin.site._registry.items():
            if not model_admin.search_fields:
                continue
            opts = model._meta
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            for term in HOSTILE_TERMS:
                with self.subTest(model=opts.label, term=term[:10]):
                    self.assertEqual(self.client.get(url, {"q": term}).status_code, 200)

    def test_every_autocomplete_answers(self):
        for model, model_admin in admin.site._registry.items():
            opts = model._meta
            for field_name in model_admin.autocomplete_fields:
                for term in HOSTILE_TERMS:
                    with self.subTest(model=opts.label, field=field_name, term=term[:10]):
                        response = self.client.get(
                            reverse("admin:autocomplete"),
                            {
                                "term": term,
                                "app_label": opts.app_label,
                                "model_name": opts.model_name,
                                "field_name": field_name,
                            },
                        )
                        self.assertEqual(response.status_code, 200)

    def test_a_nul_inside_a_term_is_dropped_and_the_rest_still_searches(self):
        url = reverse("admin:articles_article_changelist")
        response = self.client.get(url, {"q": "消防\x00演练"})
        self.assertContains(response, "罗塘街道开展消防演练")

    def test_every_registered_admin_cleans_its_search_terms(self):
        from desk.admin.common import SearchTermMixin

        for model, model_admin in admin.site._registry.items():
            with self.subTest(model=model._meta.label):
                self.assertIsInstance(model_admin, SearchTermMixin)
