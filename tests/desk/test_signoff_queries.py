"""The sign-off page reads a whole issue: its query count is pinned, and does not grow with
the number of pages, articles, bylines, photos or approvals (no query per article)."""

from django.test import TestCase
from django.urls import reverse

from articles.models import Article, Byline
from desk import layout_services, services
from desk.views.articles import snapshot_captions
from issues.models import Issue
from tests import factories

# Session, user and permissions (4); the issue and its paper (2); pages, their articles,
# bylines, photos and photo news (5); approvals, revisions at approval and caption snapshots
# (3); the blockers (2); the scheduled sign-off (1); the user's groups and the header's name
# (2). Before the approvals were read for all articles at once: 28 + 3 per article.
SIGNOFF_QUERIES = 19


class SignOffQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = factories.desk()
        cls.photographer = factories.person("丁小勇")
        cls.reporter = factories.person("杨旭")

    def build_issue(self, *, pages, per_page):
        """An issue as the desk makes it: every story filed, approved, edited after approval
        (text and a caption), placed; two bylines and two photos each; a story that jumps to
        the next page; photo news on page 1."""
        issue = factories.open_issue(pages=pages, status=Issue.Status.IN_LAYOUT)
        for page in issue.pages.order_by("number"):
            for order in range(1, per_page + 1):
                story = services.file_article(
                    article=Article(
                        headline=f"第{page.number}版稿件{order}",
                        body="日前，缪杰明带队走访辖区企业。\n现场了解企业生产经营情况。\n"
                        "要压实工作责任，推动项目快落地。",
                    ),
                    by=self.desk.correspondent,
                )
                Byline.objects.create(
                    article=story, person=self.desk.correspondent.person, role="correspondent"
                )
                Byline.objects.create(article=story, person=self.reporter, role="reporter", order=1)
                first = factories.photo(article=story, photographer=self.photographer)
                factories.photo(article=story, caption="图为活动现场。")
                snapshot_captions(story)
                services.submit(article=story, by=self.desk.correspondent)
                services.approve(article=story, by=self.desk.editor)
                story.refresh_from_db()
                story.body += "\n编辑在审核后补充的一段。"
                services.save_text(
                    article=story, by=self.desk.editor, expected_version=story.version
                )
                first.caption = "图为缪杰明（右二）与企业负责人交流。"
                first.save()
                story.refresh_from_db()
                snapshot_captions(story)
                services.place(article=story, page=page, order=order, by=self.desk.layout)
        first_story = Article.objects.get(page__issue=issue, page__number=1, order=1)
        layout_services.set_jump(
            article=first_story, to_page=issue.pages.get(number=2), by=self.desk.layout
        )
        factories.photo(page=issue.pages.get(number=1), photographer=self.photographer)
        Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.READY)
        return issue

    def signoff(self, issue):
        self.client.force_login(self.desk.chief)
        with self.assertNumQueries(SIGNOFF_QUERIES):
            response = self.client.get(reverse("admin:issues_issue_signoff", args=[issue.pk]))
        self.assertEqual(response.status_code, 200)
        return response

    def test_a_four_page_issue_of_twelve_stories_in_a_fixed_number_of_queries(self):
        issue = self.build_issue(pages=4, per_page=3)
        response = self.signoff(issue)
        # What the queries are for is on the page: every story with its edits since
        # approval, its bylines and photos, the jump and the photo news.
        self.assertContains(response, "第4版稿件3")
        self.assertContains(response, "<ins>编辑在审核后补充的一段。</ins>", html=False, count=12)
        self.assertContains(response, "图为缪杰明（右二）与企业负责人交流。")
        self.assertContains(response, "杨旭")
        self.assertContains(response, "丁小勇")

    def test_twice_the_pages_and_stories_cost_no_query_more(self):
        self.signoff(self.build_issue(pages=2, per_page=2))
        self.signoff(self.build_issue(pages=4, per_page=4))
