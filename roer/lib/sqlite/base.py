"""Django's SQLite backend, with each transaction's write lock taken through a lock file first.

SQLite lets a blocked writer wait only by sleeping and retrying, in steps that grow to 100 ms
(1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms): under load a writer often sleeps long after the lock
came free, and those sleeps made the slowest questionnaire saves three times the typical one. A lock
on a file next to the database, taken before BEGIN IMMEDIATE, lets a waiting writer go on as soon as
the lock is released: every transaction (IMMEDIATE, see settings) takes SQLite's write lock anyway, so
the order of writers changes, what they may do does not. The file lock dies with its process, so a
killed worker never leaves it held; a writer that cannot get it within the connection's timeout gets
SQLite's own "database is locked" error, as before.
"""

from __future__ import annotations

import fcntl
import os
import time
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

# Waiting polls the lock: short sleeps keep the wait close to the holder's release without
# spinning a core. (A blocking flock could not honour the timeout.)
FIRST_SLEEP_S = 0.0002
LONGEST_SLEEP_S = 0.002


class WriteLock:
    """An exclusive lock on one file, per connection (flock locks belong to the open file, so two
    connections of one process exclude each other too)."""

    def __init__(self, path: str, timeout_s: float) -> None:
        self.path = path
        self.timeout_s = timeout_s
        self.descriptor: int | None = None
        self.held = False

    def acquire(self) -> None:
        if self.descriptor is None:
            self.descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.timeout_s
        sleep_s = FIRST_SLEEP_S
        while True:
            try:
                fcntl.flock(self.descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OperationalError("database is locked") from None
                time.sleep(sleep_s)
                sleep_s = min(sleep_s * 2, LONGEST_SLEEP_S)
                continue
            self.held = True
            return

    def release(self) -> None:
        if self.held and self.descriptor is not None:
            fcntl.flock(self.descriptor, fcntl.LOCK_UN)
        self.held = False

    def close(self) -> None:
        self.release()
        if self.descriptor is not None:
            os.close(self.descriptor)
            self.descriptor = None


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._write_lock: WriteLock | None = None

    def _lock(self) -> WriteLock | None:
        """None for an in-memory database, which no other process can reach."""
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db():
            return None
        if self._write_lock is None or self._write_lock.path != f"{name}-writelock":
            if self._write_lock is not None:
                self._write_lock.close()
            timeout_s = float(self.settings_dict["OPTIONS"].get("timeout", 5))
            self._write_lock = WriteLock(f"{name}-writelock", timeout_s)
        return self._write_lock

    def _start_transaction_under_autocommit(self) -> None:
        lock = self._lock()
        if lock is not None:
            lock.acquire()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private hooks the stubs omit
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self) -> None:
        if self._write_lock is not None:
            self._write_lock.release()

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]  # private hooks the stubs omit
        finally:
            self._release_write_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]  # private hooks the stubs omit
        finally:
            self._release_write_lock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]  # private hooks the stubs omit
        finally:
            if self._write_lock is not None:
                self._write_lock.close()
                self._write_lock = None
