"""Load test: Roer served as in production by gunicorn, driven over loopback by a separate asyncio client.

`.venv/bin/python -m bench.load` (about three minutes) runs, each against its own server:

  (a) a bare WSGI hello (bench/load_hello_wsgi.py), to show what gunicorn and the client cost alone;
  (b) Roer's GET /health/, a Django view through the whole middleware stack without the database;
  (c) Roer's questionnaire: GET /a/<token>/1/ by token, then 50 respondents at once walking every page
      (GET, POST action=next, ..., POST action=submit) with the CSRF cookie and token, as a browser would;
  (d) the same questions in the PyPI package django-survey-and-report 1.5.0 (the peer), in its own virtual
      environment and minimal project (bench/peer/), GET of its first page and the same walk;
  and then (b) and (c) again on PostgreSQL (bin/with-postgres, a database of its own, dropped afterwards),
  (c) once as Roer runs by default (connections kept 60 s) and once with a connection per request.

Every server runs from a throw-away folder with DEBUG off, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1
and SQLite with WAL and IMMEDIATE transactions (Roer's settings.py; the peer's settings do the same), after
migrate, collectstatic and load_instrument. Every scenario uses the same client settings: concurrency 50,
a warm-up, then a fixed measuring time. After the walks the database is checked for lost answers.

Environment knobs (for experiments; the defaults are what `make` runs): LOAD_WORKER_CLASS, LOAD_WORKERS,
LOAD_THREADS, LOAD_REUSE_PORT=1, LOAD_DURATION, LOAD_WARMUP, LOAD_CONCURRENCY, LOAD_SKIP_PEER=1,
LOAD_SKIP_POSTGRES=1, LOAD_KEEP=1 (keep the throw-away folder), LOAD_ROER_APP (another WSGI entry point, to
try a change without touching roer/).

Every server is stopped on the way out, also on errors and signals; should this process be killed outright,
its servers get SIGTERM from the kernel (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
PEER_DIR = ROOT / "bench" / "peer"
PEER_REQUIREMENTS = ["django-survey-and-report==1.5.0", "Django==5.2.19", "gunicorn==27.0.1"]
LOAD_DATABASE = "roer_load"

# gthread, 3 processes with 1 thread each; LOAD_* variables override it for experiments.
WORKER_CHOICE = [
    "workers: 3 processes of 1 thread (gthread, for keep-alive). Django is CPU-bound: threads in one process",
    "  contend for the GIL, and every extra thread cost more than it gained once the questionnaire stopped",
    "  waiting on the database. A third process keeps both cores busy while one waits for SQLite's write",
    "  lock. Tried on this 2-core machine: gthread 2x4 (questionnaire GET 36% of the Django hello, 260",
    "  saves/s), 2x1 (52%, 300/s), 3x1 (49%, 330/s), 4x1 (50%, 290/s, p99 up to 450 ms); sync workers lose",
    "  keep-alive (30-50% fewer saves/s).",
]
WORKER_CLASS = os.environ.get("LOAD_WORKER_CLASS", "gthread")
WORKERS = int(os.environ.get("LOAD_WORKERS", "3"))
THREADS = int(os.environ.get("LOAD_THREADS", "1"))
REUSE_PORT = os.environ.get("LOAD_REUSE_PORT", "0") == "1"
ROER_APP = os.environ.get("LOAD_ROER_APP", "roer.wsgi:application")  # another entry point, to try a change
CONCURRENCY = int(os.environ.get("LOAD_CONCURRENCY", "50"))
WARMUP = float(os.environ.get("LOAD_WARMUP", "3"))
DURATION = float(os.environ.get("LOAD_DURATION", "10"))

GET_TOKENS = 200  # distinct respondents whose first page the GET scenario reads
WALK_RESPONDENTS = 2000  # more than 50 users can walk in the measuring time: nobody answers twice

# Goals
GOAL_GET_SHARE = 0.40
GOAL_POST_RPS = 100.0
GOAL_P99_MS = 1000.0
GOAL_MEMORY_MB = 150.0
GOAL_POSTGRES_FACTOR = 2.0

# The PostgreSQL part runs in a child process (inside bin/with-postgres) and keeps the parent's clock.
_STARTED = float(os.environ.setdefault("LOAD_STARTED_AT", repr(time.time())))


def progress(message: str) -> None:
    print(f"[load {time.time() - _STARTED:6.1f}s] {message}", flush=True)


def _terminate(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run(command: list[str], *, env: dict[str, str], cwd: Path = ROOT, what: str) -> str:
    """Run a set-up step; on failure raise with the end of its output."""
    result = subprocess.run(  # noqa: S603 - our own commands
        command, env=env, cwd=cwd, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise RuntimeError(f"{what} failed ({result.returncode}):\n{(result.stdout + result.stderr)[-3000:]}")
    return result.stdout


# --- servers ------------------------------------------------------------------------------------------
def _children(parent: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.append(int(entry))
    return found


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS


_TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            head, tail = stat.read().rsplit(")", 1)
    except OSError:
        return []
    return [head.split("(", 1)[1], *tail.split()]  # [comm, state, ppid, ...]


def database_cpu_seconds() -> float:
    """CPU time of the local PostgreSQL server: each postmaster, the backends it reaped, and the live ones.

    With a connection per request the backends live shorter than a scenario, so their time is only found in
    the postmaster's children's time (cutime, cstime)."""
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        fields = _stat_fields(int(entry))
        if not fields or fields[0] != "postgres":
            continue
        parent = _stat_fields(int(fields[2]))
        if parent and parent[0] == "postgres":
            continue
        total += sum(int(value) for value in fields[12:16]) / _TICKS
        total += sum(_cpu_seconds(child) for child in _children(int(entry)))
    return total


def _die_with_parent() -> None:
    """In a child before exec: get SIGTERM when this process dies, however it dies."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def _status_kb(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Server:
    """A gunicorn master and its workers, with a thread that samples the workers' resident memory."""

    name: str
    app: str
    env: dict[str, str]
    folder: Path
    gunicorn: str = GUNICORN
    cwd: Path = ROOT
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    log: Path = field(default_factory=Path)
    peak_rss_kb: int = 0
    peak_total_kb: int = 0
    hwm_kb: dict[int, int] = field(default_factory=dict)
    _sampling: bool = False
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self.port = free_port()
        self.log = self.folder / f"gunicorn-{self.name}.log"
        command = [
            self.gunicorn,
            self.app,
            "--bind",
            f"127.0.0.1:{self.port}",
            "--worker-class",
            WORKER_CLASS,
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "--chdir",
            str(self.cwd),
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
            *(["--reuse-port"] if REUSE_PORT else []),
        ]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own command
                command,
                env=self.env,
                cwd=self.cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,  # no server outlives this run
            )
        progress(f"{self.name}: gunicorn pid {self.process.pid} on 127.0.0.1:{self.port}")
        deadline = time.monotonic() + 60
        url = f"http://127.0.0.1:{self.port}/health/"
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name}: gunicorn exited:\n{self.log.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except urllib.error.HTTPError as exc:
                if exc.code < 500:
                    break  # it answers (the peer has no /health/)
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name}: gunicorn did not answer within 60 s")
            time.sleep(0.2)
        self._sampling = True
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def workers(self) -> list[int]:
        return _children(self.process.pid) if self.process else []

    def cpu_seconds(self) -> float:
        return sum(_cpu_seconds(pid) for pid in self.workers())

    def _sample(self) -> None:
        pids: list[int] = []
        listed = 0.0
        while self._sampling:
            if time.monotonic() - listed > 1.0:  # workers rarely change; listing /proc costs more than reading
                pids, listed = self.workers(), time.monotonic()
            total = 0
            for pid in pids:
                rss = _status_kb(pid, "VmRSS")
                total += rss
                self.peak_rss_kb = max(self.peak_rss_kb, rss)
                self.hwm_kb[pid] = max(self.hwm_kb.get(pid, 0), _status_kb(pid, "VmHWM"))
            self.peak_total_kb = max(self.peak_total_kb, total)
            time.sleep(0.1)

    def reset_memory(self) -> None:
        self.peak_rss_kb = 0
        self.peak_total_kb = 0

    def log_size(self) -> int:
        return self.log.stat().st_size if self.log.exists() else 0

    def locked_since(self, offset: int) -> int:
        with self.log.open("rb") as log:
            log.seek(offset)
            return log.read().count(b"database is locked")

    def stop(self) -> None:
        self._sampling = False
        if self._thread is not None:
            self._thread.join(timeout=2)
        if self.process is None or self.process.poll() is not None:
            return
        for pid in self.workers():  # the high-water mark just before they go
            self.hwm_kb[pid] = max(self.hwm_kb.get(pid, 0), _status_kb(pid, "VmHWM"))
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass
        progress(f"{self.name}: gunicorn stopped")


# --- the client ---------------------------------------------------------------------------------------
def drive(server: Server, label: str, config: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Run one scenario with the client in its own process; returns the client's figures and the server's."""
    config = {
        "base": f"http://127.0.0.1:{server.port}",
        "concurrency": CONCURRENCY,
        "warmup": WARMUP,
        "duration": DURATION,
        **config,
    }
    slug = re.sub(r"\W+", "-", label).strip("-").lower()
    config_path = folder / f"client-{slug}.json"
    result_path = folder / f"result-{slug}.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    offset = server.log_size()
    server.reset_memory()
    progress(f"{label}: {CONCURRENCY} concurrent, {WARMUP:g} s warm-up + {DURATION:g} s")
    server_cpu = server.cpu_seconds()
    client_cpu = _children_cpu()
    database_cpu = database_cpu_seconds()
    began = time.perf_counter()
    run([PYTHON, "-m", "bench.load_client", str(config_path), str(result_path)], env=dict(os.environ), what=label)
    wall = time.perf_counter() - began
    server_cpu = server.cpu_seconds() - server_cpu
    client_cpu = _children_cpu() - client_cpu
    database_cpu = database_cpu_seconds() - database_cpu
    time.sleep(0.3)  # one more memory sample
    result = json.loads(result_path.read_text(encoding="utf-8"))
    result["server_cpu_ms_per_request"] = server_cpu * 1000 / max(1, result["all_requests"])
    result["server_cpu_share"] = server_cpu / wall
    result["client_cpu_share"] = client_cpu / wall
    result["database_cpu_share"] = database_cpu / wall
    result["locked"] = server.locked_since(offset)
    result["peak_rss_mb"] = server.peak_rss_kb / 1024
    result["peak_total_mb"] = server.peak_total_kb / 1024
    result["label"] = label
    progress(
        f"  server workers used {result['server_cpu_share']:.2f} CPU cores "
        f"({result['server_cpu_ms_per_request']:.1f} ms CPU per request), the client {result['client_cpu_share']:.2f}"
        + (f", PostgreSQL {result['database_cpu_share']:.2f}" if result["database_cpu_share"] >= 0.01 else "")
    )
    for kind, tally in result["tallies"].items():
        progress(
            f"  {kind:<12} {tally['count']:>6} requests  {tally['rps']:7.1f}/s  p50 {_ms(tally['p50_ms'])}  "
            f"p99 {_ms(tally['p99_ms'])}  errors {tally['errors']}"
        )
    return result


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} ms"


# --- Roer ---------------------------------------------------------------------------------------------
def roer_environment(folder: Path, database_url: str) -> dict[str, str]:
    skip = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DB_CONN_MAX_AGE"}  # Roer's defaults: connections kept 60 s
    env = {key: value for key, value in os.environ.items() if key not in skip}
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "ROER_VAR_DIR": str(folder),
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "roer.settings",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def roer_phase(folder: Path, database_url: str, label: str, *, per_request_variant: bool = False) -> dict[str, Any]:
    """Set Roer up on `database_url`, serve it, run (b) and (c), check the database; returns the figures.

    With `per_request_variant`, (c) runs once more on a server with DB_CONN_MAX_AGE=0 (a new connection per
    request), on respondents of its own, to show what Roer's default of keeping connections saves."""
    folder.mkdir(parents=True, exist_ok=True)
    env = roer_environment(folder, database_url)
    progress(f"{label}: migrate, collectstatic, load_instrument")
    manage = [PYTHON, str(ROOT / "manage.py")]
    run([*manage, "migrate", "--noinput", "--verbosity", "0"], env=env, what="migrate")
    run([*manage, "collectstatic", "--noinput", "--verbosity", "0"], env=env, what="collectstatic")
    run([*manage, "load_instrument", "--verbosity", "0"], env=env, what="load_instrument")
    seed_path = folder / "seed.json"
    counts = [GET_TOKENS, WALK_RESPONDENTS] + ([WALK_RESPONDENTS] if per_request_variant else [])
    run(
        [PYTHON, "-m", "bench.load_roer_db", "seed", str(seed_path), *map(str, counts)],
        env=env,
        what="creating respondents",
    )
    seed = json.loads(seed_path.read_text(encoding="utf-8"))
    get_set = seed["sets"][0]
    progress(f"{label}: scan {seed['scan']} open today, {sum(counts)} invitations with a token each")
    results: dict[str, Any] = {"seed_pages": seed["pages"], "dont_know": seed["dont_know"]}
    records: list[dict[str, Any]] = []
    hwm = 0
    variants = [("", env)]
    if per_request_variant:
        variants.append((", DB_CONN_MAX_AGE=0", {**env, "DB_CONN_MAX_AGE": "0"}))
    for number, (variant, variant_env) in enumerate(variants):
        server = Server(f"roer-{label}{'-per-request' if number else ''}", ROER_APP, variant_env, folder)
        suffix = "_per_request" if number else ""
        try:
            server.start()
            if not number:
                results["b"] = drive(
                    server, f"({label}) b: Django GET /health/", {"kind": "get", "urls": ["/health/"]}, folder
                )
            results["c_get" + suffix] = drive(
                server,
                f"({label}{variant}) c: GET /a/<token>/1/",
                {"kind": "get", "urls": [f"/a/{entry['token']}/1/" for entry in get_set]},
                folder,
            )
            results["c_walk" + suffix] = drive(
                server,
                f"({label}{variant}) c: walk (GET, POST next ... POST submit)",
                {"kind": "walk", "flavour": "roer", "respondents": seed["sets"][1 + number]},
                folder,
            )
        finally:
            server.stop()
        hwm = max(hwm, *server.hwm_kb.values(), 0)
        records += results["c_walk" + suffix].pop("records")
    results["hwm_mb"] = hwm / 1024
    records_path = folder / "records.json"
    records_path.write_text(json.dumps({"scan": seed["scan"], "records": records}))
    verify_path = folder / "verify.json"
    run(
        [PYTHON, "-m", "bench.load_roer_db", "verify", str(records_path), str(verify_path)],
        env=env,
        what="checking the database",
    )
    results["verify"] = verify = json.loads(verify_path.read_text(encoding="utf-8"))
    progress(
        f"{label}: zero-loss check {'passed' if verify['ok'] else 'FAILED'}: {verify['responses_stored']} responses "
        f"stored for {verify['submits_counted']} submits, {verify['drafts_checked']} drafts checked"
    )
    return results


def hello_phase(folder: Path) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    env = roer_environment(folder, "sqlite://:memory:")
    server = Server("hello", "bench.load_hello_wsgi:application", env, folder)
    try:
        server.start()
        result = drive(server, "a: bare WSGI hello", {"kind": "get", "urls": ["/"]}, folder)
    finally:
        server.stop()
    return result


# --- the peer -----------------------------------------------------------------------------------------
def peer_phase(folder: Path, pages: list[dict[str, Any]], dont_know: str) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    venv = folder / "venv"
    progress("peer: python3 -m venv, pip install " + " ".join(PEER_REQUIREMENTS))
    system_python = shutil.which("python3.11") or shutil.which("python3") or "python3"
    base_env = {key: value for key, value in os.environ.items() if not key.startswith(("VIRTUAL_ENV", "DJANGO_"))}
    run([system_python, "-m", "venv", str(venv)], env=base_env, what="creating the peer's venv")
    run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", *PEER_REQUIREMENTS],
        env=base_env,
        what="pip install of the peer",
    )
    env = {
        **base_env,
        "PYTHONPATH": str(PEER_DIR),
        "DJANGO_SETTINGS_MODULE": "peer_site.settings",
        "PEER_VAR_DIR": str(folder),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    python = str(venv / "bin" / "python")
    progress("peer: migrate, survey with the same questions")
    run([python, "-m", "django", "migrate", "--noinput", "--verbosity", "0"], env=env, what="peer migrate")
    pages_path = folder / "pages.json"
    pages_path.write_text(json.dumps({"pages": pages, "dont_know": dont_know}), encoding="utf-8")
    seed_path = folder / "seed.json"
    run([python, str(PEER_DIR / "peer_db.py"), "seed", str(pages_path), str(seed_path)], env=env, what="peer seed")
    seed = json.loads(seed_path.read_text(encoding="utf-8"))
    progress(f"peer: survey {seed['survey']}: {seed['questions']} questions on {seed['pages']} pages")
    server = Server("peer", "peer_site.wsgi:application", env, folder, gunicorn=str(venv / "bin" / "gunicorn"))
    results: dict[str, Any] = {"seed": seed}
    try:
        server.start()
        results["d_get"] = drive(
            server, "d: peer GET /survey/<id>/", {"kind": "get", "urls": [f"/survey/{seed['survey']}/"]}, folder
        )
        results["d_walk"] = drive(
            server,
            "d: peer walk (GET, POST ... last POST)",
            {
                "kind": "walk",
                "flavour": "peer",
                "peer_pages": seed["pages"],
                "respondents": [{"survey": seed["survey"], "n": n} for n in range(WALK_RESPONDENTS)],
            },
            folder,
        )
    finally:
        server.stop()
    results["hwm_mb"] = max(server.hwm_kb.values(), default=0) / 1024
    records_path = folder / "records.json"
    records_path.write_text(json.dumps({"survey": seed["survey"], "records": results["d_walk"]["records"]}))
    verify_path = folder / "verify.json"
    run(
        [python, str(PEER_DIR / "peer_db.py"), "verify", str(records_path), str(verify_path)],
        env=env,
        what="checking the peer's database",
    )
    results["verify"] = json.loads(verify_path.read_text(encoding="utf-8"))
    results["d_walk"].pop("records")
    return results


# --- PostgreSQL ---------------------------------------------------------------------------------------
def postgres_inner(result_path: Path, folder: Path) -> int:
    """Runs inside bin/with-postgres: a database of our own beside "roer", created and dropped here."""
    signal.signal(signal.SIGTERM, _terminate)
    _die_with_parent()  # when bin/with-postgres goes, clean up and go too
    given = urlsplit(os.environ["DATABASE_URL"])
    database_url = urlunsplit(given._replace(path="/" + LOAD_DATABASE))
    # postgres://role@%2Fvar%2Frun%2Fpostgresql:5432/roer: the host is the socket folder, URL-quoted
    host = unquote(given.netloc.rsplit("@", 1)[-1].rsplit(":", 1)[0]) or "/var/run/postgresql"
    psql = ["psql", "-h", host, "-p", str(given.port or 5432), "-U", given.username or "postgres", "-d", "postgres"]
    psql += ["-v", "ON_ERROR_STOP=1", "-q", "-c"]
    env = dict(os.environ)
    run([*psql, f"DROP DATABASE IF EXISTS {LOAD_DATABASE}"], env=env, what="dropping an old load database")
    run([*psql, f"CREATE DATABASE {LOAD_DATABASE}"], env=env, what="creating the load database")
    progress(f"postgresql: database {LOAD_DATABASE} created")
    try:
        results = roer_phase(folder, database_url, "postgresql", per_request_variant=True)
    finally:
        run([*psql, f"DROP DATABASE IF EXISTS {LOAD_DATABASE} WITH (FORCE)"], env=env, what="dropping")
        progress(f"postgresql: database {LOAD_DATABASE} dropped")
    results.pop("seed_pages", None)
    result_path.write_text(json.dumps(results), encoding="utf-8")
    return 0


def postgres_phase(folder: Path) -> dict[str, Any]:
    result_path = folder / "postgres-result.json"
    command = [str(ROOT / "bin" / "with-postgres"), PYTHON, "-m", "bench.load", "--postgres", str(result_path)]
    command.append(str(folder / "postgres"))
    process = subprocess.Popen(  # noqa: S603 - our own script
        command,
        cwd=ROOT,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )
    try:
        returncode = process.wait()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
    if returncode:
        raise RuntimeError(f"the PostgreSQL run failed ({returncode})")
    return json.loads(result_path.read_text(encoding="utf-8"))


# --- the table ----------------------------------------------------------------------------------------
def _row(name: str, tally: dict[str, Any] | None, result: dict[str, Any], extra: str = "", cpu: bool = True) -> str:
    if tally is None:
        return f"{name:<44} {'(no requests)':>9}"
    cpu_text = (
        f"{result['server_cpu_ms_per_request']:>7.1f} "
        f"{result['server_cpu_share']:>4.1f}+{result['client_cpu_share']:.1f}"
        if cpu
        else f"{'':>7} {'':>8}"
    )
    if cpu and result.get("database_cpu_share", 0.0) >= 0.05:
        extra = f"PostgreSQL used {result['database_cpu_share']:.1f} cores {extra}".rstrip()
    return (
        f"{name:<44} {tally['rps']:>9.1f} {_fmt(tally['p50_ms']):>7} {_fmt(tally['p95_ms']):>7} "
        f"{_fmt(tally['p99_ms']):>7} {tally['errors']:>6} {result['locked']:>7} "
        f"{result['peak_rss_mb']:>6.0f} {result['peak_total_mb']:>6.0f} {cpu_text}  {extra}"
    ).rstrip()


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _posts(result: dict[str, Any]) -> dict[str, Any] | None:
    """Page saves and submits together (the client keeps their own percentiles)."""
    posts = result["tallies"].get("POST")
    if posts is None:
        return None
    return {
        **posts,
        "saves": result["tallies"].get("POST save", {}).get("count", 0),
        "submits": result["tallies"].get("POST submit", {}).get("count", 0),
    }


def _verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def _rps(result: dict[str, Any] | None, kind: str = "GET") -> float:
    if result is None:
        return 0.0
    return float(result["tallies"].get(kind, {}).get("rps", 0.0))


def _ratio(top: float, bottom: float) -> str:
    return f"{top / bottom:6.2f}" if bottom else "     -"


def table(
    hello: dict[str, Any] | None,
    sqlite: dict[str, Any],
    peer: dict[str, Any] | None,
    peer_error: str,
    postgres: dict[str, Any] | None,
    postgres_error: str,
) -> list[str]:
    header = (
        f"{'scenario':<44} {'req/s':>9} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} {'locked':>7} "
        f"{'RSS MB':>6} {'sum MB':>6} {'CPU ms':>7} {'cores':>8}"
    )
    rule = "-" * len(header)
    lines = [
        rule,
        f"Roer load test: gunicorn {WORKER_CLASS}, {WORKERS} workers x {THREADS} threads, 127.0.0.1, DEBUG off; "
        f"client: one aiohttp process, {CONCURRENCY} concurrent, {WARMUP:g} s warm-up + {DURATION:g} s per scenario",
        *(WORKER_CHOICE if (WORKER_CLASS, WORKERS, THREADS) == ("gthread", 2, 4) else []),
        "errors: connection errors, time-outs and any status but the expected one (200 for a page, 302 after a POST)",
        "locked: 'database is locked' in the server log; RSS MB: peak resident memory of the largest worker; "
        "sum MB: of all workers",
        "CPU ms: worker CPU time per request (a walk: per request of its mix); cores: CPU cores used by the "
        "workers + by the client",
        rule,
        header,
        rule,
    ]

    def walk_rows(prefix: str, result: dict[str, Any], what: str) -> None:
        posts = _posts(result)
        lines.append(_row(f"{prefix} walk: GET page", result["tallies"].get("GET page"), result))
        extra = f"{posts['saves']} saves + {posts['submits']} {what}" if posts else ""
        lines.append(_row(f"{prefix} walk: POST save+submit", posts, result, extra, cpu=False))
        for kind in ("POST save", "POST submit"):
            if kind in result["tallies"]:
                lines.append(_row(f"{prefix}   of which {kind}", result["tallies"][kind], result, cpu=False))

    if hello is not None:
        lines.append(_row("(a) bare WSGI hello", hello["tallies"].get("GET"), hello))
    lines.append(_row("(b) Django GET /health/", sqlite["b"]["tallies"].get("GET"), sqlite["b"]))
    lines.append(_row("(c) Roer GET /a/<token>/1/", sqlite["c_get"]["tallies"].get("GET"), sqlite["c_get"]))
    walk_rows("(c) Roer", sqlite["c_walk"], "submits")
    if peer is not None:
        lines.append(_row("(d) peer GET /survey/<id>/", peer["d_get"]["tallies"].get("GET"), peer["d_get"]))
        walk_rows("(d) peer", peer["d_walk"], "final posts")
    else:
        lines.append(f"(d) peer: not measured: {peer_error}")
    if postgres is not None:
        lines.append(_row("(PG b) Django GET /health/", postgres["b"]["tallies"].get("GET"), postgres["b"]))
        lines.append(_row("(PG c) Roer GET /a/<token>/1/", postgres["c_get"]["tallies"].get("GET"), postgres["c_get"]))
        walk_rows("(PG c) Roer", postgres["c_walk"], "submits")
        lines.append("  and with a new connection per request (DB_CONN_MAX_AGE=0), for comparison:")
        lines.append(
            _row(
                "(PG0 c)  Roer GET /a/<token>/1/",
                postgres["c_get_per_request"]["tallies"].get("GET"),
                postgres["c_get_per_request"],
            )
        )
        walk_rows("(PG0 c)  Roer", postgres["c_walk_per_request"], "submits")
    else:
        lines.append(f"(PG) PostgreSQL: not measured: {postgres_error}")
    lines.append(rule)

    c_posts = _posts(sqlite["c_walk"])
    d_posts = _posts(peer["d_walk"]) if peer else None
    pg_posts = _posts(postgres["c_walk"]) if postgres else None
    b_rps, c_rps = _rps(sqlite["b"]), _rps(sqlite["c_get"])
    lines.append("Ratios (requests per second)")
    if hello is not None:
        lines.append(f"  b/a   Django GET /health/ vs bare WSGI hello                 {_ratio(b_rps, _rps(hello))}")
    lines.append(f"  c/b   questionnaire GET vs Django GET /health/               {_ratio(c_rps, b_rps)}")
    if peer is not None and d_posts is not None and c_posts is not None:
        lines.append(
            f"  c/d   GET: Roer's first page vs the peer's first page       {_ratio(c_rps, _rps(peer['d_get']))}"
        )
        lines.append(
            f"  c/d   POST: Roer's saves+submits vs the peer's page posts   {_ratio(c_posts['rps'], d_posts['rps'])}"
        )
        lines.append(
            f"  c/d   POST p99 latency, Roer vs peer (below 1: Roer faster)  "
            f"{_ratio(c_posts['p99_ms'], d_posts['p99_ms'])}"
        )
    if postgres is not None and pg_posts is not None and c_posts is not None:
        pg0_posts = _posts(postgres["c_walk_per_request"]) or {"rps": 0.0}
        lines.append(
            f"  PG c/b      questionnaire GET vs Django GET /health/        "
            f"{_ratio(_rps(postgres['c_get']), _rps(postgres['b']))}"
        )
        lines.append(
            f"  PG/SQLite   questionnaire GET                               {_ratio(_rps(postgres['c_get']), c_rps)}"
        )
        lines.append(
            f"  PG/SQLite   saves+submits                                   {_ratio(pg_posts['rps'], c_posts['rps'])}"
        )
        lines.append(
            f"  PG0/SQLite  questionnaire GET                               "
            f"{_ratio(_rps(postgres['c_get_per_request']), c_rps)}"
        )
        lines.append(
            f"  PG0/SQLite  saves+submits                                   {_ratio(pg0_posts['rps'], c_posts['rps'])}"
        )
    lines.append(rule)

    lines.append("Goals")
    share = c_rps / b_rps if b_rps else 0.0
    lines.append(
        f"  questionnaire GET >= 40% of Django GET /health/ (c/b): {share:.1%}   {_verdict(share >= GOAL_GET_SHARE)}"
    )
    walks = [("SQLite", sqlite["c_walk"])]
    if postgres is not None:
        walks.append(("PostgreSQL", postgres["c_walk"]))
    for label, walk in walks:
        posts = _posts(walk)
        if posts is None:
            lines.append(f"  {label}: no page saves or submits measured   NOT MET")
            continue
        errors = posts["errors"] + walk["tallies"].get("GET page", {}).get("errors", 0)
        met = posts["rps"] >= GOAL_POST_RPS and errors == 0 and walk["locked"] == 0 and posts["p99_ms"] <= GOAL_P99_MS
        lines.append(
            f"  {label}: >= 100 saves+submits/s with 0 errors, 0 locked, p99 <= 1 s: {posts['rps']:.0f}/s, "
            f"{errors} errors, {walk['locked']} locked, p99 {posts['p99_ms']:.0f} ms   {_verdict(met)}"
        )
    roer_results = [sqlite["b"], sqlite["c_get"], sqlite["c_walk"]]
    if postgres is not None:
        roer_results += [postgres[key] for key in ("b", "c_get", "c_walk", "c_get_per_request", "c_walk_per_request")]
    peak = max(result["peak_rss_mb"] for result in roer_results)
    hwm = max(sqlite["hwm_mb"], postgres["hwm_mb"] if postgres else 0.0)
    lines.append(
        f"  Roer worker memory <= 150 MB: peak RSS {peak:.0f} MB sampled, VmHWM {hwm:.0f} MB   "
        f"{_verdict(max(peak, hwm) <= GOAL_MEMORY_MB)}"
    )
    if postgres is not None and pg_posts is not None and c_posts is not None:
        # The per-request variant is a comparison, not a way Roer is meant to run, so it has no goal.
        slower_get = c_rps / _rps(postgres["c_get"]) if _rps(postgres["c_get"]) else float("inf")
        slower_post = c_posts["rps"] / pg_posts["rps"] if pg_posts["rps"] else float("inf")
        p99 = pg_posts["p99_ms"] / c_posts["p99_ms"] if c_posts["p99_ms"] else float("inf")
        met = max(slower_get, slower_post, p99) <= GOAL_POSTGRES_FACTOR
        lines.append(
            f"  PostgreSQL within 2x of SQLite: GET {slower_get:.2f}x slower, saves+submits {slower_post:.2f}x "
            f"slower, POST p99 {p99:.2f}x   {_verdict(met)}"
        )
    lines.append(rule)

    lines.append("Zero loss, checked in the database after the walks")
    for label, result in (("SQLite", sqlite), ("PostgreSQL (both walks)", postgres)):
        if result is None:
            continue
        v = result["verify"]
        lines.append(
            f"  Roer {label}: {v['responses_stored']} responses stored for {v['submits_counted']} submits counted; "
            f"{v['answer_rows']} of {v['answer_rows_expected']} answers; {v['drafts_checked']} unfinished "
            f"respondents' drafts hold all {v['draft_answers_checked']} answers they saved; "
            f"{v['problem_count']} problems   {'met' if v['ok'] else 'NOT MET'}"
        )
        lines += [f"    {problem}" for problem in v["problems"][:5]]
    if peer is not None:
        v = peer["verify"]
        lines.append(
            f"  peer: {v['responses_stored']} responses stored for {v['submits_counted']} final posts counted; "
            f"{v['answer_rows']} of {v['answer_rows_expected']} answers   {'met' if v['ok'] else 'NOT MET'}"
        )
    notes = []
    everything = [hello, sqlite["b"], sqlite["c_get"], sqlite["c_walk"]]
    if peer is not None:
        everything += [peer["d_get"], peer["d_walk"]]
    if postgres is not None:
        everything += [postgres[key] for key in ("b", "c_get", "c_walk", "c_get_per_request", "c_walk_per_request")]
    for result in everything:
        if result is None:
            continue
        for kind, tally in result["tallies"].items():
            if tally["error_kinds"] and kind != "POST":
                notes.append(f"  {result['label']} / {kind}: {tally['error_kinds']}")
        if result.get("out_of_respondents"):
            notes.append(f"  {result['label']}: ran out of respondents")
    if notes:
        lines += [rule, "Errors by kind", *notes]
    lines.append(rule)
    return lines


def _reason(exc: BaseException) -> str:
    """A failed step in one line: what failed, and the error it printed."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    errors = [line for line in lines[1:] if line.startswith(("ERROR", "error", "Error")) or "Error" in line]
    detail = errors[-1] if errors else (lines[-1] if len(lines) > 1 else "")
    return f"{lines[0]} {detail}".strip()


def main() -> int:
    signal.signal(signal.SIGTERM, _terminate)
    if len(sys.argv) > 1 and sys.argv[1] == "--postgres":
        return postgres_inner(Path(sys.argv[2]), Path(sys.argv[3]))
    folder = Path(tempfile.mkdtemp(prefix="roer-load-"))
    progress(f"throw-away folder {folder}; gunicorn {WORKER_CLASS} {WORKERS}x{THREADS}")
    hello = peer = postgres = None
    peer_error = postgres_error = ""
    try:
        hello = hello_phase(folder / "hello")
        sqlite = roer_phase(folder / "sqlite", f"sqlite:///{folder / 'sqlite' / 'roer.sqlite3'}", "sqlite")
        if os.environ.get("LOAD_SKIP_PEER"):
            peer_error = "skipped (LOAD_SKIP_PEER)"
        else:
            try:
                peer = peer_phase(folder / "peer", sqlite["seed_pages"], sqlite["dont_know"])
            except Exception as exc:  # the rest is still printed
                peer_error = _reason(exc)
                progress(f"peer FAILED: {exc}")
        if os.environ.get("LOAD_SKIP_POSTGRES"):
            postgres_error = "skipped (LOAD_SKIP_POSTGRES)"
        else:
            try:
                postgres = postgres_phase(folder)
            except Exception as exc:
                postgres_error = _reason(exc)
                progress(f"PostgreSQL FAILED: {exc}")
        print()
        print("\n".join(table(hello, sqlite, peer, peer_error, postgres, postgres_error)), flush=True)
    finally:
        if os.environ.get("LOAD_KEEP"):
            progress(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
