import time
from typing import Any

from django.core.management.base import BaseCommand

from roer.lifecycle.benchmarks import refresh_benchmarks
from roer.lifecycle.scan_life import figures_recompute, scans_follow_clock, store_figures
from roer.results.models import ScanFigures
from roer.scans.models import Scan, ScanState


class Command(BaseCommand):
    help = (
        "Do now, in this process, what the workers do in the background: close scans whose date has passed, "
        "compute the figures of closed scans that have none, store figures kept in an older format anew, and "
        "rebuild every benchmark. Safe to run at any time and more than once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        changed = scans_follow_clock()
        computed = sum(
            store_figures.call(scan_id)
            for scan_id in Scan.objects.filter(state=ScanState.CLOSED).values_list("pk", flat=True)
        )
        stale = ScanFigures.objects.exclude(format=ScanFigures.FORMAT).values_list("scan_id", flat=True)
        restored = sum(figures_recompute(scan_id) for scan_id in stale)
        self.stdout.write(
            f"{changed} scan(s) opened or closed by date; figures computed for {computed} and stored anew for "
            f"{restored} scan(s) in {time.perf_counter() - started:.1f} s."
        )
        for version_id in Scan.objects.with_figures().values_list("instrument_version_id", flat=True).distinct():
            started = time.perf_counter()
            count = refresh_benchmarks.call(version_id)
            self.stdout.write(
                f"Benchmark of version {version_id}: {count} organisation(s) in {time.perf_counter() - started:.2f} s."
            )
