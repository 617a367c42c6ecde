from django.urls import path

from roer.results import views

app_name = "results"

urlpatterns = [
    path("scans/<uuid:scan_code>/results/", views.results, name="scan"),
]
