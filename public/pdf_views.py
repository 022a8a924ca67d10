"""The printed pages as PDFs: one page (the file imported with the issue) and the whole issue,
merged once with pypdf and kept in storage under a name made of its pages' hashes, so it is
built again only when a page changes.

Both are served with long-lived cache headers (a changed page changes the ETag, which is the
content's hash) and a Chinese file name (RFC 5987): 今日罗塘-总第118期-第1版.pdf.
"""

from __future__ import annotations

import hashlib
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from PIL import Image
from pypdf import PdfReader, PdfWriter

from issues.models import Issue, Page

# Thirty days: the URL names an issue's page, which changes only by a re-import.
PDF_MAX_AGE = 30 * 24 * 60 * 60


def page_pdf(request, pub, number, page):
    page_obj = get_object_or_404(
        Page.objects.visible_to(request.user).defer("words").select_related("issue__publication"),
        issue__publication__slug=pub,
        issue__number=number,
        number=page,
    )
    if not page_obj.scan or not page_obj.scan_is_pdf:
        raise Http404("no PDF of this page")
    issue = page_obj.issue
    etag = f'"{page_obj.scan_sha256 or hashlib.sha256(page_obj.scan.name.encode()).hexdigest()}"'
    name = f"{issue.publication.name}-总第{issue.number}期-第{page_obj.number}版.pdf"
    return _serve(request, page_obj.scan.name, name, etag, issue)


def issue_pdf(request, pub, number):
    issue = get_object_or_404(
        Issue.objects.visible_to(request.user).select_related("publication"),
        publication__slug=pub,
        number=number,
    )
    pages = [
        page
        for page in Page.objects.filter(issue=issue).defer("words").order_by("number")
        if page.scan
    ]
    if not pages:
        raise Http404("no printed pages in this issue")
    key = hashlib.sha256(
        "\n".join(f"{page.number}:{page.scan.name}" for page in pages).encode()
    ).hexdigest()
    stored = f"issues/{key[:2]}/{key}.pdf"
    if not default_storage.exists(stored):
        default_storage.save(stored, ContentFile(merge_pages(pages)))
    name = f"{issue.publication.name}-总第{issue.number}期.pdf"
    return _serve(request, stored, name, f'"{key}"', issue)


def merge_pages(pages) -> bytes:
    """The pages in order as one PDF; an image scan becomes a page of its own."""
    writer = PdfWriter()
    for page in pages:
        with default_storage.open(page.scan.name) as handle:
            data = handle.read()
        if not page.scan_is_pdf:
            buffer = io.BytesIO()
            with Image.open(io.BytesIO(data)) as image:
                image.convert("RGB").save(buffer, "PDF", resolution=150)
            data = buffer.getvalue()
        writer.append(PdfReader(io.BytesIO(data)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _serve(request, stored_name, filename, etag, issue):
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = FileResponse(
            default_storage.open(stored_name),
            content_type="application/pdf",
            filename=filename,
            as_attachment=False,
        )
    response["ETag"] = etag
    if issue.is_published:
        response["Cache-Control"] = f"public, max-age={PDF_MAX_AGE}"
    else:  # a staff preview: never in a shared cache
        response["Cache-Control"] = "private, no-store"
    return response
