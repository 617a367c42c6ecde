"""The benchmark rebuild stores, per peer group and code, every member's score sorted by score (ties by
organisation id), from each opted-in organisation's latest scan with figures: checked against entries
worked by hand, and against the previous implementation (kept below as the reference) on a random pool."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

import pytest
from django.utils import timezone

from roer.lifecycle.benchmarks import refresh_benchmarks
from roer.organisations.models import Organisation, OrganisationKind
from roer.results.models import PeerGroupScores, ScanFigures
from roer.scans.models import Scan, ScanState
from tests.factories import OrganisationFactory, ScanFactory

pytestmark = pytest.mark.django_db


def scan_with_figures(organisation, version, published, *, days_ago=10, state=ScanState.FIGURES_READY, stale=False):  # type: ignore[no-untyped-def]
    closes_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    scan = ScanFactory(
        organisation=organisation,
        instrument_version=version,
        opens_on=closes_on - datetime.timedelta(days=20),
        closes_on=closes_on,
        state=state,
        groups=[],
    )
    if published is not None:
        ScanFigures.objects.create(
            scan=scan,
            data={"published": published, "responses": {}},
            format=ScanFigures.FORMAT - 1 if stale else ScanFigures.FORMAT,
        )
    return scan


def stored(version) -> dict[tuple[str, str], list[list[float]]]:  # type: ignore[no-untyped-def]
    return {
        (row.peer_group, row.code): row.entries for row in PeerGroupScores.objects.filter(instrument_version=version)
    }


def test_the_entries_worked_by_hand(instrument_version):
    # names in the opposite order of the ids, so an order by name would show
    a = OrganisationFactory(name="Z-stad", inhabitants=42_000, benchmark_opt_in=True)  # size class 4
    b = OrganisationFactory(name="Y-stad", inhabitants=30_000, benchmark_opt_in=True)  # size class 4
    c = OrganisationFactory(
        name="X-waterschap", kind=OrganisationKind.WATERSCHAP, inhabitants=None, benchmark_opt_in=True
    )
    d = OrganisationFactory(name="W-stad", inhabitants=120_000, benchmark_opt_in=True)  # size class 6
    e = OrganisationFactory(name="V-stad", inhabitants=42_000, benchmark_opt_in=False)
    f = OrganisationFactory(name="U-stad", inhabitants=42_000, benchmark_opt_in=True)
    scan_with_figures(a, instrument_version, {"kennis": 50.0, "koers": 70.0})
    scan_with_figures(b, instrument_version, {"kennis": 50.0, "koers": 20.0})  # a tie with A on kennis
    scan_with_figures(c, instrument_version, {"kennis": 10.0})  # no koers
    scan_with_figures(d, instrument_version, {"kennis": 1.0}, days_ago=400)  # older: passed over
    scan_with_figures(d, instrument_version, {"kennis": 90.0})
    scan_with_figures(d, instrument_version, None, days_ago=1, state=ScanState.CLOSED)  # no figures yet
    scan_with_figures(e, instrument_version, {"kennis": 60.0})  # does not take part
    scan_with_figures(f, instrument_version, {"kennis": 5.0}, days_ago=400)  # older, while the latest ...
    scan_with_figures(f, instrument_version, {"kennis": 6.0}, stale=True)  # ... is in an older format

    assert refresh_benchmarks.call(instrument_version.pk) == 4

    assert stored(instrument_version) == {
        ("all", "kennis"): [[c.pk, 10.0], [a.pk, 50.0], [b.pk, 50.0], [d.pk, 90.0]],
        ("kind:gemeente", "kennis"): [[a.pk, 50.0], [b.pk, 50.0], [d.pk, 90.0]],
        ("kind:waterschap", "kennis"): [[c.pk, 10.0]],
        ("size:4", "kennis"): [[a.pk, 50.0], [b.pk, 50.0]],
        ("size:6", "kennis"): [[d.pk, 90.0]],
        ("all", "koers"): [[b.pk, 20.0], [a.pk, 70.0]],
        ("kind:gemeente", "koers"): [[b.pk, 20.0], [a.pk, 70.0]],
        ("size:4", "koers"): [[b.pk, 20.0], [a.pk, 70.0]],
    }


def test_a_rebuild_replaces_the_rows_and_an_empty_pool_leaves_none(instrument_version):
    organisation = OrganisationFactory(benchmark_opt_in=True)
    scan_with_figures(organisation, instrument_version, {"kennis": 12.5})
    refresh_benchmarks.call(instrument_version.pk)
    refresh_benchmarks.call(instrument_version.pk)
    assert stored(instrument_version)[("all", "kennis")] == [[organisation.pk, 12.5]]
    assert PeerGroupScores.objects.count() == 3  # all, kind and size class, once each
    Organisation.objects.filter(pk=organisation.pk).update(benchmark_opt_in=False)
    assert refresh_benchmarks.call(instrument_version.pk) == 0
    assert not PeerGroupScores.objects.exists()


def previous_rebuild(version) -> dict[tuple[str, str], list[list[float]]]:  # type: ignore[no-untyped-def]
    """The rebuild as it was before it was made fast (organisations' latest scans through the ORM, one
    sort per peer group), returning what it stored instead of storing it."""
    closed = (
        Scan.objects.with_figures()
        .filter(instrument_version=version, organisation__benchmark_opt_in=True)
        .select_related("organisation")
        .order_by("organisation_id", "-closes_on", "-created_at")
    )
    latest: dict[int, Scan] = {}
    for scan in closed:
        latest.setdefault(scan.organisation_id, scan)
    scans = list(latest.values())
    rows = ScanFigures.objects.filter(scan__in=scans, format=ScanFigures.FORMAT).values("scan_id", "data__published")
    published = {row["scan_id"]: dict(row["data__published"] or {}) for row in rows}
    entries: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
    for scan in scans:
        organisation = scan.organisation
        groups = ["all", f"kind:{organisation.kind}"]
        if organisation.size_class is not None:
            groups.append(f"size:{organisation.size_class.number}")
        for code, score in published.get(scan.pk, {}).items():
            for group in groups:
                entries[(group, code)].append((scan.organisation_id, score))
    return {
        key: sorted(([org, score] for org, score in values), key=lambda entry: entry[1])
        for key, values in entries.items()
    }


@pytest.mark.parametrize("seed", [1, 2])
def test_the_same_entries_as_the_previous_implementation_on_a_random_pool(instrument_version, seed):
    rng = random.Random(seed)
    codes = ["kennis", "koers", "verdiepen", "mensen", "adoptie"]
    kinds = [OrganisationKind.GEMEENTE] * 4 + [OrganisationKind.WATERSCHAP, OrganisationKind.PROVINCIE]
    for number in range(80):
        kind = rng.choice(kinds)
        organisation = OrganisationFactory(
            name=f"Organisatie {seed}-{number}",
            kind=kind,
            inhabitants=rng.choice([3_000, 8_000, 15_000, 42_000, 70_000, 130_000, 200_000, 600_000])
            if kind == OrganisationKind.GEMEENTE
            else None,
            benchmark_opt_in=rng.random() < 0.85,
        )
        for days_ago in rng.sample([5, 40, 400, 800], rng.randint(1, 3)):
            published = {
                # whole and half points give many ties; now and then a score the float repr must keep
                code: rng.choice([rng.randrange(0, 200) / 2, rng.uniform(0, 100)])
                for code in codes
                if rng.random() < 0.9
            }
            state = ScanState.FIGURES_READY if rng.random() < 0.9 else ScanState.CLOSED
            scan_with_figures(
                organisation,
                instrument_version,
                published if state == ScanState.FIGURES_READY else None,
                days_ago=days_ago,
                state=state,
                stale=rng.random() < 0.05,
            )
    expected = previous_rebuild(instrument_version)
    assert len(expected) > 20
    refresh_benchmarks.call(instrument_version.pk)
    assert stored(instrument_version) == expected
    assert all(
        type(score) is float and type(org) is int
        for entries in stored(instrument_version).values()
        for org, score in entries
    )
