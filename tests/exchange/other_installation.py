"""Another installation's data, made in its own database by a process of its own:
`python -m tests.exchange.other_installation` with DATABASE_URL and ROER_VAR_DIR of that installation,
after `manage.py migrate` there. tests/exchange/test_exchange_protocol.py runs it, then that
installation's `manage.py export_benchmark`, and imports the file into the test database.

Every respondent gives one value to every item, so every dimension and pillar of a scan scores
(mean value - 1) / 4 * 100 on the others' view (the employees):

* CBS size class 4 (20,000-50,000 inhabitants): five municipalities scoring 10, 35, 40, 70, 90, and one
  more scoring 0 that does not take part in the benchmark;
* size class 5 (50,000-100,000): six scoring 20, 30, 50, 60, 80, 100.
"""

from __future__ import annotations

import math
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roer.settings")
django.setup()

# After django.setup(): these import models.
from roer.instruments.loader import DEFAULT_INSTRUMENT, read_instrument_file  # noqa: E402
from roer.instruments.services import instrument_version_load  # noqa: E402
from roer.lifecycle.benchmarks import refresh_benchmarks  # noqa: E402
from roer.organisations.models import Organisation, OrganisationKind  # noqa: E402
from tests.helpers import closed_scan_with  # noqa: E402

# (score, employees' values giving it, inhabitants, takes part)
ORGANISATIONS = [
    (10, [1, 1, 1, 2, 2], 30_000, True),
    (35, [2, 2, 2, 3, 3], 31_000, True),
    (40, [2, 2, 3, 3, 3], 32_000, True),
    (70, [3, 4, 4, 4, 4], 33_000, True),
    (90, [4, 4, 5, 5, 5], 34_000, True),
    (0, [1, 1, 1, 1, 1], 35_000, False),
    (20, [1, 2, 2, 2, 2], 60_000, True),
    (30, [2, 2, 2, 2, 3], 61_000, True),
    (50, [3, 3, 3, 3, 3], 62_000, True),
    (60, [3, 3, 3, 4, 4], 63_000, True),
    (80, [4, 4, 4, 4, 5], 64_000, True),
    (100, [5, 5, 5, 5, 5], 65_000, True),
]


def main() -> None:
    definition, text = read_instrument_file(DEFAULT_INSTRUMENT)
    loaded = instrument_version_load(definition=definition, source_text=text, source_name=DEFAULT_INSTRUMENT.name)
    version = loaded.version
    for number, (score, values, inhabitants, taking_part) in enumerate(ORGANISATIONS):
        assert math.isclose((sum(values) / len(values) - 1) * 25, score), score
        organisation = Organisation.objects.create(
            name=f"Gemeente Noord {number}",
            kind=OrganisationKind.GEMEENTE,
            inhabitants=inhabitants,
            benchmark_opt_in=taking_part,
        )
        closed_scan_with(organisation, version, {"medewerkers": values})
    refresh_benchmarks.call(version.pk)  # the nightly rebuild


if __name__ == "__main__":
    main()
