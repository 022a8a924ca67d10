"""The regions (热区) editor on a page's change form.

徐冬梅 (组版) opens 第1版 of an issue being laid out, sees the page image with the regions the
import found, and corrects them with numbers: moves one, adds a second rectangle to another
article, deletes a third. The reader's page shows the new regions, the issue's timeline says
who changed them, and a re-import of the bundle keeps them. Once the issue is ready for
sign-off nobody changes them; once it is published only 郁菲菲 (责任编辑) does, with a note.
"""

import re
import shutil
import tempfile
from pathlib import Path

from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Region
from desk.models import Transition
from issues.models import Issue, Page
from tests import factories
from tests.backissues.importing import run

BUNDLE = Path(__file__).resolve().parents[1] / "fixtures" / "epaper-118"
MEDIA = tempfile.mkdtemp(prefix="newsroom-test-media-regions-")


def rows_of(page):
    """The editor's form rows for the page's article regions as they are stored."""
    rows = []
    regions = Region.objects.filter(page=page, article__isnull=False).select_related("article")
    for region in sorted(regions, key=lambda r: (r.article.order, r.article_id)):
        for x0, y0, x1, y1 in region.boxes:
            rows.append(
                {
                    "article": region.article_id,
                    "x": f"{x0 * 100:.2f}",
                    "y": f"{y0 * 100:.2f}",
                    "w": f"{(x1 - x0) * 100:.2f}",
                    "h": f"{(y1 - y0) * 100:.2f}",
                }
            )
    return rows


def post_data(rows, note="", extra=0):
    data = {
        "rect-TOTAL_FORMS": str(len(rows) + extra),
        "rect-INITIAL_FORMS": str(len(rows)),
        "rect-MIN_NUM_FORMS": "0",
        "rect-MAX_NUM_FORMS": "1000",
        "note": note,
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"rect-{index}-{name}"] = value
    return data


@override_settings(MEDIA_ROOT=MEDIA)
class RegionsEditorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        result = run("import_issues", BUNDLE, no_prerender=True, unpublished=True)
        assert not result.failed, result.stderr
        cls.issue = Issue.objects.get(number=118)
        cls.issue.status = Issue.Status.IN_LAYOUT
        cls.issue.save()
        cls.page = Page.objects.get(issue=cls.issue, number=1)
        cls.articles = list(Article.objects.filter(page=cls.page).order_by("order"))
        cls.desk = factories.desk()

    def setUp(self):
        self.url = reverse("admin:issues_page_regions", args=[self.page.pk])
        self.change_url = reverse("admin:issues_page_change", args=[self.page.pk])

    def corrected_rows(self):
        """Move the first article's region, give the second a second rectangle, drop the third."""
        rows = rows_of(self.page)
        self.assertEqual(len(rows), 5)
        rows[0].update(x="5.00", y="10.00", w="90.00", h="12.00")
        rows.insert(2, {"article": self.articles[1].pk, "x": "1", "y": "90", "w": "20", "h": "5"})
        rows[3]["DELETE"] = "on"
        return rows

    def test_layout_sees_the_page_image_with_its_regions_and_the_form_of_numbers(self):
        self.client.force_login(self.desk.layout)
        html = self.client.get(self.change_url).content.decode()
        self.assertIn('id="regions"', html)
        self.assertIn(self.page.rendition_url(self.page.rendition_list()[0]), html)
        self.assertEqual(len(re.findall(r"<rect data-row=", html)), 5)
        self.assertEqual(html.count('class="rect-row"'), 5 + 2)  # two empty rows to add
        self.assertIn(f'action="{self.url}"', html)
        self.assertIn("admin/newsroom/regions.js", html)
        self.assertNotIn("<script>", html)  # CSP: no inline script
        for article in self.articles:
            self.assertIn(f'<option value="{article.pk}"', html)

    def test_layout_corrects_regions_with_numbers_and_the_reader_sees_them(self):
        self.client.force_login(self.desk.layout)
        response = self.client.post(self.url, post_data(self.corrected_rows(), extra=0))
        self.assertRedirects(response, self.change_url + "#regions", fetch_redirect_response=False)
        first = Region.objects.get(page=self.page, article=self.articles[0])
        self.assertEqual((first.source, first.boxes), ("manual", [[0.05, 0.1, 0.95, 0.22]]))
        self.assertEqual(first.text_hash, self.articles[0].text_hash())
        second = Region.objects.get(page=self.page, article=self.articles[1])
        self.assertEqual(len(second.boxes), 2)
        self.assertEqual(second.boxes[1], [0.01, 0.9, 0.21, 0.95])
        self.assertFalse(Region.objects.filter(page=self.page, article=self.articles[2]).exists())
        untouched = Region.objects.get(page=self.page, article=self.articles[3])
        self.assertEqual(untouched.source, "auto")  # unchanged: stays automatic
        step = Transition.objects.get(issue=self.issue, action="regions")
        self.assertEqual(step.by, self.desk.layout)
        self.assertIn("3", step.note)
        issue_page = self.client.get(reverse("admin:issues_issue_change", args=[self.issue.pk]))
        self.assertContains(issue_page, "热区")
        # The reader's page (staff preview) links the first article over its new box.
        html = self.client.get(self.page.get_absolute_url()).content.decode()
        self.assertIn('<rect x="500" y="1000" width="9000" height="1200"/>', html)
        self.assertEqual(html.count('<a class="region"'), 4)

    def test_an_empty_new_row_and_an_unchanged_form_change_nothing(self):
        self.client.force_login(self.desk.layout)
        before = list(Region.objects.order_by("pk").values())
        data = post_data(rows_of(self.page), extra=2)
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(list(Region.objects.order_by("pk").values()), before)
        self.assertFalse(Transition.objects.filter(action="regions").exists())

    def test_numbers_off_the_page_or_an_article_of_another_page_are_refused(self):
        self.client.force_login(self.desk.layout)
        before = list(Region.objects.order_by("pk").values())
        other = factories.article(headline="别的版面的文章")
        for bad in (
            {"x": "95", "w": "10"},
            {"w": "0"},
            {"y": "-1"},
            {"x": "abc"},
            {"article": str(other.pk)},
            {"article": ""},
        ):
            rows = rows_of(self.page)
            rows[0].update(bad)
            response = self.client.post(self.url, post_data(rows))
            self.assertEqual(response.status_code, 400, bad)
            self.assertContains(response, 'class="errorlist', status_code=400)
            self.assertEqual(list(Region.objects.order_by("pk").values()), before, bad)

    def test_who_may_change_regions_while_the_issue_is_laid_out(self):
        rows = rows_of(self.page)
        rows[0].update(x="6.00")
        for who, allowed in (
            ("correspondent", False),
            ("editor", False),
            ("nobody", False),
            ("layout", True),
            ("chief", True),
            ("superuser", True),
        ):
            with self.subTest(who):
                Region.objects.filter(page=self.page, article=self.articles[0]).update(
                    boxes=[[0.1, 0.1, 0.2, 0.2]], source="auto"
                )
                self.client.force_login(getattr(self.desk, who))
                response = self.client.post(self.url, post_data(rows))
                region = Region.objects.get(page=self.page, article=self.articles[0])
                if allowed:
                    self.assertEqual(response.status_code, 302)
                    self.assertEqual(region.source, "manual")
                else:
                    self.assertIn(response.status_code, (403, 302))
                    self.assertEqual(region.boxes, [[0.1, 0.1, 0.2, 0.2]])
        self.client.logout()
        response = self.client.post(self.url, post_data(rows))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("admin:login"), response["Location"])

    def test_a_viewer_sees_the_regions_but_no_form(self):
        self.client.force_login(self.desk.correspondent)  # no page permissions at all
        self.assertEqual(self.client.get(self.change_url).status_code, 403)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.client.force_login(self.desk.editor)  # may view pages
        response = self.client.get(self.change_url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<rect data-row=")
        self.assertNotContains(response, 'class="regions-form"')
        self.assertContains(response, "只有组版")

    def test_an_issue_ready_for_sign_off_keeps_its_regions(self):
        Issue.objects.filter(pk=self.issue.pk).update(status=Issue.Status.READY)
        rows = rows_of(self.page)
        rows[0].update(x="6.00")
        for who in ("layout", "chief"):
            self.client.force_login(getattr(self.desk, who))
            response = self.client.post(self.url, post_data(rows))
            self.assertEqual(response.status_code, 403)
            self.assertContains(response, "退回组版", status_code=403)
            region = Region.objects.get(page=self.page, article=self.articles[0])
            self.assertEqual(region.source, "auto")

    def test_a_published_issue_is_corrected_by_the_responsible_editor_with_a_note(self):
        Issue.objects.filter(pk=self.issue.pk).update(
            status=Issue.Status.PUBLISHED, published_at=timezone.now()
        )
        rows = rows_of(self.page)
        rows[0].update(x="6.00")
        self.client.force_login(self.desk.layout)
        self.assertEqual(
            self.client.post(self.url, post_data(rows, note="框错了")).status_code, 403
        )
        self.client.force_login(self.desk.chief)
        page = self.client.get(self.change_url)
        self.assertContains(page, 'name="note"')
        response = self.client.post(self.url, post_data(rows))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            Region.objects.get(page=self.page, article=self.articles[0]).source, "auto"
        )
        response = self.client.post(self.url, post_data(rows, note="第一篇的热区框偏了"))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            Region.objects.get(page=self.page, article=self.articles[0]).source, "manual"
        )
        step = Transition.objects.get(issue=self.issue, action="regions")
        self.assertIn("第一篇的热区框偏了", step.note)
        self.assertEqual(step.by, self.desk.chief)

    def test_regions_saved_at_the_desk_survive_a_reimport_of_the_bundle(self):
        self.client.force_login(self.desk.layout)
        self.client.post(self.url, post_data(self.corrected_rows()))
        manual = {
            region.article.headline: region.boxes
            for region in Region.objects.filter(page=self.page, source="manual").select_related(
                "article"
            )
        }
        self.assertEqual(len(manual), 2)
        with tempfile.TemporaryDirectory() as directory:
            bundle = Path(directory) / "118"
            shutil.copytree(BUNDLE, bundle)
            text = (bundle / "118.md").read_text("utf-8")
            # Another article's text changes, so the issue is replaced; the two corrected
            # articles keep their text and so their regions.
            third = self.articles[4].body.split("\n")[0][:12]
            (bundle / "118.md").write_text(text.replace(third, third + "又", 1), "utf-8")
            result = run("import_issues", bundle, no_prerender=True, replace=True, unpublished=True)
        self.assertIn("replaced 1", result.stdout, result.stderr)
        for headline, boxes in manual.items():
            region = Region.objects.get(page__issue__number=118, article__headline=headline)
            self.assertEqual((region.source, region.boxes), ("manual", boxes))
        # The deleted region came back from the PDF: the desk's deletion is not remembered.
        self.assertTrue(
            Region.objects.filter(
                page__issue__number=118, article__headline=self.articles[2].headline
            ).exists()
        )
