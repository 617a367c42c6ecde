"""roer.lib.sqlite: every SQLite transaction holds the lock file while it runs, gives it back on commit,
rollback and close, and a killed holder never leaves it held."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from django.db import OperationalError, connection, transaction

from roer.lib.sqlite.base import WriteLock
from roer.scans.models import Scan

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the lock file is SQLite's"),
]


def _lock_path() -> str:
    return f"{connection.settings_dict['NAME']}-writelock"


def _free() -> bool:
    """Whether another writer could start now (it gives up after 50 ms)."""
    other = WriteLock(_lock_path(), timeout_s=0.05)
    try:
        other.acquire()
    except OperationalError:
        return False
    finally:
        other.close()
    return True


def test_a_transaction_holds_the_lock_until_it_commits(scan):
    with transaction.atomic():
        Scan.objects.filter(pk=scan.pk).update(title="Nieuw")
        assert not _free()
        with transaction.atomic():  # a savepoint starts no second transaction
            assert not _free()
        assert not _free()
    assert _free()
    assert Scan.objects.get(pk=scan.pk).title == "Nieuw"


def test_a_rolled_back_transaction_gives_the_lock_back(scan):
    Scan.objects.filter(pk=scan.pk).update(title="Oud")

    def rename_then_fail() -> None:
        with transaction.atomic():
            Scan.objects.filter(pk=scan.pk).update(title="Nieuw")
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        rename_then_fail()
    assert _free()
    assert Scan.objects.get(pk=scan.pk).title == "Oud"


def test_a_closed_connection_gives_the_lock_back():
    with transaction.atomic():
        assert not _free()
        connection.close()  # as a worker's connection at the end of a request gone wrong
    assert _free()


def test_a_writer_that_cannot_get_the_lock_gets_sqlites_own_error():
    with transaction.atomic():
        waiting = WriteLock(_lock_path(), timeout_s=0.02)
        with pytest.raises(OperationalError, match="database is locked"):
            waiting.acquire()
        waiting.close()


def test_a_killed_holder_leaves_the_lock_free():
    holder = subprocess.Popen(  # noqa: S603 - our own interpreter
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                from roer.lib.sqlite.base import WriteLock
                WriteLock({_lock_path()!r}, 1).acquire()
                print("held", flush=True)
                time.sleep(60)
                """
            ),
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == b"held"
        assert not _free()
        holder.kill()
        holder.wait()
        assert _free()
    finally:
        holder.kill()
        holder.wait()
