from django import template

from desk.desks import desk_for
from desk.services import display_name

register = template.Library()


@register.simple_tag(takes_context=True)
def newsroom_desk(context):
    """The admin home's desk for the logged-in user (see desk/desks.py)."""
    return desk_for(context["request"].user)


@register.simple_tag
def desk_name(user):
    """How the desk names a login: its Person's name (李书翔), else the login name."""
    return display_name(user)
