"""The anonymised portfolio report: per pillar and dimension n, minimum, median and maximum of the clients'
published scores, and nothing at all below three clients; no client is named."""

from __future__ import annotations

import csv
import io

import pytest

from roer.instruments.texts import Text
from roer.results.portfolio import aggregate, portfolio_report
from roer.scans.portfolio import portfolio_of
from tests.factories import OrganisationFactory
from tests.helpers import closed_scan_with
from tests.portfolio.conftest import client_of, english_client_for

pytestmark = pytest.mark.django_db

NAME = Text(nl="Koers", en="Course")


def test_three_scores_give_their_median_and_range():
    row = aggregate("koers", NAME, [2.0, 3.5, 3.0], is_pillar=False)
    assert (row.clients, row.minimum, row.median, row.maximum) == (3, 2.0, 3.0, 3.5)
    four = aggregate("koers", NAME, [10.0, 40.0, 20.0, 30.0], is_pillar=False)
    assert four.median == 25.0  # between the middle two


def test_two_scores_are_too_few_and_give_nothing_but_their_number():
    row = aggregate("koers", NAME, [2.0, 3.0], is_pillar=True)
    assert not row.shown
    assert (row.clients, row.minimum, row.median, row.maximum) == (2, None, None, None)


def _clients(anne, version, values):  # type: ignore[no-untyped-def]
    """One client per value, each with a closed scan whose staff all gave that value (score (v - 1) / 4 * 100)."""
    for number, value in enumerate(values):
        closed_scan_with(client_of(anne, f"Gemeente Klant {number}"), version, {"medewerkers": [value] * 5})


def test_three_clients_give_the_median_and_range_of_every_pillar_worked_out_by_hand(anne, instrument_version):
    _clients(anne, instrument_version, [2, 3, 5])  # scores 25, 50 and 100
    # an organisation without membership, whose score would move the median if it counted
    closed_scan_with(OrganisationFactory(name="Gemeente Vreemd"), instrument_version, {"medewerkers": [1] * 5})

    (report,) = portfolio_report(portfolio_of(anne))
    assert report.clients == 3
    pillars = [row for row in report.rows if row.is_pillar]
    assert [row.code for row in pillars] == ["verdiepen", "mensen", "adoptie"]
    for row in report.rows:
        assert (row.clients, row.minimum, row.median, row.maximum) == (3, 25.0, 50.0, 100.0), row.code

    page = english_client_for(anne).get("/portfolio/report/").content.decode()
    assert "Gemeente Klant" not in page
    assert "Gemeente Vreemd" not in page
    assert "Too few clients" not in page
    assert '<td class="number">25</td>' in page
    assert '<td class="number">50</td>' in page
    assert '<td class="number">100</td>' in page


def test_two_clients_are_too_few_and_no_score_is_shown(anne, instrument_version):
    _clients(anne, instrument_version, [2, 4])  # 25 and 75
    page = english_client_for(anne).get("/portfolio/report/").content.decode()
    assert "Too few clients" in page
    for score in (">25<", ">75<", ">50<"):
        assert score not in page
    rows = list(
        csv.reader(io.StringIO(english_client_for(anne).get("/portfolio/report.csv").content.decode("utf-8-sig")))
    )
    assert rows[0] == ["Instrument", "Level", "Code", "Name", "Clients", "Minimum", "Median", "Maximum", "Note"]
    for row in rows[1:]:
        assert row[4:8] == ["2", "", "", ""], row  # how many clients, and nothing of their scores
        assert row[8] == "Too few clients (fewer than 3)"


def test_a_client_whose_group_stayed_below_its_threshold_does_not_count(anne, instrument_version):
    _clients(anne, instrument_version, [2, 3])
    closed_scan_with(client_of(anne, "Gemeente Klein"), instrument_version, {"medewerkers": [5] * 4})  # hidden
    (report,) = portfolio_report(portfolio_of(anne))
    assert report.clients == 3
    assert {row.clients for row in report.rows} == {2}
    assert not any(row.shown for row in report.rows)


def test_the_csv_has_the_same_aggregates_as_the_page(anne, instrument_version):
    _clients(anne, instrument_version, [2, 3, 5])
    response = english_client_for(anne).get("/portfolio/report.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="portfolio-report.csv"'
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_code = {row[2]: row for row in rows[1:]}
    assert by_code["verdiepen"][1:] == [
        "Pillar",
        "verdiepen",
        by_code["verdiepen"][3],
        "3",
        "25.0",
        "50.0",
        "100.0",
        "",
    ]
    assert by_code["koers"][1] == "Dimension"
    assert len(rows) == 1 + len(list(portfolio_report(portfolio_of(anne))[0].rows))
    assert "Gemeente Klant" not in response.content.decode("utf-8-sig")


def test_without_a_portfolio_there_is_no_report(alice_client):
    assert alice_client.get("/portfolio/report/").status_code == 403
    assert alice_client.get("/portfolio/report.csv").status_code == 403


def test_only_each_clients_latest_results_count(anne, instrument_version):
    import datetime

    from django.utils import timezone

    _clients(anne, instrument_version, [2, 3])
    third = client_of(anne, "Gemeente Drie")
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    closed_scan_with(third, instrument_version, {"medewerkers": [1] * 5}, closes_on=long_ago)  # 0, superseded
    closed_scan_with(third, instrument_version, {"medewerkers": [4] * 5})  # 75
    (report,) = portfolio_report(portfolio_of(anne))
    assert report.clients == 3
    for row in report.rows:
        assert (row.clients, row.minimum, row.median, row.maximum) == (3, 25.0, 50.0, 75.0), row.code
