"""Scale-out run (`make scale`, about four minutes): Roer on several machines' worth of processes, attacked.

The production set-up of deploy/ on this machine: two application servers (gunicorn with
deploy/gunicorn.conf.py, two workers each, on their own ports) behind Debian's nginx (deploy/nginx/roer.conf,
TLS, both servers in its upstream), one PostgreSQL database of its own (created and dropped here, through
bin/with-postgres), Redis for the rate limits both servers share, two task workers (`roer_worker`) and a
mail server (aiosmtpd) that records every message it is given. The load is bench/load_client.py's complete
respondent through nginx over TLS, with cookies and CSRF tokens as a browser has them.

Phases:
  1. baseline: 50 respondents walking for 15 s;
  2. slow clients: the same while 100 slowloris clients hold TLS connections to nginx, trickling
     half-written headers (and connecting again whenever nginx drops one);
  3. faults: 50 respondents walking for a minute, the slow clients still there, while the workers send a
     round of invitations to 4,000 people; 20 s in, application server A is killed (SIGKILL to its master;
     its workers die with it) and started again 15 s later, as systemd does; the task worker sending the
     round is killed outright once it has sent 300 messages.
  4. limits: from three client addresses of their own (127.x.y.z, chosen at random so that no earlier run's
     counts in Redis interfere), through nginx and so spread over both servers: unknown answer links until
     the limit, then a valid link; wrong passwords until the limit; five password resets for one account.

Afterwards it checks, and prints in one table, that every save and submit the client saw acknowledged is
stored exactly once (bench/load_roer_db.py verify: a submit whose request died with server A is stored at most
once, and no invitation has two responses), that every invitee got the invitation exactly once (but the
message the killed worker was sending, which is counted unconfirmed and never sent twice), that the round
finished, that each limit held at its number across both servers, and that the slow clients did not slow the
respondents down (respondents per second at least 0.8x the baseline). Exit status 1 when a check fails.

Knobs: SCALE_USERS (50), SCALE_SECONDS (60), SCALE_KEEP=1 (keep the throw-away folder), and the control
SCALE_WITHOUT_REDIS=1: no Redis, and each application server in a folder of its own, as on two machines, so
that each counts the limits in its own file cache; the limit checks must then fail.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg
from aiosmtpd.controller import Controller

from bench.load import PYTHON, roer_verify, run
from bench.stack import ROOT, Gunicorn, free_port, self_signed_certificate, start_nginx

USERS = int(os.environ.get("SCALE_USERS", "50"))
MAIN_SECONDS = float(os.environ.get("SCALE_SECONDS", "60"))
SHORT_SECONDS = 15.0
WARMUP = 3.0
SLOW_CLIENTS = 100
INVITEES = 4000
KILL_SERVER_AFTER = 20.0  # seconds into the faults phase's measuring time
SERVER_DOWN_FOR = 15.0
KILL_WORKER_AFTER_SENT = 300
ROUND_TIMEOUT = 240.0
GOAL_SLOW_FACTOR = 0.8
# How a request in flight on a server killed under it fails: nginx answers 502 when the server died before
# its answer began, and cuts the answer off when it died while nginx was passing it on.
IN_FLIGHT_FAILURES = {"status 502", "ClientPayloadError", "ServerDisconnectedError"}
WITHOUT_REDIS = os.environ.get("SCALE_WITHOUT_REDIS") == "1"  # the control run
DATABASE = "roer_scale"
# An address is refused once it has failed more often than its limit (ROER_BAD_LINKS 20/10m, ROER_LOGIN_FAILURES
# 10/15m), so one more than the limit is answered, as on a single server (tests/test_security.py). Counted in
# each server's own memory, four processes would answer up to four times as many.
BAD_LINKS = 20 + 1
LOGIN_FAILURES = 10 + 1
RESETS_PER_EMAIL = 3  # ROER_PASSWORD_RESETS_PER_EMAIL's default, 3/h: e-mails beyond it are not sent

_STARTED = time.time()


def progress(message: str) -> None:
    print(f"[scale {time.time() - _STARTED:6.1f}s] {message}", flush=True)


# --- the services ---------------------------------------------------------------------------------------
class Mailbox:
    """An SMTP server on a free port that keeps, per recipient, how many messages reached them."""

    def __init__(self) -> None:
        self.received: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.started = False

    def start(self) -> None:
        self.controller.start()
        self.started = True

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.received.update(address.lower() for address in envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return sum(self.received.values())


def redis_url(folder: Path) -> tuple[str, subprocess.Popen[bytes] | None]:
    """The machine's Redis on 127.0.0.1:6379 when one answers, else a redis-server of our own."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as probe:
            probe.sendall(b"PING\r\n")
            if probe.recv(16).startswith(b"+PONG"):
                return "redis://127.0.0.1:6379/0", None
    except OSError:
        pass
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError(
            "no Redis answers on 127.0.0.1:6379 and redis-server is missing (apt-get install redis-server)"
        )
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - Debian's redis-server
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    progress(f"redis: started redis-server on port {port}")
    return f"redis://127.0.0.1:{port}/0", process


def psql(database_url: str) -> list[str]:
    given = urlsplit(database_url)
    # postgres://role@%2Fvar%2Frun%2Fpostgresql:5432/roer: the host is the socket folder, URL-quoted
    host = unquote(given.netloc.rsplit("@", 1)[-1].rsplit(":", 1)[0]) or "/var/run/postgresql"
    command = ["psql", "-h", host, "-p", str(given.port or 5432), "-U", given.username or "postgres", "-d", "postgres"]
    return [*command, "-v", "ON_ERROR_STOP=1", "-q", "-c"]


@dataclass
class Stack:
    folder: Path
    env: dict[str, str]
    servers: list[Gunicorn]
    https_port: int
    tls: ssl.SSLContext
    mailbox: Mailbox
    workers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    background: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"https://localhost:{self.https_port}"

    def manage(self, *arguments: str) -> str:
        return run([PYTHON, "manage.py", *arguments], env=self.env, what=" ".join(arguments[:1]))

    def db(self, *arguments: str) -> Any:
        output = run([PYTHON, "-m", "bench.scale_db", *arguments], env=self.env, what=f"scale_db {arguments[0]}")
        return json.loads(output) if output.strip() else None

    def latest_round(self, scan: int) -> dict[str, Any]:
        """The scan's latest round of e-mails, and the worker running its task, read straight from the
        database (a Django process per look would cost the machine more than the servers)."""
        with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as connection:
            row = connection.execute(
                "SELECT m.status, m.total, m.sent, m.unconfirmed, t.status, t.worker_ids FROM scans_mailing m "
                "LEFT JOIN django_tasks_database_dbtaskresult t ON t.id = m.task_id "
                "WHERE m.scan_id = %s ORDER BY m.id DESC LIMIT 1",
                (scan,),
            ).fetchone()
        if row is None:
            return {}
        status, total, sent, unconfirmed, task_status, worker_ids = row
        sender = worker_ids[-1] if task_status == "RUNNING" and worker_ids else None
        return {"status": status, "total": total, "sent": sent, "unconfirmed": unconfirmed, "sender": sender}

    def start_worker(self, name: str) -> None:
        with (self.folder / f"{name}.log").open("ab") as log:
            self.workers[name] = subprocess.Popen(  # noqa: S603 - our own command
                [PYTHON, "manage.py", "roer_worker", "--worker-id", name, "--interval", "0.2"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def stop(self) -> None:
        for server in self.servers:
            server.stop()
        for process in [*self.workers.values(), *self.background]:
            _stop_process(process)
        if self.mailbox.started:
            self.mailbox.controller.stop()


def _stop_process(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def environment(folder: Path, database_url: str, redis: str, mailbox: Mailbox, https_port: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "DB_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "roer.settings",
            "DATABASE_URL": database_url,
            "REDIS_URL": "" if WITHOUT_REDIS else redis,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            # nginx passes the host without the port (deploy/nginx/roer-proxy.conf), the browser's Origin has it
            "CSRF_TRUSTED_ORIGINS": f"https://localhost:{https_port}",
            "HTTPS": "true",
            "BEHIND_PROXY": "true",
            "ROER_TRUSTED_PROXIES": "1",
            "ROER_VAR_DIR": str(folder),
            "ROER_BASE_URL": f"https://localhost:{https_port}",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(mailbox.port),
            "EMAIL_USE_TLS": "false",
            "GUNICORN_WORKERS": "2",
            # A killed worker's task is taken over after 10 s of silence instead of a minute.
            "ROER_WORKER_HEARTBEAT_SECONDS": "2",
            "ROER_WORKER_SILENCE_SECONDS": "10",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def server_environment(env: dict[str, str], folder: Path, name: str) -> dict[str, str]:
    """An application server's environment: the stack's, but in the control run (SCALE_WITHOUT_REDIS=1)
    a folder of its own, as on a machine of its own, so that its limits are counted in its own file
    cache (settings.py's fallback without Redis)."""
    if not WITHOUT_REDIS:
        return env
    return {**env, "ROER_VAR_DIR": str(folder / f"server-{name}")}


def start_stack(folder: Path, database_url: str, resources: contextlib.ExitStack) -> Stack:
    """Start everything, each part stopped by `resources` however the run ends, also half-way here."""
    redis, redis_process = redis_url(folder)
    if redis_process is not None:
        resources.callback(_stop_process, redis_process)
    mailbox = Mailbox()
    https_port, http_port = free_port(), free_port()
    env = environment(folder, database_url, redis, mailbox, https_port)
    tls = self_signed_certificate(folder)
    servers = [
        Gunicorn(free_port(), server_environment(env, folder, name), log=folder / f"gunicorn-{name}.log")
        for name in "AB"
    ]
    stack = Stack(folder, env, servers, https_port, tls, mailbox)
    resources.callback(stack.stop)
    mailbox.start()
    progress("postgresql: migrate, collectstatic, load_instrument")
    stack.manage("migrate", "--noinput", "--verbosity", "0")
    for server_env in {server.env["ROER_VAR_DIR"]: server.env for server in servers}.values():
        run(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            env=server_env,
            what="collectstatic",
        )
    stack.manage("load_instrument", "--verbosity", "0")
    for server in servers:
        server.start()
    stack.background.append(start_nginx(folder, [server.port for server in servers], http_port, https_port))
    for name in ("worker-1", "worker-2"):
        stack.start_worker(name)
    progress(
        f"serving on {stack.base}: nginx, application servers A (:{servers[0].port}) and B (:{servers[1].port}), "
        f"two task workers, Redis {redis}, mail server :{mailbox.port}"
    )
    return stack


# --- slow clients ---------------------------------------------------------------------------------------
class Slowloris:
    """SLOW_CLIENTS TLS connections to nginx that never finish a request: half send half a request's headers
    and then one header line every few seconds; the other half send a POST's headers and then its body a few
    bytes at a time. One that nginx closes is opened again. Behind a proxy that buffered neither, each would
    hold one of the application servers' sync workers for as long as it liked."""

    _HEADERS = b"GET /login/ HTTP/1.1\r\nHost: localhost\r\n"
    _BODY = (
        b"POST /login/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 1000000\r\n\r\nusername="
    )

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.sockets: list[ssl.SSLSocket | None] = [None] * SLOW_CLIENTS
        self.reconnects = 0
        self.running = False
        self.thread = threading.Thread(target=self._trickle, daemon=True)

    def _open(self, index: int) -> ssl.SSLSocket | None:
        try:
            raw = socket.create_connection(("127.0.0.1", self.stack.https_port), timeout=5)
            slow = self.stack.tls.wrap_socket(raw, server_hostname="localhost")
            slow.sendall(self._HEADERS if index % 2 == 0 else self._BODY)
            return slow
        except OSError:
            return None

    def _trickle(self) -> None:
        while self.running:
            for index, slow in enumerate(self.sockets):
                if not self.running:
                    return
                try:
                    if slow is None:
                        raise OSError
                    slow.sendall(b"X-Slow: %d\r\n" % random.randrange(10_000) if index % 2 == 0 else b"aaaa")
                except OSError:
                    if slow is not None:
                        slow.close()
                        self.reconnects += 1
                    self.sockets[index] = self._open(index)
            time.sleep(2)

    def __enter__(self) -> Slowloris:
        self.sockets = [self._open(index) for index in range(SLOW_CLIENTS)]
        self.running = True
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.running = False
        self.thread.join(timeout=10)
        for slow in self.sockets:
            if slow is not None:
                slow.close()

    def open_now(self) -> int:
        return sum(slow is not None for slow in self.sockets)


# --- walking respondents --------------------------------------------------------------------------------
def walk_config(stack: Stack, respondents: list[dict[str, str]], seconds: float) -> dict[str, Any]:
    return {
        "base": stack.base,
        "cafile": str(stack.folder / "fullchain.pem"),
        "kind": "walk",
        "flavour": "roer",
        "concurrency": USERS,
        "warmup": WARMUP,
        "duration": seconds,
        "respondents": respondents,
    }


def start_walk(stack: Stack, label: str, config: dict[str, Any]) -> tuple[subprocess.Popen[bytes], Path]:
    config_path = stack.folder / f"client-{label}.json"
    result_path = stack.folder / f"result-{label}.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    progress(f"{label}: {config['concurrency']} respondents walking, {WARMUP:g} s warm-up + {config['duration']:g} s")
    process = subprocess.Popen(  # noqa: S603 - our own client
        [PYTHON, "-m", "bench.load_client", str(config_path), str(result_path)], cwd=ROOT
    )
    return process, result_path


def finish_walk(label: str, process: subprocess.Popen[bytes], result_path: Path) -> dict[str, Any]:
    if process.wait():
        raise RuntimeError(f"{label}: the load client failed ({process.returncode})")
    result: dict[str, Any] = json.loads(result_path.read_text(encoding="utf-8"))
    for kind, tally in sorted(result["tallies"].items()):
        progress(
            f"  {kind:<12} {tally['count']:>6} {tally['rps']:7.1f}/s  p50 {tally['p50_ms'] or 0:.0f} ms  "
            f"p99 {tally['p99_ms'] or 0:.0f} ms  errors {tally['errors']} {tally['error_kinds'] or ''}"
        )
    return result


def walk(stack: Stack, label: str, respondents: list[dict[str, str]], seconds: float) -> dict[str, Any]:
    return finish_walk(label, *start_walk(stack, label, walk_config(stack, respondents, seconds)))


# --- faults ---------------------------------------------------------------------------------------------
def faults(stack: Stack, respondents: list[dict[str, str]], invite_scan: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The faults phase; returns the walk's result and what happened to the round and the processes."""
    events: dict[str, Any] = {}
    process, result_path = start_walk(stack, "faults", walk_config(stack, respondents, MAIN_SECONDS))
    began = time.monotonic()
    stack.db("invite", str(invite_scan), stack.base)
    server = stack.servers[0]
    killed_worker = ""
    restarted = False
    while process.poll() is None:
        elapsed = time.monotonic() - began - WARMUP
        if "server_killed_at" not in events and elapsed >= KILL_SERVER_AFTER:
            server.kill_master()
            events["server_killed_at"] = round(elapsed, 1)
            progress(f"faults: application server A killed (SIGKILL to its master) {elapsed:.0f} s in")
        if not restarted and "server_killed_at" in events and elapsed >= KILL_SERVER_AFTER + SERVER_DOWN_FOR:
            server.start()
            restarted = True
            events["server_restarted_at"] = round(time.monotonic() - began - WARMUP, 1)
            progress(f"faults: application server A started again {events['server_restarted_at']:.0f} s in")
        if not killed_worker:
            state = stack.latest_round(invite_scan)
            if state.get("sent", 0) >= KILL_WORKER_AFTER_SENT and state.get("sender") in stack.workers:
                killed_worker = state["sender"]
                stack.workers[killed_worker].kill()
                stack.workers[killed_worker].wait()
                events["worker_killed"] = killed_worker
                events["worker_killed_after_sent"] = state["sent"]
                progress(f"faults: {killed_worker}, sending the invitations, killed after {state['sent']} messages")
        time.sleep(0.5)
    result = finish_walk("faults", process, result_path)
    if "server_killed_at" in events and not restarted:  # a short run: both must serve the limits phase
        server.start()
        events["server_restarted_at"] = round(time.monotonic() - began - WARMUP, 1)
    deadline = time.monotonic() + ROUND_TIMEOUT
    while True:
        state = stack.latest_round(invite_scan)
        if state.get("status") in ("done", "failed", "stopped") or time.monotonic() > deadline:
            break
        time.sleep(1)
    events["round"] = state
    progress(f"faults: the round of invitations ended {state.get('status')}: {state}")
    return result, events


# --- limits across both servers -------------------------------------------------------------------------
def client_address() -> str:
    return f"127.{random.randrange(1, 255)}.{random.randrange(1, 255)}.{random.randrange(2, 255)}"


class Client:
    """One browser at its own address: a connection per request (nginx spreads them over both servers),
    with its cookies."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.address = client_address()
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        connection = http.client.HTTPSConnection(
            "localhost", self.stack.https_port, context=self.stack.tls, timeout=30, source_address=(self.address, 0)
        )
        headers = {"Origin": self.stack.base, "Referer": self.stack.base + path}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = "&".join(f"{key}={value}" for key, value in form.items())
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return response.status, text
        finally:
            connection.close()

    def csrf(self, path: str) -> str:
        status, page = self.request("GET", path)
        assert status == 200, (path, status)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found, f"no CSRF token on {path}"
        return found.group(1)


def allowed_before_refused(statuses: list[int]) -> int:
    return statuses.index(429) if 429 in statuses else len(statuses)


def limits(stack: Stack, valid_token: str, manager: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    links = Client(stack)
    statuses = [links.request("GET", f"/a/{secrets.token_urlsafe(32)}/1/")[0] for _ in range(BAD_LINKS + 10)]
    found["bad_links"] = {"address": links.address, "allowed": allowed_before_refused(statuses), "limit": BAD_LINKS}
    found["bad_links"]["refused_after"] = all(status == 429 for status in statuses[BAD_LINKS:])
    found["valid_link_after"] = links.request("GET", f"/a/{valid_token}/1/")[0]

    login = Client(stack)
    token = login.csrf("/login/")
    statuses = []
    for attempt in range(LOGIN_FAILURES + 5):
        form = {"csrfmiddlewaretoken": token, "username": f"stranger{attempt}%40example.org", "password": "wrong"}
        statuses.append(login.request("POST", "/login/", form)[0])
    found["log_in"] = {"address": login.address, "allowed": allowed_before_refused(statuses), "limit": LOGIN_FAILURES}

    reset = Client(stack)
    token = reset.csrf("/password/reset/")
    before = stack.mailbox.received[manager]
    answers = [
        reset.request("POST", "/password/reset/", {"csrfmiddlewaretoken": token, "email": manager.replace("@", "%40")})[
            0
        ]
        for _ in range(RESETS_PER_EMAIL + 2)
    ]
    time.sleep(1)
    found["resets"] = {
        "requests": len(answers),
        "answered": Counter(answers),
        "emails": stack.mailbox.received[manager] - before,
        "limit": RESETS_PER_EMAIL,
    }
    log = (stack.folder / "roer.access.log").read_text(errors="replace").splitlines()
    upstream = re.compile(r" upstream=([^ ,]+)")
    found["servers_seen"] = {
        address: sorted(
            {match.group(1) for line in log if line.startswith(address + " ") and (match := upstream.search(line))}
        )
        for address in (links.address, login.address, reset.address)
    }
    return found


# --- the table ------------------------------------------------------------------------------------------
def _walk_row(name: str, result: dict[str, Any]) -> str:
    tallies = result["tallies"]
    respondent = tallies.get("respondent", {})
    pages = [tallies[kind] for kind in ("GET page", "POST save", "POST submit") if kind in tallies]
    errors = sum(tally["errors"] for tally in pages)
    post = tallies.get("POST", {})
    return (
        f"| {name:<34} | {respondent.get('rps', 0):>7.1f} | {post.get('p50_ms') or 0:>7.0f} | "
        f"{post.get('p99_ms') or 0:>7.0f} | {sum(t['count'] for t in pages):>8} | {errors:>6} |"
    )


def report(
    walks: dict[str, dict[str, Any]],
    verify: dict[str, Any],
    events: dict[str, Any],
    mail: dict[str, Any],
    found: dict[str, Any],
    slow_open: int,
) -> list[tuple[str, bool, str]]:
    print()
    print(f"| {f'phase ({USERS} respondents via nginx)':<34} | resp./s | POST p50 | POST p99 | requests | errors |")
    print(f"|{'-' * 36}|---------|---------|---------|----------|--------|")
    print(_walk_row("1 baseline", walks["baseline"]))
    print(_walk_row(f"2 with {SLOW_CLIENTS} slow clients", walks["slow"]))
    print(_walk_row("3 one server and one worker killed", walks["faults"]))
    print("(POST columns in ms; errors are requests that failed: in phase 3 those in flight on server A)")
    print()
    base = walks["baseline"]["tallies"].get("respondent", {}).get("rps", 0)
    slow = walks["slow"]["tallies"].get("respondent", {}).get("rps", 0)
    ratio = slow / base if base else 0.0
    round_state = events.get("round", {})
    checks = [
        (
            f"slow clients ({slow_open} connections held) do not slow respondents down",
            ratio >= GOAL_SLOW_FACTOR,
            f"{ratio:.2f}x the baseline (goal >= {GOAL_SLOW_FACTOR})",
        ),
        (
            "baseline and slow-client phases without a failed request",
            _errors(walks["baseline"]) + _errors(walks["slow"]) == 0,
            f"{_errors(walks['baseline']) + _errors(walks['slow'])} failed",
        ),
        (
            "phase 3: only requests in flight on server A failed, at most one per respondent",
            set(_error_kinds(walks["faults"])) <= IN_FLIGHT_FAILURES and _errors(walks["faults"]) <= USERS,
            f"{_errors(walks['faults'])} failed: {_error_kinds(walks['faults']) or 'none'}",
        ),
        (
            "every acknowledged save and submit stored exactly once",
            bool(verify["ok"]),
            f"{verify['responses_stored']} responses for {verify['submits_counted']} acknowledged submits and "
            f"{verify['lost_answers_stored']} whose answer was lost ({verify['uncertain']} respondents with a "
            f"failed request), {verify['invitations_submitted']} invitations "
            f"submitted, {verify['draft_answers_checked']} draft answers checked, {verify['problem_count']} problems",
        ),
        (
            "server A killed and back",
            "server_killed_at" in events and "server_restarted_at" in events,
            f"killed {events.get('server_killed_at')} s in, started again {events.get('server_restarted_at')} s in",
        ),
        (
            "worker killed mid-round, round finished by the other",
            bool(events.get("worker_killed")) and round_state.get("status") == "done",
            f"{events.get('worker_killed')} killed after {events.get('worker_killed_after_sent')} messages; "
            f"round {round_state.get('status')}",
        ),
        (
            "every invitation went out exactly once",
            mail["ok"],
            f"{mail['invitees']} invitees: {mail['once']} once, {mail['twice_or_more']} twice or more, "
            f"{mail['none']} none; unconfirmed (the killed worker's message in flight) {mail['unconfirmed']}",
        ),
        (
            "unknown links limited across both servers; a valid link still opens",
            found["bad_links"]["allowed"] == BAD_LINKS
            and found["bad_links"]["refused_after"]
            and found["valid_link_after"] == 200,
            f"{found['bad_links']['allowed']} answered before 429 (expected {BAD_LINKS}); "
            f"a valid link then {found['valid_link_after']}",
        ),
        (
            "failed log-ins limited across both servers",
            found["log_in"]["allowed"] == LOGIN_FAILURES,
            f"{found['log_in']['allowed']} answered before 429 (expected {LOGIN_FAILURES})",
        ),
        (
            "password resets limited across both servers",
            found["resets"]["emails"] == RESETS_PER_EMAIL,
            f"{found['resets']['requests']} requests, {found['resets']['emails']} e-mails (limit {RESETS_PER_EMAIL}), "
            f"answers {dict(found['resets']['answered'])}",
        ),
        (
            "each limited client was served by both servers",
            all(len(servers) >= 2 for servers in found["servers_seen"].values()),
            "; ".join(f"{address}: {', '.join(servers)}" for address, servers in found["servers_seen"].items()),
        ),
    ]  # fmt: skip
    print(f"| {'check':<66} | {'result':<7} | figures")
    print(f"|{'-' * 68}|---------|--------")
    for name, met, figures in checks:
        print(f"| {name:<66} | {'met' if met else 'NOT MET':<7} | {figures}")
    return checks


def _error_kinds(result: dict[str, Any]) -> dict[str, int]:
    kinds: Counter[str] = Counter()
    for kind, tally in result["tallies"].items():
        if kind not in ("POST", "respondent"):
            kinds.update(tally["error_kinds"])
    return dict(kinds)


def _errors(result: dict[str, Any]) -> int:
    return sum(tally["errors"] for kind, tally in result["tallies"].items() if kind not in ("POST", "respondent"))


def mail_check(stack: Stack, invitees: dict[str, int], events: dict[str, Any]) -> dict[str, Any]:
    received = stack.mailbox.received
    counts = Counter(min(received[address], 2) for address in invitees)
    unconfirmed = int(events.get("round", {}).get("unconfirmed", 0))
    return {
        "invitees": len(invitees),
        "once": counts[1],
        "twice_or_more": counts[2],
        "none": counts[0],
        "unconfirmed": unconfirmed,
        # nobody twice; nobody without a message but the ones the round counted unconfirmed
        "ok": counts[2] == 0 and counts[0] <= unconfirmed <= 1,
    }


# --- main -----------------------------------------------------------------------------------------------
def scale(folder: Path, database_url: str) -> int:
    with contextlib.ExitStack() as resources:
        stack = start_stack(folder, database_url, resources)
        seed_path = folder / "seed.json"
        run(
            [PYTHON, "-m", "bench.load_roer_db", "seed", str(seed_path), "1500", "1500", "4000", "10"],
            env=stack.env,
            what="creating respondents",
        )
        seed = json.loads(seed_path.read_text(encoding="utf-8"))
        manager = f"scanmanager-{secrets.token_hex(4)}@belasting.example"
        invite_path = folder / "invite.json"
        run(
            [PYTHON, "-m", "bench.scale_db", "seed", str(invite_path), str(INVITEES), manager],
            env=stack.env,
            what="creating invitees",
        )
        invite = json.loads(invite_path.read_text(encoding="utf-8"))
        walks: dict[str, dict[str, Any]] = {}
        walks["baseline"] = walk(stack, "baseline", seed["sets"][0], SHORT_SECONDS)
        with Slowloris(stack) as slow:
            walks["slow"] = walk(stack, "slow", seed["sets"][1], SHORT_SECONDS)
            walks["faults"], events = faults(stack, seed["sets"][2], invite["scan"])
            slow_open = slow.open_now()
            progress(f"slow clients: {slow_open} connections open at the end, {slow.reconnects} opened again")
        found = limits(stack, seed["sets"][3][0]["token"], manager)
        records = [record for result in walks.values() for record in result.pop("records")]
        verify = roer_verify(folder, stack.env, seed["scan"], records, "scale", uncertain_allowed=True)
        mail = mail_check(stack, invite["invitees"], events)
        checks = report(walks, verify, events, mail, found, slow_open)
    (folder / "scale-result.json").write_text(
        json.dumps({"walks": walks, "events": events, "limits": found}, default=str)
    )
    failed = [name for name, met, _figures in checks if not met]
    print()
    print("all checks met" if not failed else f"NOT MET: {'; '.join(failed)}")
    return 1 if failed else 0


def main() -> int:
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))
    given = os.environ.get("DATABASE_URL", "")
    if not given.startswith(("postgres://", "postgresql://")):
        print("bench.scale runs on PostgreSQL: `make scale` (bin/with-postgres python -m bench.scale)", file=sys.stderr)
        return 2
    database_url = urlunsplit(urlsplit(given)._replace(path="/" + DATABASE))
    command = psql(given)
    run([*command, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"], env=dict(os.environ), what="dropping")
    run([*command, f"CREATE DATABASE {DATABASE}"], env=dict(os.environ), what="creating the database")
    folder = Path(tempfile.mkdtemp(prefix="roer-scale-"))
    try:
        return scale(folder, database_url)
    finally:
        run([*command, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"], env=dict(os.environ), what="dropping")
        if os.environ.get("SCALE_KEEP") == "1":
            progress(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
