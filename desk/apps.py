from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The editorial workflow: the state table, the step services, the transition log, the
    text history and the admin as the desk uses it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "desk"
    verbose_name = _("Editorial desk")
