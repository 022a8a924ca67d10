from django.http import HttpResponse
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls


def bare(request):
    """Django's middleware stack returning a short string, as in Newsroom's bench/urls.py."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("admin/", include(wagtailadmin_urls)),
    path("", include(wagtail_urls)),
]
