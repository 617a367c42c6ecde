from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Roer administration")
admin.site.site_title = _("Roer administration")

urlpatterns = [
    # The REST API (docs/api.md) and its key-management pages: roer.api sits beside roer.web.
    path("api/v1/", include("roer.api.urls")),
    path("", include("roer.web.urls")),
    path("", include("roer.api.page_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# A database outage gets 503 with Retry-After, everything else the 500 page (roer/lib/errors.py).
handler500 = "roer.lib.errors.server_error"
