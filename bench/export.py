"""Benchmark: exporting 100,000 respondent rows. The data is written in this process; each export is then
made in a fresh child process (`bench.export_child`) by the background task a worker runs for a large
scan, so that its peak memory is the export's own. Goals: memory stays under 200 MB, and every row
arrives (counted)."""

from __future__ import annotations

import random
import subprocess
import sys
import time

from bench.common import closed_scan, prepare_database
from roer.accounts.models import User
from roer.organisations.models import Membership, Organisation, OrganisationKind, Role
from roer.responses.models import Response

RESPONDENTS = 100_000


def run() -> list[tuple[str, str]]:
    version = prepare_database()
    rng = random.Random(100)
    organisation = Organisation.objects.create(
        name="Gemeente Groot", kind=OrganisationKind.GEMEENTE, inhabitants=900_000
    )
    started = time.perf_counter()
    scan = closed_scan(organisation, version, RESPONDENTS, rng)
    written = time.perf_counter() - started
    user = User.objects.create_user("bench@roer.example", "bench-password-1")
    Membership.objects.create(user=user, organisation=organisation, role=Role.BEHEERDER)
    expected = Response.objects.filter(scan=scan).count()
    rows = [("respondents written", f"{expected:,} with all their answers ({written:.0f} s)")]
    for extension in ("csv", "xlsx"):
        result = subprocess.run(  # noqa: S603 - our own module
            [sys.executable, "-m", "bench.export_child", str(scan.code), extension],
            check=True,
            capture_output=True,
            text=True,
        )
        counted, seconds, peak_mb, size_mb = result.stdout.split()
        lost = expected - int(counted)
        rows.append(
            (
                f"{extension.upper()} export of every respondent row",
                f"{int(counted):,} rows, {lost} lost, {float(seconds):.1f} s, peak memory {float(peak_mb):.0f} MB "
                f"(goal < 200 MB), {float(size_mb):.0f} MB",
            )
        )
    return rows


if __name__ == "__main__":
    for name, value in run():
        print(f"{name:<70} {value}")
