"""Computes one residents' survey's figures as the worker does after close, in a fresh process so that
its peak memory is the computation's own, and prints: seconds, peak memory of the whole process (MB),
and its memory before the work (MB)."""

from __future__ import annotations

import sys
import time

from bench import common  # noqa: F401 - configures Django on the parent's database
from bench.export_child import peak_memory_mb, resident_memory_mb
from roer.residents.figures import compute_resident_figures
from roer.residents.models import ResidentSurvey


def main(slug: str) -> None:
    survey = ResidentSurvey.objects.select_related("scan__instrument_version").get(slug=slug)
    module = survey.scan.instrument_version.parsed.residents  # parsed once per process, as in a worker
    assert module is not None
    rest = resident_memory_mb()
    started = time.perf_counter()
    compute_resident_figures(survey, module)
    print(f"{time.perf_counter() - started:.3f}", f"{peak_memory_mb():.0f}", f"{rest:.0f}")


if __name__ == "__main__":
    main(sys.argv[1])
