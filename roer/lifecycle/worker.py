"""What every worker does beside running tasks: a heartbeat, the schedule, and the retry sweeps.

It runs in a thread of the worker process (`manage.py roer_worker`), so the heartbeat goes on while a
long task runs: a worker is taken to be gone only when its process is, and then its task is queued
again for another worker."""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from roer.lifecycle import schedule
from roer.lifecycle.models import WorkerHeartbeat
from roer.lifecycle.queue import requeue_abandoned, requeue_failed

logger = logging.getLogger("roer.worker")


def beat(worker_id: str, started_at: datetime.datetime) -> None:
    seen = {"hostname": socket.gethostname()[:255], "pid": os.getpid(), "seen_at": timezone.now()}
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults=seen, create_defaults={**seen, "started_at": started_at}
    )


def sweep() -> None:
    """The schedule, then the retries."""
    schedule.tick()
    requeue_failed()
    requeue_abandoned()


class Housekeeper(threading.Thread):
    """The heartbeat always; the schedule and the retries unless `sweeping` is off (a worker that only
    empties the queue once, `--batch`, leaves those to the workers that stay)."""

    def __init__(self, worker_id: str, *, sweeping: bool = True) -> None:
        super().__init__(name=f"roer-housekeeper-{worker_id[:8]}", daemon=True)
        self.worker_id = worker_id
        self.sweeping = sweeping
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def run(self) -> None:
        last_round = 0.0
        while not self.stopping.is_set():
            try:
                close_old_connections()
                beat(self.worker_id, self.started_at)
                if self.sweeping and time.monotonic() - last_round >= settings.ROER_WORKER_SWEEP_SECONDS:
                    last_round = time.monotonic()
                    sweep()
            except Exception:  # the housekeeper must outlive a database that is briefly away
                logger.exception("housekeeping failed; trying again shortly")
            self.stopping.wait(settings.ROER_WORKER_HEARTBEAT_SECONDS)
        connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=settings.ROER_WORKER_HEARTBEAT_SECONDS * 2)
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
