"""The results page: figures per group with thresholds applied, self versus others, reference questions,
response rates and a radar chart with the same numbers in a table."""

from tests.conftest import link_for
from tests.factories import InvitationFactory
from tests.groups import GroupKind
from tests.helpers import answer_all, close, constant


def answer(scan, kind, value, count):
    definition = scan.instrument_version.parsed
    group = scan.groups.get(kind=kind)
    for _ in range(count):
        invitation = InvitationFactory(scan=scan, group=group)
        from django.test import Client

        answer_all(Client(), link_for(invitation), definition, group.perspective, constant(value))


def test_a_group_below_its_threshold_is_shown_as_a_dash_and_never_as_a_number(bob_client, scan):
    answer(scan, GroupKind.DIRECTIE, 5, 3)  # 100 each
    answer(scan, GroupKind.MEDEWERKERS, 3, 6)  # 50 each
    answer(scan, GroupKind.MANAGEMENT, 1, 2)  # 0 each, but only two of them: below 5
    close(scan)
    response = bob_client.get(f"/scans/{scan.code}/results/")
    scores = response.context["results"].scores
    assert scores.group("management").dimensions["kennis"].score is None
    # all others = 6 staff at 50 and 2 managers at 0: (300 + 0) / 8 = 37.5 -> shown as 38 (half up)
    assert scores.others_view.dimensions["kennis"].score == 37.5
    # showing staff (6) beside all others (8) would give away the two managers, so staff is hidden too
    assert scores.group("medewerkers").dimensions["kennis"].score is None
    page = response.content.decode()
    assert '<td class="number">38</td>' in page
    assert '<td class="number">100</td>' in page
    assert "verborgen om een kleinere groep te beschermen" in page


def test_the_reference_questions_show_the_directors_share_beside_90_and_70(bob_client, scan):
    answer(scan, GroupKind.DIRECTIE, 2, 3)  # "disagree" to both reference questions
    close(scan)
    response = bob_client.get(f"/scans/{scan.code}/results/")
    references = response.context["results"].references
    assert [(ref.answered, ref.percentage) for ref in references] == [(3, 0.0), (3, 0.0)]
    assert [ref.reference_percentage for ref in references] == [90, 70]


def test_the_reference_share_is_hidden_below_the_directors_threshold(bob_client, scan):
    answer(scan, GroupKind.DIRECTIE, 4, 2)
    close(scan)
    references = bob_client.get(f"/scans/{scan.code}/results/").context["results"].references
    assert [ref.shown for ref in references] == [False, False]
    assert [ref.percentage for ref in references] == [None, None]


def test_the_radar_chart_has_a_text_alternative_and_the_table_the_same_numbers(bob_client, scan):
    answer(scan, GroupKind.DIRECTIE, 4, 3)
    answer(scan, GroupKind.MEDEWERKERS, 2, 5)
    close(scan)
    response = bob_client.get(f"/scans/{scan.code}/results/")
    page = response.content.decode()
    assert 'role="img"' in page
    assert 'aria-labelledby="radar-title radar-desc"' in page
    chart = response.context["chart"]
    [self_series, others_series] = chart.series
    assert [value for _point, value in self_series.markers] == [75.0] * 10
    assert [value for _point, value in others_series.markers] == [25.0] * 10
    assert self_series.polygon
    assert others_series.polygon


def test_results_wait_until_the_scan_is_closed(bob_client, scan):
    answer(scan, GroupKind.MEDEWERKERS, 4, 5)
    response = bob_client.get(f"/scans/{scan.code}/results/")
    assert response.status_code == 200
    assert "results" not in response.context


def test_a_closed_scan_shows_results_only_once_the_worker_has_stored_its_figures(bob_client, scan):
    from roer.lifecycle.scan_life import scan_close
    from roer.results.models import ScanFigures
    from tests.tasks import run_tasks

    answer(scan, GroupKind.MEDEWERKERS, 4, 5)
    scan_close(scan=scan)
    waiting = bob_client.get(f"/scans/{scan.code}/results/")
    assert "results" not in waiting.context
    assert "worden berekend" in waiting.content.decode()
    assert not ScanFigures.objects.exists()  # a reader's view never computes or writes figures
    run_tasks()
    assert "results" in bob_client.get(f"/scans/{scan.code}/results/").context


def test_scale_quality_is_shown_to_scan_managers_only(alice_client, bob_client, scan):
    answer(scan, GroupKind.MEDEWERKERS, 3, 5)
    close(scan)
    url = f"/scans/{scan.code}/results/"
    assert 'id="quality"' in alice_client.get(url).content.decode()
    assert 'id="quality"' not in bob_client.get(url).content.decode()


def test_every_section_of_the_results_page_is_there(bob_client, scan):
    answer(scan, GroupKind.DIRECTIE, 5, 3)
    answer(scan, GroupKind.MEDEWERKERS, 2, 6)
    close(scan)
    page = bob_client.get(f"/scans/{scan.code}/results/").content.decode()
    for section in (
        "summary",
        "self-versus-others",
        "strengths",
        "levels",
        "benchmark",
        "progress",
        "scores",
        "reference",
    ):
        assert f'id="{section}"' in page, section
    # directors 100 against others 25 on every dimension: a blind spot of 75 points each
    assert page.count("<strong>Blinde vlek</strong>") == 10
