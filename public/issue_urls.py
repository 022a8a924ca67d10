from django.urls import path, register_converter

from public import article_views, iiif_views, pdf_views
from public import issue_views as views
from public.caching import cache_public_page
from public.feeds import LatestArticlesFeed

register_converter(views.DateConverter, "isodate")

app_name = "issues"

urlpatterns = [
    path("", views.latest, name="latest"),
    path("issues/", views.IssueArchiveView.as_view(), name="archive"),
    path("issues/numbers/", views.issue_numbers, name="numbers"),
    path("issues/<int:number>/", views.issue_detail, name="detail"),
    path("issues/<int:number>/pages/<int:page>/", views.page_detail, name="page"),
    path("issues/<int:number>/pages/<int:page>.pdf", pdf_views.page_pdf, name="page_pdf"),
    path("issues/<int:number>.pdf", pdf_views.issue_pdf, name="issue_pdf"),
    path("issues/<int:number>/manifest.json", iiif_views.issue_manifest, name="manifest"),
    path("issues/<int:number>/pages/<int:page>/words.json", views.page_words, name="page_words"),
    path("<isodate:date>/", views.issue_by_date, name="by_date"),
    path("<int:number>/<int:page>/<int:n>/", article_views.article_short_link, name="short"),
    path("feed/", cache_public_page(LatestArticlesFeed()), name="feed"),
]
