"""`make demo` data: three municipalities with real figures, a benchmark pool, progress, and no duplicates."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from roer.accounts.models import User
from roer.demo.seed import SHOWCASES
from roer.organisations.models import Organisation
from roer.residents.figures import TOGETHER, publish_resident_figures
from roer.residents.models import (
    Burst,
    BurstStatus,
    LetterBatch,
    LetterCode,
    ResidentOpenAnswer,
    ResidentResponse,
    ResidentSurvey,
)
from roer.responses.models import Response
from roer.results.models import ScanFigures
from roer.results.selectors import scan_results
from roer.scans.models import Scan, ScanState

pytestmark = pytest.mark.django_db


def counts():
    return (User.objects.count(), Organisation.objects.count(), Scan.objects.count(), Response.objects.count())


def test_the_demo_has_real_figures_benchmarks_and_progress_and_running_it_twice_changes_nothing(capsys, client):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "roer-demo-2026" in out
    assert "beheerder@dijkstad.example" in out
    assert "/a/" in out

    showcases = Organisation.objects.filter(name__in=[s.name for s in SHOWCASES]).order_by("inhabitants")
    assert [o.size_class.number for o in showcases if o.size_class] == [2, 4, 7]
    assert [o.name for o in showcases if o.size_class is None] == ["Zorggroep Lindehof"]
    for organisation in showcases:
        closed = list(organisation.scans.with_figures())
        assert closed
        assert scan_results(closed[-1]).scores.others_view.pillars["verdiepen"] is not None

    dijkstad = scan_results(Scan.objects.get(organisation__name="Gemeente Dijkstad", title="Digitaal leiderschap 2026"))
    # the directors see themselves more favourably on "Verdiepen & omarmen" than the others do: a blind spot
    assert dijkstad.scores.self_view.pillars["verdiepen"] > dijkstad.scores.others_view.pillars["verdiepen"] + 5
    assert any(gap.kind == "blind_spot" for gap in dijkstad.insight.gaps)
    # a benchmark against enough peers, and the progress since the 2025 scan
    assert dijkstad.benchmark.taking_part
    assert all(comparison.shown for comparison in dijkstad.benchmark.comparisons)
    assert dijkstad.progress.previous.title == "Digitaal leiderschap 2025"
    assert any(row.change.is_clear for row in dijkstad.progress.rows)
    assert dijkstad.insight.developments["all_others"]

    before = counts()
    call_command("seed_demo")
    assert counts() == before

    response = client.post("/login/", {"username": "Beheerder@Dijkstad.example", "password": "roer-demo-2026"})
    assert response.status_code == 302


def _perceived_score(items: dict, code: str) -> float:
    """A group's perceived statement on the 0-100 scale: (mean of 1..5 - 1) * 25."""
    n, total, _squares, _agreeing = items[code]
    return (total / n - 1) * 25


def test_dijkstad_has_a_closed_residents_survey_in_three_channels_with_an_expectation_gap():
    call_command("seed_demo")
    scan = Scan.objects.get(organisation__name="Gemeente Dijkstad", title="Digitaal leiderschap 2026")
    survey = ResidentSurvey.objects.get(scan=scan)
    assert survey.state == ScanState.FIGURES_READY
    assert survey.closes_on < timezone.localdate()
    # no network trace is kept once the survey has closed
    assert not ResidentResponse.objects.filter(survey=survey).exclude(network="").exists()
    assert not ResidentResponse.objects.filter(survey=survey, window__isnull=False).exists()

    # 600 letters sent, 180 answered (counted at close, when the codes themselves are deleted); the burst
    # of 30 answers from one network is left out
    batch = LetterBatch.objects.get(survey=survey)
    assert (batch.size, batch.used) == (600, 180)
    assert not LetterCode.objects.filter(survey=survey).exists()
    burst = Burst.objects.get(survey=survey)
    assert (burst.responses, burst.status, burst.network) == (30, BurstStatus.EXCLUDED, "")
    module = scan.instrument_version.parsed.residents
    results = publish_resident_figures(module, survey.figures.data)
    assert results.responses == {"open": 420 - 30, "letter": 180, "paper": 45, TOGETHER: 615}
    assert results.excluded == 30
    assert results.shown_channels() == ["open", "letter", "paper", TOGETHER]

    # the self-selected open link is the most digital-minded, paper the least
    online = {channel: results.statements[channel]["inw_online"].score for channel in ("open", "letter", "paper")}
    help_needed = {channel: results.statements[channel]["inw_hulp"].score for channel in ("open", "letter", "paper")}
    assert online["open"] > online["letter"] + 5 > online["paper"] + 20
    assert help_needed["open"] + 10 < help_needed["letter"] < help_needed["paper"] - 10
    nothing_online = {c: results.choices[c]["inw_diensten"].shares["niets"] for c in ("open", "letter", "paper")}
    assert nothing_online["open"] < nothing_online["letter"] < nothing_online["paper"]

    # the expectation gap: the directors' guess against what residents (all channels) answered
    directors = ScanFigures.objects.get(scan=scan).data["items"]["directie"]
    threshold = 12.5  # the instrument's gap threshold, half a point on the five-point scale
    gaps = {
        statement.code: _perceived_score(directors, statement.code) - results.statements[TOGETHER][statement.code].score
        for statement in module.statements
    }
    blind_spots = {code for code, gap in gaps.items() if abs(gap) > threshold}
    assert len(blind_spots) >= 2
    assert gaps["inw_online"] > threshold  # directors overrate residents' wish to go online
    assert gaps["inw_hulp"] < -threshold  # and underrate their need for help
    assert gaps["inw_mens"] < -threshold  # and for a human contact

    # some open answers published, the one with a phone number waiting for review
    open_answers = ResidentOpenAnswer.objects.filter(survey=survey)
    assert open_answers.filter(status="published").exclude(published_text="").exists()
    assert open_answers.filter(status="pending").exists()
    assert not open_answers.filter(status="published", text__contains="06-").exists()

    before = (ResidentSurvey.objects.count(), ResidentResponse.objects.count(), LetterBatch.objects.count())
    call_command("seed_demo")
    assert (ResidentSurvey.objects.count(), ResidentResponse.objects.count(), LetterBatch.objects.count()) == before


def test_dijkstads_plan_shows_per_action_whether_its_dimension_moved_at_the_next_scan():
    from roer.lifecycle.planning import focus_of
    from roer.plans.models import Action, ProgressNote
    from roer.plans.selectors import Movement, planned_actions

    call_command("seed_demo")
    dijkstad = Organisation.objects.get(name="Gemeente Dijkstad")
    latest = dijkstad.scans.get(title="Digitaal leiderschap 2026")
    assert len(focus_of(latest)) >= 2
    planned = planned_actions(dijkstad, timezone.localdate())
    assert len(planned) == Action.objects.filter(organisation=dijkstad).count() >= 3
    assert ProgressNote.objects.filter(action__organisation=dijkstad).exists()
    # measured at the 2026 scan against the 2025 one: the demo's levels rose by 0.35 of a point
    movements = {item.action.dimension_code: item.remeasure.movement for item in planned}
    assert Movement.ROSE in movements.values()
    assert {item.action.investment for item in planned} == {"kennis", "medewerkers", "relaties"}
    before = Action.objects.count()
    call_command("seed_demo")
    assert Action.objects.count() == before


def test_the_healthcare_organisation_answers_the_healthcare_instrument_which_no_municipality_is_offered(capsys):
    """Issue 16, part 4: `make demo` loads the second instrument and shows it in use."""
    from roer.instruments.selectors import usable_versions

    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "beheerder@lindehof.example" in out
    assert "raad_van_bestuur" in out  # a fresh link to answer as a board member
    lindehof = Organisation.objects.get(name="Zorggroep Lindehof")
    dijkstad = Organisation.objects.get(name="Gemeente Dijkstad")
    assert {version.instrument.code for version in usable_versions(dijkstad.pk)} == {"digitaal_leiderschap"}
    assert "digitaal_leiderschap_zorg" in {version.instrument.code for version in usable_versions(lindehof.pk)}

    scan = lindehof.scans.with_figures().get()
    assert scan.instrument_version.instrument.code == "digitaal_leiderschap_zorg"
    assert [group.kind for group in scan.groups.all()] == [
        "raad_van_bestuur",
        "leidinggevenden",
        "informatievoorziening_ict",
        "zorgprofessionals",
    ]
    results = scan_results(scan)
    # the board is the self-view, and sees itself more favourably on "Verdiepen & omarmen"
    assert results.scores.self_view.code == "raad_van_bestuur"
    assert results.scores.self_view.pillars["verdiepen"] > results.scores.others_view.pillars["verdiepen"] + 5
    # the board answered the healthcare reference questions, and nobody the municipal ones
    own = ScanFigures.objects.get(scan=scan).data["items"]["raad_van_bestuur"]
    assert {"ref_zorg_verandering", "ref_zorg_vaardigheden"} <= set(own)
    assert "ref_verandering" not in own
    open_scan = lindehof.scans.exclude(pk=scan.pk).get()
    assert open_scan.invitations.filter(group__kind="raad_van_bestuur").exists()
