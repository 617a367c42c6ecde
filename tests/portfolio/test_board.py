"""The portfolio board: every client's scans with their state, last day and response per group, and the
latest published pillar scores; nothing of an organisation where the consultant has no membership."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from roer.lifecycle.scan_life import scan_close
from roer.organisations.models import Role
from roer.results.portfolio import portfolio_board
from roer.scans.models import Invitation
from roer.scans.portfolio import portfolio_of
from tests.conftest import client_for
from tests.factories import InvitationFactory, MembershipFactory, OrganisationFactory, ScanFactory, UserFactory
from tests.groups import GroupKind
from tests.helpers import answer_directly, closed_scan_with
from tests.portfolio.conftest import client_of, english_client_for

pytestmark = pytest.mark.django_db


def _answer(scan, kind: GroupKind, invited: int, answered: int) -> None:  # type: ignore[no-untyped-def]
    group = scan.groups.get(kind=kind)
    definition = scan.instrument_version.parsed
    for number in range(invited):
        invitation = Invitation.objects.create(scan=scan, group=group, email=f"{kind}{number}@{scan.pk}.example")
        if number < answered:
            assert answer_directly(invitation, {item.code: 3 for item in definition.items()})


def test_the_response_per_group_is_invited_against_answered_worked_out_by_hand(anne, instrument_version):
    organisation = client_of(anne, "Gemeente Een")
    open_scan = ScanFactory(organisation=organisation, instrument_version=instrument_version, title="Open")
    _answer(open_scan, GroupKind.MEDEWERKERS, invited=10, answered=4)  # 4 of 10: 40%
    _answer(open_scan, GroupKind.DIRECTIE, invited=3, answered=0)  # 0 of 3: 0%
    # closed with its figures: 5 answered (read from the stored figures), 5 more invited who did not answer
    closed = closed_scan_with(organisation, instrument_version, {"medewerkers": [3] * 5}, title="Closed")
    InvitationFactory.create_batch(5, scan=closed, group=closed.groups.get())

    rows = portfolio_board(portfolio_of(anne))
    rates = {
        line.scan.title: {rate.group.kind: (rate.invited, rate.responded, rate.rate) for rate in line.rates}
        for line in rows[0].scans
    }
    assert rates["Open"] == {
        "directie": (3, 0, 0.0),
        "management": (0, 0, None),
        "informatievoorziening": (0, 0, None),
        "medewerkers": (10, 4, 40.0),
    }
    assert rates["Closed"] == {"medewerkers": (10, 5, 50.0)}

    page = english_client_for(anne).get("/portfolio/").content.decode()
    assert "4 of 10 (40%)" in page
    assert "0 of 3 (0%)" in page
    assert "5 of 10 (50%)" in page
    assert '<span class="status status--open">Open</span>' in page
    assert '<span class="status status--figures_ready">Closed</span>' in page


def test_each_scan_shows_its_state_and_the_last_day_it_took_answers(anne, instrument_version):
    organisation = client_of(anne, "Gemeente Een")
    today = timezone.localdate()
    ScanFactory(
        organisation=organisation,
        instrument_version=instrument_version,
        title="Later",
        opens_on=today + datetime.timedelta(days=7),
        closes_on=today + datetime.timedelta(days=28),
    )
    early = ScanFactory(
        organisation=organisation,
        instrument_version=instrument_version,
        title="Early",
        opens_on=today - datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=10),
    )
    scan_close(scan=early)  # by hand, today, ten days before its closing date

    lines = {line.scan.title: line for line in portfolio_board(portfolio_of(anne))[0].scans}
    assert lines["Later"].state.value == "planned"
    assert lines["Later"].last_day == today + datetime.timedelta(days=28)
    assert lines["Early"].state.value == "closed"
    assert lines["Early"].last_day == today  # the real last day, not the planned 26 March


def test_the_pillar_scores_are_only_those_the_disclosure_rule_published(anne, instrument_version):
    shown = client_of(anne, "Gemeente Een")
    hidden = client_of(anne, "Gemeente Twee")
    closed_scan_with(
        shown,
        instrument_version,
        {"medewerkers": [2] * 5},
        title="Old",
        closes_on=timezone.localdate() - datetime.timedelta(days=400),
    )
    closed_scan_with(shown, instrument_version, {"medewerkers": [3] * 5}, title="New")
    closed_scan_with(hidden, instrument_version, {"medewerkers": [5] * 4})  # below the threshold of 5

    rows = {row.organisation.name: row for row in portfolio_board(portfolio_of(anne))}
    assert rows["Gemeente Een"].latest.title == "New"
    assert [pillar.score for pillar in rows["Gemeente Een"].pillars] == [50.0, 50.0, 50.0]  # (3 - 1) / 4 * 100
    assert [pillar.score for pillar in rows["Gemeente Twee"].pillars] == [None, None, None]
    page = english_client_for(anne).get("/portfolio/").content.decode()
    assert page.count("not shown") == 3
    assert ">100<" not in page  # the hidden group's score appears nowhere


def test_a_consultant_never_sees_an_organisation_where_they_have_no_membership(anne, instrument_version):
    client_of(anne, "Gemeente Een")
    stranger = OrganisationFactory(name="Gemeente Vreemd")
    secret = closed_scan_with(stranger, instrument_version, {"medewerkers": [3] * 5}, title="Geheime scan")
    client = client_for(anne)
    page = client.get("/portfolio/").content.decode()
    assert "Gemeente Vreemd" not in page
    assert "Geheime scan" not in page
    assert client.get(f"/organisations/{stranger.code}/").status_code == 404
    assert client.get(f"/scans/{secret.code}/").status_code == 404


def test_only_the_organisations_whose_scans_the_user_runs_are_clients(anne, instrument_version):
    client_of(anne, "Gemeente Een")
    read_only = client_of(anne, "Gemeente Lezen", role=Role.LEZER)
    ScanFactory(organisation=read_only, instrument_version=instrument_version, title="Alleen lezen")
    page = english_client_for(anne).get("/portfolio/").content.decode()
    assert "Gemeente Een" in page
    assert "Gemeente Lezen" not in page
    assert "Alleen lezen" not in page


@pytest.mark.parametrize(
    ("roles", "shown"),
    [
        ([Role.ADVISEUR], True),  # a consultant, even of one client
        ([Role.BEHEERDER], False),  # the organisation's page says it all
        ([Role.BEHEERDER, Role.BEHEERDER], True),
        ([Role.LEZER, Role.LEZER], False),  # a reader of two organisations
        ([Role.LEZER, Role.BEHEERDER], False),
    ],
)
def test_who_has_a_portfolio(roles, shown, db):  # type: ignore[no-untyped-def]
    user = UserFactory()
    for number, role in enumerate(roles):
        MembershipFactory(user=user, organisation=OrganisationFactory(name=f"Gemeente {number}"), role=role)
    response = english_client_for(user).get("/portfolio/")
    assert response.status_code == (200 if shown else 403)
    if not shown:
        assert "You have no such organisations" in response.content.decode()


def test_a_platform_administrator_sees_every_organisation(db):
    OrganisationFactory(name="Gemeente Een")
    OrganisationFactory(name="Gemeente Twee")
    admin = UserFactory(is_superuser=True, is_staff=True)
    page = client_for(admin).get("/portfolio/").content.decode()
    assert "Gemeente Een" in page
    assert "Gemeente Twee" in page


def test_the_header_links_the_portfolio_once_the_dashboard_knows_the_user_has_one(anne, alice):
    client_of(anne, "Gemeente Een")
    consultant = client_for(anne)
    assert 'href="/portfolio/"' not in consultant.get("/account/").content.decode()  # not known yet
    assert 'href="/portfolio/"' in consultant.get("/").content.decode()
    assert 'href="/portfolio/"' in consultant.get("/account/").content.decode()
    manager = client_for(alice)  # the scan manager of one organisation
    assert 'href="/portfolio/"' not in manager.get("/").content.decode()
    assert 'href="/portfolio/"' not in manager.get("/account/").content.decode()
