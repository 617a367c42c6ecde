"""Benchmarks: median, middle half and percentile against peers, at least five other organisations,
opt-in only, and never another organisation's name."""

import datetime

import pytest
from django.utils import timezone

from roer.lifecycle.benchmarks import refresh_all_benchmarks, refresh_benchmarks
from roer.organisations.models import OrganisationKind
from roer.results.models import PeerGroupScores
from roer.results.selectors import scan_results
from tests.factories import OrganisationFactory
from tests.helpers import closed_scan_with
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(instrument_version, organisation):
    """Organisation A (42,000 inhabitants, class 4) and six opted-in peers: five in class 4, one in class 6."""
    organisation.benchmark_opt_in = True
    organisation.save()
    own = closed_scan_with(organisation, instrument_version, {"medewerkers": [4] * 5})  # 75
    peers = []
    for index, (value, inhabitants) in enumerate(
        [(1, 30_000), (2, 31_000), (3, 32_000), (4, 33_000), (5, 34_000), (3, 120_000)]
    ):
        peer = OrganisationFactory(name=f"Peer {index}", inhabitants=inhabitants, benchmark_opt_in=True)
        closed_scan_with(peer, instrument_version, {"medewerkers": [value] * 5})
        peers.append(peer)
    refresh_benchmarks.call(instrument_version.pk)
    return own, peers


def comparison(results, key):
    return next(c for c in results.benchmark.comparisons if c.key == key)


def test_median_middle_half_and_percentile_against_all_organisations(pool):
    own, _peers = pool
    results = scan_results(own)
    everyone = comparison(results, "all")
    row = next(row for row in everyone.rows if row.code == "kennis")
    # peers 0, 25, 50, 50, 75, 100 (A itself left out): symmetric around 50, so the Harrell-Davis median
    # is 50; six peers are too few for quartiles (ten are needed)
    assert everyone.others == 6
    assert row.statistics.median == pytest.approx(50)
    assert (row.statistics.q1, row.statistics.q3) == (None, None)
    # A scores 75: four peers lower, one equal (half): 4.5 / 6 = 75
    assert row.own == 75
    assert row.percentile == 75


def test_the_same_size_class_compares_with_five_peers(pool):
    own, _peers = pool
    size = comparison(scan_results(own), "size:4")
    row = next(row for row in size.rows if row.code == "kennis")
    # 0, 25, 50, 75, 100: median 50 (symmetric), no quartiles; A (75): three lower, one equal: 3.5 / 5 = 70
    assert row.statistics.median == pytest.approx(50)
    assert row.statistics.q1 is None
    assert row.percentile == 70


def test_a_peer_group_with_fewer_than_five_others_shows_nothing_and_says_why(pool, instrument_version, bob_client):
    own, peers = pool
    from roer.lifecycle.organisations import organisation_benchmark_set

    organisation_benchmark_set(organisation=peers[0], taking_part=False)
    run_tasks()
    refresh_benchmarks.call(instrument_version.pk)  # the nightly rebuild
    size = comparison(scan_results(own), "size:4")
    assert size.others == 4
    assert not size.shown
    assert all(row.statistics is None and row.percentile is None for row in size.rows)
    page = bob_client.get(f"/scans/{own.code}/results/").content.decode()
    assert "4 andere organisaties" in page


def test_no_other_organisations_name_appears_on_the_results_page(pool, bob_client):
    own, peers = pool
    page = bob_client.get(f"/scans/{own.code}/results/").content.decode()
    assert "Mediaan" in page
    for peer in peers:
        assert peer.name not in page


def test_an_organisation_that_does_not_take_part_sees_no_benchmark(pool, instrument_version):
    outsider = OrganisationFactory(name="Buitenstaander", kind=OrganisationKind.GEMEENTE)
    scan = closed_scan_with(outsider, instrument_version, {"medewerkers": [3] * 5})
    results = scan_results(scan)
    assert not results.benchmark.taking_part
    assert results.benchmark.comparisons == ()


def test_only_the_latest_closed_scan_of_each_organisation_counts(pool, instrument_version):
    own, peers = pool
    # an older scan of a peer does not add a second entry for it
    closed_scan_with(
        peers[1],
        instrument_version,
        {"medewerkers": [5] * 5},
        closes_on=timezone.localdate() - datetime.timedelta(days=400),
    )
    refresh_benchmarks.call(instrument_version.pk)
    assert comparison(scan_results(own), "all").others == 6


def test_a_scan_manager_joins_and_leaves_the_benchmark_and_the_pool_follows(
    pool, instrument_version, alice_client, organisation
):
    own, _peers = pool
    alice_client.post(f"/organisations/{organisation.code}/benchmark/", {"taking_part": "no"})
    organisation.refresh_from_db()
    assert not organisation.benchmark_opt_in
    run_tasks()
    entries = PeerGroupScores.objects.get(
        instrument_version=instrument_version, peer_group="all", code="kennis"
    ).entries
    assert organisation.pk in [org for org, _score in entries]  # still there until the nightly rebuild
    refresh_all_benchmarks.call()
    run_tasks()
    # A's scores left the pool with the nightly rebuild: a peer now sees five others, not six
    entries = PeerGroupScores.objects.get(
        instrument_version=instrument_version, peer_group="all", code="kennis"
    ).entries
    assert organisation.pk not in [org for org, _score in entries]
    assert not scan_results(own).benchmark.taking_part
    alice_client.post(f"/organisations/{organisation.code}/benchmark/", {"taking_part": "yes"})
    organisation.refresh_from_db()
    assert organisation.benchmark_opt_in


def test_a_reader_cannot_change_the_benchmark_choice(pool, bob_client, organisation):
    assert bob_client.post(f"/organisations/{organisation.code}/benchmark/", {"taking_part": "no"}).status_code == 403
    organisation.refresh_from_db()
    assert organisation.benchmark_opt_in
