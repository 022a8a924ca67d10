"""Pieces every desk admin module uses."""

import re

from django.utils.html import format_html

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


class ReadOnlyAdminMixin:
    """For records that are written only by the workflow (corrections, the transition log):
    shown to whoever may view them, never added, changed or deleted through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
