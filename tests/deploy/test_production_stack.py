"""The production set-up in deploy/, attacked as the fault run of issue 12 attacked it: slow clients,
a killed master, plain HTTP, static files, the client's address through the proxy."""

from __future__ import annotations

import socket
import ssl
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import link_for
from tests.deploy.conftest import Gunicorn, Stack, wait_until_serving
from tests.factories import InvitationFactory
from tests.groups import GroupKind

pytestmark = pytest.mark.django_db(transaction=True)

SLOW_CLIENTS = 100


def _get(stack: Stack, path: str, timeout: float = 5) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(stack.url(path))  # noqa: S310 - https to our own test server
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=stack.tls) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _trickle(stack: Stack) -> list[ssl.SSLSocket]:
    """Slowloris: TLS connections that send half a request's headers and then nothing."""
    sockets = []
    for _ in range(SLOW_CLIENTS):
        raw = socket.create_connection(("127.0.0.1", stack.https_port), timeout=5)
        slow = stack.tls.wrap_socket(raw, server_hostname="localhost")
        slow.sendall(b"GET /health/ HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        sockets.append(slow)
    return sockets


def test_a_hundred_slow_clients_do_not_hold_up_the_others(stack):
    slow = _trickle(stack)
    try:
        # gunicorn alone (2 workers of one thread) would give each slow client a worker until its
        # timeout; behind nginx none of them reaches gunicorn, so every normal request is answered.
        with ThreadPoolExecutor(max_workers=10) as pool:
            answers = list(pool.map(lambda _: _get(stack, "/login/")[0], range(20)))
        assert answers == [200] * 20
    finally:
        for connection in slow:
            connection.close()


def test_a_master_killed_and_started_again_serves_at_once(stack):
    """Workers busy with a request when their master is killed would keep the port until they finish;
    they die with it (deploy/gunicorn.conf.py's post_fork), so a new master binds at once instead of
    exiting with "Address already in use"."""
    busy = [socket.create_connection(("127.0.0.1", stack.gunicorn.port), timeout=5) for _ in range(4)]
    for connection in busy:  # requests in flight keep the orphaned workers (and the port) a while
        connection.sendall(b"GET /health/ HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
    stack.gunicorn.kill_master()
    stack.gunicorn = Gunicorn(stack.gunicorn.port, stack.gunicorn.env)
    stack.gunicorn.start()  # raises when nothing serves within 20 s
    assert stack.gunicorn.process is not None
    assert stack.gunicorn.process.poll() is None
    assert _get(stack, "/health/")[0] == 200
    for connection in busy:
        connection.close()


def test_plain_http_moves_to_https_except_the_checks_of_a_load_balancer(stack):
    opener = urllib.request.build_opener(_NoRedirects())
    with pytest.raises(urllib.error.HTTPError) as moved:
        opener.open(f"http://127.0.0.1:{stack.http_port}/login/", timeout=5)
    assert moved.value.code == 301
    assert moved.value.headers["Location"].startswith("https://")
    wait_until_serving(f"http://127.0.0.1:{stack.http_port}/health/", seconds=5)


def test_nginx_serves_the_static_files(stack):
    stack.gunicorn.stop()  # nobody behind nginx: the file must come from nginx itself
    status, headers, body = _get(stack, "/static/roer/roer.css")
    assert status == 200
    assert b"{" in body
    assert "Expires" in headers


def test_the_access_log_keeps_no_answer_token(stack, scan):
    director = InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.DIRECTIE))
    invitation_link_path = link_for(director)
    _get(stack, invitation_link_path)  # the scan is not open yet: the page says so, the log must not
    log_file = stack.folder / "roer.access.log"
    # nginx writes the line once the request is done, which can be a moment after the client has read it
    deadline = time.monotonic() + 5
    while "/a/" not in (log := log_file.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "/a/..." in log
    assert invitation_link_path.split("/")[2] not in log


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None
