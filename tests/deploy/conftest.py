"""The production set-up as deploy/ describes it, started for real: gunicorn with deploy/gunicorn.conf.py on
the test database, behind Debian's nginx running deploy/nginx/roer.conf over TLS with a certificate made
here. Only what differs on a test machine is changed in the nginx file: ports, file paths, no IPv6."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX = "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_url() -> str:
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(name).resolve()}"
    return urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()


def wait_until_serving(url: str, seconds: float = 20, context: ssl.SSLContext | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2, context=context):  # noqa: S310 - our own test server
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise AssertionError(f"nothing served {url} within {seconds} s")


@dataclass
class Gunicorn:
    port: int
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "deploy/gunicorn.conf.py",
            "roer.wsgi:application",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)  # noqa: S603 - our own server
        wait_until_serving(f"http://127.0.0.1:{self.port}/health/")

    def kill_master(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def gunicorn_environment(folder: Path, port: int) -> dict[str, str]:
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
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
    }


def nginx_site(folder: Path, upstream_port: int, http_port: int, https_port: int) -> str:
    """deploy/nginx/roer.conf with this machine's ports and paths."""
    (folder / "roer-upstream.conf").write_text(
        (DEPLOY / "nginx" / "roer-upstream.conf").read_text().replace("127.0.0.1:8000", f"127.0.0.1:{upstream_port}")
    )
    site = (DEPLOY / "nginx" / "roer.conf").read_text()
    replacements = {
        "include /etc/nginx/roer-upstream.conf;": f"include {folder / 'roer-upstream.conf'};",
        "include /etc/nginx/roer-proxy.conf;": f"include {DEPLOY / 'nginx' / 'roer-proxy.conf'};",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "/etc/ssl/roer/": f"{folder}/",
        "/srv/roer/static/": f"{folder / 'static'}/",
        "/var/log/nginx/": f"{folder}/",
    }
    for old, new in replacements.items():
        assert old in site, f"deploy/nginx/roer.conf no longer has {old!r}"
        site = site.replace(old, new)
    return "\n".join(line for line in site.splitlines() if "[::]" not in line)


@dataclass
class Stack:
    gunicorn: Gunicorn
    http_port: int
    https_port: int
    tls: ssl.SSLContext
    folder: Path

    def url(self, path: str) -> str:
        return f"https://localhost:{self.https_port}{path}"


def self_signed_certificate(folder: Path) -> None:
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip


@pytest.fixture(scope="module")
def running_stack(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Stack]:  # type: ignore[no-untyped-def]
    """One nginx and one gunicorn for the module (collectstatic alone takes seconds); each test gets it
    with gunicorn serving (see `stack`)."""
    if not os.path.exists(NGINX):
        pytest.fail("nginx is missing: `make system-packages` installs it from Debian's packages")
    folder = tmp_path_factory.mktemp("deploy")
    folder.chmod(0o755)  # nginx's workers read the certificate and static files
    self_signed_certificate(folder)
    upstream, http_port, https_port = free_port(), free_port(), free_port()
    with django_db_blocker.unblock():
        gunicorn = Gunicorn(upstream, gunicorn_environment(folder, upstream))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=gunicorn.env, check=True,
    )  # fmt: skip
    (folder / "site.conf").write_text(nginx_site(folder, upstream, http_port, https_port))
    user = "user root;" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"""{user}
        worker_processes 1;
        pid {folder}/nginx.pid;
        error_log {folder}/nginx.error.log warn;
        events {{ worker_connections 1024; }}
        http {{ include /etc/nginx/mime.types; include {folder}/site.conf; }}
        """
    )
    nginx = subprocess.Popen(  # noqa: S603 - Debian's nginx on our own configuration
        [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"]
    )
    tls = ssl.create_default_context(cafile=str(folder / "fullchain.pem"))
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
