from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from roer.accounts.views import LoginView
from roer.lib.health import health

admin.site.site_header = _("Roer administration")
admin.site.site_title = _("Roer administration")

urlpatterns = [
    path("", include("roer.organisations.urls")),
    path("", include("roer.scans.urls")),
    path("", include("roer.results.urls")),
    path("", include("roer.reports.urls")),
    path("a/", include("roer.responses.urls")),
    path("login/", LoginView.as_view(), name="login"),
    path("health/", health, name="health"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            email_template_name="registration/password_reset_body.txt",
            html_email_template_name="registration/password_reset_body.html",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
