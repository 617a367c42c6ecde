"""Progress between two scans: the change with its Welch 95% interval, worked out by hand."""

import datetime
import math

import pytest
from django.utils import timezone

from roer.results.selectors import scan_results
from tests.helpers import closed_scan_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_scans(organisation, instrument_version):
    today = timezone.localdate()
    before = closed_scan_with(
        organisation,
        instrument_version,
        {"medewerkers": [2, 3, 2, 3, 2, 3]},
        closes_on=today - datetime.timedelta(days=365),
        title="2025",
    )
    after = closed_scan_with(
        organisation,
        instrument_version,
        {"medewerkers": [4, 5, 4, 5, 4, 5]},
        closes_on=today - datetime.timedelta(days=1),
        title="2026",
    )
    return before, after


def test_the_change_since_the_previous_scan_with_its_interval(two_scans):
    before, after = two_scans
    progress = scan_results(after).progress
    assert progress.previous == before
    row = next(row for row in progress.rows if row.code == "kennis")
    # before: 25, 50, 25, 50, 25, 50 (mean 37.5, sd 13.69); after: 75, 100, ... (mean 87.5, sd 13.69)
    # SE = sqrt(187.5/6 + 187.5/6) = 7.906; Welch df = 10; t(0.975, 10) = 2.228139; margin = 17.615
    assert (row.before, row.after, row.change.difference) == (37.5, 87.5, 50)
    margin = 2.228139 * math.sqrt(62.5)
    assert row.change.low == pytest.approx(50 - margin, abs=1e-4)
    assert row.change.high == pytest.approx(50 + margin, abs=1e-4)
    assert row.change.is_clear


def test_pillars_are_compared_too_and_the_trend_covers_both_scans(two_scans):
    _before, after = two_scans
    progress = scan_results(after).progress
    pillar = next(row for row in progress.rows if row.code == "verdiepen")
    assert pillar.is_pillar
    assert pillar.change.difference == 50
    assert [point.scan.title for point in progress.trend] == ["2025", "2026"]
    assert [point.scores["verdiepen"] for point in progress.trend] == [37.5, 87.5]


def test_the_earlier_scan_shows_no_progress_of_its_own(two_scans):
    before, _after = two_scans
    progress = scan_results(before).progress
    assert progress.previous is None
    assert progress.rows == ()


def test_the_results_page_shows_the_change_and_a_trend_chart(two_scans, bob_client):
    _before, after = two_scans
    page = bob_client.get(f"/scans/{after.code}/results/").content.decode()
    assert "Duidelijke verbetering" in page  # Dutch, the default
    assert 'aria-labelledby="trend-title trend-desc"' in page


def test_a_pillar_interval_needs_the_threshold_of_respondents_with_every_dimension(organisation, instrument_version):
    """Six staff members (threshold 5). In the later scan one answers "don't know" to every statement of
    the pillar's first dimension and another to its second: each dimension still has five scores, so the
    dimensions and the pillar are shown, but only four people have a pillar score. An interval from four
    people's spread would be computed from fewer than the threshold, so there is none."""
    from roer.scans.models import Invitation
    from tests.factories import ScanFactory
    from tests.groups import GroupKind
    from tests.helpers import answer_directly, close

    today = timezone.localdate()
    closed_scan_with(
        organisation,
        instrument_version,
        {"medewerkers": [2, 3, 2, 3, 2, 3]},
        closes_on=today - datetime.timedelta(days=365),
        title="2025",
    )
    definition = instrument_version.parsed
    pillar = next(pillar for pillar in definition.pillars if pillar.code == "verdiepen")
    first, second = pillar.dimensions[0], pillar.dimensions[1]
    scan = ScanFactory(organisation=organisation, instrument_version=instrument_version, groups=["medewerkers"])
    group = scan.groups.get(kind=GroupKind.MEDEWERKERS)
    reverse = definition.reverse_codes()
    for number, value in enumerate([4, 5, 4, 5, 4, 5]):
        given = {item.code: (6 - value if item.code in reverse else value) for item in definition.items()}
        for skipped in [first] if number == 0 else [second] if number == 1 else []:
            given.update({item.code: None for item in skipped.items})
        answer_directly(Invitation.objects.create(scan=scan, group=group, email=f"m{number}@x.example"), given)
    progress = scan_results(close(scan)).progress
    rows = {row.code: row for row in progress.rows}
    assert rows[first.code].change is not None  # five scores each side
    assert rows[second.code].change is not None
    assert "verdiepen" in rows  # the pillar's change is shown ...
    assert rows["verdiepen"].change is None  # ... without an interval from four people
