"""The demo's learning data: Dijkstad's information manager finds a peer for its focus, and the case
library holds fictional cases marked as such, one of them waiting for the platform administrator."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from roer.learning.models import Case, CaseStatus, SharingOffer
from roer.learning.selectors import latest_scan_with_figures, peers_for
from roer.organisations.models import Organisation
from roer.plans.models import FocusDimension

pytestmark = pytest.mark.django_db


def test_dijkstad_finds_peers_and_the_library_has_fictional_cases():
    call_command("seed_demo")
    dijkstad = Organisation.objects.get(name="Gemeente Dijkstad")
    scan = latest_scan_with_figures(dijkstad)
    assert scan is not None
    for position, (_pillar, dimension) in enumerate(scan.instrument_version.parsed.dimensions()):
        FocusDimension.objects.get_or_create(scan=scan, dimension_code=dimension.code, defaults={"position": position})
    overview = peers_for(dijkstad)
    assert overview.missing is None
    with_peers = [row.dimension_code for row in overview.focus if row.peers]
    assert len(with_peers) >= len(overview.focus) - 2, with_peers  # Dijkstad may lead on a dimension or two
    assert all(len(row.peers) <= 3 for row in overview.focus)
    published = Case.objects.filter(status=CaseStatus.PUBLISHED)
    assert published.count() >= 3
    assert all("Fictief" in case.what_they_did for case in Case.objects.all())
    assert Case.objects.filter(status=CaseStatus.SUBMITTED).count() == 1

    offers = SharingOffer.objects.count()
    call_command("seed_demo")
    assert SharingOffer.objects.count() == offers
    assert Case.objects.count() == published.count() + 1
