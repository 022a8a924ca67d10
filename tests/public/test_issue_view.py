"""The issue page reads like the printed front: masthead, pages, headlines, photo news."""

import datetime

from django.test import TestCase
from django.urls import reverse

from articles.models import Byline
from tests import factories
from tests.sample_site import build


class IssueViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = build()
        cls.issue = cls.site["issue"]

    def test_masthead_prints_name_sponsors_date_numbers_and_staff(self):
        response = self.client.get(self.issue.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="zh-CN">', html=False)
        self.assertContains(response, "今日罗塘")
        self.assertContains(response, "姜堰区融媒体中心")
        self.assertContains(response, "联合主办")
        self.assertContains(response, "2024年11月28日")
        self.assertContains(response, "星期四")
        self.assertContains(response, "第11期 总第118期")
        self.assertContains(response, "责任编辑")
        self.assertContains(response, "组版")
        self.assertContains(response, "徐冬梅")

    def test_pages_list_headlines_bylines_and_photo_news(self):
        response = self.client.get(self.issue.get_absolute_url())
        html = response.content.decode()
        html = html[html.index('class="issue-page"') :]
        self.assertLess(html.index("第1版"), html.index("缪杰明带队走访辖区企业"))
        self.assertLess(html.index("缪杰明带队走访辖区企业"), html.index("第2版"))
        self.assertContains(response, "要闻")
        self.assertContains(response, self.site["jump"].get_absolute_url())
        self.assertContains(response, "图片新闻")
        self.assertContains(response, "丁小勇")
        # Page 3 lists the article continued there from page 1.
        self.assertContains(response, "（上接1版）")

    def test_previous_issue_is_linked_and_the_unsigned_next_one_is_not(self):
        response = self.client.get(self.issue.get_absolute_url())
        self.assertContains(response, self.site["older"].get_absolute_url())
        self.assertNotContains(response, self.site["unsigned"].get_absolute_url())

    def test_home_and_publication_root_show_the_latest_published_issue(self):
        for url in (reverse("home"), reverse("issues:latest", kwargs={"pub": "jinriluotang"})):
            response = self.client.get(url)
            self.assertEqual(response.context["issue"], self.issue, url)
            self.assertContains(
                response,
                '<link rel="canonical" href="http://testserver/jinriluotang/issues/118/">',
            )

    def test_unpublished_issue_is_a_404_for_readers(self):
        response = self.client.get(self.site["unsigned"].get_absolute_url())
        self.assertEqual(response.status_code, 404)

    def test_staff_preview_an_unpublished_issue_with_a_banner(self):
        self.client.force_login(factories.user("yufeifei", person_name="郁菲菲 账号"))
        response = self.client.get(self.site["unsigned"].get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "预览：本期尚未签发")
        self.assertContains(response, "尚未签发的稿件")
        self.assertEqual(response["Cache-Control"], "private, no-store")

    def test_unknown_publication_or_number_is_a_404(self):
        self.assertEqual(self.client.get("/nosuchpaper/issues/118/").status_code, 404)
        self.assertEqual(self.client.get("/jinriluotang/issues/999/").status_code, 404)
        self.assertEqual(self.client.get("/nosuchpaper/").status_code, 404)


class SeveralPublicationsTests(TestCase):
    def test_home_lists_publications_with_their_latest_issue(self):
        first = factories.publication()
        second = factories.publication(name="罗塘周末", slug="luotangzhoumo")
        factories.issue(pub=first, number=118, number_in_year=11, published=True)
        factories.issue(pub=second, number=5, number_in_year=5, published=False)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "罗塘周末")
        self.assertContains(response, "/jinriluotang/issues/118/")
        self.assertContains(response, "还没有出版的期次")
        self.assertNotContains(response, "/luotangzhoumo/issues/5/")


class DatePermalinkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.issue = factories.issue(number=118, date=datetime.date(2024, 11, 28), published=True)
        factories.issue(number=119, date=datetime.date(2024, 12, 12), published=False)

    def test_date_redirects_to_that_days_issue(self):
        response = self.client.get("/jinriluotang/2024-11-28/")
        self.assertRedirects(response, "/jinriluotang/issues/118/", fetch_redirect_response=False)

    def test_date_of_an_unpublished_issue_or_no_issue_is_a_404(self):
        self.assertEqual(self.client.get("/jinriluotang/2024-12-12/").status_code, 404)
        self.assertEqual(self.client.get("/jinriluotang/2024-11-29/").status_code, 404)

    def test_impossible_date_is_a_404_not_an_error(self):
        self.assertEqual(self.client.get("/jinriluotang/2024-02-30/").status_code, 404)


class BylineRolesOnIssueTests(TestCase):
    def test_consecutive_names_of_one_role_share_the_role_word(self):
        issue = factories.issue(number=118, published=True)
        li, yang, yu = (factories.person(n) for n in ("李书翔", "杨旭", "郁菲菲"))
        factories.article(
            issue.pages.get(),
            bylines=[
                (yu, Byline.Role.REPORTER),
                (li, Byline.Role.CORRESPONDENT),
                (yang, Byline.Role.CORRESPONDENT),
            ],
        )
        html = self.client.get(issue.get_absolute_url()).content.decode()
        self.assertEqual(html.count('<span class="role">通讯员</span>'), 1)
        self.assertEqual(html.count('<span class="role">记者</span>'), 1)


class EmptySiteTests(TestCase):
    def test_home_of_a_site_without_papers_says_so(self):
        response = self.client.get(reverse("home"))
        self.assertContains(response, "还没有出版的期次")

    def test_paper_without_a_published_issue_says_so(self):
        factories.issue(number=5, published=False)
        response = self.client.get("/jinriluotang/")
        self.assertContains(response, "还没有出版的期次")
        self.assertNotContains(response, "总第5期")
