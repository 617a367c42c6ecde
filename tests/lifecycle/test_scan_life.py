"""A scan's life: stored states, moved on by the calendar and by hand, and every write checked against the
state under the scan's lock. The race tests pause one transaction at the worst moment and show that the
other waits for it; with the lock taken away (or the check moved out of the transaction) they fail."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from roer.lifecycle import benchmarks, scan_life
from roer.lifecycle.answering import answers_submit
from roer.lifecycle.editing import ScanHasAnswersError, invitees_add, scan_delete, scan_foreword_set
from roer.lifecycle.scan_life import ScanStateError, scan_close, scans_follow_clock, store_figures
from roer.responses.models import Response
from roer.results.figures import FiguresNotReadyError, figures_for
from roer.results.models import PeerGroupScores, ScanFigures
from roer.scans.invitees import Invitee
from roer.scans.models import Invitation, Scan, ScanState
from tests.factories import InvitationFactory, OrganisationFactory, ScanFactory
from tests.groups import GroupKind
from tests.helpers import answer_directly, close
from tests.tasks import queued, run_tasks

ZONE = timezone.get_current_timezone()


def at(day: datetime.date, hour: int = 0, minute: int = 1) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ZONE)


@pytest.mark.django_db
class TestTheCalendar:
    def test_a_planned_scan_opens_on_its_first_day_and_closes_after_its_last(self, organisation, instrument_version):
        today = timezone.localdate()
        scan = ScanFactory(
            organisation=organisation,
            instrument_version=instrument_version,
            opens_on=today + datetime.timedelta(days=2),
            closes_on=today + datetime.timedelta(days=9),
        )
        assert scan.state == ScanState.PLANNED
        with time_machine.travel(at(today + datetime.timedelta(days=1), 23, 59)):
            assert scans_follow_clock() == 0
        with time_machine.travel(at(scan.opens_on)):
            assert scans_follow_clock() == 1
            scan.refresh_from_db()
            assert scan.state == ScanState.OPEN
        with time_machine.travel(at(scan.closes_on, 23, 59)):
            assert scans_follow_clock() == 0
        with time_machine.travel(at(scan.closes_on + datetime.timedelta(days=1))):
            assert scans_follow_clock() == 1
            assert scans_follow_clock() == 0
        scan.refresh_from_db()
        assert scan.state == ScanState.CLOSED
        assert scan.closed_on == scan.closes_on + datetime.timedelta(days=1)
        assert len(queued("store_figures")) == 1  # the figures are asked for once

    def test_a_scan_whose_dates_both_passed_while_no_worker_ran_goes_straight_to_closed(self, scan):
        with time_machine.travel(at(scan.closes_on + datetime.timedelta(days=30))):
            scans_follow_clock()
        scan.refresh_from_db()
        assert scan.state == ScanState.CLOSED
        assert scan.closed_on == scan.closes_on + datetime.timedelta(days=1)

    def test_a_closed_scan_without_a_figures_task_gets_one(self, scan):
        """As after the upgrade that stored the states: closed scans had no task yet."""
        Scan.objects.filter(pk=scan.pk).update(state=ScanState.CLOSED, closed_at=timezone.now())
        scans_follow_clock()
        scans_follow_clock()
        assert len(queued("store_figures")) == 1
        run_tasks()
        scan.refresh_from_db()
        assert scan.state == ScanState.FIGURES_READY


@pytest.mark.django_db
class TestTransitions:
    def test_closing_by_hand_queues_the_figures_and_the_worker_publishes_them(self, scan):
        InvitationFactory.create_batch(3, scan=scan, group=scan.groups.get(kind=GroupKind.DIRECTIE))
        for invitation in Invitation.objects.filter(scan=scan):
            answer_directly(invitation, {"ken_tijd": 4})
        scan_close(scan=scan)
        scan.refresh_from_db()
        assert (scan.state, scan.has_figures) == (ScanState.CLOSED, False)
        with pytest.raises(FiguresNotReadyError):
            figures_for(scan)
        run_tasks()
        scan.refresh_from_db()
        assert scan.state == ScanState.FIGURES_READY
        assert figures_for(scan).responses == {"directie": 3}

    def test_closing_twice_and_computing_twice_change_nothing(self, scan):
        close(scan)
        stored = ScanFigures.objects.get(scan=scan)
        scan_close(scan=scan)
        assert store_figures.call(scan.pk) is False
        assert ScanFigures.objects.get(scan=scan).computed_at == stored.computed_at
        assert queued("store_figures") == []

    def test_a_closed_scan_takes_no_invitees_and_no_answers(self, scan):
        invitation = InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS))
        close(scan)
        with pytest.raises(ScanStateError):
            invitees_add(
                scan=scan,
                invitees=[Invitee(1, "late@x.nl", None, None)],
                default_group=scan.groups.first(),
                default_language="nl",
            )
        with pytest.raises(ScanStateError):
            answer_directly(invitation, {"ken_tijd": 4})
        assert not Response.objects.exists()

    def test_the_foreword_needs_a_closed_scan(self, scan):
        with pytest.raises(ScanStateError):
            scan_foreword_set(scan=scan, foreword="Te vroeg")

    def test_only_a_scan_nobody_answered_can_be_deleted(self, alice, alice_client, scan, other_scan):
        answer_directly(InvitationFactory(scan=scan, group=scan.groups.first()), {"ken_tijd": 3})
        page = alice_client.post(f"/scans/{scan.code}/delete/", follow=True).content.decode()
        assert "kan niet worden verwijderd" in page
        assert Scan.objects.filter(pk=scan.pk).exists()
        empty = ScanFactory(organisation=scan.organisation, instrument_version=scan.instrument_version)
        assert alice_client.post(f"/scans/{empty.code}/delete/").status_code == 302
        assert not Scan.objects.filter(pk=empty.pk).exists()
        with pytest.raises(ScanHasAnswersError):
            scan_delete(scan=scan, user=alice)

    def test_only_the_lifecycle_module_writes_a_scans_state(self):
        """The state has one owner: no other module of Roer assigns it. A residents' survey's state (the
        same states) has its own owner, which never assigns a scan's."""
        from pathlib import Path

        root = Path(scan_life.__file__).resolve().parents[1]
        writers = {
            path.relative_to(root).as_posix()
            for path in root.rglob("*.py")
            if "migrations" not in path.parts and ".state = ScanState" in path.read_text(encoding="utf-8")
        }
        assert writers == {"lifecycle/scan_life.py", "lifecycle/resident_life.py"}
        survey_owner = (root / "lifecycle" / "resident_life.py").read_text(encoding="utf-8")
        assert "scan.state =" not in survey_owner
        assert "survey.state = ScanState" in survey_owner


def _two_threads(first, second, *, pause: threading.Event, release: threading.Event):  # type: ignore[no-untyped-def]
    """Run `first` until it pauses (inside its transaction), then start `second` and check that `second` waits
    for `first` to commit; return both outcomes (a value or the exception raised)."""
    outcomes: dict[str, object] = {}
    second_started = threading.Event()

    def run(name, function, started=None):  # type: ignore[no-untyped-def]
        if started is not None:
            started.set()
        try:
            outcomes[name] = function()
        except Exception as error:  # the outcome under test may be a refusal
            outcomes[name] = error
        finally:
            connection.close()

    one = threading.Thread(target=run, args=("first", first), name="first")
    one.start()
    assert pause.wait(10), "the first transaction never reached its pause"
    two = threading.Thread(target=run, args=("second", second, second_started), name="second")
    two.start()
    second_started.wait(5)
    two.join(timeout=1.0)
    waited = two.is_alive()  # still blocked on the first transaction's lock
    release.set()
    one.join(20)
    two.join(20)
    return outcomes, waited


@pytest.fixture
def answering_scan(instrument_version):
    scan = ScanFactory(
        organisation=OrganisationFactory(), instrument_version=instrument_version, groups=["medewerkers"]
    )
    invitation = InvitationFactory(scan=scan, group=scan.groups.get(), sent_at=None)
    return scan, invitation


def _submit(invitation):  # type: ignore[no-untyped-def]
    """Every statement answered 4 (agree), so every dimension has a score."""
    answers = {item.code: 4 for item in invitation.scan.instrument_version.parsed.items()}
    return answers_submit(
        invitation=invitation, token="t" * 43, answers=answers, cleared=set(), open_answers={}, page=1
    )


def _close_and_compute(scan):  # type: ignore[no-untyped-def]
    scan_close(scan=scan)
    store_figures.call(scan.pk)  # the worker, right after
    return "closed"


@pytest.mark.django_db(transaction=True)
def test_a_submit_racing_a_close_is_stored_before_the_close(answering_scan, monkeypatch):
    scan, invitation = answering_scan
    paused, release = threading.Event(), threading.Event()
    state_on = Scan.state_on

    def slow_state_on(self, today):  # type: ignore[no-untyped-def]
        state = state_on(self, today)
        if threading.current_thread().name == "first":
            paused.set()  # the submit has read the state and found the scan open
            release.wait(10)
        return state

    monkeypatch.setattr(Scan, "state_on", slow_state_on)
    outcomes, waited = _two_threads(
        lambda: _submit(invitation), lambda: _close_and_compute(scan), pause=paused, release=release
    )
    assert outcomes == {"first": True, "second": "closed"}
    assert waited, "the close did not wait for the submit in flight"
    # the answer was stored before the close, and the published figures count it
    assert Response.objects.filter(scan=scan).count() == 1
    assert figures_for(Scan.objects.get(pk=scan.pk)).responses == {"medewerkers": 1}


@pytest.mark.django_db(transaction=True)
def test_a_submit_racing_a_close_after_it_is_refused(answering_scan, monkeypatch):
    scan, invitation = answering_scan
    paused, release = threading.Event(), threading.Event()
    close_now = scan_life._close

    def slow_close(locked, now):  # type: ignore[no-untyped-def]
        close_now(locked, now)
        paused.set()  # the state is changed, not yet committed
        release.wait(10)

    monkeypatch.setattr(scan_life, "_close", slow_close)
    outcomes, waited = _two_threads(
        lambda: scan_close(scan=scan), lambda: _submit(invitation), pause=paused, release=release
    )
    assert waited, "the submit did not wait for the close in flight"
    assert isinstance(outcomes["second"], ScanStateError)
    assert outcomes["second"].state == ScanState.CLOSED
    assert not Response.objects.exists()
    run_tasks()
    assert figures_for(Scan.objects.get(pk=scan.pk)).responses == {}


@pytest.mark.django_db(transaction=True)
def test_many_submits_and_a_close_at_once_publish_exactly_what_was_stored(instrument_version):
    scan = ScanFactory(
        organisation=OrganisationFactory(), instrument_version=instrument_version, groups=["medewerkers"]
    )
    invitations = InvitationFactory.create_batch(8, scan=scan, group=scan.groups.get())
    barrier = threading.Barrier(len(invitations) + 1)
    refused: list[Exception] = []

    def submit(invitation):  # type: ignore[no-untyped-def]
        barrier.wait()
        try:
            _submit(invitation)
        except ScanStateError as error:
            refused.append(error)
        finally:
            connection.close()

    def closer():  # type: ignore[no-untyped-def]
        barrier.wait()
        try:
            _close_and_compute(scan)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(invitation,)) for invitation in invitations]
    threads.append(threading.Thread(target=closer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    stored = Response.objects.filter(scan=scan).count()
    assert stored + len(refused) == len(invitations)
    assert figures_for(Scan.objects.get(pk=scan.pk)).responses.get("medewerkers", 0) == stored


@pytest.mark.django_db(transaction=True)
def test_two_benchmark_rebuilds_of_one_version_never_collide(instrument_version, monkeypatch):
    """Without the version's lock the second rebuild inserts beside the first and breaks the unique key."""
    organisation = OrganisationFactory(benchmark_opt_in=True)
    scan = ScanFactory(organisation=organisation, instrument_version=instrument_version, groups=["medewerkers"])
    for invitation in InvitationFactory.create_batch(5, scan=scan, group=scan.groups.get()):
        _submit(invitation)
    scan_close(scan=scan)
    store_figures.call(scan.pk)
    paused, release = threading.Event(), threading.Event()
    rebuild = benchmarks.peer_scores_rebuild
    calls = []

    def slow_rebuild(version):  # type: ignore[no-untyped-def]
        count = rebuild(version)
        calls.append(version.pk)
        if len(calls) == 1:
            paused.set()  # rows deleted and inserted, not yet committed
            release.wait(10)
        return count

    monkeypatch.setattr(benchmarks, "peer_scores_rebuild", slow_rebuild)
    version_id = instrument_version.pk
    outcomes, _waited = _two_threads(
        lambda: benchmarks.refresh_benchmarks.call(version_id),
        lambda: benchmarks.refresh_benchmarks.call(version_id),
        pause=paused,
        release=release,
    )
    assert outcomes == {"first": 1, "second": 1}
    codes = list(
        PeerGroupScores.objects.filter(instrument_version=instrument_version).values_list("peer_group", "code")
    )
    assert len(codes) == len(set(codes)) > 0


def test_figures_of_an_older_format_are_stored_anew_a_few_a_minute(organisation, instrument_version):
    from roer.lifecycle.schedule import follow_clock
    from roer.results.figures import parse_figures
    from tests.helpers import closed_scan_with

    scans = [closed_scan_with(organisation, instrument_version, {"medewerkers": [3] * 5}) for _ in range(7)]
    current = ScanFigures.objects.get(scan=scans[0]).data
    ScanFigures.objects.update(format=ScanFigures.FORMAT - 1, data={"from": "an older release"})
    assert figures_for(scans[0]) == parse_figures(current)  # read correctly meanwhile, computed in memory
    follow_clock.call()
    assert ScanFigures.objects.filter(format=ScanFigures.FORMAT).count() == scan_life.STALE_FIGURES_PER_MINUTE
    follow_clock.call()
    assert ScanFigures.objects.filter(format=ScanFigures.FORMAT).count() == 7
    assert ScanFigures.objects.get(scan=scans[0]).data == current  # the same answers, the same numbers
