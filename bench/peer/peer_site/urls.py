from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def trivial(request: HttpRequest) -> HttpResponse:
    """The peer's trivial view: a plain-text "ok" through its whole middleware stack, no database. `bench.load`
    sets Roer's /health/ beside it."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("survey/", include("survey.urls")),
    path("health/", trivial),
]
