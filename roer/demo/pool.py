"""A benchmark pool for the demo: forty fictional public organisations that each ran a scan.

Their responses are written in bulk for speed, but every respondent's dimension scores come from the same
scoring function that scores real submissions.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from roer.demo.synthetic import Profile, synthetic_answers
from roer.instruments.models import InstrumentVersion
from roer.organisations.models import Organisation, OrganisationKind
from roer.responses.models import Response
from roer.scans.models import Invitation, RespondentGroup, Scan, instrument_groups
from roer.scoring.packed import pack

PREFIXES = [
    "Aal",
    "Beek",
    "Berg",
    "Brak",
    "Dal",
    "Eem",
    "Geest",
    "Haar",
    "Heem",
    "Hoog",
    "Kroon",
    "Lind",
    "Maas",
    "Mid",
]
SUFFIXES = ["wijk", "hoven", "veen", "mond", "dam", "horst", "loo", "kerk", "wolde", "ster", "dijk"]
# (kind, inhabitants) of the pool: most are municipalities, spread over the CBS size classes so that the
# demo municipalities have enough peers, plus a few provinces and water authorities (too few to compare).
POOL = (
    [(OrganisationKind.GEMEENTE, n) for n in (155_000, 171_000, 189_000, 204_000, 226_000, 243_000, 168_500)]
    + [
        (OrganisationKind.GEMEENTE, n)
        for n in (21_500, 24_800, 27_300, 31_000, 33_900, 38_200, 41_700, 44_100, 47_600, 49_000)
    ]
    + [(OrganisationKind.GEMEENTE, n) for n in (5_400, 6_900, 8_100, 9_600, 11_200, 14_800, 17_900)]
    + [(OrganisationKind.GEMEENTE, n) for n in (56_000, 63_000, 78_000, 92_000, 118_000, 134_000, 281_000, 356_000)]
    + [(OrganisationKind.PROVINCIE, None)] * 3
    + [(OrganisationKind.WATERSCHAP, None)] * 2
)
KIND_NAMES = {
    OrganisationKind.GEMEENTE: "Gemeente",
    OrganisationKind.PROVINCIE: "Provincie",
    OrganisationKind.WATERSCHAP: "Waterschap",
}
# How many of each group the pool's organisations invite (the municipal instrument's groups).
GROUP_SIZES = {"directie": 4, "management": 10, "informatievoorziening": 7, "medewerkers": 45}


def _name(rng: random.Random, used: set[str], kind: OrganisationKind) -> str:
    while True:
        name = f"{KIND_NAMES[kind]} {rng.choice(PREFIXES)}{rng.choice(SUFFIXES)}"
        if name not in used and not Organisation.objects.filter(name=name).exists():
            used.add(name)
            return name


def _bulk_scan(rng: random.Random, organisation: Organisation, version: InstrumentVersion, profile: Profile) -> None:
    today = timezone.localdate()
    closes_on = today - datetime.timedelta(days=rng.randrange(20, 300))
    scan = Scan.objects.create(
        organisation=organisation,
        instrument_version=version,
        title="Digitaal leiderschap",
        opens_on=closes_on - datetime.timedelta(days=28),
        closes_on=closes_on,
    )
    definition = version.parsed
    codes, points = definition.answer_codes(), definition.scale.points
    for group in RespondentGroup.objects.bulk_create(instrument_groups(scan)):
        instrument_group = definition.group(group.kind)
        assert instrument_group is not None  # noqa: S101 - the rows were made from the instrument
        invited = GROUP_SIZES.get(group.kind, 4 if group.is_self else 20)
        answering = round(invited * rng.uniform(0.55, 0.85))
        Invitation.objects.bulk_create(
            Invitation(
                scan=scan,
                group=group,
                email=f"{group.kind}{n:03d}@pool{organisation.pk}.example",
                submitted=n < answering,
            )
            for n in range(invited)
        )
        Response.objects.bulk_create(
            Response(
                scan=scan,
                group=group,
                instrument_version=version,
                submitted_on=scan.opens_on + datetime.timedelta(days=rng.randrange(0, 28)),
                packed_answers=pack(codes, synthetic_answers(rng, definition, profile, instrument_group), points),
            )
            for _ in range(answering)
        )


def seed_benchmark_pool(version: InstrumentVersion) -> int:
    """Create the pool once; returns how many organisations were created."""
    if Organisation.objects.filter(benchmark_opt_in=True, memberships__isnull=True).exists():
        return 0
    rng = random.Random(2026)
    used: set[str] = set()
    for kind, inhabitants in POOL:
        organisation = Organisation.objects.create(
            name=_name(rng, used, kind), kind=kind, inhabitants=inhabitants, benchmark_opt_in=True
        )
        base = rng.uniform(2.6, 3.7)
        profile = Profile(
            level={code: base + rng.gauss(0, 0.25) for code in ("verdiepen", "mensen", "adoptie")},
            self_bias={code: rng.gauss(0.35, 0.25) for code in ("verdiepen", "mensen", "adoptie")},
        )
        _bulk_scan(rng, organisation, version, profile)
    return len(POOL)
