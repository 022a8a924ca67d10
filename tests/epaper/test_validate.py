"""Uploads: a page file must be a plain, readable PDF. Hostile or broken files are refused."""

import io

import pytest
from django.utils import translation
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from epaper.pdf import UnsafePdf, validate_pdf
from tests.epaper.paths import LAYOUTS, PAGE_118


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _blank() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(842, 1191)
    return writer


def _javascript_action() -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hi')"),
        }
    )


def _open_action_js() -> bytes:
    writer = _blank()
    writer._root_object[NameObject("/OpenAction")] = _javascript_action()
    return _written(writer)


def _document_js() -> bytes:
    writer = _blank()
    writer.add_open_action(JavaScript("this.print();"))
    return _written(writer)


def _page_additional_action() -> bytes:
    writer = _blank()
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): _javascript_action()})
    return _written(writer)


def _escaped_name_js() -> bytes:
    # /J#61vaScript is /JavaScript with an escaped letter, /J#53 is /JS: a byte scan would
    # find neither.
    data = _open_action_js().replace(b"/S /JavaScript", b"/S /J#61vaScript")
    escaped = data.replace(b"/JS (", b"/J#53 (")
    assert b"/JavaScript" not in escaped and b"/JS" not in escaped
    return escaped


def _embedded_file() -> bytes:
    writer = _blank()
    writer.add_attachment("invoice.exe", b"MZ\x90\x00")
    return _written(writer)


def _encrypted() -> bytes:
    writer = _blank()
    writer.encrypt("secret", algorithm="RC4-128")
    return _written(writer)


def _truncated() -> bytes:
    data = PAGE_118.read_bytes()
    return data[: len(data) // 2]


def _cut_before_eof() -> bytes:
    # An upload that stopped a few bytes short: readers repair it silently, we do not.
    data = PAGE_118.read_bytes()
    assert data.endswith(b"%%EOF\n")
    return data[:-6]


HOSTILE = {
    "open_action_js": (_open_action_js, "javascript"),
    "document_js": (_document_js, "javascript"),
    "page_additional_action": (_page_additional_action, "javascript"),
    "escaped_name_js": (_escaped_name_js, "javascript"),
    "embedded_file": (_embedded_file, "embedded_file"),
    "encrypted": (_encrypted, "encrypted"),
    "garbage": (lambda: bytes(range(256)) * 40, "not_pdf"),
    "truncated": (_truncated, "damaged"),
    "cut_before_eof": (_cut_before_eof, "damaged"),
    "header_only": (lambda: b"%PDF-1.7\n%%EOF\n", "damaged"),
}


def test_a_file_cut_short_is_refused_for_its_missing_end():
    with pytest.raises(UnsafePdf) as refused:
        validate_pdf(_cut_before_eof())
    assert "%%EOF" in str(refused.value)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_pdfs_are_refused_with_a_reason(name):
    make, code = HOSTILE[name]
    with pytest.raises(UnsafePdf) as refused:
        validate_pdf(make())
    assert refused.value.code == code


def test_printed_pages_are_accepted():
    summary = validate_pdf(PAGE_118.read_bytes())
    assert summary.page_count == 1
    assert [round(v) for v in summary.page_sizes[0]] == [842, 1191]
    assert validate_pdf(_written(_blank())).page_count == 1
    assert validate_pdf((LAYOUTS / "jump" / "pages" / "2.pdf").read_bytes()).page_count == 1


def test_too_many_pages_are_refused():
    writer = _blank()
    writer.add_blank_page(842, 1191)
    with pytest.raises(UnsafePdf) as refused:
        validate_pdf(_written(writer), max_pages=1)
    assert refused.value.code == "too_many_pages"


def test_the_message_is_english_text_and_a_lazy_translation():
    error = UnsafePdf("javascript", "/JS entry")
    assert str(error) == (
        "This PDF contains JavaScript or automatic actions, which are not allowed. (/JS entry)"
    )
    with translation.override("en"):
        assert str(error.message).startswith("This PDF contains JavaScript")
