"""The production set-up as deploy/ describes it, started for real (bench/stack.py): gunicorn with
deploy/gunicorn.conf.py on the test database, behind Debian's nginx running deploy/nginx/roer.conf over
TLS with a certificate made here."""

from __future__ import annotations

import os
import secrets
import ssl
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

from bench.stack import ROOT, Gunicorn, free_port, self_signed_certificate, start_nginx, wait_until_serving

__all__ = ["Gunicorn", "Stack", "wait_until_serving"]


def database_url() -> str:
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(name).resolve()}"
    return urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()


def gunicorn_environment(folder: Path) -> dict[str, str]:
    return {
        **{key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "roer.settings",
        "DATABASE_URL": database_url(),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HTTPS": "true",
        "BEHIND_PROXY": "true",
        "ROER_TRUSTED_PROXIES": "1",
        "ROER_VAR_DIR": str(folder),
        "GUNICORN_WORKERS": "2",
    }


@dataclass
class Stack:
    gunicorn: Gunicorn
    http_port: int
    https_port: int
    tls: ssl.SSLContext
    folder: Path

    def url(self, path: str) -> str:
        return f"https://localhost:{self.https_port}{path}"


@pytest.fixture(scope="module")
def running_stack(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Stack]:  # type: ignore[no-untyped-def]
    """One nginx and one gunicorn for the module (collectstatic alone takes seconds); each test gets it
    with gunicorn serving (see `stack`)."""
    folder = tmp_path_factory.mktemp("deploy")
    tls = self_signed_certificate(folder)
    upstream, http_port, https_port = free_port(), free_port(), free_port()
    with django_db_blocker.unblock():
        gunicorn = Gunicorn(upstream, gunicorn_environment(folder))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=gunicorn.env, check=True,
    )  # fmt: skip
    nginx = start_nginx(folder, [upstream], http_port, https_port)
    stack = Stack(gunicorn, http_port, https_port, tls, folder)
    try:
        yield stack
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        stack.gunicorn.stop()


@pytest.fixture
def stack(running_stack: Stack, transactional_db) -> Iterator[Stack]:  # type: ignore[no-untyped-def]
    """The module's stack with gunicorn serving (a test may kill or stop it)."""
    if running_stack.gunicorn.process is None or running_stack.gunicorn.process.poll() is not None:
        running_stack.gunicorn = Gunicorn(running_stack.gunicorn.port, running_stack.gunicorn.env)
        running_stack.gunicorn.start()
    wait_until_serving(running_stack.url("/health/"), context=running_stack.tls)
    return running_stack
