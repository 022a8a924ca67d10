from django import template

from desk.desks import desk_for

register = template.Library()


@register.simple_tag(takes_context=True)
def newsroom_desk(context):
    """The admin home's desk for the logged-in user (see articles/desk.py)."""
    return desk_for(context["request"].user)
