from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """What readers get: the public views, the page cache and its invalidation, feeds and
    sitemaps."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "public"
    verbose_name = _("Public site")

    def ready(self):
        from public import prerender, signals

        signals.connect()
        prerender.connect()
