"""The residents' section of the results page: the expectation gap worked out by hand, its blind spots,
priorities, channel mix and inclusion, the residents' published open answers, an open survey that shows
nothing, access, and an adversary who must not recover a small channel by subtraction."""

import json
import math
import re

import pytest
from django.conf import settings
from django.utils import timezone

from roer.residents import figures as resident_figures
from roer.residents.figures import TOGETHER
from roer.residents.models import Burst, BurstStatus, Channel, ResidentOpenAnswer
from roer.results.selectors import scan_results
from roer.scoring.disclosure import Suppression
from tests.results.resident_data import (
    BLIND_SPOTS,
    close_survey,
    closed_scan_with_perceived,
    open_survey,
    scan_with_residents,
    store_response,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_residents(organisation, instrument_version, alice):  # type: ignore[no-untyped-def]
    return scan_with_residents(organisation, instrument_version, alice)


def results_page(client, scan, channel: str = ""):  # type: ignore[no-untyped-def]
    query = f"?residents={channel}" if channel else ""
    response = client.get(f"/scans/{scan.code}/results/{query}")
    assert response.status_code == 200
    return response


def test_the_expectation_gap_worked_out_by_hand(with_residents):
    section = scan_results(with_residents).residents
    assert section.results.responses == {"open": 10, "letter": 0, "paper": 0, TOGETHER: 10}
    assert section.results.excluded == 1  # the burst's answer, all 1s, counts nowhere
    rows = {row.code: row for row in section.together.rows}
    # residents: (mean - 1) / 4 * 100; inw_online 26 / 10 = 2.6 -> 40, two of ten agree (4 or 5)
    assert rows["inw_online"].residents.score == pytest.approx(40.0)
    assert rows["inw_online"].residents.n == 10
    assert rows["inw_online"].agreeing == pytest.approx(20.0)
    # directors 4, 4, 5: 13 / 3 -> 83.33; staff (all others) 2 -> 25
    assert rows["inw_online"].directors.score == pytest.approx(250 / 3)
    assert rows["inw_online"].others.score == pytest.approx(25.0)
    # the sign: perceived minus residents
    assert rows["inw_online"].directors_gap.difference == pytest.approx(250 / 3 - 40)
    assert rows["inw_online"].others_gap.difference == pytest.approx(-15.0)
    assert rows["inw_mens"].directors_gap.difference == pytest.approx(-75.0)
    assert rows["inw_snel"].directors_gap.difference == pytest.approx(12.5)
    # residents all "don't know": hidden, so no gap at all
    assert not rows["inw_uitleg"].residents.shown
    assert rows["inw_uitleg"].directors_gap is None
    assert rows["inw_uitleg"].others_gap is None
    # the directors skipped inw_meedenken: hidden for them, no directors' gap; the staff's stays
    assert rows["inw_meedenken"].directors.suppression is Suppression.BELOW_THRESHOLD
    assert rows["inw_meedenken"].directors_gap is None
    assert rows["inw_meedenken"].others_gap.difference == pytest.approx(0.0)
    assert section.gap_threshold == 12.5
    assert [gap.code for gap in section.together.blind_spots] == BLIND_SPOTS
    # what each group thinks, straight from the scan's figures
    assert section.perceived.cells["directie"]["inw_mens"].score == pytest.approx(25.0)
    assert section.perceived.cells["medewerkers"]["inw_mens"].score == pytest.approx(75.0)


def test_an_open_questions_total_leaves_out_a_burst_left_out_and_keeps_a_burst_counted(with_residents):
    (question,) = scan_results(with_residents).residents.open_answers
    assert question.code == "inw_verwachting"
    # two published; the one pending and the one in the excluded burst count nowhere
    assert question.total == 2
    assert sorted(question.answers) == ["Een loket in de wijk houden.", "Graag alles in eenvoudige taal."]
    survey = with_residents.resident_survey
    now = timezone.now()
    kept = Burst.objects.create(survey=survey, window_start=now, window_end=now, responses=1, status=BurstStatus.KEPT)
    response = store_response(survey, survey.scan.instrument_version.parsed.residents, Channel.OPEN_LINK, {}, kept)
    text = "Antwoord uit een meegetelde piek."
    ResidentOpenAnswer.objects.create(
        response=response,
        survey=survey,
        channel=response.channel,
        code="inw_verwachting",
        text=text,
        status="published",
        published_text=text,
    )
    (question,) = scan_results(with_residents).residents.open_answers
    assert question.total == 3
    assert text in question.answers
    assert "Antwoord uit de uitgesloten golf." not in question.answers


def test_the_results_page_shows_the_residents_section(bob_client, with_residents):
    response = results_page(bob_client, with_residents)
    page = response.content.decode()
    section = re.sub(r"\s*(<[^>]*>)\s*", r"\1", page[page.index('id="residents"') :])
    assert 'href="#residents"' in page
    # the chart: server-side SVG with a text alternative, and the table beside it
    assert 'role="img" aria-labelledby="residents-chart-all_others-title residents-chart-all_others-desc"' in section
    assert '<title id="residents-chart-all_others-title">' in section
    # inw_online: residents 40, directors 83, gap +43, all others 25, gap -15
    assert (
        '<td class="number">40</td><td class="number">83</td><td class="number">+43</td>'
        '<td class="number">25</td><td class="number">\u221215</td>'
    ) in section
    assert "1 antwoord uit een verdachte piek" in section or "1 answer from a suspicious burst" in section
    # the channel mix: six of the ten prefer the website, three the phone, one an app
    mix = response.context["resident_mix"]
    assert [table.choice.code for table in mix] == ["inw_kanaal"]
    together = mix[0].columns[0]
    assert together.cell.n == 10
    assert together.cell.shares["website"] == pytest.approx(60.0)
    assert together.cell.shares["telefoon"] == pytest.approx(30.0)
    assert together.cell.shares["app"] == pytest.approx(10.0)
    assert '<th scope="row">Via de website</th><td class="number">60%</td>' in section
    # priorities: highest first, "don't know" statement left out
    priorities = [row.code for row in response.context["resident_priorities"]]
    assert priorities[:3] == ["inw_mens", "inw_vertrouwen", "inw_snel"]
    assert "inw_uitleg" not in priorities
    # inclusion: the statements of that theme and the inclusion question (3 of 10 want plain language)
    assert [row.code for row in response.context["resident_inclusion_statements"]] == ["inw_hulp", "inw_meedenken"]
    steun = response.context["resident_inclusion_choices"][0]
    assert steun.choice.code == "inw_steun"
    assert [(option.code, share) for option, share in steun.options][:2] == [("geen", 70.0), ("uitleg", 30.0)]
    wishes = response.context["resident_wishes"][0]
    assert (wishes.choice.code, wishes.answered) == ("inw_diensten", 10)
    assert [(option.code, share) for option, share in wishes.options][:2] == [("afspraak", 80.0), ("niets", 20.0)]
    # open answers: published only, by handle, none from the excluded burst, none waiting for review
    assert "Graag alles in eenvoudige taal." in section
    assert "Een loket in de wijk houden." in section
    assert "Nog niet bekeken antwoord." not in section
    assert "Antwoord uit de uitgesloten golf." not in section


def test_an_unknown_or_empty_channel_falls_back_to_together(bob_client, with_residents):
    for channel in ("letter", "nonsense", "%00", "together"):
        response = results_page(bob_client, with_residents, channel)
        assert response.context["resident_channel"] == TOGETHER


def test_an_open_survey_says_so_with_its_dates_and_shows_nothing_else(
    bob_client, organisation, instrument_version, alice
):
    scan = closed_scan_with_perceived(organisation, instrument_version)
    survey = open_survey(scan, alice)
    module = instrument_version.parsed.residents
    for _ in range(12):
        store_response(survey, module, Channel.OPEN_LINK, {"inw_online": 5})
    page = results_page(bob_client, scan).content.decode()
    section = page[page.index('id="residents"') : page.index("</section>", page.index('id="residents"'))]
    assert "13 maart 2026" in section
    assert "26 maart 2026" in section
    assert "<table" not in section
    assert "<svg" not in section
    assert "Responses per channel" not in section
    assert "Respons per kanaal" not in section


def test_a_member_of_another_organisation_gets_404(charlie_client, with_residents):
    for query in ("", "?residents=open"):
        assert charlie_client.get(f"/scans/{with_residents.code}/results/{query}").status_code == 404
        assert charlie_client.get(f"/scans/{with_residents.code}/figures.json").status_code == 404


# --- The adversary: open link 25, letter 12, paper 3 (below 10) --------------------------------------


@pytest.fixture
def three_channels(organisation, instrument_version, alice):  # type: ignore[no-untyped-def]
    scan = closed_scan_with_perceived(organisation, instrument_version)
    survey = open_survey(scan, alice)
    module = instrument_version.parsed.residents
    codes = [statement.code for statement in module.statements]
    for channel, count, base in ((Channel.OPEN_LINK, 25, 0), (Channel.LETTER, 12, 1), (Channel.PAPER, 3, 2)):
        for number in range(count):
            answers: dict[str, int | None] = {code: 1 + (number + base + index) % 5 for index, code in enumerate(codes)}
            answers["inw_kanaal"] = 1 + (number + base) % 7
            store_response(survey, module, channel, answers)
    close_survey(survey)
    return scan


def published_figures(client, scan) -> dict[tuple[str, str], tuple[int, float]]:  # type: ignore[no-untyped-def]
    """Everything the adversary reads: (channel, key) -> (n, sum), from the figures file and from the
    results page of every channel (a score s of n answers gives the sum n * (s / 25 + 1); a share of a
    choice option times n gives its count)."""
    seen: dict[tuple[str, str], tuple[int, float]] = {}
    document = json.loads(client.get(f"/scans/{scan.code}/figures.json").content)
    for cell in document["residents"]["cells"]:
        if cell["group"].startswith("residents:"):
            channel = cell["group"].split(":", 1)[1]
            seen[(TOGETHER if channel == "together" else channel, cell["code"])] = (cell["n"], cell["sum"])
    for channel in ("", "open", "letter", "paper"):
        context = results_page(client, scan, channel).context
        shown = context["resident_channel"]
        for row in context["resident_gaps"].rows:
            if row.residents.shown:
                seen[(shown, row.code)] = (row.residents.n, row.residents.n * (row.residents.score / 25 + 1))
        for table in context["resident_mix"]:
            for column in table.columns:
                if column.cell.shares is not None:
                    for option, share in column.cell.shares.items():
                        seen[(column.code, f"{table.choice.code}:{option}")] = (
                            column.cell.n,
                            share * column.cell.n / 100,
                        )
    return seen


def recoverable(seen: dict[tuple[str, str], tuple[int, float]], responses: dict[str, int]) -> list[str]:
    """Keys on which together minus the published channels leaves a remainder of 1 to 9 answers, or a
    channel below the threshold is published itself."""
    threshold = settings.ROER_RESIDENT_THRESHOLD
    leaks = []
    for (channel, key), (n, _sum) in seen.items():
        if channel != TOGETHER and responses[channel] < threshold:
            leaks.append(f"{channel} {key} published")
        if channel != TOGETHER:
            continue
        channels = [code for code in ("open", "letter", "paper") if (code, key) in seen]
        remainder = n - sum(seen[(code, key)][0] for code in channels)
        if 0 < remainder < threshold:
            leaks.append(f"{key}: together minus {'+'.join(channels)} leaves {remainder}")
    return leaks


def test_the_paper_channel_cannot_be_recovered_by_subtraction(bob_client, three_channels):
    section = scan_results(three_channels).residents
    assert section.results.responses == {"open": 25, "letter": 12, "paper": 3, TOGETHER: 40}
    seen = published_figures(bob_client, three_channels)
    assert ("open", "inw_online") in seen
    assert (TOGETHER, "inw_online") in seen
    assert not any(channel in {"letter", "paper"} for channel, _key in seen)  # letter hidden to protect paper
    assert recoverable(seen, section.results.responses) == []
    letter = results_page(bob_client, three_channels, "letter").content.decode()
    assert "Geen cijfers voor dit kanaal" in letter or "No figures for this channel" in letter


def test_the_adversary_wins_when_the_rule_forgets_complementary_suppression(bob_client, three_channels, monkeypatch):
    """The same check against a weakened rule (each channel decided on its own): it must find the leak,
    so the test above would fail if publish_resident_figures lost its complementary suppression."""
    real = resident_figures.decide

    def weakened(groups, counts, units):  # type: ignore[no-untyped-def]
        disclosure = real(groups, counts, units)
        decisions = {
            key: Suppression.NONE if value is Suppression.COMPLEMENTARY else value
            for key, value in disclosure.decisions.items()
        }
        return type(disclosure)(disclosure.groups, disclosure.units, decisions)

    monkeypatch.setattr(resident_figures, "decide", weakened)
    seen = published_figures(bob_client, three_channels)
    leaks = recoverable(seen, {"open": 25, "letter": 12, "paper": 3})
    assert any("together minus open+letter leaves 3" in leak for leak in leaks)
    # and the numbers really are the paper forms': together - open - letter on a statement
    n = seen[(TOGETHER, "inw_online")][0] - seen[("open", "inw_online")][0] - seen[("letter", "inw_online")][0]
    paper_sum = seen[(TOGETHER, "inw_online")][1] - seen[("open", "inw_online")][1] - seen[("letter", "inw_online")][1]
    assert n == 3
    assert math.isclose(paper_sum, 3 + 4 + 5)  # the three paper forms answered 3, 4 and 5
