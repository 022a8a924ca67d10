"""An article: headline, bylines with role labels, text with jumps, photos, corrections."""

from django.test import TestCase

from articles.models import Article, Correction
from tests import factories
from tests.sample_site import JUMP_TEXT, build


class ArticleViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = build()
        cls.jump = cls.site["jump"]

    def test_headline_title_dateline_and_bylines_linking_people(self):
        response = self.client.get(self.jump.get_absolute_url())
        self.assertContains(response, "<title>缪杰明带队走访辖区企业 - 今日罗塘 第11期</title>")
        self.assertContains(response, '<h1 class="headline">缪杰明带队走访辖区企业</h1>')
        self.assertContains(response, "本报讯")
        yang = self.site["yang"]
        yu = self.jump.bylines.get(role="reporter").person
        self.assertInHTML(
            '<p class="byline"><span class="visually-hidden">作者 </span>'
            '<span class="byline-group"><span class="role">记者</span> '
            f'<a href="{yu.get_absolute_url()}">郁菲菲</a>'
            '</span> <span class="byline-group"><span class="role">通讯员</span> '
            f'<a href="{yang.get_absolute_url()}">杨旭</a></span></p>',
            response.content.decode(),
        )

    def test_the_text_reads_whole_with_a_quiet_marker_after_the_cut_paragraph(self):
        response = self.client.get(self.jump.get_absolute_url())
        html = response.content.decode()
        page3 = self.site["pages"][3].get_absolute_url()
        # The paragraph cut by the jump reads on in one piece; the marker follows it.
        self.assertInHTML(f"<p>{JUMP_TEXT[2]}</p>", html)
        self.assertInHTML(
            f'<p class="jump-marker"><a href="{page3}#c{self.jump.pk}">本文转第3版</a></p>', html
        )
        self.assertLess(html.index("主动靠前服务。</p>"), html.index("本文转第3版"))
        self.assertLess(html.index("本文转第3版"), html.index(JUMP_TEXT[3]))
        self.assertNotIn("（下转3版）", html)
        self.assertNotIn("（上接1版）", html)
        # The link lands on the article's part on page 3.
        page = self.client.get(page3).content.decode()
        self.assertIn(f'id="c{self.jump.pk}"', page)

    def test_photo_with_caption_and_credit(self):
        response = self.client.get(self.jump.get_absolute_url())
        self.assertContains(response, "图为缪杰明与相关企业负责人交流。")
        self.assertRegex(response.content.decode(), r">丁小勇</a> 摄</span>")

    def test_photo_credit_prints_the_role_word_when_set(self):
        response = self.client.get(self.site["pages"][1].get_absolute_url())
        self.assertRegex(response.content.decode(), r"记者 <a href=\"/people/\d+/\">丁小勇</a> 摄")

    def test_breadcrumbs_and_previous_next_in_the_issue(self):
        response = self.client.get(self.jump.get_absolute_url())
        self.assertContains(response, self.site["issue"].get_absolute_url())
        self.assertContains(response, self.site["pages"][1].get_absolute_url())
        self.assertEqual(
            response.context["previous_article"].headline,
            "区政协调研罗塘街道“网格化治理”协商议事工作",
        )
        self.assertEqual(response.context["next_article"].pk, self.site["by_yang"].pk)

    def test_corrections_are_shown_dated_above_the_headline(self):
        response = self.client.get(self.site["by_yang"].get_absolute_url())
        html = response.content.decode()
        self.assertIn("更正", html)
        self.assertIn("2024年11月29日", html)
        self.assertLess(html.index("现已更正为11月15日"), html.index('<h1 class="headline">'))

    def test_open_graph_and_canonical(self):
        response = self.client.get(self.jump.get_absolute_url())
        url = f"http://testserver{self.jump.get_absolute_url()}"
        self.assertContains(response, f'<link rel="canonical" href="{url}">')
        self.assertContains(response, f'<meta property="og:url" content="{url}">')
        self.assertContains(response, '<meta property="og:type" content="article">')
        self.assertContains(response, '<meta property="og:site_name" content="今日罗塘">')
        self.assertContains(response, '<meta property="og:title" content="缪杰明带队走访辖区企业">')

    def test_article_of_another_publication_slug_is_a_404(self):
        factories.publication(name="罗塘周末", slug="luotangzhoumo")
        self.assertEqual(
            self.client.get(f"/luotangzhoumo/articles/{self.jump.pk}/").status_code, 404
        )

    def test_unpublished_or_withdrawn_article_is_a_404_for_readers(self):
        self.assertEqual(self.client.get(self.site["secret"].get_absolute_url()).status_code, 404)
        Article.objects.filter(pk=self.jump.pk).update(status=Article.Status.WITHDRAWN)
        self.assertEqual(self.client.get(self.jump.get_absolute_url()).status_code, 404)

    def test_withdrawn_neighbour_is_left_out_of_previous_next(self):
        Article.objects.filter(pk=self.site["by_yang"].pk).update(status=Article.Status.WITHDRAWN)
        response = self.client.get(self.jump.get_absolute_url())
        self.assertNotEqual(response.context["next_article"].pk, self.site["by_yang"].pk)
        self.assertNotContains(response, "人大工委")

    def test_staff_preview_a_placed_article(self):
        self.client.force_login(factories.user("lishuxiang"))
        response = self.client.get(self.site["secret"].get_absolute_url())
        self.assertContains(response, "预览：本期尚未签发")

    def test_correction_model_note_is_shown_verbatim(self):
        Correction.objects.create(article=self.jump, note="<b>更正</b>")
        response = self.client.get(self.jump.get_absolute_url())
        self.assertContains(response, "&lt;b&gt;更正&lt;/b&gt;")


class IssueNavigatorTests(TestCase):
    """The previous and next issue under an article: one number away when that issue is
    there and visible, else the nearest visible one (the view looks further only then)."""

    @classmethod
    def setUpTestData(cls):
        cls.issues = {
            number: factories.issue(number=number, published=number != 12)
            for number in (10, 11, 12, 14)
        }
        cls.articles = {
            number: factories.article(
                issue.pages.get(), status=None if number != 12 else Article.Status.PLACED
            )
            for number, issue in cls.issues.items()
        }

    def numbers(self, number):
        response = self.client.get(self.articles[number].get_absolute_url())
        self.assertEqual(response.status_code, 200)
        return tuple(
            None if each is None else each.number
            for each in (response.context["previous_issue"], response.context["next_issue"])
        )

    def test_neighbours_one_number_away(self):
        self.client.force_login(factories.user("lishuxiang"))
        self.assertEqual(self.numbers(11), (10, 12))

    def test_across_an_unpublished_issue_and_a_gap(self):
        # 12 is not published and 13 does not exist: a reader goes from 11 to 14 and back.
        self.assertEqual(self.numbers(11), (10, 14))
        self.assertEqual(self.numbers(14), (11, None))
        html = self.client.get(self.articles[11].get_absolute_url()).content.decode()
        self.assertIn('<a rel="next" href="/jinriluotang/issues/14/">', html)

    def test_the_first_and_the_latest_issue(self):
        self.assertEqual(self.numbers(10), (None, 11))
        self.client.force_login(factories.user("lishuxiang"))
        self.assertEqual(self.numbers(14), (12, None))
