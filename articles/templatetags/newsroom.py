from django import template

from articles.presentation import group_bylines

register = template.Library()


@register.filter
def grouped(bylines):
    """Bylines as printed: consecutive names of one role after one role word."""
    return group_bylines(bylines)
