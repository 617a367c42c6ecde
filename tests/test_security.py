"""Security settings as a browser meets them: headers, cookies and password hashing."""

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_every_page_carries_a_strict_content_security_policy(client):
    policy = client.get("/login/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_pages_forbid_framing_and_sniffing_and_keep_the_referrer_to_this_site(client):
    response = client.get("/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from roer import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_cookies_are_http_only_and_same_site():
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_behind_https_cookies_are_secure_and_hsts_is_on(monkeypatch):
    import importlib

    import roer.settings

    monkeypatch.setenv("HTTPS", "true")
    secured = importlib.reload(roer.settings)
    try:
        assert secured.SESSION_COOKIE_SECURE
        assert secured.CSRF_COOKIE_SECURE
        assert secured.SECURE_SSL_REDIRECT
        assert secured.SECURE_HSTS_SECONDS >= 31_536_000
    finally:
        monkeypatch.delenv("HTTPS")
        importlib.reload(roer.settings)


def test_the_production_settings_pass_the_deploy_check(tmp_path):
    import os
    import subprocess
    import sys

    environment = {
        **os.environ,
        "DEBUG": "false",
        "HTTPS": "true",
        "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-" + "y" * 20,
        "ALLOWED_HOSTS": "roer.gemeente.example",
        "ROER_VAR_DIR": str(tmp_path),
    }
    environment.pop("DATABASE_URL", None)
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_failed_log_ins_from_one_address_are_stopped_with_429(client, alice, settings):
    settings.ROER_LOGIN_FAILURES = "3/15m"
    for _ in range(4):
        response = client.post("/login/", {"username": "alice@alfa.example", "password": "wrong"})
        assert response.status_code == 200
    blocked = client.post("/login/", {"username": "alice@alfa.example", "password": "correct-horse-battery"})
    assert blocked.status_code == 429
    assert "Te veel pogingen" in blocked.content.decode()  # Dutch, the default
    assert blocked["Retry-After"] == "600"


@pytest.mark.django_db
def test_one_account_is_protected_against_many_addresses(client, alice, settings):
    settings.ROER_LOGIN_FAILURES = "3/15m"
    for number in range(4):
        client.post("/login/", {"username": "alice@alfa.example", "password": "wrong"}, REMOTE_ADDR=f"10.0.0.{number}")
    assert (
        client.post("/login/", {"username": "ALICE@alfa.example", "password": "x"}, REMOTE_ADDR="10.0.1.1").status_code
        == 429
    )


@pytest.mark.django_db
def test_a_successful_log_in_is_not_counted(client, alice, settings):
    settings.ROER_LOGIN_FAILURES = "2/15m"
    for _ in range(5):
        assert (
            client.post("/login/", {"username": "alice@alfa.example", "password": "correct-horse-battery"}).status_code
            == 302
        )
        client.post("/logout/")


@pytest.mark.django_db
def test_guessing_answer_links_is_stopped_with_429_but_a_valid_link_still_works_elsewhere(client, scan, settings):
    from tests.conftest import link_for
    from tests.factories import InvitationFactory

    settings.ROER_BAD_LINKS = "5/10m"
    for number in range(6):
        assert client.get(f"/a/{'x' * 42}{number}/").status_code == 404
    assert client.get(f"/a/{'y' * 43}/").status_code == 429
    valid = link_for(InvitationFactory(scan=scan, group=scan.groups.get(kind="medewerkers")))
    assert client.get(valid, REMOTE_ADDR="192.0.2.7").status_code == 302  # another address is not affected


@pytest.mark.django_db
def test_every_post_needs_a_csrf_token_also_on_answer_links(scan):
    from django.test import Client

    from tests.conftest import link_for
    from tests.factories import InvitationFactory

    path = link_for(InvitationFactory(scan=scan, group=scan.groups.get(kind="medewerkers")))
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"{path}1/", {"ont_overzicht": "4", "action": "next"}).status_code == 403
    assert strict.post("/login/", {"username": "a@b.c", "password": "x"}).status_code == 403
