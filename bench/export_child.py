"""Makes one export as a worker does (the task a scan manager's request queues for a large scan) and
prints: rows counted, seconds, peak memory (MB), size (MB), memory at rest before the export (MB).

The peak memory is taken when the file is stored, before the rows are counted back from it (reading an
XLSX back costs memory of its own, which is not the export's)."""

from __future__ import annotations

import csv
import resource
import sys
import time

from bench import common  # noqa: F401 - configures Django on the parent's database
from roer.accounts.models import User
from roer.lifecycle.documents import build_export, export_request
from roer.scans.models import Scan


def _status_mb(field: str) -> float | None:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return None


def peak_memory_mb() -> float:
    """This process's peak resident memory. VmHWM starts afresh at exec, unlike ru_maxrss, which Linux
    carries over from the parent that forked us (here: the process that wrote the data)."""
    peak = _status_mb("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def resident_memory_mb() -> float:
    """This process's resident memory now: before the work, what a worker holds at rest (Django, the
    libraries for PDFs, spreadsheets and arrays), which the work's peak is measured above."""
    return _status_mb("VmRSS") or 0.0


def main(scan_code: str, extension: str) -> None:
    scan = Scan.objects.get(code=scan_code)
    user = User.objects.get(email="bench@roer.example")
    rest = resident_memory_mb()
    started = time.perf_counter()
    export = export_request(scan=scan, name="respondents", extension=extension, language="nl", requested_by=user)
    assert build_export.call(export.pk)
    seconds = time.perf_counter() - started
    peak = peak_memory_mb()
    export.refresh_from_db()
    size = export.file.size
    if extension == "csv":
        with open(export.file.path, encoding="utf-8-sig", newline="") as handle:
            counted = sum(1 for _row in csv.reader(handle)) - 1
    else:
        import openpyxl

        workbook = openpyxl.load_workbook(export.file.path, read_only=True)
        counted = sum(1 for _row in workbook.worksheets[0].iter_rows(min_row=2, max_col=1))
    print(counted, f"{seconds:.2f}", f"{peak:.0f}", f"{size / 1024 / 1024:.1f}", f"{rest:.0f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
