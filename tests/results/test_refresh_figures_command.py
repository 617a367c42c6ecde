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
