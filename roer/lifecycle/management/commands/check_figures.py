import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from roer.results.checks import published_figure_differences


class Command(BaseCommand):
    help = (
        "Compute every published figure again from the stored answers (each scan's figures, and every "
        "benchmark) and compare it with what is stored; changes nothing. Run it after restoring a backup: "
        "it fails, naming each difference, when the restored answers do not give the published figures."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        scans, versions, differences = published_figure_differences()
        for difference in differences:
            self.stderr.write(difference)
        if differences:
            raise CommandError(f"{len(differences)} published figure(s) do not follow from the stored answers.")
        self.stdout.write(
            f"Every published figure of {scans} scan(s) and the benchmarks of {versions} instrument version(s) "
            f"follow from the stored answers ({time.perf_counter() - started:.1f} s)."
        )
