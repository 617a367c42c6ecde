"""Real worker processes (`manage.py roer_worker`) against the test database: one is killed with SIGKILL in
the middle of a round of invitations, between delivering a message and marking it sent; a second one
takes the abandoned task over, and every invitee has exactly one message. The same worker closes the
scan's figures, which shows the whole path: queue, worker, task, database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection

from roer.lifecycle.mailing import mailing_request
from roer.lifecycle.scan_life import scan_close
from roer.scans.models import Mailing, MailingKind, Scan, ScanState
from tests.factories import InvitationFactory, OrganisationFactory, ScanFactory
from tests.groups import GroupKind

ROOT = Path(__file__).resolve().parents[2]
INVITEES = 6


def _database_url() -> str:
    """The test database, for the worker process: the suite's own DATABASE_URL with the test database's name."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(name).resolve()}"
    return urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()


def _worker(mailbox: Path, *, pause_after: int = 0) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "EMAIL_BACKEND": "tests.mailbox.FileMailbox",
        "ROER_TEST_MAILBOX": str(mailbox),
        "ROER_TEST_MAIL_PAUSE_AFTER": str(pause_after),
        "ROER_WORKER_HEARTBEAT_SECONDS": "1",
        "ROER_WORKER_SILENCE_SECONDS": "3",
        "ROER_WORKER_SWEEP_SECONDS": "1",
        "ROER_VAR_DIR": str(settings.VAR_DIR),
    }
    command = [sys.executable, "manage.py", "roer_worker", "--interval", "0.2", "--no-startup-delay", "-v", "0"]
    return subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 - our own command


def _wait_for(condition, seconds: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


def _delivered(mailbox: Path) -> Counter[str]:
    return Counter(path.name.split(".eml")[0].rsplit(".", 1)[0] for path in mailbox.glob("*.eml"))


@pytest.mark.real_clock
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_round_sends_nobody_twice_and_another_worker_finishes(instrument_version, tmp_path):
    scan = ScanFactory(
        organisation=OrganisationFactory(), instrument_version=instrument_version, groups=["medewerkers"]
    )
    group = scan.groups.get(kind=GroupKind.MEDEWERKERS)
    emails = [f"p{number}@x.nl" for number in range(INVITEES)]
    for email in emails:
        InvitationFactory(scan=scan, group=group, email=email, sent_at=None)
    mailing = mailing_request(scan=scan, kind=MailingKind.INVITATIONS, requested_by=None, base_url="https://roer.test")

    first = _worker(tmp_path, pause_after=3)
    try:
        # The third message is delivered; the worker sleeps before it can mark it sent, and is killed there.
        _wait_for(lambda: sum(_delivered(tmp_path).values()) == 3, 60, "three messages from the first worker")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        first.kill()
    assert Mailing.objects.get(pk=mailing.pk).sent == 2

    second = _worker(tmp_path)
    try:
        _wait_for(lambda: Mailing.objects.get(pk=mailing.pk).status == "done", 60, "the second worker to finish")
        delivered = _delivered(tmp_path)
        assert sorted(delivered) == sorted(emails)
        assert set(delivered.values()) == {1}, f"someone got two messages: {delivered}"
        done = Mailing.objects.get(pk=mailing.pk)
        # the message in flight when the first worker died counts as unconfirmed, not as sent twice
        assert (done.sent, done.unconfirmed, done.total) == (INVITEES - 1, 1, INVITEES)

        # The same worker computes the figures of a scan that is closed meanwhile.
        scan_close(scan=scan)
        _wait_for(lambda: Scan.objects.get(pk=scan.pk).state == ScanState.FIGURES_READY, 60, "the figures of the scan")
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(15)
        except subprocess.TimeoutExpired:
            second.kill()
