from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    """The floor: Django's full middleware stack returning a short string."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("newsroom.urls")),
]
