"""The production set-up of deploy/ on one machine, for tests/deploy and `make scale` (bench/scale.py):
gunicorn with deploy/gunicorn.conf.py, and Debian's nginx running deploy/nginx/roer.conf over TLS with a
certificate made here. Only what differs on a test machine is changed in the nginx files: ports, file
paths, the application servers in the upstream, no IPv6."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NGINX = "/usr/sbin/nginx"
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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
    """One application server: a gunicorn master with deploy/gunicorn.conf.py and its workers."""

    port: int
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    def start(self) -> None:
        command = [GUNICORN, "-c", "deploy/gunicorn.conf.py", "roer.wsgi:application"]
        env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        output = self.log.open("ab") if self.log else None
        try:
            self.process = subprocess.Popen(  # noqa: S603 - our own server
                command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT if output else None
            )
        finally:
            if output is not None:
                output.close()  # the server has its own copy
        wait_until_serving(f"http://127.0.0.1:{self.port}/health/")

    def kill_master(self) -> None:
        """SIGKILL to the master, as the OOM killer sends it; its workers die with it (post_fork)."""
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def self_signed_certificate(folder: Path) -> ssl.SSLContext:
    """A certificate for localhost in `folder` (the file names of roer.conf), and a client context that
    trusts it."""
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return ssl.create_default_context(cafile=str(folder / "fullchain.pem"))


def nginx_site(folder: Path, upstream_ports: list[int], http_port: int, https_port: int) -> str:
    """deploy/nginx/roer.conf with this machine's ports and paths, and roer-upstream.conf listing one
    application server per port, with the options of the file's own first server."""
    upstream = (DEPLOY / "nginx" / "roer-upstream.conf").read_text()
    first = next(line for line in upstream.splitlines() if line.strip().startswith("server 127.0.0.1:8000"))
    servers = "\n".join(first.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for port in upstream_ports)
    (folder / "roer-upstream.conf").write_text(upstream.replace(first, servers))
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


def start_nginx(folder: Path, upstream_ports: list[int], http_port: int, https_port: int) -> subprocess.Popen[bytes]:
    """Debian's nginx on the site above, in the foreground, its files in `folder`; serving when this
    returns."""
    if not os.path.exists(NGINX):
        raise RuntimeError("nginx is missing: `make system-packages` installs it from Debian's packages")
    folder.chmod(0o755)  # nginx's workers read the certificate and static files
    (folder / "site.conf").write_text(nginx_site(folder, upstream_ports, http_port, https_port))
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
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
            return nginx
        except OSError:
            if nginx.poll() is not None or time.monotonic() > deadline:
                nginx.kill()
                nginx.wait()
                raise RuntimeError(f"nginx did not start: {(folder / 'nginx.error.log').read_text()[-2000:]}") from None
            time.sleep(0.05)
