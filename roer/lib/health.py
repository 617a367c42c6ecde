from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """For a load balancer's liveness check: the application answers. It touches no database."""
    return HttpResponse("ok", content_type="text/plain")
