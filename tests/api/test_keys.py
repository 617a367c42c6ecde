"""The key-management pages: a scan manager makes a key (shown once), lists and revokes keys; a reader
gets 403, another organisation 404; both are audited."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from roer.api.models import ApiKey
from roer.audit.models import AuditAction, AuditEvent
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_a_new_key_is_shown_once_stored_hashed_and_audited(alice_client, organisation):
    url = reverse("api_keys:list", args=[organisation.code])
    response = alice_client.post(url, {"name": "  Dashboard   IV ", "scope": "write"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    content = response.content.decode()
    [token] = re.findall(r'value="(roer_[a-z0-9]{8}_[A-Za-z0-9_-]{43})"', content)
    key = ApiKey.objects.get(organisation=organisation)
    assert key.name == "Dashboard IV"
    assert key.scope == "write"
    assert token.split("_")[1] == key.prefix
    assert token not in str(ApiKey.objects.filter(pk=key.pk).values().get())
    again = alice_client.get(url).content.decode()
    assert token not in again
    assert f"roer_{key.prefix}_" in again
    event = AuditEvent.objects.get(action=AuditAction.API_KEY_CREATED)
    assert event.organisation == organisation
    assert event.user_email == "alice@alfa.example"
    assert key.prefix in event.subject
    assert token.split("_", 2)[2] not in event.subject
    assert ApiClient(token).get("/organisation").status_code == 200


def test_a_key_needs_a_name_and_a_scope(alice_client, organisation):
    url = reverse("api_keys:list", args=[organisation.code])
    assert alice_client.post(url, {"name": "", "scope": "read"}).status_code == 400
    assert alice_client.post(url, {"name": "X", "scope": "admin"}).status_code == 400
    assert not ApiKey.objects.exists()


def test_revoking_stops_the_key_at_once_and_is_audited(alice_client, organisation, read_key):
    client = ApiClient(read_key.token)
    assert client.get("/organisation").status_code == 200
    url = reverse("api_keys:revoke", args=[organisation.code, read_key.key.pk])
    assert "Dashboard" in alice_client.get(url).content.decode()  # asks first
    assert client.get("/organisation").status_code == 200
    response = alice_client.post(url)
    assert response.status_code == 302
    assert client.get("/organisation").status_code == 401
    assert AuditEvent.objects.filter(action=AuditAction.API_KEY_REVOKED, organisation=organisation).count() == 1
    alice_client.post(url)  # twice: nothing more happens
    assert AuditEvent.objects.filter(action=AuditAction.API_KEY_REVOKED).count() == 1


def test_readers_get_403_and_other_organisations_404(bob_client, charlie_client, organisation, read_key, other_key):
    listing = reverse("api_keys:list", args=[organisation.code])
    revoke = reverse("api_keys:revoke", args=[organisation.code, read_key.key.pk])
    assert bob_client.get(listing).status_code == 403
    assert bob_client.post(listing, {"name": "Mine", "scope": "write"}).status_code == 403
    assert bob_client.post(revoke).status_code == 403
    assert charlie_client.get(listing).status_code == 404
    assert charlie_client.post(revoke).status_code == 404
    # Charlie's own organisation, Alfa's key: not found there
    theirs = reverse("api_keys:revoke", args=[other_key.key.organisation.code, read_key.key.pk])
    assert charlie_client.post(theirs).status_code == 404
    read_key.key.refresh_from_db()
    assert read_key.key.revoked_at is None
    assert ApiKey.objects.filter(organisation=organisation).count() == 1


def test_the_organisation_page_links_scan_managers_to_their_keys(alice_client, bob_client, organisation):
    url = reverse("organisations:detail", args=[organisation.code])
    link = reverse("api_keys:list", args=[organisation.code])
    assert link in alice_client.get(url).content.decode()
    assert link not in bob_client.get(url).content.decode()
