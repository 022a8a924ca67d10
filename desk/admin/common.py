"""Pieces every desk admin module uses."""

from django.utils.html import format_html


def status_badge(obj):
    """An article's or issue's state as a coloured badge (colours in desk.css, by state)."""
    return format_html(
        '<span class="status-badge status-{}">{}</span>', obj.status, obj.get_status_display()
    )


class ReadOnlyAdminMixin:
    """For records that are written only by the workflow (corrections, the transition log):
    shown to whoever may view them, never added, changed or deleted through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
