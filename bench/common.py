"""Shared set-up for the benchmarks: a throw-away SQLite database (or DATABASE_URL), the default
instrument, and fast bulk generation of synthetic responses, packed as the questionnaire stores them."""

from __future__ import annotations

import datetime
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

_TMP = Path(os.environ.get("ROER_BENCH_DIR") or tempfile.mkdtemp(prefix="roer-bench-"))
os.environ["ROER_BENCH_DIR"] = str(_TMP)  # child processes (bench.export_child) use the same database
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_TMP / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roer.settings")
os.environ.setdefault("ROER_VAR_DIR", str(_TMP))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from roer.demo.resident_answers import perceived_answers  # noqa: E402
from roer.demo.synthetic import Profile, synthetic_answers  # noqa: E402
from roer.instruments.models import InstrumentVersion  # noqa: E402
from roer.lifecycle.scan_life import figures_publish, scan_close  # noqa: E402
from roer.organisations.models import Organisation  # noqa: E402
from roer.scans.models import RespondentGroup, Scan, instrument_groups  # noqa: E402
from roer.scoring.packed import pack  # noqa: E402

SHARES = {
    "directie": 0.02,
    "management": 0.1,
    "informatievoorziening": 0.08,
    "medewerkers": 0.8,
}


def prepare_database() -> InstrumentVersion:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_instrument", verbosity=0)
    return InstrumentVersion.objects.get()


def timed(function: Callable[[], object], repeat: int) -> list[float]:
    durations = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        durations.append((time.perf_counter() - started) * 1000)
    return durations


def median(values: list[float]) -> float:
    return statistics.median(values)


def publish(scan: Scan) -> float:
    """Close the scan and do what the worker does next (compute and store its figures, no PDFs); returns
    the seconds the figures took."""
    scan_close(scan=scan)
    started = time.perf_counter()
    figures_publish(scan.pk, with_reports=False)
    return time.perf_counter() - started


def closed_scan(
    organisation: Organisation,
    version: InstrumentVersion,
    respondents: int,
    rng: random.Random,
) -> Scan:
    """A scan with `respondents` synthetic responses, closed, with its figures published."""
    scan = answered_scan(organisation, version, respondents, rng)
    publish(scan)
    return scan


@transaction.atomic
def answered_scan(
    organisation: Organisation,
    version: InstrumentVersion,
    respondents: int,
    rng: random.Random,
    *,
    perceived: bool = False,
) -> Scan:
    """An open scan with `respondents` synthetic responses, written with executemany for speed; with
    `perceived`, they also guess what residents answer (the scan's perceived statements)."""
    today = timezone.localdate()
    scan = Scan.objects.create(
        organisation=organisation,
        instrument_version=version,
        title="Bench",
        opens_on=today - datetime.timedelta(days=40),
        closes_on=today + datetime.timedelta(days=10),
    )
    definition = version.parsed
    codes, points = definition.answer_codes(), definition.scale.points
    base = rng.uniform(2.6, 3.8)
    profile = Profile(
        {c: base + rng.gauss(0, 0.2) for c in ("verdiepen", "mensen", "adoptie")},
        dict.fromkeys(("verdiepen", "mensen", "adoptie"), 0.4),
    )
    responses = []
    submitted = scan.opens_on.isoformat()
    for group in RespondentGroup.objects.bulk_create(instrument_groups(scan, SHARES)):
        kind = definition.group(group.kind)
        assert kind is not None
        for _ in range(max(3, round(respondents * SHARES[group.kind]))):
            given = synthetic_answers(rng, definition, profile, kind)
            if perceived and definition.residents is not None:
                given.update(perceived_answers(rng, definition.residents, kind))
            responses.append((uuid.uuid4().hex, scan.pk, group.pk, version.pk, submitted, pack(codes, given, points)))
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO responses_response (id, scan_id, group_id, instrument_version_id, submitted_on, "
            "packed_answers) VALUES (%s, %s, %s, %s, %s, %s)",
            responses,
        )
    return scan
