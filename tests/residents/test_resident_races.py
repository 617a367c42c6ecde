"""Races and the database files: one letter code submitted twice at once stores one response; residents
submitting while the survey closes are either counted or refused; closing leaves no network hash in
SQLite's files."""

import datetime
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from roer.lifecycle import resident_life
from roer.lifecycle.resident_life import (
    LetterCodeError,
    burst_decide,
    resident_submit,
    store_resident_figures,
    survey_close,
    survey_create,
)
from roer.lifecycle.scan_life import ScanStateError
from roer.lifecycle.traces import traces_erase
from roer.residents.answers import code_hash, new_letter_code
from roer.residents.models import (
    Burst,
    BurstStatus,
    Channel,
    LetterBatch,
    LetterCode,
    ResidentFigures,
    ResidentResponse,
    ResidentSurvey,
)
from tests.factories import OrganisationFactory, ScanFactory, UserFactory


def _survey(instrument_version) -> ResidentSurvey:  # type: ignore[no-untyped-def]
    scan = ScanFactory(organisation=OrganisationFactory(), instrument_version=instrument_version)
    today = timezone.localdate()
    return survey_create(
        scan=scan,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=9),
        user=UserFactory(),
    )


def _at_once(functions) -> list[Exception]:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(len(functions))
    refused: list[Exception] = []

    def run(function):  # type: ignore[no-untyped-def]
        barrier.wait()
        try:
            function()
        except (LetterCodeError, ScanStateError) as error:
            refused.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(function,)) for function in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return refused


def _submit(survey, channel=Channel.OPEN_LINK, code="", address="203.0.113.5"):  # type: ignore[no-untyped-def]
    module = survey.scan.instrument_version.parsed.residents
    resident_submit(
        survey=survey,
        module=module,
        channel=channel,
        answers={"inw_online": 4},
        open_answers={},
        code=code,
        address=address,
    )


@pytest.mark.django_db(transaction=True)
def test_one_code_submitted_four_times_at_once_stores_one_response(instrument_version):
    survey = _survey(instrument_version)
    code = new_letter_code()
    batch = LetterBatch.objects.create(survey=survey, size=1, status=LetterBatch.Status.READY)
    LetterCode.objects.create(survey=survey, batch=batch, code_hash=code_hash(code))
    survey = ResidentSurvey.objects.select_related("scan__instrument_version").get(pk=survey.pk)
    refused = _at_once([lambda: _submit(survey, Channel.LETTER, code)] * 4)
    assert ResidentResponse.objects.filter(survey=survey).count() == 1
    assert len(refused) == 3
    assert all(isinstance(error, LetterCodeError) for error in refused)


@pytest.mark.django_db(transaction=True)
def test_residents_submitting_while_the_survey_closes_are_counted_or_refused(instrument_version):
    survey = _survey(instrument_version)
    survey = ResidentSurvey.objects.select_related("scan__instrument_version").get(pk=survey.pk)

    def close_and_compute():  # type: ignore[no-untyped-def]
        survey_close(survey=survey)
        store_resident_figures.call(survey.pk)

    refused = _at_once([lambda: _submit(survey)] * 8 + [close_and_compute])
    stored = ResidentResponse.objects.filter(survey=survey).count()
    assert stored + len(refused) == 8
    figures = ResidentFigures.objects.get(survey=survey).data
    assert figures["channels"].get("open", {}).get("n", 0) == stored


def _database_files() -> list[Path]:
    name = Path(connection.settings_dict["NAME"])
    return [path for path in (name, Path(f"{name}-wal"), Path(f"{name}-shm")) if path.exists()]


@pytest.mark.django_db(transaction=True)
def test_after_the_close_and_a_minute_no_network_hash_is_in_the_sqlite_files(instrument_version):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's files")
    survey = _survey(instrument_version)
    survey = ResidentSurvey.objects.select_related("scan__instrument_version").get(pk=survey.pk)
    for number in range(5):
        _submit(survey, address=f"198.51.100.{number}")
    hashes = set(ResidentResponse.objects.values_list("network", flat=True))
    assert len(hashes) == 1  # five addresses of one /24: one network
    assert "" not in hashes
    (network,) = hashes
    traces_erase()
    assert any(network.encode() in file.read_bytes() for file in _database_files())  # the attack works before
    survey_close(survey=survey)
    traces_erase()
    for file in _database_files():
        assert network.encode() not in file.read_bytes(), file


@pytest.mark.django_db(transaction=True)
def test_a_burst_decision_while_the_figures_are_computed_waits_and_is_refused(instrument_version, monkeypatch):
    """The worker computes the figures under the survey's lock: a manager who decides on a burst meanwhile
    waits, and is then told the figures are out; the stored figures are those of the decision in force.
    (Computed before the lock, a run that started before a decision stored figures that contradict it.)"""
    survey = _survey(instrument_version)
    for number in range(10):
        _submit(survey, address=f"198.51.{number}.1")
    for number in range(12):
        _submit(survey, address=f"203.0.113.{number + 10}")
    survey_close(survey=survey)
    burst = Burst.objects.get(survey=survey)
    manager = UserFactory()
    burst_decide(burst=burst, exclude=False, user=manager)
    computing, decided = threading.Event(), threading.Event()
    real = resident_life.compute_resident_figures

    def slow_compute(survey, module):  # type: ignore[no-untyped-def]
        computing.set()
        decided.wait(2)  # the decision, were it not held back, would land now
        return real(survey, module)

    monkeypatch.setattr(resident_life, "compute_resident_figures", slow_compute)

    def decide() -> None:
        computing.wait(10)
        try:
            burst_decide(burst=burst, exclude=True, user=manager)
        finally:
            decided.set()

    refused = _at_once([lambda: store_resident_figures.call(survey.pk), decide])
    assert [type(error) for error in refused] == [ScanStateError]
    status = Burst.objects.get(pk=burst.pk).status
    figures = ResidentFigures.objects.get(survey=survey).data
    assert (status, figures["channels"]["open"]["n"]) == (BurstStatus.KEPT, 22)
