"""The key-management pages, under the organisation (mounted by roer/urls.py)."""

from django.urls import path

from roer.api import pages

app_name = "api_keys"
urlpatterns = [
    path("organisations/<uuid:organisation_code>/api-keys/", pages.key_list, name="list"),
    path("organisations/<uuid:organisation_code>/api-keys/<int:key_id>/revoke/", pages.key_revoke_page, name="revoke"),
]
