"""Backups that restore, as the README's "Backups" tells an operator to make and restore them: a backup
of a running database (`manage.py backup_database`), restored into a fresh database (SQLite: the file put
in place; PostgreSQL: `createdb` and `pg_restore`), must give back every published figure of every scan
and every benchmark, computed again from the restored answers (`manage.py check_figures`), and the very
figures that were published. A restore that lost an answer or a scan's figures, or that holds a changed
benchmark score, must be caught; a benchmark merely waiting for its nightly rebuild must not be."""

from __future__ import annotations

import datetime
import io
import json
import os
import random
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from roer.lifecycle.benchmarks import refresh_benchmarks
from roer.organisations.models import OrganisationKind
from roer.results.models import PeerGroupScores
from roer.scans.models import Scan
from tests.deploy.conftest import ROOT, database_url
from tests.factories import OrganisationFactory
from tests.helpers import closed_scan_with

pytestmark = pytest.mark.django_db(transaction=True)

PUBLISHED = ["results.ScanFigures", "results.PeerGroupScores", "scans.Scan", "scans.RespondentGroup"]


@pytest.fixture
def published(instrument_version) -> int:  # type: ignore[no-untyped-def]
    """Six municipalities in the benchmark, each with a scan whose answers vary (some "don't know"),
    one of them with last year's scan too; returns the number of scans with figures."""
    rng = random.Random(20261203)
    for number in range(6):
        organisation = OrganisationFactory(
            kind=OrganisationKind.GEMEENTE, inhabitants=30_000 + 1_000 * number, benchmark_opt_in=True
        )
        for years_ago in range(2 if number == 0 else 1, 0, -1):
            closed_scan_with(
                organisation,
                instrument_version,
                {
                    "directie": [rng.randint(2, 5) for _ in range(3)],
                    "management": [rng.randint(1, 5) for _ in range(4)],
                    "medewerkers": [rng.randint(1, 5) for _ in range(12)],
                },
                closes_on=timezone.localdate() - datetime.timedelta(days=365 * (years_ago - 1) + 1),
                title=f"Scan {years_ago}",
                spread=rng,
            )
    assert refresh_benchmarks.call(instrument_version.pk) == 6
    return Scan.objects.with_figures().count()


def manage(url: str, folder: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """A management command against another database, in its own process, as an operator runs it."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "roer.settings", "ROER_VAR_DIR": str(folder)})
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def _postgres_admin() -> psycopg.Connection:  # type: ignore[type-arg]
    return psycopg.connect(urlsplit(database_url())._replace(path="/postgres").geturl(), autocommit=True)


@pytest.fixture
def restored(published, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The test database backed up while it runs, restored into a fresh database; yields its URL."""
    backup = tmp_path / "roer.backup"
    call_command("backup_database", str(backup), stdout=io.StringIO())
    if connection.vendor == "sqlite":
        restored_file = tmp_path / "restored.sqlite3"
        shutil.copyfile(backup, restored_file)  # README: with Roer stopped, put the copy in the database's place
        yield f"sqlite:///{restored_file}"
        return
    name = f"{connection.settings_dict['NAME']}_restored"
    with _postgres_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = urlsplit(database_url())._replace(path=f"/{name}").geturl()
    subprocess.run(["pg_restore", "--no-owner", f"--dbname={url}", str(backup)], check=True)  # noqa: S603
    try:
        yield url
    finally:
        with _postgres_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _published(dump: str) -> list[dict[str, object]]:
    return sorted(json.loads(dump), key=lambda row: (row["model"], row["pk"]))


def _execute(url: str, statement: str, parameters: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """One statement on the restored database, behind Roer's back, as a damaged restore would be."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as database:
            return database.execute(statement.replace("%s", "?"), parameters).fetchall()
    with psycopg.connect(url, autocommit=True) as database:
        cursor = database.execute(statement, parameters)
        return cursor.fetchall() if cursor.description else []


def test_a_restored_backup_gives_every_published_figure_again(published, restored, tmp_path):
    checked = manage(restored, tmp_path, "check_figures")
    assert checked.returncode == 0, checked.stderr
    assert f"Every published figure of {published} scan(s), " in checked.stdout
    scores = sum(len(row.entries) for row in PeerGroupScores.objects.all())
    assert scores > 0
    assert f"all {scores} benchmark scores follow from the stored answers" in checked.stdout
    original = io.StringIO()
    call_command("dumpdata", *PUBLISHED, stdout=original)
    copy = manage(restored, tmp_path, "dumpdata", *PUBLISHED)
    assert copy.returncode == 0, copy.stderr
    assert _published(copy.stdout) == _published(original.getvalue())


def test_a_restore_that_lost_one_answer_is_caught(published, restored, tmp_path):
    _execute(
        restored, "DELETE FROM responses_response WHERE id = (SELECT id FROM responses_response ORDER BY id LIMIT 1)"
    )
    checked = manage(restored, tmp_path, "check_figures")
    assert checked.returncode == 1
    assert "do not follow from the stored answers" in checked.stderr
    assert "responses differ" in checked.stderr  # the scan that lost it, named


def test_a_restore_that_lost_a_scans_figures_is_caught(published, restored, tmp_path):
    _execute(restored, "DELETE FROM results_scanfigures WHERE id = (SELECT MIN(id) FROM results_scanfigures)")
    checked = manage(restored, tmp_path, "check_figures")
    assert checked.returncode == 1
    assert "its figures are missing" in checked.stderr


def test_a_changed_benchmark_score_is_caught(published, restored, tmp_path):
    [(row_id, entries)] = _execute(
        restored, "SELECT id, entries FROM results_peergroupscores WHERE peer_group = 'all' ORDER BY id LIMIT 1"
    )
    changed = json.loads(entries) if isinstance(entries, str) else entries
    changed[0][1] += 0.5
    update = "UPDATE results_peergroupscores SET entries = %s WHERE id = %s"
    if not restored.startswith("sqlite"):
        update = update.replace("= %s WHERE", "= %s::jsonb WHERE")
    _execute(restored, update, (json.dumps(changed), row_id))
    checked = manage(restored, tmp_path, "check_figures")
    assert checked.returncode == 1
    assert "none of its restored scans published" in checked.stderr


def test_a_benchmark_not_rebuilt_since_a_scan_closed_is_no_fault(published, restored, tmp_path, instrument_version):
    """The benchmark is rebuilt at night: a scan closed since, with other scores, is no difference."""
    organisation = OrganisationFactory(kind=OrganisationKind.GEMEENTE, inhabitants=31_000, benchmark_opt_in=True)
    closed_scan_with(organisation, instrument_version, {"directie": [5, 5, 5], "medewerkers": [5] * 12})
    assert manage(database_url(), tmp_path, "check_figures").returncode == 0


def test_the_backup_is_for_its_owner_only_and_keeps_no_log_in_session(published, client, alice, tmp_path):
    client.force_login(alice)
    assert Session.objects.exists()
    backup = tmp_path / "roer.backup"
    call_command("backup_database", str(backup), stdout=io.StringIO())
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    if connection.vendor == "sqlite":
        with sqlite3.connect(backup) as copy:
            assert copy.execute("SELECT COUNT(*) FROM django_session").fetchone() == (0,)
            assert copy.execute("SELECT COUNT(*) FROM accounts_user").fetchone()[0] > 0
        assert Session.objects.first().session_key.encode() not in backup.read_bytes()
    else:
        listing = subprocess.run(  # noqa: S603 - Debian's pg_restore on our own file
            ["pg_restore", "--data-only", "--table=django_session", "--file=-", str(backup)],
            capture_output=True,
            text=True,
            check=True,
        )
        assert Session.objects.first().session_key not in listing.stdout


def test_a_backup_never_overwrites_a_file(tmp_path):
    existing = tmp_path / "roer.backup"
    existing.write_text("last night's backup")
    with pytest.raises(CommandError, match="never overwrites"):
        call_command("backup_database", str(existing))
    assert existing.read_text() == "last night's backup"
