"""A real OpenID provider for the single sign-on tests: tests/oidc_provider (django-oidc-provider) in a
subprocess on a free port, with its own SQLite database in a temporary folder, a fresh RSA key, its users
(tests/oidc_provider/run.py USERS) and a confidential client whose redirect URI is Roer's live server.

`sso_flow` logs in the way a browser does, with `requests`: Roer's e-mail step, the provider's log-in and
consent pages, and back to Roer's callback."""

from __future__ import annotations

import hashlib
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from roer.sso.models import IdentityProvider
from roer.sso.services import provider_save
from tests.factories import UserFactory
from tests.oidc_provider import run as provider_run

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class OpenIdProvider:
    url: str
    database: Path

    @property
    def issuer(self) -> str:
        return f"{self.url}/openid"

    def signing_key(self) -> tuple[str, str]:
        """The provider's private signing key (PEM) and its kid, from its database: to sign tokens in tests."""
        with sqlite3.connect(self.database) as connection:
            (key,) = connection.execute("SELECT key FROM oidc_provider_rsakey").fetchone()
        return key, hashlib.md5(key.encode()).hexdigest()  # noqa: S324  # django-oidc-provider's kid


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def openid_provider(live_server, tmp_path_factory) -> Iterator[OpenIdProvider]:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("openid-provider")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OP_DATABASE": str(folder / "provider.sqlite3"),
        "OP_SITE_URL": url,
    }
    command = [sys.executable, "-m", "tests.oidc_provider.run"]
    redirect_uri = f"{live_server.url}/login/sso/callback/"
    subprocess.run([*command, "setup", "--redirect-uri", redirect_uri], cwd=ROOT, env=env, check=True, timeout=120)  # noqa: S603
    log = (folder / "server.log").open("w")
    server = subprocess.Popen([*command, "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log)  # noqa: S603
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{url}/openid/.well-known/openid-configuration", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"the test OpenID provider did not start: {(folder / 'server.log').read_text()}")
            time.sleep(0.2)
        yield OpenIdProvider(url=url, database=folder / "provider.sqlite3")
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture
def platform_admin(db):  # type: ignore[no-untyped-def]
    return UserFactory(email="beheer@roer.example", is_superuser=True, is_staff=True)


def provider_for(openid_provider: OpenIdProvider, organisation, by, domains, **changes) -> IdentityProvider:  # type: ignore[no-untyped-def]
    values = {
        "issuer": openid_provider.issuer,
        "client_id": provider_run.CLIENT_ID,
        "client_secret": provider_run.CLIENT_SECRET,
        "domains": domains,
        "manager_claim": "groups",
        "manager_value": "roer-beheerders",
        "enabled": True,
        **changes,
    }
    return provider_save(by=by, organisation=organisation, provider=None, **values)


@pytest.fixture
def alfa_provider(openid_provider, organisation, platform_admin) -> IdentityProvider:  # type: ignore[no-untyped-def]
    """Gemeente Alfa's single sign-on: the test provider, for alfa.example."""
    return provider_for(openid_provider, organisation, platform_admin, ["alfa.example"])


@dataclass
class Flow:
    session: requests.Session
    callback: str  # the provider's redirect back to Roer, as the provider gave it
    response: requests.Response  # Roer's answer to the callback (not followed)

    def landing(self) -> requests.Response:
        """The page the callback's redirect leads to."""
        return self.session.get(urljoin(self.callback, self.response.headers["Location"]), timeout=30)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def _hidden_inputs(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input name="([^"]+)" type="hidden" value="([^"]*)"', html))


@pytest.fixture
def sso_flow(live_server, openid_provider) -> Callable[..., Flow]:  # type: ignore[no-untyped-def]
    def flow(username: str, *, email: str | None = None, tamper: Callable[[str], str] | None = None) -> Flow:
        session = requests.Session()
        session.cookies.set("django_language", "en")  # Roer's messages as their English msgids
        start = session.get(f"{live_server.url}/login/sso/", timeout=30)
        address = email or provider_run.USERS[username][0]
        chosen = session.post(
            start.url,
            data={"csrfmiddlewaretoken": _csrf(start.text), "email": address, "next": ""},
            timeout=30,
        )
        assert chosen.url == f"{live_server.url}/login/sso/continue/", chosen.text[:500]
        assert 'http-equiv="refresh" content="0; url=/login/sso/go/"' in chosen.text
        to_provider = session.get(f"{live_server.url}/login/sso/go/", allow_redirects=False, timeout=30)
        assert to_provider.status_code == 302
        login_page = session.get(to_provider.headers["Location"], timeout=30)
        assert "Test provider: log in" in login_page.text, login_page.text[:500]
        next_page = re.search(r'name="next" value="([^"]+)"', login_page.text)
        assert next_page
        consent = session.post(
            login_page.url,
            data={
                "csrfmiddlewaretoken": _csrf(login_page.text),
                "username": username,
                "password": provider_run.PASSWORD,
                "next": next_page.group(1).replace("&amp;", "&"),
            },
            timeout=30,
        )
        assert "Request for Permission" in consent.text, consent.text[:500]
        back = session.post(
            f"{openid_provider.issuer}/authorize",
            data={"csrfmiddlewaretoken": _csrf(consent.text), **_hidden_inputs(consent.text), "allow": "Authorize"},
            allow_redirects=False,
            timeout=30,
        )
        assert back.status_code == 302, back.text[:500]
        callback = back.headers["Location"]
        assert callback.startswith(f"{live_server.url}/login/sso/callback/?"), callback
        if tamper is not None:
            callback = tamper(callback)
        response = session.get(callback, allow_redirects=False, timeout=60)
        return Flow(session=session, callback=callback, response=response)

    return flow
