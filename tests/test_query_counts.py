"""The number of queries of every page, pinned: it must not grow with the number of respondents, scans,
earlier scans (history) or invitees. A change that adds a query to a page changes its number here, on
purpose or not at all."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from roer.lifecycle.mailing import mailing_plan
from roer.lifecycle.schedule import follow_clock
from roer.scans.models import MailingKind
from tests.conftest import link_for
from tests.factories import InvitationFactory
from tests.groups import GroupKind
from tests.helpers import closed_scan_with, constant, page_data
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


def queries(client: Client, url: str, status: int = 200) -> int:
    """The queries of a GET, after a first GET has warmed the per-process caches (instrument, pages)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return len(captured)


def history(organisation, version, earlier: int):  # type: ignore[no-untyped-def]
    """`earlier` published scans a year apart, then this year's: the scan whose pages are counted."""
    today = timezone.localdate()
    for years in range(earlier, 0, -1):
        closed_scan_with(
            organisation,
            version,
            {"directie": [4, 4, 4], "medewerkers": [3] * 6},
            closes_on=today - datetime.timedelta(days=365 * years),
            title=f"{2026 - years}",
        )
    return closed_scan_with(
        organisation, version, {"directie": [4, 4, 4], "medewerkers": [2] * 6, "management": [3] * 5}, title="2026"
    )


# results and full: + open answers waiting; every page + the residents' survey looked up (a scan on v2 may have one)
# and + the organisation's action plan looked up (measured at this scan)
READER_PAGES = {"results/": 14, "report/summary/": 13, "report/full/": 15}
WITH_HISTORY = {"results/": 15, "report/summary/": 14, "report/full/": 16}
# with a residents' survey whose figures are stored: + its published open answers (one query for all questions)
WITH_RESIDENTS = {"results/": 15, "results/?residents=open": 15, "report/summary/": 14, "report/full/": 16}


@pytest.mark.parametrize("earlier", [0, 1, 3])
def test_results_and_reports_make_the_same_queries_whatever_the_history(
    bob_client, organisation, instrument_version, earlier
):
    scan = history(organisation, instrument_version, earlier)
    expected = READER_PAGES if earlier == 0 else WITH_HISTORY
    counted = {page: queries(bob_client, f"/scans/{scan.code}/{page}") for page in expected}
    assert counted == expected


# the summary's reads and the conversation guide as stored now (the focus page: the choice so far instead)
SESSION_PAGES = {"session/": 12, "session/?slide=13": 12, "session/guide/": 12, "session/focus/": 12}


@pytest.mark.parametrize("respondents", [5, 20])
def test_the_session_pages_do_not_grow_with_the_respondents(
    alice_client, organisation, instrument_version, respondents
):
    scan = closed_scan_with(organisation, instrument_version, {"directie": [4, 4, 4], "medewerkers": [2] * respondents})
    counted = {page: queries(alice_client, f"/scans/{scan.code}/{page}") for page in SESSION_PAGES}
    assert counted == SESSION_PAGES


@pytest.mark.parametrize("residents", [10, 40])
def test_the_residents_section_makes_the_same_queries_whatever_the_residents(
    bob_client, organisation, instrument_version, alice, residents
):
    from roer.residents.models import Channel
    from tests.results.resident_data import close_survey, closed_scan_with_perceived, open_survey, store_response

    scan = closed_scan_with_perceived(organisation, instrument_version)
    survey = open_survey(scan, alice)
    module = instrument_version.parsed.residents
    for number in range(residents):
        store_response(survey, module, Channel.OPEN_LINK, {"inw_online": 1 + number % 5})
    close_survey(survey)
    counted = {page: queries(bob_client, f"/scans/{scan.code}/{page}") for page in WITH_RESIDENTS}
    assert counted == WITH_RESIDENTS


@pytest.mark.parametrize("earlier", [0, 2])
def test_a_stored_pdf_is_served_with_the_same_queries_whatever_the_history(
    bob_client, organisation, instrument_version, earlier
):
    scan = history(organisation, instrument_version, earlier)
    run_tasks(skip=())
    # the fingerprint's four reads (the plan's actions the fourth), and the stored file found (and locked) in its
    # own transaction
    assert queries(bob_client, f"/scans/{scan.code}/report/summary.pdf") == 12


@pytest.mark.parametrize("scans", [1, 4])
def test_the_dashboard_and_the_organisation_page_do_not_grow_with_the_scans(
    alice_client, organisation, instrument_version, scans
):
    for _ in range(scans):
        closed_scan_with(organisation, instrument_version, {"medewerkers": [3] * 5})
    assert queries(alice_client, "/") == 4
    assert queries(alice_client, f"/organisations/{organisation.code}/") == 5


@pytest.mark.parametrize("invitees", [3, 30])
def test_the_scan_manager_pages_of_an_open_scan_do_not_grow_with_the_invitees(alice_client, scan, invitees):
    group = scan.groups.get(kind=GroupKind.MEDEWERKERS)
    InvitationFactory.create_batch(invitees, scan=scan, group=group)
    mailing_plan(scan=scan, kind=MailingKind.REMINDERS, send_on=scan.closes_on, requested_by=None, base_url="")
    removable = InvitationFactory(scan=scan, group=group, sent_at=None)
    pages = ("", "edit/", "invitees/", "close/", "delete/", "cancel/", "copy/", "mail-texts/")
    counted = {page: queries(alice_client, f"/scans/{scan.code}/{page}") for page in pages}
    counted["remove/"] = queries(alice_client, f"/scans/{scan.code}/invitees/{removable.pk}/remove/")
    assert counted == {
        "": 9,
        "edit/": 5,
        "invitees/": 11,
        "close/": 7,
        "delete/": 6,
        "cancel/": 7,
        "copy/": 5,
        "mail-texts/": 5,
        "remove/": 7,
    }


def test_a_questionnaire_page_and_a_save_make_a_fixed_number_of_queries(scan, instrument_version):
    invitation = InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS))
    path = link_for(invitation)
    client = Client()
    definition = instrument_version.parsed
    from roer.responses.questionnaire import pages_for

    first = pages_for(definition, "others")[0]
    assert queries(client, f"{path}1/") == 1
    # the lookup, the scan (shared lock), the invitation with its draft (locked, one query), the draft
    # created or written, and the savepoint pair the test's own transaction turns the request's transaction into;
    # the next page, sent in the same answer, adds none (it is filled from the draft the lookup read)
    data = page_data(first, definition, constant(3))
    with CaptureQueriesContext(connection) as first_save:
        assert client.post(f"{path}2/", data).status_code == 200
    assert len(first_save) == 6
    with CaptureQueriesContext(connection) as later_save:
        assert client.post(f"{path}2/", data).status_code == 200
    assert len(later_save) == 6


def test_a_large_scans_export_page_makes_a_fixed_number_of_queries(
    alice_client, organisation, instrument_version, settings
):
    settings.ROER_EXPORT_INLINE_MAX = 1
    scan = closed_scan_with(organisation, instrument_version, {"medewerkers": [3] * 5})
    assert queries(alice_client, f"/scans/{scan.code}/export/respondents.csv") == 7


@pytest.mark.parametrize("respondents", [7, 20])
def test_the_review_of_open_answers_does_not_grow_with_the_answers(alice_client, scan, respondents):
    from roer.scans.models import Invitation
    from tests.groups import GroupKind
    from tests.helpers import answer_directly, close

    group = scan.groups.get(kind=GroupKind.MEDEWERKERS)
    for number in range(respondents):
        invitation = Invitation.objects.create(scan=scan, group=group, email=f"m{number}@alfa.example")
        answer_directly(invitation, {}, {"open_verbeteren": f"Antwoord {number}", "open_goed": "Goed"})
    close(scan)
    # session, user, scan with membership, groups, response counts, answers, invitees' addresses, messages,
    # and whether the scan has a residents' survey (for its tab)
    assert queries(alice_client, f"/scans/{scan.code}/open-answers/?show=all") == 9


def test_liveness_asks_nothing_and_readiness_a_fixed_number_of_queries(client):
    """/health/ never asks the database; /ready/ asks it once per check (database, queue, workers),
    however many tasks wait."""
    assert queries(client, "/health/") == 0
    assert queries(client, "/ready/") == 3
    for _ in range(25):
        follow_clock.enqueue()
    assert queries(client, "/ready/") == 3
    assert client.get("/ready/").json()["checks"]["task_queue"]["waiting"] == 25


@pytest.mark.parametrize("peers", [1, 4])
def test_the_learning_pages_do_not_grow_with_the_peers_and_cases(alice_client, organisation, instrument_version, peers):
    from tests.learning import helpers

    FOCUS, SIZE = helpers.FOCUS, helpers.SIZE
    case_of, filler, peer, sharing = helpers.case_of, helpers.filler, helpers.peer, helpers.sharing
    published_scan_with_focus, store_scores = helpers.published_scan_with_focus, helpers.store_scores

    organisation.benchmark_opt_in = True
    organisation.save()
    published_scan_with_focus(organisation, instrument_version)
    sharing(organisation, FOCUS[1])
    strong = [peer(f"Gemeente Sterk {number}") for number in range(peers)]
    for found in strong:
        sharing(found, FOCUS[0])
        case_of(found, title=f"Casus {found.name}")
    scores = {organisation: 10, **{found: 90 + number for number, found in enumerate(strong)}}
    store_scores(instrument_version, SIZE, FOCUS[0], {**scores, **dict.fromkeys(filler(12), 50)})
    # session, user, organisation, membership, newest version, offers, shares itself, latest scan, focus,
    # peer group scores, consented offers, members for the offer form, the organisation's cases
    assert queries(alice_client, f"/organisations/{organisation.code}/learning/") == 13
    # session, user, newest version, count, cases
    assert queries(alice_client, "/learning/cases/?q=casus") == 5
    case = strong[0].cases.get()
    # session, user, case with organisation, whether a scan manager of it, newest version
    assert queries(alice_client, f"/learning/cases/{case.code}/") == 5


@pytest.mark.parametrize("clients", [1, 5])
def test_the_portfolio_pages_do_not_grow_with_the_clients_and_scans(instrument_version, clients):
    from tests.conftest import client_for
    from tests.factories import OrganisationFactory, ScanFactory, UserFactory
    from tests.portfolio.conftest import client_of

    consultant = UserFactory()
    for number in range(clients):
        organisation = client_of(consultant, f"Gemeente Klant {number}")
        closed_scan_with(organisation, instrument_version, {"medewerkers": [3] * 5})
        InvitationFactory(scan=ScanFactory(organisation=organisation, instrument_version=instrument_version))
    closed_scan_with(OrganisationFactory(), instrument_version, {"medewerkers": [3] * 5})  # no member: not read
    client = client_for(consultant)
    # session, user, clients; board: + scans, their groups, invited, stored and counted answers, published figures;
    # report: + scans with figures, published figures; new: + instruments (and the newest), clients, source scans
    counted = {
        page: queries(client, f"/portfolio/{page}")
        for page in ("", "report/", "report.csv", "scans/new/", "scans/created/")
    }
    assert counted == {"": 9, "report/": 5, "report.csv": 5, "scans/new/": 6, "scans/created/": 3}


@pytest.mark.parametrize("page", ["/method/", "/accessibility/", "/privacy/"])
def test_the_public_pages_ask_nothing_of_a_visitor_and_only_the_session_of_a_member(client, alice_client, page):
    """The method page reads a file (cached per modification time), the statements the settings."""
    assert queries(client, page) == 0
    assert queries(alice_client, page) == 2  # session, user (for the header)


@pytest.mark.parametrize("members", [1, 10])
def test_the_members_page_does_not_grow_with_the_members(alice_client, organisation, alice, members):
    from roer.organisations.models import Role
    from tests.factories import MembershipFactory

    for _number in range(members):
        MembershipFactory(organisation=organisation, role=Role.LEZER, granted_by=alice)
        MembershipFactory(organisation=organisation, role=Role.ADVISEUR, granted_by=alice)
    # session, user, organisation, the visitor's role, every membership with its user and who granted it
    assert queries(alice_client, f"/organisations/{organisation.code}/members/") == 5
    # the confirmation of a removal: the same four, and the membership with its user
    member = organisation.memberships.filter(role=Role.LEZER).first()
    assert queries(alice_client, f"/organisations/{organisation.code}/members/{member.pk}/remove/") == 5


@pytest.mark.parametrize("size", [1, 10])
def test_the_platform_pages_do_not_grow_with_the_platform(organisation, alice, bob, instrument_version, size):
    from django.urls import reverse

    from roer.audit.models import AuditAction
    from roer.audit.services import audit_record
    from roer.organisations.models import Role
    from tests.conftest import client_for
    from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

    for number in range(size):
        other = OrganisationFactory(name=f"Gemeente {number:02d}")
        MembershipFactory(
            user=UserFactory(email=f"lid{number:02d}@platform.example"), organisation=other, role=Role.LEZER
        )
        audit_record(user=alice, organisation=other, action=AuditAction.REPORT_VIEWED, subject=f"{number}")
        closed_scan_with(other, instrument_version, {"medewerkers": [3] * 5}, title=f"Scan {number:02d}")
    administrator = client_for(UserFactory(email="beheer@roer.example", is_superuser=True))
    pages = {
        "overview": reverse("platform:overview"),
        "organisations": reverse("platform:organisations"),
        "organisation_create": reverse("platform:organisation_create"),
        "organisation_edit": reverse("platform:organisation_edit", args=[organisation.code]),
        "users": reverse("platform:users"),
        "user_block": reverse("platform:user_block", args=[bob.pk]),
        "user_unblock": reverse("platform:user_unblock", args=[bob.pk]),
        "audit": reverse("platform:audit"),
        "retention": reverse("platform:retention"),
        "instruments": reverse("platform:instruments"),
    }
    # every page: the session and the user first
    assert {name: queries(administrator, url) for name, url in pages.items()} == {
        "overview": 7,  # four counts and the scans due for removal
        "organisations": 4,  # the count and the page, with their scans counted
        "organisation_create": 2,
        "organisation_edit": 4,  # the organisation and its scan managers
        "users": 5,  # the count, the page, and their memberships with their organisations
        "user_block": 3,  # the account
        "user_unblock": 3,
        "audit": 5,  # the count, the page with the events' organisations, the organisations to filter by
        "retention": 5,  # the scans due, the count and the page with their organisations
        "instruments": 3,  # the versions with their instruments and scans counted
    }


@pytest.mark.parametrize("size", [1, 3])
def test_the_benchmark_exchange_pages_do_not_grow_with_the_installations_and_cells(
    organisation, bob_client, instrument_version, size
):
    import json

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from django.urls import reverse

    from roer.exchange import signing
    from roer.exchange.services import benchmark_import, trusted_installation_add
    from roer.lifecycle.benchmarks import refresh_benchmarks
    from tests.conftest import client_for
    from tests.factories import OrganisationFactory, UserFactory

    for number in range(5 * size):  # 5 or 15 organisations take part
        other = OrganisationFactory(name=f"Gemeente {number:02d}", benchmark_opt_in=True)
        closed_scan_with(other, instrument_version, {"medewerkers": [1 + number % 5] * 5}, title=f"Scan {number:02d}")
    organisation.benchmark_opt_in = True
    organisation.save()
    own = closed_scan_with(organisation, instrument_version, {"medewerkers": [4] * 5})
    refresh_benchmarks.call(instrument_version.pk)
    codes = [code for _pillar, dimension in instrument_version.parsed.dimensions() for code in [dimension.code]]
    for number in range(size):  # installations, each with a file of every group and dimension
        key = Ed25519PrivateKey.generate()
        version = {"code": instrument_version.instrument.code, "version": instrument_version.number}
        payload = {
            "format": "roer-benchmark",
            "format_version": 1,
            "installation": f"Roer {number}",
            "generated_at": "2026-03-15T10:00:00+00:00",
            "public_key": signing.public_key_text(key.public_key()),
            "instruments": [{**version, "content_hash": instrument_version.content_hash}],
            "cells": [
                {
                    "instrument": version["code"],
                    "instrument_version": version["version"],
                    "kind": kind,
                    "size_class": size_class,
                    "code": code,
                    "organisations": 12,
                    "median": 50.0,
                    "q1": 40.0,
                    "q3": 60.0,
                }
                for kind, size_class in [(None, None), ("gemeente", None), ("gemeente", 4)]
                for code in codes
            ],
        }
        trusted_installation_add(user=None, name=f"Roer {number}", public_key=payload["public_key"])
        benchmark_import(
            user=None, content=json.dumps({"payload": payload, "signature": signing.sign(payload, key)}).encode()
        )
    administrator = client_for(UserFactory(email="beheer@roer.example", is_superuser=True))
    assert {
        "exchange": queries(administrator, reverse("platform:benchmark_exchange")),
        "export": queries(administrator, reverse("platform:benchmark_export")),
    } == {
        "exchange": 3,  # session, user, the trusted installations with their files and cells counted
        "export": 4,  # session, user, the stored peer group scores, the audit line
    }
    assert {
        page: queries(Client(), reverse(page))
        for page in ("open_data_benchmark", "open_data_benchmark_csv", "open_data_benchmark_json")
    } == {"open_data_benchmark": 1, "open_data_benchmark_csv": 1, "open_data_benchmark_json": 1}  # the stored scores
    # a reader's results page (READER_PAGES), + the peer group scores (taking part), + the imported cells
    assert queries(bob_client, f"/scans/{own.code}/results/") == 16


@pytest.mark.parametrize("size", [1, 10])
def test_the_single_sign_on_pages_do_not_grow_with_the_providers(client, organisation, size):
    from django.urls import reverse

    from roer.sso.services import provider_save
    from tests.conftest import client_for
    from tests.factories import OrganisationFactory, UserFactory

    administrator = UserFactory(email="beheer@roer.example", is_superuser=True)
    for number in range(size):
        provider = provider_save(
            by=administrator,
            organisation=organisation if number == 0 else OrganisationFactory(name=f"Gemeente {number:02d}"),
            provider=None,
            issuer="https://sso.example/realms/roer",
            client_id=f"roer-{number}",
            client_secret="secret",
            domains=[f"g{number}.example", f"h{number}.example"],
            manager_claim="",
            manager_value="",
            enabled=True,
        )
    admin = client_for(administrator)
    pages = {
        "sso": reverse("platform:sso"),
        "sso_create": reverse("platform:sso_create"),
        "sso_edit": reverse("platform:sso_edit", args=[provider.pk]),
    }
    # every page: the session and the user first
    assert {name: queries(admin, url) for name, url in pages.items()} == {
        "sso": 4,  # the providers with their organisations, and their domains
        "sso_create": 3,  # the organisations without a provider
        "sso_edit": 4,  # the provider with its organisation, its domains
    }
    assert queries(client, reverse("sso:start")) == 0  # a visitor without a session
    client.post(reverse("sso:start"), {"email": "eva@g0.example"})
    assert queries(client, reverse("sso:continue")) == 2  # the session, the provider chosen


@pytest.mark.parametrize("size", [1, 4])
def test_the_api_and_its_key_pages_do_not_grow_with_the_keys_scans_and_actions(
    alice_client, organisation, alice, instrument_version, size
):
    from django.urls import reverse

    from roer.api.keys import key_create
    from roer.plans.models import Action
    from tests.factories import ScanFactory

    keys = [key_create(organisation=organisation, user=alice, name=f"Key {n}", scope="write") for n in range(size)]
    published = closed_scan_with(organisation, instrument_version, {"directie": [4, 4, 4], "medewerkers": [3] * 5})
    for number in range(size):
        scan = ScanFactory(organisation=organisation, instrument_version=instrument_version, title=f"Scan {number}")
        InvitationFactory(scan=scan, email=f"m{number}@alfa.example")
        Action.objects.create(
            organisation=organisation,
            baseline_scan=published,
            instrument_code="digitaal_leiderschap",
            dimension_code="kennis",
            investment="kennis",
            title=f"Actie {number}",
            due_on=scan.closes_on,
        )
    pages = {
        "list": reverse("api_keys:list", args=[organisation.code]),
        "revoke": reverse("api_keys:revoke", args=[organisation.code, keys[0].key.pk]),
    }
    # the session, the user, the organisation, the membership, then the keys with their makers / the key
    assert {name: queries(alice_client, url) for name, url in pages.items()} == {"list": 5, "revoke": 5}
    api = Client(headers={"Authorization": f"Bearer {keys[0].token}"})
    code = published.code
    paths = {
        "organisation": "/api/v1/organisation",
        "scans": "/api/v1/scans",
        "scan": f"/api/v1/scans/{code}",
        "groups": f"/api/v1/scans/{code}/groups",
        "response-rates": f"/api/v1/scans/{code}/response-rates",
        "figures": f"/api/v1/scans/{code}/figures",
        "plan": "/api/v1/plan/actions",
    }
    # every request: the key with its organisation and maker (one query); no session, no user
    assert {name: queries(api, path) for name, path in paths.items()} == {
        "organisation": 1,
        "scans": 3,  # the count and the page with its counts
        "scan": 2,
        "groups": 3,  # the scan, its groups
        "response-rates": 6,  # + invited per group, answered per group, the invitation counts
        "figures": 11,  # the scan and its groups, the results' reads as for the figures file, the audit line
        "plan": 3,  # the count and the page with owners, baselines and notes counted
    }
