"""The issue as a IIIF Presentation 3 manifest, for IIIF viewers and harvesters.

One canvas per page that has renditions (its size is the widest rendition's), the rendition
as the painting annotation (WebP, a level-0 static image: no image server), a thumbnail, and
each article region as a ``linking`` annotation from its rectangle (``#xywh=``) to the
article's page on this site. Labels are in ``zh-Hans``; ``navDate`` is the issue's date at
midnight in the site's time zone. Built as a plain dict: the structure is small and fixed.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from articles.models import Article, Region
from issues.models import Issue, Page

CONTEXT = "http://iiif.io/api/presentation/3/context.json"


def _label(text: str) -> dict:
    return {"zh-Hans": [text]}


def issue_manifest(request, pub, number):
    issue = get_object_or_404(
        Issue.objects.visible_to(request.user).select_related("publication"),
        publication__slug=pub,
        number=number,
    )
    pages = [
        page
        for page in Page.objects.filter(issue=issue).defer("words").order_by("number")
        if page.renditions.get("renditions")
    ]
    visible = Article.objects.visible_to(request.user).filter(page__issue=issue)
    regions = (
        Region.objects.filter(page__in=pages, article__in=visible)
        .select_related("article__page")
        .order_by("page__number", "article__page__number", "article__order", "pk")
    )
    by_page: dict[int, list[Region]] = {}
    for region in regions:
        region.article.page.issue = issue  # its URL without a query per article
        by_page.setdefault(region.page_id, []).append(region)
    absolute = request.build_absolute_uri
    base = absolute(
        reverse("issues:manifest", kwargs={"pub": issue.publication.slug, "number": issue.number})
    )
    root = base.removesuffix("manifest.json")
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    nav_date = datetime.datetime.combine(issue.date, datetime.time(0, 0), tzinfo=zone)
    canvases = []
    for page in pages:
        page.issue = issue
        canvases.append(_canvas(page, root, absolute, by_page.get(page.pk, [])))
    manifest = {
        "@context": CONTEXT,
        "id": base,
        "type": "Manifest",
        "label": _label(
            f"{issue.publication.name} 第{issue.number_in_year}期 总第{issue.number}期"
        ),
        "navDate": nav_date.isoformat(),
        "homepage": [
            {
                "id": absolute(issue.get_absolute_url()),
                "type": "Text",
                "label": _label(str(issue)),
                "format": "text/html",
                "language": ["zh-Hans"],
            }
        ],
        "items": canvases,
    }
    response = JsonResponse(manifest, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = (
        'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'
    )
    response["Access-Control-Allow-Origin"] = "*"  # IIIF viewers on other sites read it
    return response


def _canvas(page, root, absolute, regions) -> dict:
    renditions = page.rendition_list()
    widest = renditions[-1]
    canvas_id = f"{root}canvas/{page.number}"
    label = f"第{page.number}版" + (f" {page.name}" if page.name else "")
    thumb = page.renditions.get("thumbnail")
    canvas = {
        "id": canvas_id,
        "type": "Canvas",
        "label": _label(label),
        "width": widest["width"],
        "height": widest["height"],
        "items": [
            {
                "id": f"{canvas_id}/paint",
                "type": "AnnotationPage",
                "items": [
                    {
                        "id": f"{canvas_id}/paint/image",
                        "type": "Annotation",
                        "motivation": "painting",
                        "body": {
                            "id": absolute(page.rendition_url(widest)),
                            "type": "Image",
                            "format": "image/webp",
                            "width": widest["width"],
                            "height": widest["height"],
                        },
                        "target": canvas_id,
                    }
                ],
            }
        ],
        "homepage": [
            {
                "id": absolute(page.get_absolute_url()),
                "type": "Text",
                "label": _label(label),
                "format": "text/html",
            }
        ],
    }
    if thumb:
        canvas["thumbnail"] = [
            {
                "id": absolute(page.rendition_url(thumb)),
                "type": "Image",
                "format": "image/webp",
                "width": thumb["width"],
                "height": thumb["height"],
            }
        ]
    links = []
    for region in regions:
        article = region.article
        for index, (x0, y0, x1, y1) in enumerate(region.boxes, start=1):
            x, y = round(x0 * widest["width"]), round(y0 * widest["height"])
            w = max(1, round((x1 - x0) * widest["width"]))
            h = max(1, round((y1 - y0) * widest["height"]))
            links.append(
                {
                    "id": f"{canvas_id}/regions/{article.pk}-{index}",
                    "type": "Annotation",
                    "motivation": "linking",
                    "label": _label(article.headline),
                    "body": {
                        "id": absolute(article.get_absolute_url()),
                        "type": "Text",
                        "format": "text/html",
                        "language": "zh-Hans",
                    },
                    "target": f"{canvas_id}#xywh={x},{y},{w},{h}",
                }
            )
    if links:
        canvas["annotations"] = [
            {"id": f"{canvas_id}/regions", "type": "AnnotationPage", "items": links}
        ]
    return canvas
