import pytest

from roer.responses.models import OpenAnswer, Response
from tests.groups import GroupKind
from tests.helpers import closed_scan_with, publish_open_answers

TRICKY = [
    'Komma, "aanhalingstekens" en\neen nieuwe regel 😀',
    '=HYPERLINK("https://example.org")',
    "+31 6 12345678",
    "-5 punten",
    "@SUM(A1:A2)",
    "'al een apostrof",
    "\tmet een tab",
]


@pytest.fixture
def closed(organisation, instrument_version):
    """Directors (3) agree fully (100), staff (8) disagree (25), two managers (below their threshold)."""
    scan = closed_scan_with(
        organisation, instrument_version, {"directie": [5, 5, 5], "medewerkers": [2] * 8, "management": [3, 3]}
    )
    staff = Response.objects.filter(scan=scan, group__kind=GroupKind.MEDEWERKERS).order_by("id")
    for response, text in zip(staff, TRICKY, strict=False):
        OpenAnswer.objects.create(
            response=response, scan=response.scan, group=response.group, code="open_verbeteren", text=text
        )
    return publish_open_answers(scan)
