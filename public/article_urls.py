from django.urls import path

from public import article_views as views

app_name = "articles"

urlpatterns = [
    path("<int:pk>/", views.article_detail, name="detail"),
]
