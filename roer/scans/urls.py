from django.urls import path

from roer.scans import views

app_name = "scans"

urlpatterns = [
    path("organisations/<uuid:organisation_code>/scans/new/", views.scan_create, name="create"),
    path("scans/<uuid:scan_code>/", views.scan_detail, name="detail"),
    path("scans/<uuid:scan_code>/edit/", views.scan_edit, name="edit"),
    path("scans/<uuid:scan_code>/invitees/", views.scan_invitees, name="invitees"),
    path(
        "scans/<uuid:scan_code>/invitees/<int:invitation_id>/remove/",
        views.invitation_remove,
        name="invitation_remove",
    ),
    path("scans/<uuid:scan_code>/send/invitations/", views.scan_send, {"kind": "invitations"}, name="send_invitations"),
    path("scans/<uuid:scan_code>/send/reminders/", views.scan_send, {"kind": "reminders"}, name="send_reminders"),
    path("scans/<uuid:scan_code>/close/", views.scan_close, name="close"),
]
