import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from roer.results.models import PeerGroupScores, ScanFigures
from roer.scans import services
from tests.helpers import closed_scan_with

pytestmark = pytest.mark.django_db


def test_it_computes_figures_of_scans_closed_by_date_and_refreshes_benchmarks(organisation, instrument_version, capsys):
    organisation.benchmark_opt_in = True
    organisation.save()
    scan = closed_scan_with(organisation, instrument_version, {"medewerkers": [3] * 5})
    assert not ScanFigures.objects.filter(scan=scan).exists()
    call_command("refresh_figures")
    assert ScanFigures.objects.filter(scan=scan).exists()
    assert PeerGroupScores.objects.filter(instrument_version=instrument_version, peer_group="all").exists()
    assert "1 closed scan" in capsys.readouterr().out
    call_command("refresh_figures")
    assert ScanFigures.objects.count() == 1


def test_closing_a_scan_computes_its_figures_at_once(scan):
    services.scan_close(scan=scan)
    assert ScanFigures.objects.filter(scan=scan).exists()


def test_an_open_scan_gets_no_figures(scan, capsys):
    scan.closes_on = timezone.localdate() + datetime.timedelta(days=3)
    scan.save()
    call_command("refresh_figures")
    assert not ScanFigures.objects.exists()


def test_figures_are_recomputed_when_a_reopened_scan_gets_new_answers(organisation, instrument_version, bob_client):
    from roer.results.figures import figures_for

    scan = closed_scan_with(organisation, instrument_version, {"medewerkers": [3] * 5})
    assert figures_for(scan).responses == {"medewerkers": 5}
    # the closing date moves into the future, two more people answer, and the scan closes again
    scan.closes_on = timezone.localdate() + datetime.timedelta(days=5)
    scan.save()
    from roer.responses.services import draft_save, response_submit
    from roer.scans.models import Invitation

    group = scan.groups.get()
    for number in range(2):
        invitation = Invitation.objects.create(scan=scan, group=group, email=f"late{number}@x.example")
        draft_save(invitation=invitation, answers={"ken_tijd": 5}, cleared=set(), open_answers={}, page=1)
        response_submit(invitation=invitation)
    closed = services.scan_close(scan=scan)
    assert figures_for(closed).responses == {"medewerkers": 7}
