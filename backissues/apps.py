from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackissuesConfig(AppConfig):
    """The back-issue text format, the loader and exporter, and their commands."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "backissues"
    verbose_name = _("Back issues")
