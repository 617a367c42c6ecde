"""The address every per-address limit counts: REMOTE_ADDR, or behind our proxy the entry it appended to
X-Forwarded-For. Real header shapes never give a server error, and a client that writes its own header
is still counted by the address our proxy saw."""

from __future__ import annotations

import runpy

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory

from roer.lib import ratelimits

PROXY = "127.0.0.1"  # the test client's REMOTE_ADDR: the proxy in front of Roer

# (X-Forwarded-For as it reaches Roer behind one proxy, the client address that must be counted)
HEADER_SHAPES = {
    "single": ("203.0.113.9", "203.0.113.9"),
    "two entries": ("203.0.113.9, 10.0.0.1", "10.0.0.1"),
    "spoofed three entries": ("6.6.6.6, 203.0.113.9, 198.51.100.4", "198.51.100.4"),
    "garbage": ("<script>, ,;DROP", PROXY),
    "empty": ("", PROXY),
    "ipv6": ("2001:db8:1:2::5", "2001:db8:1:2::5"),
    "ipv6 with port": ("[2001:db8::7]:4711", "2001:db8::7"),
    "ipv4 with port": ("198.51.100.4:5000", "198.51.100.4"),
}


@pytest.fixture
def behind_proxy(settings, monkeypatch):
    """The rate-limit settings exactly as settings.py makes them with BEHIND_PROXY=true."""
    monkeypatch.setenv("BEHIND_PROXY", "true")
    deployed = runpy.run_path(str(django_settings.BASE_DIR / "roer" / "settings.py"))
    for name, value in deployed.items():
        if name.startswith("RATELIMIT_") or name == "ROER_TRUSTED_PROXIES":
            setattr(settings, name, value)
    return settings


def _request(forwarded: str | None = None, remote: str = PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(("header", "expected"), HEADER_SHAPES.values(), ids=HEADER_SHAPES.keys())
def test_behind_one_proxy_the_entry_it_appended_is_the_client(behind_proxy, header, expected):
    assert ratelimits.client_address(_request(header)) == expected


def test_a_missing_header_behind_a_proxy_falls_back_to_the_proxy_address(behind_proxy):
    assert ratelimits.client_address(_request()) == PROXY


def test_with_two_proxies_the_second_entry_from_the_right_is_the_client(behind_proxy):
    behind_proxy.ROER_TRUSTED_PROXIES = 2
    assert ratelimits.client_address(_request("6.6.6.6, 203.0.113.9, 10.0.0.1")) == "203.0.113.9"
    assert ratelimits.client_address(_request("10.0.0.1")) == PROXY  # fewer entries than proxies: not believed


def test_without_a_proxy_the_header_is_ignored(settings):
    settings.ROER_TRUSTED_PROXIES = 0
    assert ratelimits.client_address(_request("203.0.113.9", remote="192.0.2.1")) == "192.0.2.1"


@pytest.mark.parametrize("remote", ["", "unix:/run/roer.sock", "not an address"])
def test_an_unreadable_remote_address_is_counted_under_one_shared_name(settings, remote):
    settings.ROER_TRUSTED_PROXIES = 0
    assert ratelimits.client_address(_request(remote=remote)) == ratelimits.UNKNOWN_ADDRESS


@pytest.mark.django_db
@pytest.mark.parametrize("header", [shape for shape, _ in HEADER_SHAPES.values()], ids=HEADER_SHAPES.keys())
def test_every_header_shape_reaches_the_log_in_and_the_link_pages_without_a_server_error(
    client, alice, behind_proxy, header
):
    login = client.post("/login/", {"username": "alice@alfa.example", "password": "wrong"}, HTTP_X_FORWARDED_FOR=header)
    assert login.status_code == 200
    assert client.get(f"/a/{'x' * 43}/", HTTP_X_FORWARDED_FOR=header).status_code == 404


@pytest.mark.django_db
def test_a_missing_header_reaches_the_log_in_and_the_link_pages_without_a_server_error(client, alice, behind_proxy):
    assert client.post("/login/", {"username": "alice@alfa.example", "password": "wrong"}).status_code == 200
    assert client.get(f"/a/{'x' * 43}/").status_code == 404


@pytest.mark.django_db
def test_a_client_that_spoofs_its_own_header_is_still_stopped_at_the_log_in(client, alice, behind_proxy):
    behind_proxy.ROER_LOGIN_FAILURES = "3/15m"
    for number in range(4):
        spoofed = f"10.9.8.{number}, 198.51.100.4"  # a new claimed address each time; our proxy appended the real one
        wrong = {"username": f"guess{number}@alfa.example", "password": "wrong"}
        assert client.post("/login/", wrong, HTTP_X_FORWARDED_FOR=spoofed).status_code == 200
    blocked = client.post(
        "/login/", {"username": "other@alfa.example", "password": "x"}, HTTP_X_FORWARDED_FOR="10.9.8.99, 198.51.100.4"
    )
    assert blocked.status_code == 429


@pytest.mark.django_db
def test_a_client_that_spoofs_its_own_header_is_still_stopped_at_the_answer_links(client, behind_proxy):
    behind_proxy.ROER_BAD_LINKS = "3/10m"
    for number in range(4):
        spoofed = f"10.9.8.{number}, 198.51.100.4"
        assert client.get(f"/a/{'x' * 42}{number}/", HTTP_X_FORWARDED_FOR=spoofed).status_code == 404
    assert client.get(f"/a/{'y' * 43}/", HTTP_X_FORWARDED_FOR="10.9.8.99, 198.51.100.4").status_code == 429
    assert client.get(f"/a/{'y' * 43}/", HTTP_X_FORWARDED_FOR="10.9.8.99, 198.51.100.5").status_code == 404


@pytest.mark.django_db
def test_ipv6_addresses_are_counted_per_64_block(client, behind_proxy):
    behind_proxy.ROER_BAD_LINKS = "3/10m"
    for number in range(4):  # stepping through one /64 is one address
        assert client.get(f"/a/{'x' * 42}{number}/", HTTP_X_FORWARDED_FOR=f"2001:db8:1:2::{number}").status_code == 404
    assert client.get(f"/a/{'y' * 43}/", HTTP_X_FORWARDED_FOR="2001:db8:1:2:ffff::1").status_code == 429
    assert client.get(f"/a/{'y' * 43}/", HTTP_X_FORWARDED_FOR="2001:db8:1:3::1").status_code == 404
