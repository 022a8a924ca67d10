from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from public import issue_views, media_views, sitemaps
from search import views as search_views

admin.site.site_header = _("Newsroom")
admin.site.site_title = _("Newsroom")
admin.site.index_title = _("Editorial desk")

# Fixed prefixes first: a publication slug must never shadow them.
urlpatterns = [
    path("admin/", admin.site.urls),
    # Uploaded and generated files, whatever DEBUG says: renditions, page images and PDFs for
    # everyone, desk scans by their page, originals for staff only (public/media.py).
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", media_views.media_file, name="media"),
    path("people/", include("public.person_urls")),
    path("search/", search_views.search_view, name="search"),
    # A sitemap index; one sitemap per publication and month, one of people.
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemaps/people.xml", sitemaps.sitemap_people, name="sitemap_people"),
    re_path(
        r"^sitemaps/(?P<pub>[-a-zA-Z0-9_]+)/(?P<month>[0-9]{4}-[0-9]{2})\.xml$",
        sitemaps.sitemap_month,
        name="sitemap_month",
    ),
    path("robots.txt", issue_views.robots_txt, name="robots_txt"),
    path("", issue_views.home, name="home"),
    path("<slug:pub>/articles/", include("public.article_urls")),
    path("<slug:pub>/", include("public.issue_urls")),
]
