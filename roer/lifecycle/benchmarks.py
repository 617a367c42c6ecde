"""Benchmark refreshes, as background tasks that never collide.

A rebuild deletes an instrument version's peer scores and writes them anew. Two rebuilds of one version
at once (two scans closing together) would each insert a full set, and the second would break the
unique constraint; so each rebuild first locks the version's row and the second waits for the first.
"""

from __future__ import annotations

import logging
import time

from django.db import transaction
from django_tasks import task

from roer.instruments.models import InstrumentVersion
from roer.lifecycle.queue import enqueue_once
from roer.results.benchmarks import peer_scores_rebuild

logger = logging.getLogger("roer.benchmarks")


@task()
def refresh_benchmarks(version_id: int) -> int:
    """Rebuild one instrument version's peer scores; returns the number of organisations in them."""
    started = time.perf_counter()
    with transaction.atomic():
        version = InstrumentVersion.objects.select_for_update().filter(pk=version_id).first()
        if version is None:
            return 0
        count = peer_scores_rebuild(version)
    logger.info("benchmarks of %s: %d organisations in %.2f s", version, count, time.perf_counter() - started)
    return count


@task()
def refresh_all_benchmarks() -> int:
    """Queue a rebuild of every instrument version in use (the nightly job); returns how many."""
    versions = list(InstrumentVersion.objects.filter(scans__isnull=False).distinct().values_list("pk", flat=True))
    for version_id in versions:
        enqueue_once(refresh_benchmarks, version_id)
    return len(versions)
