from django.urls import path

from public import person_views as views

app_name = "people"

urlpatterns = [
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/<slug:section>/", views.person_section, name="section"),
]
