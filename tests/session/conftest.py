import pytest

from tests.helpers import closed_scan_with


@pytest.fixture
def closed(organisation, instrument_version):
    """Directors (3) at 100, 100 and 75: 91.7. Staff (8): seven at 25 and one at 50, 28.1, hidden beside
    all others to protect the two managers (87.5, below their threshold). All others: (225 + 175) / 10 = 40
    on every dimension, so every dimension is a blind spot of 51.7 and stands at level 3 (from 40)."""
    return closed_scan_with(
        organisation,
        instrument_version,
        {"directie": [5, 5, 4], "medewerkers": [2] * 7 + [3], "management": [4, 5]},
    )
