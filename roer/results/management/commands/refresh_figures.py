import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from roer.results.benchmarks import refresh_all_benchmarks
from roer.results.figures import figures_for
from roer.scans.models import Scan


class Command(BaseCommand):
    help = (
        "Compute the figures of every closed scan that has none yet (scans also close by date) and recompute "
        "the benchmarks. Safe to run from cron, for example nightly."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        today = timezone.localdate()
        missing = Scan.objects.filter(Q(closed_at__isnull=False) | Q(closes_on__lt=today), figures__isnull=True)
        computed = 0
        for scan in missing.select_related("instrument_version", "organisation"):
            figures_for(scan)
            computed += 1
        self.stdout.write(
            f"Computed the figures of {computed} closed scan(s) in {time.perf_counter() - started:.1f} s."
        )
        for version, organisations, seconds in refresh_all_benchmarks():
            self.stdout.write(f"Benchmark {version}: {organisations} organisation(s) in {seconds:.2f} s.")
