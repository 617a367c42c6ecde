"""`make bench`: every benchmark, each in its own process with its own throw-away database."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

BENCHMARKS = [
    ("Growth with the scan: figures, exports and results page at 100 to 50,000 respondents", "bench.scaling"),
    ("Residents' survey: figures and results page at 100 to 100,000 residents (issue: residents)", "bench.residents"),
    ("Benchmark figures (issue: insight)", "bench.benchmarks"),
    ("Board report PDF (issue: board report)", "bench.reports"),
    ("Questionnaire lookup: fastget against the ORM (issue: scan life)", "bench.fastget"),
    ("Learning and the action plan: case search, peers and the board as the data grows", "bench.learning"),
]


def main() -> int:
    failed = 0
    for title, module in BENCHMARKS:
        print(f"\n== {title} ==", flush=True)
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="roer-bench-") as folder:
            environment = {**os.environ, "ROER_BENCH_DIR": folder}
            environment.pop("DATABASE_URL", None)
            result = subprocess.run(  # noqa: S603 - our own modules
                [sys.executable, "-m", module], check=False, capture_output=True, text=True, env=environment
            )
        lines = [line for line in result.stdout.splitlines() if line.strip()]
        print("\n".join(lines))
        if result.returncode:
            failed += 1
            print(result.stderr[-3000:], file=sys.stderr)
        print(f"({time.perf_counter() - started:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
