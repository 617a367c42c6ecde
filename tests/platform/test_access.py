"""Only platform administrators reach the platform's pages; everyone else gets 404 (a visitor: log in)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def urls(organisation, someone):  # type: ignore[no-untyped-def]
    return [
        reverse("platform:overview"),
        reverse("platform:organisations"),
        reverse("platform:organisation_create"),
        reverse("platform:organisation_edit", args=[organisation.code]),
        reverse("platform:users"),
        reverse("platform:user_block", args=[someone.pk]),
        reverse("platform:user_unblock", args=[someone.pk]),
        reverse("platform:audit"),
        reverse("platform:audit_csv"),
        reverse("platform:retention"),
        reverse("platform:instruments"),
    ]


def test_every_page_opens_for_a_platform_administrator(petra_client, organisation, bob, scan):
    for url in urls(organisation, bob):
        response = petra_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("who", ["alice", "bob", "charlie", "dirk"])
def test_no_one_else_finds_the_pages(request, who, organisation, bob):
    user = request.getfixturevalue(who)
    client = client_for(user)
    for url in urls(organisation, bob):
        assert client.get(url).status_code == 404, (who, url)
        assert client.post(url).status_code == 404, (who, url)


def test_a_staff_member_who_is_no_superuser_finds_nothing_either(organisation, bob, alice):
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    client = client_for(alice)
    for url in urls(organisation, bob):
        assert client.get(url).status_code == 404, url


def test_an_anonymous_visitor_is_sent_to_log_in(client, organisation, bob):
    for url in urls(organisation, bob):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/login/")


def test_the_header_links_the_platform_for_its_administrators_only(petra_client, alice_client):
    assert b'href="/platform/"' in petra_client.get("/").content
    assert b'href="/platform/"' not in alice_client.get("/").content


def test_an_unknown_organisation_or_user_is_not_found(petra_client):
    import uuid

    assert petra_client.get(reverse("platform:organisation_edit", args=[uuid.uuid4()])).status_code == 404
    assert petra_client.get(reverse("platform:user_block", args=[999_999])).status_code == 404
