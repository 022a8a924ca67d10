from django.http import HttpResponse
from django.urls import include, path

from bench.project import URLCONF, article_headline


def bare(request):
    """The ceiling: Django's full middleware stack returning a short string."""
    return HttpResponse("ok", content_type="text/plain")


def one_query(request, pk):
    """The least a database page can do: one ORM query by primary key, no template.

    Shows what a single query costs next to ``bare``, so that an uncached page's figures can
    be read against the floor of the stack rather than against nothing.
    """
    return HttpResponse(article_headline(pk), content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/one-query/<int:pk>/", one_query),
    path("", include(URLCONF)),
]
