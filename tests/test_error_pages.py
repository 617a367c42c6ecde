"""Error pages are clear, translated pages, never a stack trace."""

import pytest
from django.test import Client


@pytest.mark.django_db
def test_an_unknown_page_gets_the_roer_404_page(client):
    response = client.get("/does-not-exist/")
    assert response.status_code == 404
    assert 'class="site-header"' in response.content.decode()


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_gets_a_clear_page(alice, scan):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(f"/scans/{scan.code}/close/")
    assert response.status_code == 403
    assert "<h1>" in response.content.decode()
    scan.refresh_from_db()
    assert scan.closed_at is None


def test_the_server_error_page_renders_without_a_request_context(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "<h1>" in response.content.decode()


def test_a_get_on_an_address_that_only_takes_a_form_gets_a_page_in_words(alice_client, scan):
    response = alice_client.get(f"/scans/{scan.code}/send/invitations/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "<h1>Dit adres is voor een formulier</h1>" in page
    assert 'lang="nl"' in page
