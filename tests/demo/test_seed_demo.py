import pytest
from django.core.management import call_command

from roer.accounts.models import User
from roer.organisations.models import Organisation
from roer.responses.models import Response
from roer.results.selectors import scan_results
from roer.scans.models import Scan

pytestmark = pytest.mark.django_db


def test_the_demo_creates_three_municipalities_with_a_closed_scan_and_real_figures(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "roer-demo-2026" in out
    assert "beheerder@dijkstad.example" in out
    assert "/a/" in out
    organisations = Organisation.objects.order_by("inhabitants")
    assert [o.size_class.number for o in organisations] == [2, 4, 7]
    for organisation in organisations:
        closed = [scan for scan in organisation.scans.all() if scan.is_closed]
        assert len(closed) == 1
        results = scan_results(closed[0])
        assert results.scores.others_view.pillars["verdiepen"] is not None
    dijkstad = scan_results(
        Scan.objects.get(organisation__name="Gemeente Dijkstad", closed_at__isnull=True, title__endswith="2026")
    )
    # the directors see themselves more favourably on "Verdiepen & omarmen" than the others do
    assert dijkstad.scores.self_view.pillars["verdiepen"] > dijkstad.scores.others_view.pillars["verdiepen"] + 5


def test_running_the_demo_twice_duplicates_nothing():
    call_command("seed_demo")
    counts = (User.objects.count(), Organisation.objects.count(), Scan.objects.count(), Response.objects.count())
    call_command("seed_demo")
    assert (
        User.objects.count(),
        Organisation.objects.count(),
        Scan.objects.count(),
        Response.objects.count(),
    ) == counts


def test_demo_users_can_log_in(client):
    call_command("seed_demo")
    response = client.post("/login/", {"username": "Beheerder@Dijkstad.example", "password": "roer-demo-2026"})
    assert response.status_code == 302
