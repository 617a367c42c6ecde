import pytest

from tests.factories import PASSWORD


def test_a_user_logs_in_with_their_email_in_any_case(client, alice):
    response = client.post("/login/", {"username": "ALICE@alfa.example", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/"


def test_a_wrong_password_gets_a_clear_message_and_keeps_the_email(client, alice):
    response = client.post("/login/", {"username": "alice@alfa.example", "password": "wrong"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="alice@alfa.example"' in page
    assert "error-summary" in page


def test_logging_out_needs_a_post_and_ends_the_session(alice_client):
    response = alice_client.post("/logout/")
    assert response.status_code == 302
    assert alice_client.get("/").status_code == 302


@pytest.mark.django_db
def test_the_password_reset_sends_a_mail_only_to_known_addresses(client, alice):
    from django.core import mail

    client.post("/password/reset/", {"email": "alice@alfa.example"})
    client.post("/password/reset/", {"email": "nobody@alfa.example"})
    assert [message.to for message in mail.outbox] == [["alice@alfa.example"]]
    assert "/password/reset/" in mail.outbox[0].body


@pytest.mark.django_db
def test_the_reset_link_points_at_the_configured_address_whatever_host_the_request_names(client, alice, settings):
    """ALLOWED_HOSTS ignores ports: a stranger asking for Alice's reset with `Host: testserver:4443` must
    not get a genuine link sent to her that leads to a port of their choosing."""
    from django.core import mail

    settings.ROER_BASE_URL = "https://roer.gemeente.example"
    client.post("/password/reset/", {"email": "alice@alfa.example"}, HTTP_HOST="testserver:4443")
    [message] = mail.outbox
    assert "https://roer.gemeente.example/password/reset/" in message.body
    assert "4443" not in message.body
    assert "testserver" not in message.body
    html = message.alternatives[0][0] if message.alternatives else ""
    assert "4443" not in html
