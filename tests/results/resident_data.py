"""A tiny closed scan with perceived answers and a closed residents' survey beside it, with known answers,
for the expectation-gap tests of the results page, the reports and the figures file.

The numbers, worked out by hand (a 0-100 score is (mean - 1) / 4 * 100 on the 5-point scale):

statement        directors (3)      staff (5)   residents (10)                 gap directors
inw_online       4,4,5 -> 83.33     2 -> 25     1,1,2,2,2,3,3,3,4,5 -> 40      +43.33
inw_altijd       3 -> 50            3 -> 50     3 -> 50                        0
inw_mens         2 -> 25            4 -> 75     5 -> 100                       -75
inw_snel         4 -> 75            4 -> 75     five 3s, five 4s -> 62.5       +12.5 (at the threshold)
inw_vertrouwen   4 -> 75            4 -> 75     five 4s, five 5s -> 87.5       -12.5 (at the threshold)
inw_uitleg       5 -> 100           5 -> 100    all "don't know": hidden       none
inw_hulp         3 -> 50            3 -> 50     six 3s, four 4s -> 60          -10 (below 12.5)
inw_meedenken    skipped: hidden    3 -> 50     3 -> 50                        none (all others: 0)
inw_tevreden     1 -> 0             1 -> 0      1 -> 0                         0

So the blind spots (|gap| >= 12.5, the instrument's 0.5 points), largest first and ties by code:
inw_mens (75), inw_online (43.33), inw_snel (12.5), inw_vertrouwen (12.5).
"""

from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone

from roer.lifecycle.resident_life import store_resident_figures, survey_close, survey_create
from roer.lifecycle.scan_life import scan_close
from roer.residents.models import Burst, BurstStatus, Channel, ResidentOpenAnswer, ResidentResponse
from roer.scans.models import Invitation
from roer.scoring.packed import pack
from tests.factories import ScanFactory
from tests.groups import GroupKind
from tests.helpers import answer_directly
from tests.tasks import run_tasks

DONT_KNOW = None
DIRECTORS = {
    "inw_online": [4, 4, 5],
    "inw_altijd": [3, 3, 3],
    "inw_mens": [2, 2, 2],
    "inw_snel": [4, 4, 4],
    "inw_vertrouwen": [4, 4, 4],
    "inw_uitleg": [5, 5, 5],
    "inw_hulp": [3, 3, 3],
    "inw_tevreden": [1, 1, 1],
}
STAFF = {
    "inw_online": 2,
    "inw_altijd": 3,
    "inw_mens": 4,
    "inw_snel": 4,
    "inw_vertrouwen": 4,
    "inw_uitleg": 5,
    "inw_hulp": 3,
    "inw_meedenken": 3,
    "inw_tevreden": 1,
}
RESIDENTS = {
    "inw_online": [1, 1, 2, 2, 2, 3, 3, 3, 4, 5],
    "inw_altijd": [3] * 10,
    "inw_mens": [5] * 10,
    "inw_snel": [3] * 5 + [4] * 5,
    "inw_vertrouwen": [4] * 5 + [5] * 5,
    "inw_uitleg": [DONT_KNOW] * 10,
    "inw_hulp": [3] * 6 + [4] * 4,
    "inw_meedenken": [3] * 10,
    "inw_tevreden": [1] * 10,
}
# inw_kanaal (one answer): six by website (option 1), three by phone (option 5), one by app (option 2)
KANAAL = [1] * 6 + [5] * 3 + [2]
BLIND_SPOTS = ["inw_mens", "inw_online", "inw_snel", "inw_vertrouwen"]


def closed_scan_with_perceived(organisation, version, *, staff: int = 5):  # type: ignore[no-untyped-def]
    """Three directors and `staff` staff members who answered the perceived statements (and every
    statement of the scan with 3), closed yesterday with its figures computed."""
    closes_on = timezone.localdate() - datetime.timedelta(days=1)
    moment = datetime.datetime.combine(closes_on, datetime.time(12), tzinfo=timezone.get_current_timezone())
    definition = version.parsed
    with time_machine.travel(moment, tick=True):
        scan = ScanFactory(
            organisation=organisation,
            instrument_version=version,
            title="Scan met inwoners",
            opens_on=closes_on - datetime.timedelta(days=20),
            closes_on=closes_on,
            groups=[GroupKind.DIRECTIE, GroupKind.MEDEWERKERS],
        )
        base = {item.code: 3 for item in definition.items()}
        for number in range(3):
            invitation = Invitation.objects.create(
                scan=scan, group=scan.groups.get(kind=GroupKind.DIRECTIE), email=f"d{number}@x.example"
            )
            answer_directly(invitation, {**base, **{code: values[number] for code, values in DIRECTORS.items()}})
        for number in range(staff):
            invitation = Invitation.objects.create(
                scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS), email=f"m{number}@x.example"
            )
            answer_directly(invitation, {**base, **STAFF})
        scan_close(scan=scan)
    run_tasks()
    scan.refresh_from_db()
    return scan


def open_survey(scan, user):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return survey_create(
        scan=scan, opens_on=today - datetime.timedelta(days=3), closes_on=today + datetime.timedelta(days=10), user=user
    )


def store_response(survey, module, channel, answers, burst=None):  # type: ignore[no-untyped-def]
    return ResidentResponse.objects.create(
        survey=survey,
        channel=channel,
        submitted_on=timezone.localdate(),
        packed_answers=pack(module.answer_codes(), answers, 12),
        burst=burst,
    )


def close_survey(survey):  # type: ignore[no-untyped-def]
    survey_close(survey=survey)
    run_tasks()
    store_resident_figures.call(survey.pk)  # safe to run twice
    survey.refresh_from_db()
    return survey


def scan_with_residents(organisation, version, user):  # type: ignore[no-untyped-def]
    """The scan above with a closed survey: ten residents by the open link with the answers above, one
    more in a burst the scan manager left out (all 1s: it must change nothing), and open answers: two
    published, one waiting for review, one published but in the excluded burst."""
    scan = closed_scan_with_perceived(organisation, version)
    survey = open_survey(scan, user)
    module = version.parsed.residents
    responses = []
    for number in range(10):
        answers = {code: values[number] for code, values in RESIDENTS.items()}
        if KANAAL[number]:
            answers["inw_kanaal"] = KANAAL[number]
        # eight want to make appointments online, two nothing online; three need short explanations in
        # plain language, seven no help (a question with several answers counts those who chose any)
        answers["inw_diensten__afspraak" if number < 8 else "inw_diensten__niets"] = 1
        answers["inw_steun__uitleg" if number < 3 else "inw_steun__geen"] = 1
        responses.append(store_response(survey, module, Channel.OPEN_LINK, answers))
    now = timezone.now()
    burst = Burst.objects.create(
        survey=survey, window_start=now, window_end=now, responses=1, status=BurstStatus.EXCLUDED
    )
    excluded = store_response(survey, module, Channel.OPEN_LINK, dict.fromkeys(RESIDENTS, 1), burst=burst)
    for response, text, status in [
        (responses[0], "Graag alles in eenvoudige taal.", "published"),
        (responses[1], "Een loket in de wijk houden.", "published"),
        (responses[2], "Nog niet bekeken antwoord.", "pending"),
        (excluded, "Antwoord uit de uitgesloten golf.", "published"),
    ]:
        ResidentOpenAnswer.objects.create(
            response=response,
            survey=survey,
            channel=response.channel,
            code="inw_verwachting",
            text=text,
            status=status,
            published_text=text if status == "published" else "",
        )
    close_survey(survey)
    return scan
