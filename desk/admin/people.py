from django.contrib import admin

from desk import people_services
from desk.admin.common import DeskDoorMixin, SearchTermMixin
from people.models import Person


@admin.register(Person)
class PersonAdmin(DeskDoorMixin, SearchTermMixin, admin.ModelAdmin):
    list_display = ["name", "affiliation", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "affiliation"]
    autocomplete_fields = ["user"]

    def save_model(self, request, obj, form, change):
        # A name printed in a published issue stays as printed (desk/people_services.py).
        people_services.save_person(person=obj, by=request.user)
