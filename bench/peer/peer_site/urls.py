from django.urls import include, path

urlpatterns = [
    path("survey/", include("survey.urls")),
]
