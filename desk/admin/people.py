from django.contrib import admin

from people.models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "affiliation", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "affiliation"]
    autocomplete_fields = ["user"]
