from django.urls import path

from roer.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organisations/<uuid:organisation_code>/", views.organisation_detail, name="detail"),
    path("organisations/<uuid:organisation_code>/benchmark/", views.organisation_benchmark, name="benchmark"),
]
