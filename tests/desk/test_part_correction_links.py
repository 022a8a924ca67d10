"""The byline and photo correction pages are linked from a published article's desk page, for
the responsible editor who may use them, and for nobody else.

A published story by 丁小勇 with one photo: 郁菲菲 (责任编辑) finds “更正署名和图片” on its
page, each link opens a page that saves a correction; 陈静 (编辑), 徐冬梅 (组版) and 李书翔
(通讯员) see no such links, and the pages behind them save nothing for them.
"""

from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Byline, Correction, Photo
from tests import factories
from tests.desk.doors import DoorTestCase, form_values

SECTION = "更正署名和图片"


class PartCorrectionLinkTests(DoorTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        page = factories.open_issue(pages=1, status="published").pages.get()
        cls.article = factories.article(
            page,
            status=Article.Status.PUBLISHED,
            created_by=cls.desk.correspondent,
            published_at=timezone.now(),
            bylines=[(factories.person("丁小勇"), Byline.Role.REPORTER)],
        )
        cls.byline = cls.article.bylines.get()
        cls.photo = factories.photo(article=cls.article, caption="缪杰明与企业负责人交流。")
        cls.change_url = reverse("admin:articles_article_change", args=[cls.article.pk])
        cls.byline_url = reverse("admin:articles_byline_change", args=[cls.byline.pk])
        cls.photo_url = reverse("admin:articles_photo_change", args=[cls.photo.pk])
        cls.add_byline_url = reverse("admin:articles_byline_add") + f"?article={cls.article.pk}"

    def test_the_responsible_editor_finds_the_links_on_the_articles_page(self):
        self.as_("chief")
        page = self.client.get(self.change_url)
        self.assertContains(page, SECTION)
        self.assertContains(page, f'href="{self.byline_url}"')
        self.assertContains(page, f'href="{self.photo_url}"')
        self.assertContains(page, f'href="{self.add_byline_url}"')
        self.assertContains(page, "记者 丁小勇")

    def test_the_linked_pages_save_a_correction_for_the_responsible_editor(self):
        self.as_("chief")
        form = self.client.get(self.byline_url)
        self.assertContains(form, 'name="correction_note"')
        data = form_values(form)
        data.update(role=Byline.Role.CORRESPONDENT, correction_note="身份有误")
        response = self.post(self.byline_url, data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        self.byline.refresh_from_db()
        self.assertEqual(self.byline.role, Byline.Role.CORRESPONDENT)
        self.assertEqual(Correction.objects.get(article=self.article).note, "身份有误")
        # The add link opens the byline form for this article.
        self.assertContains(self.client.get(self.add_byline_url), 'name="correction_note"')

    def test_other_roles_see_no_links_and_the_pages_save_nothing(self):
        for role in ("editor", "layout", "correspondent"):
            with self.subTest(role=role):
                self.as_(role)
                page = self.client.get(self.change_url)
                self.assertEqual(page.status_code, 200)
                self.assertNotContains(page, SECTION)
                self.assertNotContains(page, f'href="{self.byline_url}"')
                self.assertNotContains(page, f'href="{self.photo_url}"')
                for url in (self.byline_url, self.photo_url):
                    form = self.client.get(url)
                    self.assertNotContains(form, 'name="correction_note"', status_code=200)
                    self.post(url, {"role": "correspondent", "caption": "改", "order": 3})
                self.byline.refresh_from_db()
                self.photo.refresh_from_db()
                self.assertEqual(self.byline.role, Byline.Role.REPORTER)
                self.assertEqual(Photo.objects.get().caption, "缪杰明与企业负责人交流。")
                self.assertFalse(Correction.objects.exists())
