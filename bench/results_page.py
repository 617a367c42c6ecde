"""Benchmark: the results page of one closed scan with 5,000 respondents, against a trivial page.

Prints the time the worker takes to compute and store the scan's figures when it closes, the server
time (in-process, through the whole middleware stack and template) of the first view and the median of
later views, a trivial page's median and the ratio, and the query count at 50 and at 5,000 respondents.
"""

from __future__ import annotations

import random

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.common import answered_scan, median, prepare_database, publish, timed
from roer.accounts.models import User
from roer.organisations.models import Membership, Organisation, OrganisationKind, Role

RESPONDENTS = 5_000
REPEAT = 15


def run() -> list[tuple[str, str]]:
    version = prepare_database()
    rng = random.Random(5)
    user = User.objects.create_user("bench@roer.example", "bench-password-1")
    rows = []
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    counts = {}
    for size in (50, RESPONDENTS):
        organisation = Organisation.objects.create(
            name=f"Bench {size}", kind=OrganisationKind.GEMEENTE, inhabitants=50_000
        )
        Membership.objects.create(user=user, organisation=organisation, role=Role.BEHEERDER)
        scan = answered_scan(organisation, version, size, rng)
        figures = publish(scan)
        url = f"/scans/{scan.code}/results/"
        first = timed(lambda url=url: client.get(url), 1)[0]
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        counts[size] = len(queries)
        if size == RESPONDENTS:
            later = median(timed(lambda url=url: client.get(url), REPEAT))
            anonymous = Client(HTTP_HOST="127.0.0.1")
            trivial = median(timed(lambda anonymous=anonymous: anonymous.get("/login/"), REPEAT))
            rows += [
                (f"figures at close, {size:,} respondents (background task)", f"{figures * 1000:.0f} ms"),
                (f"results page, {size:,} respondents, first view", f"{first:.0f} ms"),
                (f"results page, {size:,} respondents, median of {REPEAT}", f"{later:.1f} ms (goal < 300 ms)"),
                (f"trivial page (the log-in form), median of {REPEAT}", f"{trivial:.1f} ms"),
                ("ratio results page / trivial page", f"{later / trivial:.1f}x"),
            ]
    rows.append(("queries per results page at 50 / 5,000 respondents", f"{counts[50]} / {counts[RESPONDENTS]}"))
    return rows


if __name__ == "__main__":
    for name, value in run():
        print(f"{name:<70} {value}")
