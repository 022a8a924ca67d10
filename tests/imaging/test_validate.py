"""verify_image and verify_scan: what is accepted, and each refusal with its own error."""

import copy
import io
import pickle

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, features

from imaging import validate
from imaging.validate import (
    ActivePdf,
    AnimatedImage,
    DamagedImage,
    DamagedPdf,
    EmptyFile,
    EncryptedPdf,
    FileTooLarge,
    ImageInfo,
    MarkupNotImage,
    NotAnImage,
    NotAScan,
    PdfInfo,
    PdfWithAttachments,
    PdfWithLaunch,
    TooManyPixels,
    UnsupportedFormat,
    verify_image,
    verify_scan,
)
from tests.imaging import samples


def check(data: bytes, **limits) -> ImageInfo:
    return verify_image(io.BytesIO(data), **limits)


# --- accepted images ---------------------------------------------------------------------------


def test_a_phone_jpeg_is_accepted_with_its_displayed_size():
    data = samples.jpeg((400, 300), orientation=6)
    assert Image.open(io.BytesIO(data)).size == (300, 400)  # stored on its side
    info = check(data)
    assert info == ImageInfo("JPEG", "image/jpeg", 400, 300, len(data))


def test_an_unreadable_exif_block_does_not_refuse_the_photo(monkeypatch):
    def broken(self):
        raise SyntaxError("not a TIFF IFD")

    data = samples.jpeg((400, 300), orientation=6)
    monkeypatch.setattr(Image.Image, "getexif", broken)
    assert check(data) == ImageInfo("JPEG", "image/jpeg", 300, 400, len(data))


def test_the_file_is_left_at_its_start_for_saving():
    upload = SimpleUploadedFile("photo.jpg", samples.jpeg(), content_type="image/jpeg")
    upload.read(10)
    verify_image(upload)
    assert upload.tell() == 0


@pytest.mark.parametrize(("fmt", "media_type"), [("PNG", "image/png"), ("WEBP", "image/webp")])
def test_png_and_webp_are_accepted(fmt, media_type):
    data = samples.encode(samples.scene((64, 48)), fmt)
    assert check(data) == ImageInfo(fmt, media_type, 64, 48, len(data))


@pytest.mark.skipif(not features.check("avif"), reason="this Pillow does not read AVIF")
def test_avif_is_accepted_when_pillow_reads_it():
    data = samples.encode(samples.scene((64, 48)), "AVIF")
    assert check(data).media_type == "image/avif"


def test_heic_is_accepted_through_pillow_heif():
    pytest.importorskip("pillow_heif")
    data = samples.encode(samples.scene((64, 48)), "HEIF")
    assert check(data) == ImageInfo("HEIF", "image/heic", 64, 48, len(data))


def test_a_jpeg_with_an_appended_picture_is_a_still_jpeg_not_an_animation():
    """iPhones append a gain map, cameras a preview: Pillow calls that MPO, with 2 frames."""
    first, second = samples.scene((64, 48)), samples.scene((32, 24))
    data = samples.encode(first, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(data)).n_frames == 2
    assert check(data) == ImageInfo("JPEG", "image/jpeg", 64, 48, len(data))


# --- refused images ----------------------------------------------------------------------------


def test_a_truncated_jpeg_is_refused_by_decoding_it_whole():
    data = samples.jpeg((400, 300))
    cut = data[: len(data) * 2 // 3]
    Image.open(io.BytesIO(cut))  # the header alone reads fine
    with pytest.raises(DamagedImage):
        check(cut)


def test_a_png_with_a_corrupt_stream_is_refused():
    data = bytearray(samples.encode(samples.scene((64, 48)), "PNG"))
    start = data.index(b"IDAT") + 8
    data[start : start + 20] = b"\xff" * 20
    with pytest.raises(DamagedImage):
        check(bytes(data))


def test_a_text_file_named_jpg_is_not_an_image():
    upload = SimpleUploadedFile("photo.jpg", "这不是图片\n".encode(), content_type="image/jpeg")
    with pytest.raises(NotAnImage) as refused:
        verify_image(upload)
    assert type(refused.value) is NotAnImage


@pytest.mark.parametrize(
    "markup",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'\xef\xbb\xbf  \n<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        b"<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>",
    ],
    ids=["svg", "svg-with-bom", "html"],
)
def test_svg_and_html_named_jpg_are_refused_as_markup(markup):
    with pytest.raises(MarkupNotImage):
        check(markup)


@pytest.mark.parametrize("fmt", ["GIF", "PNG", "WEBP"])
def test_animations_are_refused(fmt):
    with pytest.raises(AnimatedImage) as refused:
        check(samples.animated(fmt, frames=3))
    assert refused.value.params["frames"] == 3


def test_a_still_gif_is_an_unsupported_format():
    with pytest.raises(UnsupportedFormat) as refused:
        check(samples.encode(samples.scene((40, 30)), "GIF"))
    assert refused.value.params["format"] == "GIF"


def test_formats_outside_the_list_are_never_decoded():
    """BMP, TIFF and friends are not opened at all: fewer decoders face uploads."""
    with pytest.raises(NotAnImage):
        check(samples.encode(samples.scene((40, 30)), "BMP"))


def test_a_decompression_bomb_is_refused_from_its_header():
    """20000×20000 declared with a few bytes of data: refused before decoding (decoding would
    fail as damaged instead), whatever Pillow's own limit says."""
    with pytest.raises(TooManyPixels):
        check(samples.png_bomb(20_000, 20_000))


def test_the_pixel_limit_does_not_depend_on_pillows_global(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    with pytest.raises(TooManyPixels) as refused:
        check(samples.png_bomb(8_000, 8_000))  # 64 MP, over the default 60 MP
    assert refused.value.params == {
        "width": 8000,
        "height": 8000,
        "megapixels": "64",
        "limit": "60",
    }


def test_the_pixel_limit_is_configurable():
    data = samples.encode(samples.scene((400, 300)), "PNG")
    assert check(data, max_pixels=120_000).width == 400
    with pytest.raises(TooManyPixels):
        check(data, max_pixels=119_999)


def test_files_over_the_byte_limit_are_refused_before_reading():
    data = samples.jpeg()
    assert check(data, max_bytes=len(data)).byte_size == len(data)
    with pytest.raises(FileTooLarge):
        check(data, max_bytes=len(data) - 1)


def test_an_empty_file_is_refused():
    with pytest.raises(EmptyFile):
        check(b"")


def test_the_default_limits():
    assert validate.DEFAULT_MAX_BYTES == 25 * 1024 * 1024
    assert validate.DEFAULT_MAX_PIXELS == 60_000_000


# --- messages ----------------------------------------------------------------------------------


def test_refusals_are_validation_errors_with_a_readable_message():
    with pytest.raises(ValidationError) as refused:
        check(samples.jpeg(), max_bytes=1000)
    error = refused.value
    assert error.code == "too_large"
    with translation.override("en"):
        assert (
            str(error)
            == f"The file is {error.params['size']}, more than the limit of 1000\xa0bytes."
        )
        assert error.messages == [str(error)]


@pytest.mark.parametrize(
    "error",
    [FileTooLarge(30_000_000, 25 * 1024 * 1024), AnimatedImage(3), NotAnImage(), ActivePdf("/JS")],
    ids=lambda error: type(error).__name__,
)
def test_refusals_survive_copying_and_pickling(error):
    for copied in (copy.copy(error), copy.deepcopy(error), pickle.loads(pickle.dumps(error))):
        assert type(copied) is type(error)
        assert (copied.code, copied.params, str(copied)) == (error.code, error.params, str(error))
        assert copied.__dict__.get("detail") == error.__dict__.get("detail")


def test_a_form_shows_the_refusal_and_can_copy_its_errors():
    class UploadForm(forms.Form):
        image = forms.FileField()

        def clean_image(self):
            return verify_image(self.cleaned_data["image"], max_bytes=100)

    upload = SimpleUploadedFile("photo.jpg", samples.jpeg())
    form = UploadForm(files={"image": upload})
    assert not form.is_valid()
    errors = copy.deepcopy(form.errors)
    assert errors.get_json_data()["image"][0]["code"] == "too_large"
    assert str(form.errors["image"][0]) == str(FileTooLarge(len(upload), 100))


def test_the_format_list_in_messages_names_what_this_build_reads(monkeypatch):
    """The list is written when the message is read, in the reader's language (the zh_Hans
    catalogue will translate the separator to "、"; stood in for here)."""

    def separator(context, text):
        return "、" if translation.get_language().startswith("zh") else text

    monkeypatch.setattr("imaging.formats.pgettext", separator)
    with translation.override("zh-hans"):
        error = NotAnImage()
        assert "JPEG、PNG、WebP" in str(error)
    with translation.override("en"):
        message = str(error)
    assert "JPEG, PNG, WebP" in message
    assert ("AVIF" in message) == features.check("avif")


# --- page scans --------------------------------------------------------------------------------


def pdf(build=None, pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if build:
        build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def scan(data: bytes, **limits):
    return verify_scan(io.BytesIO(data), **limits)


def test_a_plain_pdf_is_accepted():
    data = pdf(pages=2)
    assert scan(data) == PdfInfo(page_count=2, byte_size=len(data))


def test_a_pdf_opening_at_a_destination_is_accepted():
    from pypdf.generic import ArrayObject, NameObject

    def open_at_page_one(writer):
        page = writer.pages[0].indirect_reference
        writer._root_object[NameObject("/OpenAction")] = ArrayObject([page, NameObject("/Fit")])

    assert scan(pdf(open_at_page_one)).page_count == 1


def _document_javascript(writer):
    """A script in the document's name tree, run by viewers when the file opens."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("1")}
    )
    scripts = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("x"), writer._add_object(action)])}
    )
    names = DictionaryObject({NameObject("/JavaScript"): writer._add_object(scripts)})
    writer._root_object[NameObject("/Names")] = writer._add_object(names)


def test_a_pdf_with_document_javascript_is_refused():
    with pytest.raises(ActivePdf) as refused:
        scan(pdf(_document_javascript))
    assert type(refused.value) is ActivePdf


def _bare_script_entry(key: str):
    """A script entry in a dictionary without an action type: refused by its key alone."""
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    def build(writer):
        entry = DictionaryObject({NameObject(key): TextStringObject("app.alert(1)")})
        writer._root_object[NameObject("/Extra")] = writer._add_object(entry)

    return build


@pytest.mark.parametrize("key", ["/JS", "/JavaScript"])
def test_script_entries_are_refused_without_an_action_type(key):
    with pytest.raises(ActivePdf) as refused:
        scan(pdf(_bare_script_entry(key)))
    assert refused.value.detail == key


def _open_action(kind: str, **entries):
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    def build(writer):
        action = DictionaryObject({NameObject("/S"): NameObject(kind)})
        for key, value in entries.items():
            action[NameObject(f"/{key}")] = TextStringObject(value)
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)

    return build


def test_a_pdf_running_javascript_when_opened_is_refused():
    with pytest.raises(ActivePdf):
        scan(pdf(_open_action("/JavaScript", JS="app.alert(1)")))


def test_a_pdf_with_any_other_opening_action_is_refused():
    with pytest.raises(ActivePdf) as refused:
        scan(pdf(_open_action("/URI", URI="https://example.com/")))
    assert refused.value.detail == "/OpenAction /URI"


def test_a_pdf_launching_a_program_is_refused():
    with pytest.raises(PdfWithLaunch):
        scan(pdf(_open_action("/Launch", F="calc.exe")))


def test_a_pdf_with_page_actions_is_refused():
    from pypdf.generic import DictionaryObject, NameObject

    def page_action(writer):
        writer.pages[0][NameObject("/AA")] = DictionaryObject(
            {NameObject("/O"): DictionaryObject({NameObject("/S"): NameObject("/GoTo")})}
        )

    with pytest.raises(ActivePdf) as refused:
        scan(pdf(page_action, pages=3))
    assert refused.value.detail == "/AA"


def test_a_pdf_with_an_embedded_file_is_refused():
    with pytest.raises(PdfWithAttachments):
        scan(pdf(lambda writer: writer.add_attachment("invoice.exe", b"MZ\x90\x00")))


@pytest.mark.parametrize("user_password", ["secret", ""], ids=["password", "owner-only"])
def test_an_encrypted_pdf_is_refused(user_password):
    with pytest.raises(EncryptedPdf):
        scan(pdf(lambda writer: writer.encrypt(user_password, owner_password="owner")))


def test_a_damaged_pdf_is_refused():
    with pytest.raises(DamagedPdf):
        scan(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << >>\n%%EOF")


def test_a_scan_may_be_an_image_with_the_scan_limits():
    data = samples.png_bomb(8_000, 8_000)  # 64 MP: too big for a photo, not for a page scan
    with pytest.raises(TooManyPixels):
        check(data)
    with pytest.raises(DamagedImage):  # within the limit, so decoded: the data is missing
        scan(data)
    assert scan(samples.jpeg()).format == "JPEG"


def test_a_scan_that_is_neither_is_refused_with_pdf_in_the_message():
    with pytest.raises(NotAScan), translation.override("en"):
        try:
            scan(b"plain text, not a scan")
        except NotAScan as error:
            assert "PDF, JPEG" in str(error)
            raise


def test_scan_byte_limit():
    data = pdf()
    with pytest.raises(FileTooLarge):
        scan(data, max_bytes=len(data) - 1)
