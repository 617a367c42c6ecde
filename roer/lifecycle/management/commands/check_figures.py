import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from roer.results.checks import published_figures_check


class Command(BaseCommand):
    help = (
        "Compute every published figure again from the stored answers and compare it with what is stored: "
        "each scan's figures, and every score in the benchmarks; changes nothing. Run it after restoring a "
        "backup: it fails, naming each difference, when the restored answers do not give the published figures."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        check = published_figures_check()
        for difference in check.differences:
            self.stderr.write(difference)
        if check.differences:
            raise CommandError(f"{len(check.differences)} published figure(s) do not follow from the stored answers.")
        self.stdout.write(
            f"Every published figure of {check.scans} scan(s), {check.resident_surveys} residents' survey(s) "
            f"and all {check.benchmark_scores} benchmark scores "
            f"follow from the stored answers ({time.perf_counter() - started:.1f} s)."
        )
        if check.older_format:
            self.stdout.write(
                f"{check.older_format} scan(s) keep figures in an older format, computed again on every read; "
                "`manage.py refresh_figures` stores them anew."
            )
