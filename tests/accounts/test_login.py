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
