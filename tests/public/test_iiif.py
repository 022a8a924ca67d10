"""The issue as a IIIF Presentation 3 manifest: one canvas per printed page, its rendition as
the painting annotation, article regions as linking annotations, navDate, zh-Hans labels.

Checked twice: against the rules of the Presentation 3 specification that apply to what we
emit (https://iiif.io/api/presentation/3.0/, written out below), and against the models
iiif-prezi3 generates from the official Presentation 3 JSON schema (``iiif_3_0.json``),
vendored in tests/public/iiif_prezi3/ (the package pins Pillow <= 12, the project is on 13).
"""

import datetime
import json
import re
import tempfile

from django.test import TestCase, override_settings
from pydantic import ValidationError

from articles.models import Article, Region
from issues.models import Issue
from tests.backissues.importing import run
from tests.backissues.test_import_bundles import BUNDLE
from tests.public.iiif_prezi3 import Manifest

MEDIA = tempfile.mkdtemp(prefix="newsroom-test-media-13i-")
URL = "/jinriluotang/issues/118/manifest.json"
XYWH = re.compile(r"^(?P<canvas>.+)#xywh=(\d+),(\d+),(\d+),(\d+)$")


def assert_language_map(test, value):
    test.assertIsInstance(value, dict)
    for language, texts in value.items():
        test.assertIsInstance(language, str)
        test.assertTrue(texts and all(isinstance(text, str) and text for text in texts))


def assert_resource(test, resource, kind):
    test.assertEqual(resource["type"], kind)
    test.assertRegex(resource["id"], r"^https?://")


def validate_manifest(test, manifest):
    """The Presentation 3 rules for a manifest of canvases with image and link annotations."""
    test.assertEqual(manifest["@context"], "http://iiif.io/api/presentation/3/context.json")
    assert_resource(test, manifest, "Manifest")
    assert_language_map(test, manifest["label"])
    datetime.datetime.fromisoformat(manifest["navDate"])
    test.assertRegex(manifest["navDate"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z)$")
    ids = set()
    for canvas in manifest["items"]:
        assert_resource(test, canvas, "Canvas")
        test.assertNotIn(canvas["id"], ids)
        ids.add(canvas["id"])
        assert_language_map(test, canvas["label"])
        test.assertTrue(isinstance(canvas["width"], int) and canvas["width"] > 0)
        test.assertTrue(isinstance(canvas["height"], int) and canvas["height"] > 0)
        for page in canvas["items"]:
            assert_resource(test, page, "AnnotationPage")
            for annotation in page["items"]:
                assert_resource(test, annotation, "Annotation")
                test.assertEqual(annotation["motivation"], "painting")
                assert_resource(test, annotation["body"], "Image")
                test.assertEqual(annotation["target"], canvas["id"])
        for page in canvas.get("annotations", []):
            assert_resource(test, page, "AnnotationPage")
            for annotation in page["items"]:
                assert_resource(test, annotation, "Annotation")
                test.assertEqual(annotation["motivation"], "linking")
                assert_resource(test, annotation["body"], "Text")
                match = XYWH.match(annotation["target"])
                test.assertIsNotNone(match, annotation["target"])
                test.assertEqual(match["canvas"], canvas["id"])
                x, y, w, h = (int(n) for n in match.groups()[1:])
                test.assertLessEqual(x + w, canvas["width"])
                test.assertLessEqual(y + h, canvas["height"])


@override_settings(MEDIA_ROOT=MEDIA)
class IiifManifestTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        result = run("import_issues", BUNDLE, no_prerender=True)
        assert not result.failed, result.stderr

    def test_the_manifest_is_valid_presentation_3(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertIn("application/ld+json", response["Content-Type"])
        manifest = response.json()
        validate_manifest(self, manifest)
        self.assertEqual(manifest["label"], {"zh-Hans": ["今日罗塘 第11期 总第118期"]})
        self.assertEqual(manifest["navDate"], "2024-11-28T00:00:00+08:00")

    def test_the_manifest_validates_against_the_official_schema_models(self):
        text = self.client.get(URL).content.decode()
        manifest = Manifest.model_validate_json(text)
        self.assertEqual(len(manifest.items), 1)
        self.assertEqual(len(manifest.items[0].annotations[0].items), 5)

    def test_the_schema_models_refuse_what_the_specification_forbids(self):
        """The validation can fail: each of these breaks one rule of the schema."""
        good = self.client.get(URL).json()
        canvas = good["items"][0]
        broken = [
            {**good, "label": "今日罗塘"},  # a label is a language map
            {**good, "type": "Collection"},
            {**good, "navDate": "2024-11-28"},  # a date-time with its offset
            {**good, "items": [{**canvas, "type": "Page"}]},  # a page is a Canvas
            {**good, "items": [{k: v for k, v in canvas.items() if k != "id"}]},
        ]
        for index, manifest in enumerate(broken):
            with self.subTest(index=index), self.assertRaises(ValidationError):
                Manifest.model_validate_json(json.dumps(manifest))

    def test_one_canvas_per_page_painted_with_its_widest_rendition(self):
        manifest = self.client.get(URL).json()
        (canvas,) = manifest["items"]
        self.assertEqual((canvas["width"], canvas["height"]), (2400, 3396))
        self.assertEqual(canvas["label"]["zh-Hans"][0][:3], "第1版")
        body = canvas["items"][0]["items"][0]["body"]
        self.assertTrue(body["id"].endswith("-2400.webp"))
        self.assertEqual(body["format"], "image/webp")

    def test_every_article_region_links_to_its_article(self):
        manifest = self.client.get(URL).json()
        links = manifest["items"][0]["annotations"][0]["items"]
        articles = Article.objects.filter(page__number=1).order_by("order")
        self.assertEqual(
            [link["body"]["id"] for link in links],
            ["http://testserver" + article.get_absolute_url() for article in articles],
        )
        self.assertEqual(links[0]["label"], {"zh-Hans": [articles[0].headline]})
        x0, y0, x1, y1 = Region.objects.get(article=articles[0]).boxes[0]
        self.assertTrue(
            links[0]["target"].endswith(
                f"#xywh={round(x0 * 2400)},{round(y0 * 3396)},"
                + f"{round((x1 - x0) * 2400)},{round((y1 - y0) * 3396)}"
            )
        )

    def test_an_unpublished_issue_has_no_public_manifest(self):
        Issue.objects.update(status=Issue.Status.READY, published_at=None)
        self.assertEqual(self.client.get(URL).status_code, 404)
