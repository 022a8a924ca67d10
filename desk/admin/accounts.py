"""Django's own user and group admins, with the desk's search-term cleaning."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from desk.admin.common import SearchTermMixin

admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class DeskUserAdmin(SearchTermMixin, UserAdmin):
    pass


@admin.register(Group)
class DeskGroupAdmin(SearchTermMixin, GroupAdmin):
    pass
