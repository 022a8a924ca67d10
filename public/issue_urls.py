from django.urls import path, register_converter

from public import article_views
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
    path("<isodate:date>/", views.issue_by_date, name="by_date"),
    path("<int:number>/<int:page>/<int:n>/", article_views.article_short_link, name="short"),
    path("feed/", cache_public_page(LatestArticlesFeed()), name="feed"),
]
