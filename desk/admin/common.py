"""Pieces every desk admin module uses."""

import re

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from desk.workflow import WorkflowError
from people.validators import no_control_characters

# Control characters (C0, DEL, C1): never part of a name or a headline anyone searches for, and
# PostgreSQL refuses a NUL in any query parameter (DataError, a 500).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Longer terms match nothing typed by a person and only cost the database time.
MAX_SEARCH_TERM = 200


def clean_search_term(term: str) -> str:
    """A search term as the database may see it: control characters become spaces."""
    return _CONTROL.sub(" ", term[:MAX_SEARCH_TERM])


def status_badge(obj):
    """An article's or issue's state as a coloured badge (colours in desk.css, by state)."""
    return format_html(
        '<span class="status-badge status-{}">{}</span>', obj.status, obj.get_status_display()
    )


class SearchTermMixin:
    """For every ModelAdmin: the changelist's ?q= and the autocomplete's ?term= both reach
    get_search_results, so a hostile term (a NUL byte) is cleaned here, once, for both."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, clean_search_term(search_term))


class ActionChoicesMixin:
    """The change list's action menu starts with 选择操作, not the admin's bare "---------"."""

    def get_action_choices(self, request, default_choices=None):
        return super().get_action_choices(request, default_choices=[("", _("Choose an action"))])


class ReadOnlyAdminMixin:
    """For records that are written only by the workflow (corrections, the transition log):
    shown to whoever may view them, never added, changed or deleted through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DeskDoorMixin:
    """For admins whose every write goes through a desk service (desk/parts_services.py,
    desk/page_services.py): a refusal (WorkflowError) from the change, add or delete page or
    from a bulk action is an error message, and the admin's transaction wrote nothing. The
    delete page asks for a correction note when the object is published."""

    delete_confirmation_template = "admin/newsroom/delete_with_note.html"

    def _refused(self, request, refused, url):
        self.message_user(request, str(refused), messages.ERROR)
        return HttpResponseRedirect(url)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except WorkflowError as refused:
            return self._refused(request, refused, request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "correction_needed": self.correction_needed(request, object_id),
        }
        try:
            return super().delete_view(request, object_id, extra_context)
        except WorkflowError as refused:
            return self._refused(request, refused, request.get_full_path())

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except WorkflowError as refused:
            return self._refused(request, refused, request.get_full_path())

    def correction_needed(self, request, object_id) -> bool:
        return False

    def delete_queryset(self, request, queryset):
        # The bulk delete action: every row through the service, all or nothing.
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


def correction_note(request) -> str:
    """The correction note a change or delete page posted ("" if none)."""
    return request.POST.get("correction_note", "")


def correction_note_field(help_text):
    """The form field for that note: optional (the service says when it is needed)."""
    return forms.CharField(
        label=_("correction note"),
        required=False,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=help_text,
    )
