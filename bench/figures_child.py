"""Computes one scan's figures as the worker does after close, in a fresh process so that its peak
memory is the computation's own, and prints: seconds, peak memory of the whole process (MB), and its
memory before the work (MB)."""

from __future__ import annotations

import sys
import time

from bench import common  # noqa: F401 - configures Django on the parent's database
from bench.export_child import peak_memory_mb, resident_memory_mb
from roer.results.figures import compute_figures
from roer.scans.models import Scan


def main(scan_code: str) -> None:
    scan = Scan.objects.select_related("instrument_version").get(code=scan_code)
    scan.instrument_version.spec  # noqa: B018 - the parsed instrument is cached per process, as in a worker
    rest = resident_memory_mb()
    started = time.perf_counter()
    compute_figures(scan)
    print(f"{time.perf_counter() - started:.3f}", f"{peak_memory_mb():.0f}", f"{rest:.0f}")


if __name__ == "__main__":
    main(sys.argv[1])
