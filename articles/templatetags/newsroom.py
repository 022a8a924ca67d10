from django import template

from articles.presentation import display_punctuation, group_bylines

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
