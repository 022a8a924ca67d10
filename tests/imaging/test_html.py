"""picture_html: the <picture> element for a stored manifest, with every value escaped."""

import re

import pytest
from django.core.files.storage import InMemoryStorage
from django.utils.safestring import SafeString

from imaging.html import Picture, PictureSource, picture_data, picture_html
from imaging.renditions import store_renditions
from tests.imaging import samples


@pytest.fixture(scope="module")
def stored():
    storage = InMemoryStorage(base_url="/media/")
    manifest = store_renditions(storage, "renditions", samples.jpeg((2000, 1500)))
    return manifest, storage


def test_picture_data_groups_srcsets_by_format(stored):
    manifest, storage = stored
    folder = "/media/" + manifest["manifest"].rsplit("/", 1)[0]
    assert picture_data(manifest, storage) == Picture(
        sources=[
            PictureSource(
                "image/webp",
                f"{folder}/480.webp 480w, {folder}/720.webp 720w, {folder}/1100.webp 1100w, "
                f"{folder}/1600.webp 1600w",
            )
        ],
        fallback_src=f"{folder}/720.jpg",
        fallback_srcset=(
            f"{folder}/480.jpg 480w, {folder}/720.jpg 720w, {folder}/1100.jpg 1100w, "
            f"{folder}/1600.jpg 1600w"
        ),
        width=1600,
        height=1200,
    )


def test_picture_markup(stored):
    manifest, storage = stored
    folder = "/media/" + manifest["manifest"].rsplit("/", 1)[0]
    html = picture_html(manifest, storage, alt="罗塘河畔", sizes="(min-width: 40rem) 40rem, 100vw")
    assert isinstance(html, SafeString)
    sizes = 'sizes="(min-width: 40rem) 40rem, 100vw"'
    assert html == (
        "<picture>"
        f'<source type="image/webp" srcset="{folder}/480.webp 480w, {folder}/720.webp 720w, '
        f'{folder}/1100.webp 1100w, {folder}/1600.webp 1600w" {sizes}>'
        f'<img src="{folder}/720.jpg" srcset="{folder}/480.jpg 480w, {folder}/720.jpg 720w, '
        f'{folder}/1100.jpg 1100w, {folder}/1600.jpg 1600w" {sizes} width="1600" height="1200" '
        'alt="罗塘河畔" '
        'loading="lazy" decoding="async">'
        "</picture>"
    )


def test_alt_and_sizes_are_escaped(stored):
    manifest, storage = stored
    html = picture_html(manifest, storage, alt='"><script>alert(1)</script>', sizes='100vw" x="')
    assert "<script>" not in html
    assert 'alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert 'sizes="100vw&quot; x=&quot;"' in html


def test_a_photo_at_the_top_of_the_page_is_not_lazy(stored):
    manifest, storage = stored
    html = picture_html(manifest, storage, alt="", lazy=False)
    assert "loading=" not in html
    assert 'decoding="async"' in html
    assert 'alt=""' in html


def test_a_small_photo_has_its_own_width():
    storage = InMemoryStorage(base_url="/media/")
    manifest = store_renditions(storage, "renditions", samples.jpeg((400, 300)))
    html = picture_html(manifest, storage, alt="")
    assert re.findall(r" (\d+)w", html) == ["400", "400"]
    assert 'width="400" height="300"' in html
    assert re.search(r'src="[^"]+/400\.jpg"', html)


def test_urls_with_query_strings_are_escaped_in_attributes(stored):
    manifest, _ = stored

    class SignedUrls(InMemoryStorage):
        def url(self, name):
            return f"https://cdn.example.com/{name}?X-Sig=a&X-Expires=1"

    html = picture_html(manifest, SignedUrls(), alt="")
    assert "?X-Sig=a&amp;X-Expires=1 480w" in html
    assert "&X-Expires" not in html
