"""A person page: what they wrote, photographed, edited or laid out, newest first."""

from django.test import TestCase

from articles.models import Byline
from tests import factories
from tests.sample_site import build


class PersonViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = build()

    def test_lists_bylines_by_role_newest_first(self):
        li = self.site["first"].bylines.get().person
        response = self.client.get(li.get_absolute_url())
        html = response.content.decode()
        self.assertContains(response, '<h2 id="role-correspondent">通讯员</h2>', html=True)
        self.assertContains(
            response, '<h2 id="role-special_correspondent">特约记者</h2>', html=True
        )
        # Issue 118 (28 Nov) before issue 117 (14 Nov).
        self.assertLess(html.index("部署当前重点工作"), html.index("消防安全大检查"))

    def test_unpublished_work_is_absent_for_readers(self):
        response = self.client.get(self.site["yang"].get_absolute_url())
        self.assertContains(response, "缪杰明带队走访辖区企业")
        self.assertNotContains(response, "尚未签发的稿件")

    def test_editor_and_layout_and_photographer_sections(self):
        yu = self.site["issue"].responsible_editor
        response = self.client.get(yu.get_absolute_url())
        self.assertContains(response, "责任编辑")
        self.assertContains(response, "总第118期")
        self.assertNotContains(response, "总第119期")
        ding = self.site["jump"].photos.get().photographer
        response = self.client.get(ding.get_absolute_url())
        self.assertContains(response, '<h2 id="role-photos">摄影</h2>', html=True)
        self.assertContains(response, self.site["jump"].get_absolute_url())

    def test_person_with_only_unpublished_work_is_a_404_for_readers(self):
        hidden = factories.person("周末")
        factories.article(
            self.site["unsigned"].pages.get(),
            headline="另一篇未签发",
            status="placed",
            bylines=[(hidden, Byline.Role.REPORTER)],
        )
        self.assertEqual(self.client.get(hidden.get_absolute_url()).status_code, 404)
        self.client.force_login(factories.user("editor"))
        self.assertContains(self.client.get(hidden.get_absolute_url()), "另一篇未签发")
