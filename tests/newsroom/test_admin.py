"""Every model has a working Chinese admin."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from tests import factories


class AdminPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.superuser = get_user_model().objects.create_superuser("chief", password="pw")
        editor = factories.person("郁菲菲")
        issue = factories.issue(published=True, responsible_editor=editor, layout=[editor])
        article = factories.article(issue.pages.get(), bylines=[(editor, "reporter")])
        factories.photo(article=article, photographer=editor)

    def setUp(self):
        self.client.force_login(self.superuser)

    def test_changelist_add_and_change_pages_load_for_every_model(self):
        for model, model_admin in admin.site._registry.items():
            opts = model._meta
            with self.subTest(model=opts.label):
                changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
                self.assertEqual(self.client.get(changelist).status_code, 200)
                if model_admin.has_add_permission(self._request()):
                    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
                    self.assertEqual(self.client.get(add).status_code, 200)
                obj = model._default_manager.first()
                if obj is not None:
                    change = reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]
                    )
                    self.assertEqual(self.client.get(change).status_code, 200)

    def _request(self):
        from django.test import RequestFactory

        request = RequestFactory().get("/admin/")
        request.user = self.superuser
        return request

    def test_newspaper_models_are_all_registered(self):
        labels = {model._meta.label for model in admin.site._registry}
        for label in [
            "issues.Publication",
            "issues.Issue",
            "issues.Page",
            "articles.Article",
            "articles.Byline",
            "articles.Photo",
            "articles.Correction",
            "people.Person",
        ]:
            self.assertIn(label, labels)

    def test_admin_index_is_in_chinese(self):
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "稿件")
        self.assertContains(response, "报纸")
        self.assertContains(response, '<html lang="zh-hans"', html=False)

    def test_sponsors_are_edited_one_a_line(self):
        pub = factories.publication()
        url = reverse("admin:issues_publication_change", args=[pub.pk])
        response = self.client.get(url)
        self.assertContains(response, "姜堰区罗塘街道党工委\n姜堰区融媒体中心")
        response = self.client.post(
            url,
            {
                "name": pub.name,
                "slug": pub.slug,
                "sponsors": "姜堰区罗塘街道党工委\r\n\r\n姜堰区融媒体中心\r\n姜堰日报社",
                "sponsor_role": "联合主办",
                "epaper_url": "",
                "submission_email": "",
            },
        )
        self.assertEqual(response.status_code, 302)
        pub.refresh_from_db()
        self.assertEqual(pub.sponsors, ["姜堰区罗塘街道党工委", "姜堰区融媒体中心", "姜堰日报社"])

    def test_a_new_issue_starts_from_the_publications_masthead(self):
        pub = factories.publication()
        pub.epaper_url, pub.submission_email = "https://epaper.example.cn/", "tougao@example.cn"
        pub.save()
        response = self.client.post(
            reverse("admin:issues_issue_add"),
            {
                "publication": pub.pk,
                "date": "2024-12-05",
                "number_in_year": 12,
                "number": 119,
                "extra": "{}",
                "pages-TOTAL_FORMS": 0,
                "pages-INITIAL_FORMS": 0,
                "layout_credits-TOTAL_FORMS": 0,
                "layout_credits-INITIAL_FORMS": 0,
            },
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        issue = pub.issues.get(number=119)
        self.assertEqual(
            [issue.sponsors, issue.sponsor_role, issue.epaper_url, issue.submission_email],
            [pub.sponsors, "联合主办", "https://epaper.example.cn/", "tougao@example.cn"],
        )


class AdminLoginTests(TestCase):
    def test_login_page_is_in_chinese(self):
        response = self.client.get(reverse("admin:login"))
        self.assertContains(response, "新闻采编系统")
        self.assertContains(response, "用户名")
        self.assertContains(response, "密码")
