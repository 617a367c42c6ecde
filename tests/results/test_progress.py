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
