from django import template

from articles import photos, presentation
from articles.presentation import display_punctuation, group_bylines
from people.urls_cache import fast_reverse

register = template.Library()


@register.filter
def grouped(bylines):
    """Bylines as printed: consecutive names of one role after one role word."""
    return group_bylines(bylines)


@register.filter(is_safe=True)
def display(text):
    """Text as the reader sees it: half-width punctuation in Chinese text shown full-width.
    Only ASCII punctuation changes, so escaped or safe text stays so."""
    return display_punctuation(text)


@register.simple_tag
def picture(photo, sizes="", eager=False):
    """The photo as readers get it: `<picture>` over its renditions (WebP with a JPEG
    fallback, srcset, width and height so nothing moves as it loads), alt text defaulting to
    the caption; "" when the photo has no image. `eager` for a photo at the top of the page:
    not lazy-loaded."""
    return photos.picture(photo, sizes=sizes or photos.COLUMN_SIZES, lazy=not eager)


@register.simple_tag
def bylines(rows):
    """The byline paragraph of an article: names grouped under their role word, linked."""
    return presentation.bylines_html(rows)


@register.simple_tag
def part(part):
    """The article's text on one page, with 上接/下转 at its ends."""
    return presentation.part_html(part)


@register.simple_tag
def text_blocks(blocks):
    """The article read whole: its paragraphs and jump markers."""
    return presentation.blocks_html(blocks)


@register.simple_tag
def fast_url(viewname, **kwargs):
    """``{% url viewname key=value %}`` for the public pages' own links, from a URL pattern
    reversed once per process (people.urls_cache.fast_reverse; the same URL)."""
    return fast_reverse(viewname, **kwargs)
