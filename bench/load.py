"""Load test: Roer served as in production by gunicorn, beside its peer, driven over loopback by a separate
asyncio client (bench/load_client.py).

`.venv/bin/python -m bench.load` (`make load`, about five minutes) runs, each scenario against its own
server but Roer and the peer alternating, so that other work on the machine weighs on both alike:

  (a) a bare WSGI hello (bench/load_hello_wsgi.py), to show what gunicorn and the client cost alone;
  GET /health/ of Roer (liveness, answered before sessions and CSRF) and of the peer (a trivial view through its whole
      middleware stack, bench/peer/peer_site/urls.py);
  the first questionnaire page: Roer's GET /a/<token>/1/ and the peer's GET /survey/<id>/;
  a complete respondent, at 20 and at 50 users, in LOAD_ROUNDS (2) rounds: every page as a browser walks it
      (GET the first page, POST each page with an answer for every question to the address its form
      names, follow a redirect if there is one, POST the last page), with the CSRF cookie and token. Roer
      answers a save with the next page, so a respondent is one GET and one POST per page; the peer
      (django-survey-and-report 1.5.0 in its own virtual environment, bench/peer/) redirects after every
      POST, so a GET and a POST per page.
  a resident on the residents' open link, at the same users after each walk (Roer only: the peer has no
      such survey, so its complete respondent is the yardstick): a fresh browser GETs /i/<slug>/ and POSTs
      the residents' form (every statement, choice and box as a person ticks them, the honeypot empty),
      answered by the redirect to the thank-you page. Every Roer server gets
      ROER_RESIDENT_SUBMITS_PER_ADDRESS raised (RESIDENT_RATE), because every simulated resident comes
      from 127.0.0.1; the output says so.
  and then on PostgreSQL (bin/with-postgres, a database of its own, dropped afterwards) Roer's /health/,
  first page and complete respondent at 50 users, as Roer runs by default (connections kept 60 s) and with a
  connection per request.

Every server runs from a throw-away folder with DEBUG off, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1
and SQLite with WAL and IMMEDIATE transactions (Roer's settings.py; the peer's settings do the same), after
migrate, collectstatic and load_instrument, with the same gunicorn settings for Roer and the peer. Every
scenario uses the same client settings: a warm-up, then a fixed measuring time. After the walks both
databases are checked for lost answers, and after the residents Roer's residents' survey.

Environment knobs (for experiments; the defaults are what `make` runs): LOAD_WORKER_CLASS, LOAD_WORKERS,
LOAD_THREADS, LOAD_REUSE_PORT=1, LOAD_DURATION, LOAD_WARMUP, LOAD_USERS (the walks' users, "20,50"),
LOAD_CONCURRENCY (the GETs' users), LOAD_ROUNDS, LOAD_SKIP_PEER=1, LOAD_SKIP_RESIDENTS=1, LOAD_SKIP_POSTGRES=1,
LOAD_SKIP_HELLO=1,
LOAD_KEEP=1 (keep the throw-away folder), LOAD_ROER_APP (another WSGI entry point, to try a change without
touching roer/), LOAD_ROER_ROOT (serve Roer from another checkout, for example `git archive` of an earlier
commit, to measure before and after with the same client).

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
ROER_ROOT = Path(os.environ.get("LOAD_ROER_ROOT", str(ROOT))).resolve()  # the Roer that is served
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
PEER_DIR = ROOT / "bench" / "peer"
PEER_REQUIREMENTS = ["django-survey-and-report==1.5.0", "Django==5.2.19", "gunicorn==27.0.1"]
LOAD_DATABASE = "roer_load"

# Sync workers, two per core as in deploy/gunicorn.conf.py, for Roer and the peer alike; LOAD_* variables
# override it.
WORKER_CHOICE = [
    "workers: 2 sync processes per core, as deploy/gunicorn.conf.py. A sync worker takes a connection only",
    "  when it is idle, so every request goes to a free process; with gthread (keep-alive) each client's",
    "  connection stays with the process that took it, and a process that took more waits longer: on two",
    "  cores the same respondents per second, but page saves p99 at 50 users 369-545 ms against 229 ms.",
    "  A second process per core keeps both cores busy while another waits for SQLite's write lock.",
]
WORKER_CLASS = os.environ.get("LOAD_WORKER_CLASS", "sync")
WORKERS = int(os.environ.get("LOAD_WORKERS", str(2 * (os.cpu_count() or 1))))
THREADS = int(os.environ.get("LOAD_THREADS", "1"))
REUSE_PORT = os.environ.get("LOAD_REUSE_PORT", "0") == "1"
ROER_APP = os.environ.get("LOAD_ROER_APP", "roer.wsgi:application")  # another entry point, to try a change
CONCURRENCY = int(os.environ.get("LOAD_CONCURRENCY", "50"))  # users of the GET scenarios
USERS = [int(users) for users in os.environ.get("LOAD_USERS", "20,50").split(",")]  # users of the walks
ROUNDS = int(os.environ.get("LOAD_ROUNDS", "2"))
WARMUP = float(os.environ.get("LOAD_WARMUP", "3"))
DURATION = float(os.environ.get("LOAD_DURATION", "10"))

SKIP_RESIDENTS = os.environ.get("LOAD_SKIP_RESIDENTS", "0") == "1"
# Every simulated resident posts from 127.0.0.1, which the per-address limit ("30/h" by default) would
# stop after thirty; the servers this run starts get this limit instead.
RESIDENT_RATE = "10000000/h"

GET_TOKENS = 200  # distinct respondents whose first page the GET scenario reads
WALK_RESPONDENTS = 3000  # more than a walk can finish in its time: nobody answers twice

# Goals (issue 11, and the earlier ones that still hold)
GOAL_RESPONDENT_FACTOR = 5.0  # complete respondents per second, Roer against the peer, at every USERS
GOAL_RESIDENT_FACTOR = 5.0  # residents per second against the peer's complete respondents (issue 13)
GOAL_SAVE_P99_MS = 300.0  # page saves at the most users
GOAL_HEALTH_FACTOR = 0.9  # Roer's /health/ against the peer's trivial view
GOAL_PAGE_FACTOR = 15.0  # Roer's first page against the peer's first page
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
    progress(f"{label}: {config['concurrency']} concurrent, {WARMUP:g} s warm-up + {DURATION:g} s")
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
    result["concurrency"] = config["concurrency"]
    progress(
        f"  server workers used {result['server_cpu_share']:.2f} CPU cores "
        f"({result['server_cpu_ms_per_request']:.1f} ms CPU per request), the client {result['client_cpu_share']:.2f}"
        + (f", PostgreSQL {result['database_cpu_share']:.2f}" if result["database_cpu_share"] >= 0.01 else "")
    )
    for kind, tally in result["tallies"].items():
        what = "respondents" if kind == "respondent" else "requests"
        progress(
            f"  {kind:<12} {tally['count']:>6} {what:<11} {tally['rps']:7.1f}/s  p50 {_ms(tally['p50_ms'])}  "
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
            "PYTHONPATH": str(ROER_ROOT),
            "ROER_RESIDENT_SUBMITS_PER_ADDRESS": RESIDENT_RATE,
        }
    )
    return env


def roer_setup(folder: Path, database_url: str, label: str, counts: list[int]) -> tuple[dict[str, str], dict[str, Any]]:
    """Roer's database on `database_url`, migrated, with the instrument and a scan open today whose
    invitations come in sets of `counts`, each with its own link; returns the environment and the seed."""
    folder.mkdir(parents=True, exist_ok=True)
    env = roer_environment(folder, database_url)
    progress(f"{label}: migrate, collectstatic, load_instrument" + ("" if ROER_ROOT == ROOT else f" ({ROER_ROOT})"))
    manage = [PYTHON, str(ROER_ROOT / "manage.py")]
    run([*manage, "migrate", "--noinput", "--verbosity", "0"], env=env, cwd=ROER_ROOT, what="migrate")
    run([*manage, "collectstatic", "--noinput", "--verbosity", "0"], env=env, cwd=ROER_ROOT, what="collectstatic")
    run([*manage, "load_instrument", "--verbosity", "0"], env=env, cwd=ROER_ROOT, what="load_instrument")
    seed_path = folder / "seed.json"
    run(
        [PYTHON, "-m", "bench.load_roer_db", "seed", str(seed_path), *map(str, counts)],
        env=env,
        cwd=ROER_ROOT,
        what="creating respondents",
    )
    seed = json.loads(seed_path.read_text(encoding="utf-8"))
    progress(f"{label}: scan {seed['scan']} open today, {sum(counts)} invitations with a link each")
    return env, seed


def roer_verify(
    folder: Path,
    env: dict[str, str],
    scan: int,
    records: list[dict[str, Any]],
    label: str,
    *,
    uncertain_allowed: bool = False,
) -> Any:
    records_path = folder / "records.json"
    records_path.write_text(json.dumps({"scan": scan, "records": records, "uncertain_allowed": uncertain_allowed}))
    verify_path = folder / "verify.json"
    run(
        [PYTHON, "-m", "bench.load_roer_db", "verify", str(records_path), str(verify_path)],
        env=env,
        cwd=ROER_ROOT,
        what="checking the database",
    )
    verify = json.loads(verify_path.read_text(encoding="utf-8"))
    progress(
        f"{label}: zero-loss check {'passed' if verify['ok'] else 'FAILED'}: {verify['responses_stored']} responses "
        f"stored for {verify['submits_counted']} submits, {verify['drafts_checked']} drafts checked"
    )
    return verify


def roer_verify_residents(folder: Path, env: dict[str, str], slug: str, records: list[dict[str, Any]]) -> Any:
    records_path = folder / "resident-records.json"
    records_path.write_text(json.dumps({"slug": slug, "records": records}))
    verify_path = folder / "resident-verify.json"
    run(
        [PYTHON, "-m", "bench.load_roer_db", "verify-residents", str(records_path), str(verify_path)],
        env=env,
        cwd=ROER_ROOT,
        what="checking the residents' survey",
    )
    verify = json.loads(verify_path.read_text(encoding="utf-8"))
    progress(
        f"residents: zero-loss check {'passed' if verify['ok'] else 'FAILED'}: {verify['responses_stored']} "
        f"responses stored for {verify['submits_accepted']} submits thanked"
    )
    return verify


def roer_server(name: str, env: dict[str, str], folder: Path) -> Server:
    return Server(name, ROER_APP, env, folder, cwd=ROER_ROOT)


def hello_phase(folder: Path) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    env = roer_environment(folder, "sqlite://:memory:")
    env["PYTHONPATH"] = str(ROOT)
    server = Server("hello", "bench.load_hello_wsgi:application", env, folder)
    try:
        server.start()
        result = drive(server, "a: bare WSGI hello", {"kind": "get", "urls": ["/"]}, folder)
    finally:
        server.stop()
    return result


# --- the peer -----------------------------------------------------------------------------------------
@dataclass
class Peer:
    env: dict[str, str]
    python: str
    gunicorn: str
    seed: dict[str, Any]


def peer_setup(folder: Path, pages: list[dict[str, Any]], dont_know: str) -> Peer:
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
    return Peer(env, python, str(venv / "bin" / "gunicorn"), seed)


def peer_verify(folder: Path, peer: Peer, records: list[dict[str, Any]]) -> Any:
    records_path = folder / "records.json"
    records_path.write_text(json.dumps({"survey": peer.seed["survey"], "records": records}))
    verify_path = folder / "verify.json"
    run(
        [peer.python, str(PEER_DIR / "peer_db.py"), "verify", str(records_path), str(verify_path)],
        env=peer.env,
        what="checking the peer's database",
    )
    verify = json.loads(verify_path.read_text(encoding="utf-8"))
    progress(f"peer: zero-loss check {'passed' if verify['ok'] else 'FAILED'}")
    return verify


# --- Roer beside the peer -----------------------------------------------------------------------------
def walk_key(users: int, number: int) -> str:
    return f"walk-{users}-{number}"


def resident_key(users: int, number: int) -> str:
    return f"residents-{users}-{number}"


def comparison_phase(folder: Path) -> tuple[dict[str, Any], dict[str, Any] | None, str]:
    """Roer and the peer on SQLite, their scenarios alternating; returns Roer's figures, the peer's (None
    when it could not be measured) and why not."""
    walks = [(users, number) for number in range(ROUNDS) for users in USERS]
    counts = [GET_TOKENS] + [WALK_RESPONDENTS] * len(walks)
    database = folder / "sqlite" / "roer.sqlite3"
    env, seed = roer_setup(folder / "sqlite", f"sqlite:///{database}", "sqlite", counts)
    peer: Peer | None = None
    peer_error = ""
    if os.environ.get("LOAD_SKIP_PEER"):
        peer_error = "skipped (LOAD_SKIP_PEER)"
    else:
        try:
            peer = peer_setup(folder / "peer", seed["pages"], seed["dont_know"])
        except Exception as exc:  # Roer is still measured and printed
            peer_error = _reason(exc)
            progress(f"peer FAILED: {exc}")
    roer: dict[str, Any] = {}
    theirs: dict[str, Any] = {}
    records: dict[str, list[dict[str, Any]]] = {"roer": [], "peer": [], "residents": []}
    slug = "" if SKIP_RESIDENTS else seed.get("resident_slug", "")  # an earlier Roer (LOAD_ROER_ROOT) has none
    servers = {"roer": roer_server("roer-sqlite", env, folder / "sqlite")}
    if peer is not None:
        servers["peer"] = Server(
            "peer", "peer_site.wsgi:application", peer.env, folder / "peer", gunicorn=peer.gunicorn
        )
    try:
        for server in servers.values():
            server.start()

        def both(
            key: str, roer_config: dict[str, Any], peer_config: dict[str, Any] | None, *, peer_first: bool
        ) -> None:
            order = (
                [("peer", peer_config), ("roer", roer_config)]
                if peer_first
                else [("roer", roer_config), ("peer", peer_config)]
            )
            for who, config in order:
                if config is None or who not in servers:
                    continue
                label = f"{who} {key}"
                result = drive(servers[who], label, config, folder)
                records[who] += result.pop("records")
                (roer if who == "roer" else theirs)[key] = result

        peer_survey = peer.seed["survey"] if peer else 0
        both("health", {"kind": "get", "urls": ["/health/"]}, {"kind": "get", "urls": ["/health/"]}, peer_first=False)
        both(
            "page",
            {"kind": "get", "urls": [f"/a/{entry['token']}/1/" for entry in seed["sets"][0]]},
            {"kind": "get", "urls": [f"/survey/{peer_survey}/"]},
            peer_first=True,
        )
        for index, (users, number) in enumerate(walks):
            mine = {"kind": "walk", "flavour": "roer", "concurrency": users, "respondents": seed["sets"][1 + index]}
            peer_config = None
            if peer is not None:
                respondents = [{"survey": peer_survey, "n": n} for n in range(WALK_RESPONDENTS)]
                peer_config = {
                    "kind": "walk",
                    "flavour": "peer",
                    "concurrency": users,
                    "peer_pages": peer.seed["pages"],
                    "respondents": respondents,
                }
            both(walk_key(users, number), mine, peer_config, peer_first=index % 2 == 1)
            if slug:
                residents = {"kind": "resident", "slug": slug, "concurrency": users}
                result = drive(servers["roer"], f"roer {resident_key(users, number)}", residents, folder)
                records["residents"] += result.pop("records")
                roer[resident_key(users, number)] = result
    finally:
        for server in servers.values():
            server.stop()
    lend_requests_each(roer)
    lend_requests_each(theirs)
    roer["hwm_mb"] = max(servers["roer"].hwm_kb.values(), default=0) / 1024
    roer["verify"] = roer_verify(folder / "sqlite", env, seed["scan"], records["roer"], "sqlite")
    if slug:
        roer["residents_verify"] = roer_verify_residents(folder / "sqlite", env, slug, records["residents"])
    if peer is not None:
        theirs["verify"] = peer_verify(folder / "peer", peer, records["peer"])
    return roer, (theirs if peer is not None else None), peer_error


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
        results = postgres_scenarios(folder, database_url)
    finally:
        run([*psql, f"DROP DATABASE IF EXISTS {LOAD_DATABASE} WITH (FORCE)"], env=env, what="dropping")
        progress(f"postgresql: database {LOAD_DATABASE} dropped")
    result_path.write_text(json.dumps(results), encoding="utf-8")
    return 0


def postgres_scenarios(folder: Path, database_url: str) -> dict[str, Any]:
    """/health/, the first page and a complete respondent at the most users, as Roer runs by default; the
    first page and the respondent again with a connection per request (DB_CONN_MAX_AGE=0), to show what
    keeping connections saves."""
    users = max(USERS)
    env, seed = roer_setup(folder, database_url, "postgresql", [GET_TOKENS, WALK_RESPONDENTS, WALK_RESPONDENTS])
    results: dict[str, Any] = {}
    records: list[dict[str, Any]] = []
    hwm = 0
    for number, (suffix, variant_env) in enumerate([("", env), ("_per_request", {**env, "DB_CONN_MAX_AGE": "0"})]):
        server = roer_server(f"roer-postgresql{suffix.replace('_', '-')}", variant_env, folder)
        label = "postgresql" + (", DB_CONN_MAX_AGE=0" if number else "")
        try:
            server.start()
            if not number:
                results["health"] = drive(
                    server, f"({label}) roer health", {"kind": "get", "urls": ["/health/"]}, folder
                )
            results["page" + suffix] = drive(
                server,
                f"({label}) roer page",
                {"kind": "get", "urls": [f"/a/{entry['token']}/1/" for entry in seed["sets"][0]]},
                folder,
            )
            walk = {"kind": "walk", "flavour": "roer", "concurrency": users, "respondents": seed["sets"][1 + number]}
            results["walk" + suffix] = drive(server, f"({label}) roer {walk_key(users, 0)}", walk, folder)
        finally:
            server.stop()
        hwm = max(hwm, *server.hwm_kb.values(), 0)
        records += results["walk" + suffix].pop("records")
    for result in (results["health"], results["page"], results["page_per_request"]):
        result.pop("records", None)
    results["hwm_mb"] = hwm / 1024
    results["verify"] = roer_verify(folder, env, seed["scan"], records, "postgresql")
    return results


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


# --- pooling the rounds -------------------------------------------------------------------------------
def pooled(results: list[dict[str, Any]], kind: str) -> dict[str, Any] | None:
    """One kind of request (or "respondent") over several runs of a scenario: the rate over their summed
    measuring time, the percentiles over all their latencies, the errors summed."""
    runs = [result for result in results if kind in result["tallies"]]
    if not runs:
        return None
    latencies = sorted(latency for result in runs for latency in result["latencies"].get(kind, []))
    window = sum(DURATION if kind == "respondent" else result["elapsed"] for result in runs)

    def percentile(share: float) -> float | None:
        if not latencies:
            return None
        return latencies[min(len(latencies) - 1, round(share * (len(latencies) - 1)))] * 1000

    error_kinds: dict[str, int] = {}
    for result in runs:
        for name, number in result["tallies"][kind]["error_kinds"].items():
            error_kinds[name] = error_kinds.get(name, 0) + number
    return {
        "count": len(latencies),
        "rps": len(latencies) / window if window else 0.0,
        "p50_ms": percentile(0.50),
        "p95_ms": percentile(0.95),
        "p99_ms": percentile(0.99),
        "errors": sum(result["tallies"][kind]["errors"] for result in runs),
        "error_kinds": error_kinds,
    }


def server_figures(results: list[dict[str, Any]]) -> dict[str, Any]:
    """What the server did over several runs: CPU per request, cores, 'database is locked', memory."""
    requests = sum(result["all_requests"] for result in results)
    return {
        "cpu_ms": sum(result["server_cpu_ms_per_request"] * result["all_requests"] for result in results)
        / max(1, requests),
        "cores": sum(result["server_cpu_share"] for result in results) / max(1, len(results)),
        "client_cores": sum(result["client_cpu_share"] for result in results) / max(1, len(results)),
        "database_cores": sum(result["database_cpu_share"] for result in results) / max(1, len(results)),
        "locked": sum(result["locked"] for result in results),
        "rss_mb": max((result["peak_rss_mb"] for result in results), default=0.0),
        "total_mb": max((result["peak_total_mb"] for result in results), default=0.0),
    }


def walks_at(results: dict[str, Any], users: int) -> list[dict[str, Any]]:
    return [results[walk_key(users, number)] for number in range(ROUNDS) if walk_key(users, number) in results]


def residents_at(results: dict[str, Any], users: int) -> list[dict[str, Any]]:
    keys = [resident_key(users, number) for number in range(ROUNDS)]
    return [results[key] for key in keys if key in results]


# --- the table ----------------------------------------------------------------------------------------
HEADER = (
    f"{'scenario':<46} {'users':>5} {'per s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} "
    f"{'locked':>6} {'RSS MB':>6} {'sum MB':>6} {'CPU ms':>7} {'cores':>8}"
)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _row(
    name: str, users: int, tally: dict[str, Any] | None, server: dict[str, Any] | None, cpu_ms: float | None = None
) -> str:
    if tally is None:
        return f"{name:<46} {users:>5} {'(none)':>8}"
    if server is None:
        tail = ""
    else:
        cores = f"{server['cores']:.1f}+{server['client_cores']:.1f}"
        cpu = f"{cpu_ms if cpu_ms is not None else server['cpu_ms']:>7.1f}"
        tail = f"{server['locked']:>6} {server['rss_mb']:>6.0f} {server['total_mb']:>6.0f} {cpu} {cores:>8}"
        if server["database_cores"] >= 0.05:
            tail += f"  PostgreSQL used {server['database_cores']:.1f} cores"
    return (
        f"{name:<46} {users:>5} {tally['rps']:>8.1f} {_fmt(tally['p50_ms']):>7} {_fmt(tally['p95_ms']):>7} "
        f"{_fmt(tally['p99_ms']):>7} {tally['errors']:>6} {tail}"
    ).rstrip()


def _get_rows(name: str, result: dict[str, Any] | None) -> list[str]:
    if result is None:
        return []
    return [_row(name, result["concurrency"], pooled([result], "GET"), server_figures([result]))]


PAGE_KINDS = ("GET page", "POST save", "POST submit")


def requests_per_respondent(runs: list[dict[str, Any]]) -> int | None:
    """How many requests a complete respondent makes (the median over every walk that ended; when none
    ended, as for the peer at 50 users on a busy machine, the median of the same server's other walks)."""
    made = sorted(number for result in runs for number in result.get("walk_requests", []))
    if not made:
        made = sorted(result["requests_each_elsewhere"] for result in runs if result.get("requests_each_elsewhere"))
    return made[len(made) // 2] if made else None


def lend_requests_each(results: dict[str, Any]) -> None:
    """Give the walks in which no respondent finished the number of requests a respondent of the same
    server made in its other walks (the questionnaire is the same), so their rate can still be read."""
    walks = [result for key, result in results.items() if key.startswith("walk-")]
    each = requests_per_respondent(walks)
    for result in walks:
        if not result.get("walk_requests") and each:
            result["requests_each_elsewhere"] = each


def respondent_rate(runs: list[dict[str, Any]], kinds: tuple[str, ...] = PAGE_KINDS) -> float:
    """Complete respondents per second in the steady state: the walks' requests per second over the
    requests one complete respondent makes. Counting the walks that end in the measuring time instead
    would depend on when they began: one of the peer's walks at 50 users takes longer than that time."""
    each = requests_per_respondent(runs)
    window = sum(result["elapsed"] for result in runs)
    if not each or not window:
        return 0.0
    return sum(_count(pooled(runs, kind)) for kind in kinds) / window / each


RESIDENT_KINDS = ("GET resident page", "POST resident")


def _resident_rows(runs: list[dict[str, Any]], users: int) -> list[str]:
    """A resident on the open link (its rate, and the latency of page and submit together), then its two
    requests."""
    if not runs:
        return []
    server = server_figures(runs)
    done = pooled(runs, "respondent") or {"count": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None}
    errors = sum(_errors(pooled(runs, kind)) for kind in RESIDENT_KINDS)
    residents = {**done, "rps": respondent_rate(runs, RESIDENT_KINDS), "errors": errors}
    rows = [_row("Roer, resident (GET /i/<slug>/ + POST)", users, residents, server, server["cpu_ms"] * 2)]
    rows += [_row(f"    {kind}", users, pooled(runs, kind), None) for kind in RESIDENT_KINDS if pooled(runs, kind)]
    return rows


def _walk_rows(name: str, runs: list[dict[str, Any]], users: int) -> list[str]:
    """A complete respondent (its rate, and the whole walk's latency), then its requests by kind."""
    if not runs:
        return [f"{name:<46} {users:>5} {'(not measured)':>8}"]
    server = server_figures(runs)
    walks = pooled(runs, "respondent") or {"count": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None}
    each = requests_per_respondent(runs)
    errors = sum(_errors(pooled(runs, kind)) for kind in PAGE_KINDS)
    respondents = {**walks, "rps": respondent_rate(runs), "errors": errors}
    row = _row(f"{name}, complete respondent", users, respondents, server, server["cpu_ms"] * (each or 0))
    rows = [f"{row}  {each} requests each; {walks['count']} walks ended in the measuring time"]
    for kind in PAGE_KINDS:
        tally = pooled(runs, kind)
        if tally is not None:
            rows.append(_row(f"    {kind}", users, tally, None))
    return rows


def _count(tally: dict[str, Any] | None) -> int:
    return int(tally["count"]) if tally else 0


def _errors(tally: dict[str, Any] | None) -> int:
    return int(tally["errors"]) if tally else 0


def _rate(tally: dict[str, Any] | None) -> float:
    return float(tally["rps"]) if tally else 0.0


def _ratio(top: float, bottom: float) -> str:
    return f"{top / bottom:.2f}x" if bottom else "-"


def _verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def table(
    hello: dict[str, Any] | None,
    roer: dict[str, Any],
    peer: dict[str, Any] | None,
    peer_error: str,
    postgres: dict[str, Any] | None,
    postgres_error: str,
) -> list[str]:
    rule = "-" * len(HEADER)
    lines = [
        rule,
        f"Roer load test: gunicorn {WORKER_CLASS}, {WORKERS} workers x {THREADS} threads for Roer and the peer "
        f"alike, 127.0.0.1, DEBUG off, SQLite; client: one aiohttp process, {WARMUP:g} s warm-up + {DURATION:g} s "
        f"per scenario, Roer and the peer alternating, walks in {ROUNDS} rounds (pooled here)",
        *(WORKER_CHOICE if (WORKER_CLASS, THREADS) == ("sync", 1) else []),
        "complete respondent: every page as a browser walks it, from the first page's GET to the answer to the",
        "  last page's POST. per s: complete respondents per second, the walks' requests per second over the",
        "  requests one respondent makes (Roer answers a save with the next page: 1 GET + 5 POSTs; the peer",
        "  redirects after every POST: 5 GETs + 5 POSTs, the redirect after its last POST not followed);",
        "  p50..p99: of the whole walk, over the walks that ended in the measuring time.",
        "errors: connection errors, time-outs and any status but the expected one (200 for a page, 200/302/303",
        "  after a POST); locked: 'database is locked' in the server log; RSS MB: peak resident memory of the",
        "  largest worker, sum MB: of all workers; CPU ms: worker CPU time per request (per respondent on a",
        "  respondent's row); cores: CPU cores used by the workers + by the client",
        "resident: a fresh browser on the residents' open link, GET the page and POST the form (2 requests);",
        f"  the Roer servers ran with ROER_RESIDENT_SUBMITS_PER_ADDRESS={RESIDENT_RATE} instead of the default",
        "  30/h, as every simulated resident comes from 127.0.0.1",
        rule,
        HEADER,
        rule,
    ]
    if hello is not None:
        lines += _get_rows("(a) bare WSGI hello", hello)
    lines += _get_rows("Roer GET /health/ (liveness)", roer.get("health"))
    if peer is not None:
        lines += _get_rows("peer GET /health/ (trivial view)", peer.get("health"))
    lines += _get_rows("Roer GET /a/<token>/1/", roer.get("page"))
    if peer is not None:
        lines += _get_rows("peer GET /survey/<id>/", peer.get("page"))
    for users in USERS:
        lines += _walk_rows("Roer", walks_at(roer, users), users)
        if peer is not None:
            lines += _walk_rows("peer", walks_at(peer, users), users)
        lines += _resident_rows(residents_at(roer, users), users)
    if peer is None:
        lines.append(f"peer: not measured: {peer_error}")
    if postgres is not None:
        lines.append("PostgreSQL, as Roer runs by default (connections kept 60 s):")
        lines += _get_rows("(PG) Roer GET /health/", postgres["health"])
        lines += _get_rows("(PG) Roer GET /a/<token>/1/", postgres["page"])
        lines += _walk_rows("(PG) Roer", [postgres["walk"]], max(USERS))
        lines.append("  and with a new connection per request (DB_CONN_MAX_AGE=0), for comparison:")
        lines += _get_rows("(PG0) Roer GET /a/<token>/1/", postgres["page_per_request"])
        lines += _walk_rows("(PG0) Roer", [postgres["walk_per_request"]], max(USERS))
    else:
        lines.append(f"(PG) PostgreSQL: not measured: {postgres_error}")
    lines.append(rule)

    lines += goals(hello, roer, peer, postgres)
    lines.append(rule)
    lines += zero_loss(roer, peer, postgres)
    notes = []
    everything = [hello, *(value for key, value in roer.items() if key not in ("hwm_mb", "verify", "residents_verify"))]
    if peer is not None:
        everything += [value for key, value in peer.items() if key != "verify"]
    if postgres is not None:
        everything += [postgres[key] for key in ("health", "page", "walk", "page_per_request", "walk_per_request")]
    for result in everything:
        if not isinstance(result, dict) or "tallies" not in result:
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


def goals(
    hello: dict[str, Any] | None, roer: dict[str, Any], peer: dict[str, Any] | None, postgres: dict[str, Any] | None
) -> list[str]:
    lines = ["Roer beside the peer (ratios of requests or complete respondents per second), and the goals"]
    most = max(USERS)
    for users in USERS:
        mine, theirs = walks_at(roer, users), walks_at(peer, users) if peer else []
        ours, their = respondent_rate(mine), respondent_rate(theirs)
        errors = sum(_errors(pooled(mine, kind)) for kind in PAGE_KINDS)
        locked = server_figures(mine)["locked"] if mine else 0
        met = bool(their) and ours >= GOAL_RESPONDENT_FACTOR * their and errors == 0 and locked == 0
        lines.append(
            f"  complete respondent, {users:>2} users: Roer {ours:6.1f}/s, peer {their:5.1f}/s: "
            f"{_ratio(ours, their):>7} (goal >= {GOAL_RESPONDENT_FACTOR:g}x; {errors} errors, {locked} locked)   "
            f"{_verdict(met)}"
        )
    for users in USERS:
        mine, theirs = residents_at(roer, users), walks_at(peer, users) if peer else []
        if not mine:
            continue
        ours, their = respondent_rate(mine, RESIDENT_KINDS), respondent_rate(theirs)
        errors = sum(_errors(pooled(mine, kind)) for kind in RESIDENT_KINDS)
        locked = server_figures(mine)["locked"]
        lost = not roer.get("residents_verify", {}).get("ok", False)
        met = bool(their) and ours >= GOAL_RESIDENT_FACTOR * their and errors == 0 and locked == 0 and not lost
        lines.append(
            f"  resident, {users:>2} users: Roer {ours:6.1f}/s, peer's complete respondent {their:5.1f}/s: "
            f"{_ratio(ours, their):>7} (goal >= {GOAL_RESIDENT_FACTOR:g}x; {errors} errors, {locked} locked, "
            f"{'none' if not lost else 'some'} lost)   {_verdict(met)}"
        )
    saves = pooled(walks_at(roer, most), "POST save")
    p99 = saves["p99_ms"] if saves and saves["p99_ms"] is not None else float("inf")
    lines.append(
        f"  page saves p99 at {most} users: {p99:.0f} ms (goal <= {GOAL_SAVE_P99_MS:.0f} ms)   "
        f"{_verdict(p99 <= GOAL_SAVE_P99_MS)}"
    )
    health, trivial = _rate(pooled([roer["health"]], "GET")), _rate(pooled([peer["health"]], "GET")) if peer else 0.0
    page, their_page = _rate(pooled([roer["page"]], "GET")), _rate(pooled([peer["page"]], "GET")) if peer else 0.0
    lines.append(
        f"  GET /health/ vs the peer's trivial view: {_ratio(health, trivial):>7} (goal >= {GOAL_HEALTH_FACTOR:g}x)   "
        f"{_verdict(bool(trivial) and health >= GOAL_HEALTH_FACTOR * trivial)}"
    )
    lines.append(
        f"  questionnaire GET vs the peer's survey page: {_ratio(page, their_page):>7} (goal >= "
        f"{GOAL_PAGE_FACTOR:g}x)   {_verdict(bool(their_page) and page >= GOAL_PAGE_FACTOR * their_page)}"
    )
    lines.append(f"  for comparison: questionnaire GET vs the peer's trivial view: {_ratio(page, trivial):>7}")
    if hello is not None:
        lines.append(
            f"  for comparison: GET /health/ vs the bare WSGI hello: {_ratio(health, _rate(pooled([hello], 'GET'))):>7}"
        )
    mine = [value for key, value in roer.items() if isinstance(value, dict) and "tallies" in value]
    if postgres is not None:
        mine += [postgres[key] for key in ("health", "page", "walk", "page_per_request", "walk_per_request")]
    peak = max(result["peak_rss_mb"] for result in mine)
    hwm = max(roer["hwm_mb"], postgres["hwm_mb"] if postgres else 0.0)
    lines.append(
        f"  Roer worker memory <= {GOAL_MEMORY_MB:.0f} MB: peak RSS {peak:.0f} MB sampled, VmHWM {hwm:.0f} MB   "
        f"{_verdict(max(peak, hwm) <= GOAL_MEMORY_MB)}"
    )
    if postgres is not None:
        # The per-request variant is a comparison, not a way Roer is meant to run, so it has no goal.
        pg_page, pg_walk = _rate(pooled([postgres["page"]], "GET")), respondent_rate([postgres["walk"]])
        sqlite_walk = respondent_rate(walks_at(roer, most))
        pg_saves = pooled([postgres["walk"]], "POST save")
        pg_p99 = pg_saves["p99_ms"] if pg_saves and pg_saves["p99_ms"] is not None else float("inf")
        slower_get = page / pg_page if pg_page else float("inf")
        slower_walk = sqlite_walk / pg_walk if pg_walk else float("inf")
        slower_p99 = pg_p99 / p99 if p99 else float("inf")
        met = max(slower_get, slower_walk, slower_p99) <= GOAL_POSTGRES_FACTOR
        lines.append(
            f"  PostgreSQL within {GOAL_POSTGRES_FACTOR:g}x of SQLite: GET {slower_get:.2f}x slower, complete "
            f"respondents {slower_walk:.2f}x slower, save p99 {slower_p99:.2f}x   {_verdict(met)}"
        )
    return lines


def zero_loss(roer: dict[str, Any], peer: dict[str, Any] | None, postgres: dict[str, Any] | None) -> list[str]:
    lines = ["Zero loss, checked in the database after the walks"]
    for label, result in (("SQLite", roer), ("PostgreSQL (both walks)", postgres)):
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
    if "residents_verify" in roer:
        v = roer["residents_verify"]
        lines.append(
            f"  Roer residents: {v['responses_stored']} responses stored for {v['submits_accepted']} submits thanked, "
            f"{v['open_answers_stored']} of {v['open_answers_expected']} open answers; {v['uncertain']} uncertain; "
            f"{len(v['problems'])} problems   {'met' if v['ok'] else 'NOT MET'}"
        )
        lines += [f"    {problem}" for problem in v["problems"][:5]]
    if peer is not None:
        v = peer["verify"]
        lines.append(
            f"  peer: {v['responses_stored']} responses stored for {v['submits_counted']} final posts counted; "
            f"{v['answer_rows']} of {v['answer_rows_expected']} answers   {'met' if v['ok'] else 'NOT MET'}"
        )
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
    progress(f"throw-away folder {folder}; gunicorn {WORKER_CLASS} {WORKERS}x{THREADS}; Roer from {ROER_ROOT}")
    progress(
        f"Roer servers run with ROER_RESIDENT_SUBMITS_PER_ADDRESS={RESIDENT_RATE} (default 30/h): every simulated "
        "resident posts from 127.0.0.1"
    )
    hello = postgres = None
    postgres_error = ""
    try:
        if not os.environ.get("LOAD_SKIP_HELLO"):
            hello = hello_phase(folder / "hello")
        roer, peer, peer_error = comparison_phase(folder)
        if os.environ.get("LOAD_SKIP_POSTGRES"):
            postgres_error = "skipped (LOAD_SKIP_POSTGRES)"
        else:
            try:
                postgres = postgres_phase(folder)
            except Exception as exc:
                postgres_error = _reason(exc)
                progress(f"PostgreSQL FAILED: {exc}")
        print()
        print("\n".join(table(hello, roer, peer, peer_error, postgres, postgres_error)), flush=True)
    finally:
        if os.environ.get("LOAD_KEEP"):
            progress(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
