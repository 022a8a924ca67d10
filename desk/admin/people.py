from django.contrib import admin

from desk.admin.common import SearchTermMixin
from people.models import Person


@admin.register(Person)
class PersonAdmin(SearchTermMixin, admin.ModelAdmin):
    list_display = ["name", "affiliation", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "affiliation"]
    autocomplete_fields = ["user"]
