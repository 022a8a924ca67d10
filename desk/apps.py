from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The editorial workflow: the state table, the step services, the transition log, the
    text history and the admin as the desk uses it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "desk"
    verbose_name = _("Editorial desk")

    def ready(self):
        # Every admin registered by now (the admin autodiscovers before this runs): ours,
        # Django's users and groups, the task queue's; each cleans its search terms.
        from django.contrib import admin

        from desk import receivers  # noqa: F401 - connects the desk's log to issues.signals
        from desk.admin.common import SearchTermMixin

        for model, model_admin in list(admin.site._registry.items()):
            if not isinstance(model_admin, SearchTermMixin):
                cls = type(model_admin)
                admin.site.unregister(model)
                admin.site.register(model, type(cls.__name__, (SearchTermMixin, cls), {}))
