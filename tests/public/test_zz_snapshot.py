"""Temporary: person, issue, page and article pages of the sample site, written to SNAP_DIR."""
import io
import os
from pathlib import Path

from django.test import TestCase
from PIL import Image

from articles.photos import attach_image
from tests import factories
from tests.sample_site import build


def jpeg():
    data = io.BytesIO()
    Image.new("RGB", (1200, 800), (200, 100, 50)).save(data, "JPEG")
    data.seek(0)
    data.name = "x.jpg"
    return data


class Snapshot(TestCase):
    def test_snapshot(self):
        site = build()
        desk = factories.desk()
        out = Path(os.environ["SNAP_DIR"])
        out.mkdir(parents=True, exist_ok=True)
        yang = site["yang"]
        p1 = factories.photo(article=site["jump"], photographer=yang, caption="一张很长的说明文字" * 8)
        attach_image(p1, jpeg())
        p2 = factories.photo(page=site["pages"][1] if isinstance(site["pages"], list) else site["issue"].pages.first(), photographer=yang, caption="图片新闻" * 12)
        attach_image(p2, jpeg())
        from people.models import Person
        urls = [p.get_absolute_url() for p in Person.objects.all()]
        urls += [f"{p.get_absolute_url()}{s}/" for p in Person.objects.all() for s in ("reporter", "photos", "layout", "responsible-editor")]
        from articles.models import Article
        from issues.models import Issue, Page
        urls += [i.get_absolute_url() for i in Issue.objects.all()]
        urls += [p.get_absolute_url() for p in Page.objects.all()]
        urls += [a.get_absolute_url() for a in Article.objects.all()]
        for who in ("anon", "staff"):
            if who == "staff":
                self.client.force_login(desk.chief)
            for n, url in enumerate(urls):
                r = self.client.get(url)
                (out / f"{who}-{n:03}-{r.status_code}.html").write_bytes(r.content)
