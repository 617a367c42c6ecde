"""Benchmark: how the cost of a scan grows with its size, at 100, 1,000, 10,000 and 50,000 respondents.

For each size it writes a scan with synthetic answers (packed as the questionnaire stores them) and
measures what a user meets:
- the figures the worker computes after close (in a fresh process: time, and peak memory of the
  process and above its memory at rest; goal at 50,000: <= 1 s, <= 150 MB), checked equal to the
  figures computed respondent by respondent the way Roer did before (bench.figures_reference,
  relative tolerance 1e-9);
- the respondent export as CSV and as XLSX, built by the background task (fresh process: time, peak
  memory, rows counted back; goals at 50,000: CSV <= 5 s, XLSX <= 15 s, <= 150 MB);
- the results page (four in ten respondents answered each open question, all published): the first
  view after the figures are stored, and warm (median of 15 in-process requests through the whole stack,
  taken in rounds over all sizes at the end, so that a slow spell of the machine weighs on every size
  alike; goal: at 50,000 within 1.5x of the page at 100), with its query count.
Each row ends with the log-log slope against the size before: 0 means the cost does not grow with the
scan, 1 means it grows in proportion.
"""

from __future__ import annotations

import math
import random
import subprocess
import sys
from typing import Any

from django.db import connection
from django.test import Client

from bench.common import answered_scan, median, prepare_database, publish, timed
from bench.figures_reference import differences, reference_figures
from roer.accounts.models import User
from roer.demo.synthetic import OPEN_ANSWERS
from roer.organisations.models import Membership, Organisation, OrganisationKind, Role
from roer.responses.models import OpenAnswer, OpenAnswerStatus
from roer.results.figures import compute_figures
from roer.scans.models import Scan

SIZES = (100, 1_000, 10_000, 50_000)
REPEAT = 15


def _child(*arguments: str) -> list[str]:
    result = subprocess.run(  # noqa: S603 - our own modules
        [sys.executable, "-m", *arguments], check=True, capture_output=True, text=True
    )
    return result.stdout.split()


def _queries_of(client: Client, url: str) -> int:
    """The queries one request makes (counted as they run: Django's query log is cleared per request)."""
    seen: list[str] = []

    def count(execute: Any, sql: str, *rest: Any) -> Any:
        seen.append(sql)
        return execute(sql, *rest)

    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    return len(seen)


def _slope(sizes: list[int], values: list[float]) -> str:
    if len(values) < 2 or min(values[-2:]) <= 0:
        return ""
    return f", slope {math.log(values[-1] / values[-2]) / math.log(sizes[-1] / sizes[-2]):.2f}"


def _published_open_answers(scan: Scan, rng: random.Random) -> None:
    """Four in ten respondents answer each open question, and every answer is published, so the results
    page shows 25 of thousands per group and question."""
    OpenAnswer.objects.bulk_create(
        (
            OpenAnswer(
                response_id=response_id,
                scan=scan,
                group_id=group_id,
                code=code,
                text=text,
                published_text=text,
                status=OpenAnswerStatus.PUBLISHED,
            )
            for response_id, group_id in scan.responses.values_list("id", "group_id")
            for code, texts in OPEN_ANSWERS.items()
            if rng.random() < 0.4
            for text in [rng.choice(texts)]
        ),
        batch_size=5_000,
    )


def run() -> list[tuple[str, str]]:
    version = prepare_database()
    rng = random.Random(50)
    user = User.objects.create_user("bench@roer.example", "bench-password-1")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    rows: list[tuple[str, str]] = []
    sizes: list[int] = []
    series: dict[str, list[float]] = {"figures": [], "csv": [], "xlsx": [], "page": []}
    pages: list[tuple[str, float, int]] = []  # per size: the results page, its first view, its queries
    for size in SIZES:
        organisation = Organisation.objects.create(
            name=f"Gemeente {size}", kind=OrganisationKind.GEMEENTE, inhabitants=max(size * 4, 5_000)
        )
        Membership.objects.create(user=user, organisation=organisation, role=Role.BEHEERDER)
        scan = answered_scan(organisation, version, size, rng)
        _published_open_answers(scan, rng)
        sizes.append(scan.responses.count())
        publish(scan)
        stored = [(kind, bytes(packed)) for kind, packed in scan.responses.values_list("group__kind", "packed_answers")]
        computed = compute_figures(scan)
        computed.pop("published")
        unequal = differences(computed, reference_figures(version, stored))
        seconds, peak, rest = map(float, _child("bench.figures_child", str(scan.code)))
        series["figures"].append(seconds)
        rows.append(
            (
                f"figures at close, {size:,} respondents",
                f"{seconds * 1000:.0f} ms, peak {peak:.0f} MB ({peak - rest:.0f} above rest), "
                f"{'equal to' if not unequal else f'{len(unequal)} DIFFERENCES from'} the reference"
                + _slope(sizes, series["figures"]),
            )
        )
        for extension in ("csv", "xlsx"):
            counted, seconds_text, peak_text, size_mb, rest_text = _child(
                "bench.export_child", str(scan.code), extension
            )
            series[extension].append(float(seconds_text))
            rows.append(
                (
                    f"respondent {extension.upper()}, {size:,} respondents (background task)",
                    f"{float(seconds_text):.2f} s, peak {float(peak_text):.0f} MB "
                    f"({float(peak_text) - float(rest_text):.0f} above rest), {int(counted):,} rows "
                    f"({sizes[-1] - int(counted)} lost), {float(size_mb):.1f} MB" + _slope(sizes, series[extension]),
                )
            )
        url = f"/scans/{scan.code}/results/"
        pages.append((url, timed(lambda url=url: client.get(url), 1)[0], _queries_of(client, url)))
    # The warm pages of every size in turn, REPEAT rounds: a slow spell of the machine falls on all sizes
    # alike instead of on whichever size happened to be measured then.
    warm: dict[str, list[float]] = {url: [] for url, _first, _queries in pages}
    for _round in range(REPEAT):
        for url in warm:
            warm[url] += timed(lambda url=url: client.get(url), 1)
    for number, (url, first, queries) in enumerate(pages):
        series["page"].append(median(warm[url]))
        page = series["page"][-1]
        rows.append(
            (
                f"results page warm, {SIZES[number]:,} respondents, median of {REPEAT}",
                f"{page:.1f} ms (first view after close {first:.0f} ms), {queries} queries, "
                f"{page / series['page'][0]:.2f}x the page at {SIZES[0]}" + _slope(sizes[: number + 1], series["page"]),
            )
        )
    return rows


if __name__ == "__main__":
    for name, value in run():
        print(f"{name:<62} {value}", flush=True)
