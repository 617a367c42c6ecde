"""Benchmark: a residents' survey at 100, 1,000, 10,000 and 100,000 residents (issue 13, Scale).

For each size a closed scan (200 respondents, who also answered the perceived statements) gets a closed
residents' survey beside it, with synthetic residents in the three channels (open link 65 %, letters
28 %, paper 7 %; one in ten with an open answer, published), packed as the questionnaire stores them and
written with bulk_create in batches. It measures:
- the residents' figures the worker computes after close (`compute_resident_figures`, in a fresh
  process: time, peak memory of the process and above its memory at rest), and the whole close and
  publication as a scan manager waits for it (the close, then the worker rewriting the survey's rows in
  a random order, computing and storing the figures);
- the scan's results page with the survey beside it: the first view after the figures are stored, and
  warm (median of REPEAT in-process requests through the whole stack, in rounds over all sizes at the
  end, as bench.scaling does), with its query count and the ratio to the page at 100 residents.
Each row ends with the log-log slope against the size before: 0 means the cost does not grow with the
survey, 1 means it grows in proportion.
"""

from __future__ import annotations

import datetime
import os
import random
import time

from django.db import transaction
from django.test import Client
from django.utils import timezone

from bench.common import answered_scan, median, prepare_database, publish, timed
from bench.scaling import _child, _queries_of, _slope
from roer.accounts.models import User
from roer.demo.resident_answers import resident_answers
from roer.instruments.models import InstrumentVersion
from roer.instruments.residents import ResidentsModule
from roer.lifecycle.resident_life import store_resident_figures, survey_close
from roer.organisations.models import Membership, Organisation, OrganisationKind, Role
from roer.residents.models import Channel, ResidentOpenAnswer, ResidentResponse, ResidentSurvey
from roer.scans.models import Scan, ScanState
from roer.scoring.packed import pack

# BENCH_RESIDENT_SIZES="100,1000" for a quick try; `make bench` runs the four sizes.
SIZES = tuple(int(size) for size in os.environ.get("BENCH_RESIDENT_SIZES", "100,1000,10000,100000").split(","))
SCAN_RESPONDENTS = 200
CHANNEL_SHARES = ((Channel.OPEN_LINK, 0.65), (Channel.LETTER, 0.28), (Channel.PAPER, 0.07))
BATCH = 5_000
PACKED_MAXIMUM = 12  # one byte per answer, up to the largest option number a module allows
REPEAT = 9


@transaction.atomic
def _residents(scan: Scan, module: ResidentsModule, size: int, rng: random.Random) -> ResidentSurvey:
    """A residents' survey beside the scan, open during its dates, with `size` residents' answers."""
    survey = ResidentSurvey.objects.create(
        scan=scan, opens_on=scan.opens_on, closes_on=scan.closes_on, state=ScanState.OPEN
    )
    codes = module.answer_codes()
    submitted = scan.opens_on + datetime.timedelta(days=1)
    channels = [channel for channel, share in CHANNEL_SHARES for _ in range(round(size * share))]
    channels += [Channel.OPEN_LINK] * (size - len(channels))
    for start in range(0, size, BATCH):
        rows, texts = [], []
        for channel in channels[start : start + BATCH]:
            answers, open_answers = resident_answers(rng, module, channel)
            rows.append(
                ResidentResponse(
                    survey=survey,
                    channel=channel,
                    submitted_on=submitted,
                    packed_answers=pack(codes, answers, PACKED_MAXIMUM),
                )
            )
            texts.append(open_answers)
        ResidentResponse.objects.bulk_create(rows, batch_size=BATCH)
        ResidentOpenAnswer.objects.bulk_create(
            (
                ResidentOpenAnswer(
                    response=row,
                    survey=survey,
                    channel=row.channel,
                    code=code,
                    text=text,
                    status="published",
                    published_text=text,
                )
                for row, given in zip(rows, texts, strict=True)
                for code, text in given.items()
            ),
            batch_size=BATCH,
        )
    return survey


def _close(survey: ResidentSurvey) -> None:
    """Close the survey once its dates are past (as the minute job would), and compute its figures now."""
    ResidentSurvey.objects.filter(pk=survey.pk).update(closes_on=timezone.localdate() - datetime.timedelta(days=1))
    survey.refresh_from_db()
    survey_close(survey=survey)
    store_resident_figures.call(survey.pk)


def _closed_scan(version: InstrumentVersion, size: int, rng: random.Random, user: User) -> Scan:
    organisation = Organisation.objects.create(
        name=f"Gemeente Inwoners {size}", kind=OrganisationKind.GEMEENTE, inhabitants=max(size * 3, 5_000)
    )
    Membership.objects.create(user=user, organisation=organisation, role=Role.BEHEERDER)
    scan = answered_scan(organisation, version, SCAN_RESPONDENTS, rng, perceived=True)
    publish(scan)
    return scan


def run() -> list[tuple[str, str]]:
    version = prepare_database()
    module = version.parsed.residents
    assert module is not None, "the default instrument has a residents' module"
    rng = random.Random(13)
    user = User.objects.create_user("bench@roer.example", "bench-password-1")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    rows: list[tuple[str, str]] = []
    sizes: list[int] = []
    series: dict[str, list[float]] = {"figures": [], "page": []}
    pages: list[tuple[str, float, int]] = []
    for size in SIZES:
        scan = _closed_scan(version, size, rng, user)
        started = time.perf_counter()
        survey = _residents(scan, module, size, rng)
        written = time.perf_counter() - started
        started = time.perf_counter()
        _close(survey)  # the close, then the worker's run: rows rewritten in a random order, figures stored
        published = time.perf_counter() - started
        survey.refresh_from_db()
        assert survey.state == ScanState.FIGURES_READY, survey.state
        sizes.append(ResidentResponse.objects.filter(survey=survey).count())
        seconds, peak, rest = map(float, _child("bench.resident_figures_child", survey.slug))
        series["figures"].append(seconds)
        rows.append(
            (
                f"residents' figures at close, {size:,} residents",
                f"{seconds * 1000:.0f} ms, peak {peak:.0f} MB ({peak - rest:.0f} above rest)"
                + _slope(sizes, series["figures"])
                + f" (written in {written:.1f} s; closed and published by the worker in {published:.1f} s)",
            )
        )
        url = f"/scans/{scan.code}/results/"
        pages.append((url, timed(lambda url=url: client.get(url), 1)[0], _queries_of(client, url)))
    warm: dict[str, list[float]] = {url: [] for url, _first, _queries in pages}
    for _round in range(REPEAT):
        for url in warm:
            warm[url] += timed(lambda url=url: client.get(url), 1)
    for number, (url, first, queries) in enumerate(pages):
        series["page"].append(median(warm[url]))
        page = series["page"][-1]
        rows.append(
            (
                f"results page warm, {SIZES[number]:,} residents, median of {REPEAT}",
                f"{page:.1f} ms (first view after close {first:.0f} ms), {queries} queries, "
                f"{page / series['page'][0]:.2f}x the page at {SIZES[0]}" + _slope(sizes[: number + 1], series["page"]),
            )
        )
    return rows


if __name__ == "__main__":
    for name, value in run():
        print(f"{name:<62} {value}", flush=True)
