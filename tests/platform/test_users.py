"""Blocking and unblocking accounts: audited, the blocked person logged out, never oneself or the last
platform administrator."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session

from roer.audit.models import AuditAction, AuditEvent
from roer.lifecycle.platform import LastPlatformAdminError, OwnAccountError, user_block, user_unblock
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_block_page_asks_first_and_changes_nothing(petra_client, bob):
    response = petra_client.get(f"/platform/users/{bob.pk}/block/")
    assert response.status_code == 200
    assert b"bob@alfa.example" in response.content
    bob.refresh_from_db()
    assert bob.is_active


def test_a_blocked_user_is_logged_out_and_audited(petra_client, petra, bob, organisation):
    bob_client = client_for(bob)
    assert bob_client.get(f"/organisations/{organisation.code}/").status_code == 200
    petra_sessions = Session.objects.count() - 1
    response = petra_client.post(f"/platform/users/{bob.pk}/block/")
    assert response.status_code == 302
    bob.refresh_from_db()
    assert not bob.is_active
    assert Session.objects.count() == petra_sessions  # Bob's session is gone, Petra's stays
    assert bob_client.get(f"/organisations/{organisation.code}/").status_code == 302  # to the log-in page
    assert bob_client.login(email=bob.email, password="correct-horse-battery") is False
    event = AuditEvent.objects.get(action=AuditAction.USER_DEACTIVATED)
    assert (event.user, event.organisation, event.subject) == (petra, None, "bob@alfa.example")
    assert petra_client.get("/platform/").status_code == 200


def test_an_unblocked_user_logs_in_again(petra_client, petra, bob):
    user_block(by=petra, user=bob)
    response = petra_client.post(f"/platform/users/{bob.pk}/unblock/")
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.is_active
    assert client_for(bob).login(email=bob.email, password="correct-horse-battery")
    assert AuditEvent.objects.filter(action=AuditAction.USER_REACTIVATED, subject=bob.email).count() == 1


def test_blocking_twice_audits_once(petra_client, bob):
    petra_client.post(f"/platform/users/{bob.pk}/block/")
    petra_client.post(f"/platform/users/{bob.pk}/block/")
    assert AuditEvent.objects.filter(action=AuditAction.USER_DEACTIVATED).count() == 1
    petra_client.post(f"/platform/users/{bob.pk}/unblock/")
    petra_client.post(f"/platform/users/{bob.pk}/unblock/")
    assert AuditEvent.objects.filter(action=AuditAction.USER_REACTIVATED).count() == 1


def test_no_one_blocks_themselves(petra_client, petra):
    response = petra_client.post(f"/platform/users/{petra.pk}/block/", follow=True)
    assert response.status_code == 200
    assert b"You cannot block your own account." in response.content
    petra.refresh_from_db()
    assert petra.is_active
    assert not AuditEvent.objects.exists()
    with pytest.raises(OwnAccountError):
        user_block(by=petra, user=petra)


def test_the_last_active_platform_administrator_stays(petra):
    other = UserFactory(email="otto@roer.example", is_superuser=True)
    user_block(by=petra, user=other)  # Petra stays
    # Otto, blocked, can no longer act; were he to, Petra is the last one left
    with pytest.raises(LastPlatformAdminError):
        user_block(by=other, user=petra)
    petra.refresh_from_db()
    assert petra.is_active


def test_another_platform_administrator_may_be_blocked(petra_client):
    other = UserFactory(email="otto@roer.example", is_superuser=True)
    petra_client.post(f"/platform/users/{other.pk}/block/")
    other.refresh_from_db()
    assert not other.is_active


def test_the_list_shows_organisations_and_roles_and_searches_by_email(petra_client, alice, bob, dirk, charlie):
    response = petra_client.get("/platform/users/?q=ALFA.example")
    emails = [person.email for person in response.context["page"]]
    assert emails == ["alice@alfa.example", "bob@alfa.example"]
    assert b"Gemeente Alfa (Scan manager)" in response.content
    assert b"Gemeente Alfa (Reader)" in response.content
    assert b"charlie" not in response.content


def test_a_blocked_user_is_shown_with_the_way_back(petra, petra_client, bob):
    user_unblock(by=petra, user=bob)  # already active: nothing happens
    assert not AuditEvent.objects.exists()
    user_block(by=petra, user=bob)
    response = petra_client.get("/platform/users/?q=bob")
    assert f'href="/platform/users/{bob.pk}/unblock/"'.encode() in response.content


def test_the_user_list_pages(petra_client):
    for number in range(60):
        UserFactory(email=f"lid{number:02d}@lijst.example")
    response = petra_client.get("/platform/users/?q=lijst&page=2")
    assert len(response.context["page"].object_list) == 10


def test_a_block_needs_the_forms_csrf_token(petra, bob):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(petra)
    assert client.post(f"/platform/users/{bob.pk}/block/").status_code == 403
    bob.refresh_from_db()
    assert bob.is_active
    page = client.get(f"/platform/users/{bob.pk}/block/")
    assert b'name="csrfmiddlewaretoken"' in page.content
    token = page.context["csrf_token"]
    assert client.post(f"/platform/users/{bob.pk}/block/", {"csrfmiddlewaretoken": str(token)}).status_code == 302
    bob.refresh_from_db()
    assert not bob.is_active


def test_the_list_finds_a_user_by_name_too(petra_client):
    UserFactory(email="x1@lijst.example", full_name="Marijke Vos")
    response = petra_client.get("/platform/users/?q=vos")
    assert [person.email for person in response.context["page"]] == ["x1@lijst.example"]


def test_the_unblock_page_asks_to_unblock(petra_client, petra, bob):
    """Not `block` in the template's context: inside a {% block %} Django sets that name itself."""
    user_block(by=petra, user=bob)
    response = petra_client.get(f"/platform/users/{bob.pk}/unblock/")
    assert b"<h1>Unblock an account</h1>" in response.content
    assert b"button--danger" not in response.content
    assert b"<h1>Block an account</h1>" in petra_client.get(f"/platform/users/{petra.pk}/block/").content
