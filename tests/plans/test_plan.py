"""The action plan as its users meet it: the focus seeds suggestions, a scan manager plans, an owner
keeps an action up to date, and the next scan says whether the dimension moved, within the noise or not.

Scores are worked out by hand as in tests/results/test_progress.py: a respondent who gives value v to every
statement scores (v - 1) / 4 * 100 on every dimension."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from roer.audit.models import AuditAction, AuditEvent
from roer.lifecycle.planning import FocusError, focus_choose, focus_of
from roer.lifecycle.scan_life import ScanStateError
from roer.plans.models import Action, ActionStatus, ProgressNote
from roer.plans.selectors import Movement, planned_actions
from roer.plans.services import action_create
from tests.helpers import closed_scan_with

pytestmark = pytest.mark.django_db

BEFORE = [2, 3, 2, 3, 2, 3]  # 25, 50, ...: mean 37.5, level 2 (Verkennend, from 20)
RISE = [4, 5, 4, 5, 4, 5]  # mean 87.5
SAME = [2, 3, 2, 3, 3, 3]  # 25, 50, 25, 50, 50, 50: mean 41.67


def _scan(organisation, version, values, days_ago, title):  # type: ignore[no-untyped-def]
    closes_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    return closed_scan_with(organisation, version, {"medewerkers": values}, closes_on=closes_on, title=title)


@pytest.fixture
def baseline(organisation, instrument_version):  # type: ignore[no-untyped-def]
    return _scan(organisation, instrument_version, BEFORE, 365, "2025")


def _plan(organisation, alice, baseline, **fields):  # type: ignore[no-untyped-def]
    values = {
        "dimension_code": "kennis",
        "instrument_code": baseline.instrument_version.parsed.code,
        "investment": "kennis",
        "title": "Trendverkenning aan de directietafel",
        "due_on": timezone.localdate() + datetime.timedelta(days=90),
        **fields,
    }
    status = values.pop("status", ActionStatus.PLANNED)
    action = action_create(
        organisation=organisation, user=alice, baseline_scan=baseline, today=timezone.localdate(), **values
    )
    Action.objects.filter(pk=action.pk).update(status=status)
    action.refresh_from_db()
    return action


def _in_english(client):  # type: ignore[no-untyped-def]
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.content.decode())


# --- Focus -------------------------------------------------------------------------------------------------


def test_the_chosen_focus_is_recorded_in_order_and_audited(baseline, alice):
    focus_choose(scan=baseline, codes=["ervaringen", "kennis"], user=alice)
    assert focus_of(baseline) == ["ervaringen", "kennis"]
    focus_choose(scan=baseline, codes=["kennis", "expertise", "ervaringen"], user=alice)  # the session again
    assert focus_of(baseline) == ["kennis", "expertise", "ervaringen"]
    assert AuditEvent.objects.filter(action=AuditAction.FOCUS_CHOSEN).count() == 2


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        (["kennis"], "Choose 2 to 3 focus dimensions; 1 was chosen."),
        (["kennis", "expertise", "ervaringen", "koers"], "Choose 2 to 3 focus dimensions; 4 were chosen."),
        (["kennis", "kennis"], "Choose each dimension once."),
        (["kennis", "bestaat_niet"], "Choose dimensions of this scan's instrument."),
    ],
)
def test_a_focus_that_is_no_choice_is_refused_and_nothing_is_stored(baseline, alice, codes, message, english):
    with pytest.raises(FocusError, match=re.escape(message)):
        focus_choose(scan=baseline, codes=codes, user=alice)
    assert focus_of(baseline) == []


def test_an_open_scan_has_no_focus_to_choose(scan, alice):
    with pytest.raises(ScanStateError, match=r"Deze scan is nog open\."):
        focus_choose(scan=scan, codes=["kennis", "expertise"], user=alice)
    assert focus_of(scan) == []


def test_the_focus_seeds_a_suggestion_for_the_level_the_dimension_is_at(baseline, alice, alice_client):
    focus_choose(scan=baseline, codes=["kennis", "expertise"], user=alice)
    definition = baseline.instrument_version.parsed
    # 37.5 is level 2 of 5: the dimension's second recommendation
    expected = definition.dimension("kennis").recommendations[1].nl
    page = _text(alice_client.get(f"/organisations/{baseline.organisation.code}/plan/"))
    assert expected in page
    form = _text(alice_client.get(f"/organisations/{baseline.organisation.code}/plan/new/?dimension=kennis"))
    assert f'value="{expected}"' in form


# --- Planning and keeping an action up to date ----------------------------------------------------------------


def test_a_scan_manager_adds_an_action_through_the_form(baseline, alice, bob, alice_client):
    response = alice_client.post(
        f"/organisations/{baseline.organisation.code}/plan/new/",
        {
            "title": "Leertraject data voor directeuren",
            "description": "",
            "dimension_code": "kennis",
            "investment": "kennis",
            "owner": bob.pk,
            "due_on": "2026-09-30",
            "budget_euros": "12500",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.owner, action.baseline_scan, action.budget_euros, action.status) == (
        bob,
        baseline,
        12500,
        ActionStatus.PLANNED,
    )
    assert AuditEvent.objects.filter(action=AuditAction.ACTION_CREATED, subject=action.title).exists()


def test_an_owner_from_another_organisation_is_refused(baseline, charlie, alice_client):
    response = alice_client.post(
        f"/organisations/{baseline.organisation.code}/plan/new/",
        {"title": "X", "dimension_code": "kennis", "investment": "kennis", "owner": charlie.pk, "due_on": "2026-09-30"},
    )
    assert response.status_code == 400
    assert "Kies een van de getoonde leden." in response.content.decode()  # Dutch, the default
    assert not Action.objects.exists()


def test_a_due_date_far_away_and_a_budget_in_words_are_refused_with_every_valid_field_kept(baseline, alice_client):
    response = alice_client.post(
        f"/organisations/{baseline.organisation.code}/plan/new/",
        {"title": "Bewaard", "dimension_code": "kennis", "investment": "relaties", "due_on": "2099-01-01"},
    )
    assert "Kies een einddatum binnen vijf jaar." in response.content.decode()
    assert 'value="Bewaard"' in response.content.decode()
    response = alice_client.post(
        f"/organisations/{baseline.organisation.code}/plan/new/",
        {
            "title": "Bewaard",
            "dimension_code": "kennis",
            "investment": "relaties",
            "due_on": "2026-09-30",
            "budget_euros": "veel",
        },
    )
    assert "Vul het budget in als een heel aantal euro" in response.content.decode()
    assert not Action.objects.exists()


def test_the_owner_updates_status_and_progress_and_a_colleague_who_is_not_the_owner_cannot(
    organisation, baseline, alice, bob, bob_client
):
    from tests.factories import MembershipFactory, UserFactory

    action = _plan(organisation, alice, baseline, owner=bob)
    base = f"/organisations/{organisation.code}/plan/{action.pk}/"
    assert bob_client.post(base + "status/", {"status": "in_progress"}).status_code == 302
    assert (
        bob_client.post(base + "note/", {"written_on": "2026-03-01", "text": "Eerste sessie gehouden"}).status_code
        == 302
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    assert list(action.notes.values_list("text", flat=True)) == ["Eerste sessie gehouden"]
    # an owner may not plan: changing or removing the action is for scan managers
    assert bob_client.get(base + "edit/").status_code == 403
    assert bob_client.post(base + "delete/").status_code == 403

    from roer.organisations.models import Role
    from tests.conftest import client_for

    dora = MembershipFactory(
        user=UserFactory(email="dora@alfa.example"), organisation=organisation, role=Role.LEZER
    ).user
    dora_client = client_for(dora)
    assert dora_client.get(base).status_code == 200  # every member reads the plan
    assert dora_client.post(base + "status/", {"status": "done"}).status_code == 403
    assert dora_client.post(base + "note/", {"written_on": "2026-03-01", "text": "x"}).status_code == 403
    action.refresh_from_db()
    assert (action.status, action.notes.count()) == (ActionStatus.IN_PROGRESS, 1)


def test_progress_for_a_day_to_come_and_an_unknown_status_are_refused(organisation, baseline, alice, alice_client):
    action = _plan(organisation, alice, baseline)
    base = f"/organisations/{organisation.code}/plan/{action.pk}/"
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = bob = alice_client.post(base + "note/", {"written_on": tomorrow, "text": "Nog niet gebeurd"})
    assert response.status_code == 400
    assert "niet voor een dag die nog komt" in bob.content.decode()
    assert "Nog niet gebeurd</textarea>" in response.content.decode()  # the text is kept
    assert alice_client.post(base + "status/", {"status": "verzonnen"}).status_code == 400
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED
    assert not ProgressNote.objects.exists()


def test_an_action_of_another_organisation_is_not_found_through_ones_own_address(
    organisation, other_organisation, baseline, alice, charlie, charlie_client, instrument_version
):
    action = _plan(organisation, alice, baseline)
    # Charlie manages Bravo and tries Alfa's action id under Bravo's own address, and under Alfa's
    for code in (other_organisation.code, organisation.code):
        base = f"/organisations/{code}/plan/{action.pk}/"
        assert charlie_client.get(base).status_code == 404
        assert charlie_client.post(base + "status/", {"status": "done"}).status_code == 404
        assert charlie_client.post(base + "delete/").status_code == 404
    assert charlie_client.get(f"/organisations/{organisation.code}/plan/").status_code == 404
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED


def test_an_action_cannot_be_planned_after_another_organisations_scan(
    organisation, other_organisation, alice, instrument_version
):
    from roer.plans.services import PlanError

    theirs = _scan(other_organisation, instrument_version, BEFORE, 30, "Bravo")
    with pytest.raises(PlanError):
        _plan(organisation, alice, theirs)


# --- The balance -----------------------------------------------------------------------------------------------


def test_the_balance_counts_open_and_done_actions_per_investment_not_stopped_ones(
    organisation, baseline, alice, bob_client
):
    _plan(organisation, alice, baseline, investment="kennis", budget_euros=1000)
    _plan(organisation, alice, baseline, investment="kennis", budget_euros=500)
    _plan(organisation, alice, baseline, investment="relaties")
    _plan(organisation, alice, baseline, investment="medewerkers", status=ActionStatus.STOPPED, budget_euros=9999)
    page = _text(bob_client.get(f"/organisations/{organisation.code}/plan/"))
    for share in ("2 (67%)", "1 (33%)", "0 (0%)"):
        assert share in page
    assert "€ 1.500" in page  # with the Dutch thousands separator
    assert "9999" not in page.split("balance-title")[1]


# --- Re-measured at the next scan ------------------------------------------------------------------------------


def test_before_the_next_scan_the_action_waits_to_be_measured(organisation, baseline, alice, bob_client):
    _plan(organisation, alice, baseline)
    (item,) = planned_actions(organisation, timezone.localdate())
    assert item.remeasure.movement is Movement.NOT_YET
    assert "Opnieuw gemeten als de volgende scan sluit." in _text(
        bob_client.get(f"/organisations/{organisation.code}/plan/")
    )


def test_the_next_scan_shows_a_clear_rise_with_its_interval(
    organisation, instrument_version, baseline, alice, bob_client
):
    _plan(organisation, alice, baseline)
    _scan(organisation, instrument_version, RISE, 1, "2026")
    (item,) = planned_actions(organisation, timezone.localdate())
    # 37.5 -> 87.5; margin 2.228139 * sqrt(62.5) = 17.615 (tests/results/test_progress.py)
    assert item.remeasure.movement is Movement.ROSE
    page = _text(_in_english(bob_client).get(f"/organisations/{organisation.code}/plan/"))
    assert "Rose by 50.0 points (95% interval 32.4 to 67.6): a clear change." in page


def test_a_change_within_the_noise_is_said_to_be_so(organisation, instrument_version, baseline, alice, bob_client):
    _plan(organisation, alice, baseline)
    _scan(organisation, instrument_version, SAME, 1, "2026")
    (item,) = planned_actions(organisation, timezone.localdate())
    assert item.remeasure.movement is Movement.WITHIN_NOISE
    # 37.5 -> 41.67: +4.2, the interval wide enough to hold zero
    assert item.remeasure.row.change.low < 0 < item.remeasure.row.change.high
    page = _text(_in_english(bob_client).get(f"/organisations/{organisation.code}/plan/"))
    assert "Changed by 4.2 points, within the noise" in page
    assert "a clear change" not in page


def test_a_dimension_the_next_scan_hides_is_not_measured_and_its_score_is_nowhere(
    organisation, instrument_version, baseline, alice, bob_client
):
    """Four staff answered the next scan (threshold five): its figures hide every dimension, and the plan
    must not become a way round that rule."""
    _plan(organisation, alice, baseline)
    hidden = _scan(organisation, instrument_version, [5, 5, 5, 5], 1, "2026")
    assert "kennis" not in hidden.figures.data["published"]
    (item,) = planned_actions(organisation, timezone.localdate())
    assert item.remeasure.movement is Movement.NOT_YET
    page = _text(bob_client.get(f"/organisations/{organisation.code}/plan/"))
    action_page = _text(bob_client.get(f"/organisations/{organisation.code}/plan/{item.action.pk}/"))
    for shown in (page, action_page):
        assert "100.0" not in shown  # the hidden score
        assert "62.5" not in shown  # and its change from 37.5


def test_the_results_and_both_reports_of_the_next_scan_say_how_the_action_moved(
    organisation, instrument_version, baseline, alice, bob_client
):
    action = _plan(organisation, alice, baseline)
    later = _scan(organisation, instrument_version, RISE, 1, "2026")
    client = _in_english(bob_client)
    sentence = "Rose by 50.0 points (95% interval 32.4 to 67.6): a clear change."
    for path in ("results/", "report/summary/", "report/full/"):
        page = _text(client.get(f"/scans/{later.code}/{path}"))
        for expected in ("The action plan at this scan", action.title, sentence):
            assert expected in page, path
    # the scan the action was planned after has nothing to measure it against
    assert "The action plan at this scan" not in _text(client.get(f"/scans/{baseline.code}/results/"))


def test_a_report_pdf_is_made_anew_when_the_plan_changes(organisation, instrument_version, baseline, alice):
    from roer.reports.documents import report_fingerprint

    later = _scan(organisation, instrument_version, RISE, 1, "2026")
    before = report_fingerprint(later, "summary", "nl")
    action = _plan(organisation, alice, baseline)
    with_action = report_fingerprint(later, "summary", "nl")
    Action.objects.filter(pk=action.pk).update(status=ActionStatus.DONE)
    assert len({before, with_action, report_fingerprint(later, "summary", "nl")}) == 3


# the board: + the latest published scan, its focus, its figures (suggestions), the actions, the scans with
# their groups (re-measured); the form: + the latest scan and the members offered as owners; an action: + the
# action with its notes, the latest scan, the scans with their groups
PLAN_PAGES = {"": 11, "new/": 6, "1/": 9, "1/edit/": 8}


# --- Query counts -------------------------------------------------------------------------------------------


def _queries(client, path):  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_board_and_the_results_ask_the_same_number_of_queries_however_big_the_plan(
    organisation, instrument_version, baseline, alice, bob, bob_client
):
    """One action after one scan, then seven actions after two scans with notes: the board and the later
    scan's results page ask the same number of questions of the database."""
    from roer.plans.services import note_add

    middle = _scan(organisation, instrument_version, SAME, 180, "2025b")
    latest = _scan(organisation, instrument_version, RISE, 1, "2026")
    _plan(organisation, alice, baseline, owner=bob)
    paths = (f"/organisations/{organisation.code}/plan/", f"/scans/{latest.code}/results/")
    small = [_queries(bob_client, path) for path in paths]
    for number in range(6):
        action = _plan(organisation, alice, middle if number % 2 else baseline, owner=bob, investment="relaties")
        note_add(
            action=action, user=bob, text="Stap gezet", written_on=timezone.localdate(), today=timezone.localdate()
        )
    assert [_queries(bob_client, path) for path in paths] == small


def test_every_plan_page_makes_a_pinned_number_of_queries(organisation, baseline, alice, alice_client):
    """Session and user (2), the organisation and its membership (2), then the page's own reads."""
    focus_choose(scan=baseline, codes=["kennis", "ervaringen"], user=alice)
    action = _plan(organisation, alice, baseline, owner=alice)
    base = f"/organisations/{organisation.code}/plan/"
    counted = {path: _queries(alice_client, base + path.replace("1/", f"{action.pk}/")) for path in PLAN_PAGES}
    assert counted == PLAN_PAGES


# --- What the attack on the plan found (each failed before its fix) -----------------------------------------


def test_a_due_date_long_past_and_a_note_from_long_ago_are_refused(organisation, baseline, alice, alice_client):
    response = alice_client.post(
        f"/organisations/{organisation.code}/plan/new/",
        {"title": "Oud", "dimension_code": "kennis", "investment": "kennis", "due_on": "0001-01-01"},
    )
    assert response.status_code == 400
    assert "Kies een einddatum binnen vijf jaar." in response.content.decode()
    action = _plan(organisation, alice, baseline)
    response = alice_client.post(
        f"/organisations/{organisation.code}/plan/{action.pk}/note/", {"written_on": "0001-01-01", "text": "Ooit"}
    )
    assert response.status_code == 400
    assert "Kies een datum in de afgelopen vijf jaar." in response.content.decode()
    assert not Action.objects.exclude(pk=action.pk).exists()
    assert not ProgressNote.objects.exists()


def test_an_empty_post_is_a_form_with_its_errors_not_a_fresh_form(organisation, baseline, alice_client):
    response = alice_client.post(f"/organisations/{organisation.code}/plan/new/", {})
    assert response.status_code == 400
    assert "Zeg wat er gaat gebeuren." in response.content.decode()


def test_an_action_removed_meanwhile_is_refused_in_words_by_every_write(organisation, baseline, alice, alice_client):
    from roer.plans.services import PlanError, action_change, action_delete, action_status_set, note_add

    today = timezone.localdate()
    stale = _plan(organisation, alice, baseline)
    Action.objects.filter(pk=stale.pk).delete()
    for write in (
        lambda: action_status_set(action=stale, user=alice, status="done"),
        lambda: note_add(action=stale, user=alice, text="x", written_on=today, today=today),
        lambda: action_change(action=stale, user=alice, today=today, title="Nieuw"),
        lambda: action_delete(action=stale, user=alice),
    ):
        with pytest.raises(PlanError, match=r"Deze actie is uit het plan gehaald\."):
            write()
    assert not ProgressNote.objects.exists()


def test_a_focus_on_a_scan_deleted_meanwhile_is_refused_in_words(baseline, alice):
    from roer.scans.models import Scan

    Scan.objects.filter(pk=baseline.pk).delete()
    with pytest.raises(FocusError, match=r"Deze scan bestaat niet meer\."):
        focus_choose(scan=baseline, codes=["kennis", "ervaringen"], user=alice)
