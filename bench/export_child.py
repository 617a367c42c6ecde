"""Runs one export through the view and prints: rows counted, seconds, peak memory (MB), size (MB).

The response is streamed to a temporary file and the peak memory is taken then, before the rows are
counted back from the file (reading an XLSX back costs memory of its own, which is not the export's)."""

from __future__ import annotations

import csv
import resource
import sys
import tempfile
import time

from django.test import Client

from bench import common  # noqa: F401 - configures Django on the parent's database
from roer.accounts.models import User


def peak_memory_mb() -> float:
    """This process's peak resident memory. VmHWM starts afresh at exec, unlike ru_maxrss, which Linux
    carries over from the parent that forked us (here: the process that wrote the data)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(scan_code: str, extension: str) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email="bench@roer.example"))
    started = time.perf_counter()
    response = client.get(f"/scans/{scan_code}/export/respondents.{extension}")
    assert response.status_code == 200, response.status_code
    size = 0
    with tempfile.NamedTemporaryFile(suffix=f".{extension}") as target:
        for chunk in response.streaming_content:
            target.write(chunk)
            size += len(chunk)
        target.flush()
        seconds = time.perf_counter() - started
        peak = peak_memory_mb()
        if extension == "csv":
            with open(target.name, encoding="utf-8-sig", newline="") as handle:
                counted = sum(1 for _row in csv.reader(handle)) - 1
        else:
            import openpyxl

            workbook = openpyxl.load_workbook(target.name, read_only=True)
            counted = sum(1 for _row in workbook.worksheets[0].iter_rows(min_row=2, max_col=1))
    print(counted, f"{seconds:.2f}", f"{peak:.0f}", f"{size / 1024 / 1024:.1f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
