"""`make demo` data: three municipalities with real figures, a benchmark pool, progress, and no duplicates."""

import pytest
from django.core.management import call_command

from roer.accounts.models import User
from roer.demo.seed import SHOWCASES
from roer.organisations.models import Organisation
from roer.responses.models import Response
from roer.results.selectors import scan_results
from roer.scans.models import Scan

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
    assert [o.size_class.number for o in showcases] == [2, 4, 7]
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
