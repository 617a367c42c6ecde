"""Throttling of log-ins and password resets: one address guessing is stopped, strangers slow an account
down but never lock its owner out, the admin's log-in is throttled like the product's, and password-reset
e-mails cannot be used to flood an inbox or to find out which accounts exist."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from tests.factories import PASSWORD

DEVICE_COOKIE = "roer_device"  # roer.accounts.throttling.DEVICE_COOKIE
WRONG = {"username": "alice@alfa.example", "password": "wrong"}
RIGHT = {"username": "alice@alfa.example", "password": PASSWORD}


def _stranger(number: int) -> str:
    return f"198.51.100.{number}"


def _strangers_each_try_one_wrong_password(client, count: int = 11) -> None:
    for number in range(count):
        assert client.post("/login/", WRONG, REMOTE_ADDR=_stranger(number)).status_code == 200


# --- the product's log-in --------------------------------------------------------------------------


@pytest.mark.django_db
def test_strangers_from_many_addresses_do_not_lock_the_owner_out_of_their_own_browser(client, alice):
    assert client.post("/login/", RIGHT, REMOTE_ADDR="192.0.2.10").status_code == 302  # the owner, last week
    client.post("/logout/")
    _strangers_each_try_one_wrong_password(client.__class__())
    # The owner, from a twelfth address (at home), in the browser they used before:
    response = client.post("/login/", RIGHT, REMOTE_ADDR="192.0.2.12")
    assert response.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_strangers_slow_an_account_down_for_seconds_not_for_a_quarter_of_an_hour(client, alice):
    _strangers_each_try_one_wrong_password(client)
    # The owner in a new browser, from a twelfth address: asked to wait a short while, then let in.
    waiting = client.post("/login/", RIGHT, REMOTE_ADDR="192.0.2.12")
    assert waiting.status_code == 429
    wait = int(waiting["Retry-After"])
    assert 0 < wait <= 60
    assert f"{wait} second" in waiting.content.decode()  # the page says how long, not "ten minutes"
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=wait + 1), tick=False):
        assert client.post("/login/", RIGHT, REMOTE_ADDR="192.0.2.12").status_code == 302


@pytest.mark.django_db
def test_a_slowed_account_takes_one_attempt_per_wait_and_the_wait_grows(client, alice):
    _strangers_each_try_one_wrong_password(client)
    first = int(client.post("/login/", WRONG, REMOTE_ADDR=_stranger(50))["Retry-After"])
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=first + 1), tick=False):
        assert client.post("/login/", WRONG, REMOTE_ADDR=_stranger(51)).status_code == 200  # its one attempt
        second = client.post("/login/", WRONG, REMOTE_ADDR=_stranger(52))
    assert second.status_code == 429
    assert int(second["Retry-After"]) > first


@pytest.mark.django_db
def test_one_address_guessing_is_still_stopped_even_with_the_right_password(client, alice):
    for _ in range(11):
        client.post("/login/", WRONG)
    blocked = client.post("/login/", RIGHT)
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "600"


@pytest.mark.django_db
def test_a_device_cookie_only_helps_the_account_it_was_given_for(client, alice, bob):
    assert client.post("/login/", {"username": "bob@alfa.example", "password": PASSWORD}).status_code == 302
    client.post("/logout/")
    _strangers_each_try_one_wrong_password(client.__class__())
    assert client.post("/login/", RIGHT, REMOTE_ADDR="192.0.2.12").status_code == 429


@pytest.mark.django_db
def test_a_forged_device_cookie_helps_nobody(client, alice):
    _strangers_each_try_one_wrong_password(client)
    client.cookies[DEVICE_COOKIE] = "0123456789abcdef0123456789abcdef.made-up"
    assert client.post("/login/", RIGHT, REMOTE_ADDR="192.0.2.12").status_code == 429


@pytest.mark.django_db
def test_a_browser_that_keeps_failing_loses_its_exemption(client, alice, settings):
    settings.ROER_LOGIN_FAILURES = "3/15m"
    assert client.post("/login/", RIGHT).status_code == 302
    client.post("/logout/")
    for number in range(4):  # the browser itself, moving between addresses
        client.post("/login/", WRONG, REMOTE_ADDR=_stranger(number))
    assert client.post("/login/", RIGHT, REMOTE_ADDR="192.0.2.12").status_code == 429


# --- the admin's log-in ----------------------------------------------------------------------------


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root@roer.example", PASSWORD)


def test_the_admin_log_in_is_throttled_like_the_product_log_in(client, superuser):
    for _ in range(15):
        assert client.post("/admin/login/", {"username": "root@roer.example", "password": "wrong"}).status_code in (
            200,
            429,
        )
    refused = client.post("/admin/login/", {"username": "root@roer.example", "password": PASSWORD})
    assert refused.status_code == 429
    assert client.get("/admin/").status_code == 302  # not logged in


def test_the_admin_log_in_still_logs_a_superuser_in(client, superuser):
    assert client.get("/admin/login/").status_code == 200
    response = client.post("/admin/login/", {"username": "root@roer.example", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_admin_log_in_still_needs_its_csrf_token(superuser):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/admin/login/", {"username": "root@roer.example", "password": PASSWORD}).status_code == 403


def _without_csrf_tokens(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


# --- password reset --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_thirty_reset_requests_for_one_account_send_only_a_few_e_mails(client, alice):
    responses = [client.post("/password/reset/", {"email": "alice@alfa.example"}) for _ in range(30)]
    assert 1 <= len(mail.outbox) <= 3
    assert {(response.status_code, response.url) for response in responses} == {(302, "/password/reset/sent/")}


@pytest.mark.django_db
def test_a_throttled_reset_looks_the_same_as_one_for_an_unknown_address(client, alice):
    for _ in range(5):
        client.post("/password/reset/", {"email": "alice@alfa.example"})
    throttled = client.post("/password/reset/", {"email": "alice@alfa.example"}, follow=True)
    unknown = client.post("/password/reset/", {"email": "nobody@alfa.example"}, follow=True)
    assert throttled.redirect_chain == unknown.redirect_chain
    assert _without_csrf_tokens(throttled) == _without_csrf_tokens(unknown)


@pytest.mark.django_db
def test_reset_e_mails_are_limited_per_client_address_but_not_for_other_addresses(client, alice, bob, settings):
    settings.ROER_PASSWORD_RESETS_PER_ADDRESS = "2/h"
    for email in ["nobody@alfa.example", "alice@alfa.example", "bob@alfa.example"]:
        client.post("/password/reset/", {"email": email})
    assert [message.to for message in mail.outbox] == [["alice@alfa.example"]]
    client.post("/password/reset/", {"email": "bob@alfa.example"}, REMOTE_ADDR="192.0.2.99")
    assert [message.to for message in mail.outbox] == [["alice@alfa.example"], ["bob@alfa.example"]]


@pytest.mark.django_db
def test_the_per_e_mail_limit_counts_the_address_in_any_case(client, alice, settings):
    settings.ROER_PASSWORD_RESETS_PER_EMAIL = "1/h"
    client.post("/password/reset/", {"email": "alice@alfa.example"})
    client.post("/password/reset/", {"email": "ALICE@alfa.example "}, REMOTE_ADDR="192.0.2.99")
    assert len(mail.outbox) == 1
