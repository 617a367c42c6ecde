"""Synthetic demo data: three municipalities, each with a closed scan full of plausible answers.

Answers are drawn from a seeded random generator, so every run of `make demo` on any machine produces the
same figures. They go through the same services as real answers (draft, submit, scoring), so the demo
exercises the real pipeline. Running the seed again changes nothing that exists already.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from roer.accounts.models import User
from roer.instruments.loader import DEFAULT_INSTRUMENT, read_instrument_file
from roer.instruments.models import InstrumentVersion
from roer.instruments.services import instrument_version_load
from roer.lib.tokens import new_token
from roer.organisations.models import Membership, Organisation, OrganisationKind, Role
from roer.responses.models import Response
from roer.responses.services import draft_save, response_submit
from roer.scans.models import AccessToken, GroupKind, Invitation, RespondentGroup, Scan
from roer.scans.services import answer_url, scan_create

DEMO_PASSWORD = "roer-demo-2026"  # noqa: S105 - the published password of the demo accounts


@dataclass(frozen=True)
class DemoLogin:
    email: str
    description: str


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    slug: str
    inhabitants: int
    seed: int
    invited: dict[GroupKind, int]
    response_rate: float
    # Latent level (1-5 scale) per pillar for how others see the directors.
    level: dict[str, float]
    # How much higher (or lower) the directors rate themselves, per pillar.
    self_bias: dict[str, float]


ORGANISATIONS = (
    DemoOrganisation(
        name="Gemeente Dijkstad",
        slug="dijkstad",
        inhabitants=162_400,
        seed=11,
        invited={
            GroupKind.DIRECTIE: 5,
            GroupKind.MANAGEMENT: 16,
            GroupKind.INFORMATIEVOORZIENING: 10,
            GroupKind.MEDEWERKERS: 120,
        },
        response_rate=0.72,
        level={"verdiepen": 3.1, "mensen": 3.6, "adoptie": 2.8},
        self_bias={"verdiepen": 0.8, "mensen": 0.1, "adoptie": 0.4},
    ),
    DemoOrganisation(
        name="Gemeente Veenhoven",
        slug="veenhoven",
        inhabitants=46_500,
        seed=23,
        invited={
            GroupKind.DIRECTIE: 4,
            GroupKind.MANAGEMENT: 9,
            GroupKind.INFORMATIEVOORZIENING: 6,
            GroupKind.MEDEWERKERS: 45,
        },
        response_rate=0.68,
        level={"verdiepen": 3.4, "mensen": 3.0, "adoptie": 3.3},
        self_bias={"verdiepen": 0.3, "mensen": -0.5, "adoptie": 0.2},
    ),
    DemoOrganisation(
        name="Gemeente Kleinwaard",
        slug="kleinwaard",
        inhabitants=8_900,
        seed=37,
        invited={
            GroupKind.DIRECTIE: 3,
            GroupKind.MANAGEMENT: 4,
            GroupKind.INFORMATIEVOORZIENING: 3,
            GroupKind.MEDEWERKERS: 22,
        },
        response_rate=0.8,
        level={"verdiepen": 2.7, "mensen": 3.8, "adoptie": 3.5},
        self_bias={"verdiepen": 0.5, "mensen": 0.0, "adoptie": -0.2},
    ),
)

OPEN_ANSWERS = {
    "open_goed": [
        "De directie staat open voor nieuwe ideeën en luistert naar de informatiemanager.",
        "Er is meer aandacht voor informatieveiligheid dan een paar jaar geleden.",
        "We krijgen ruimte om te experimenteren met nieuwe toepassingen.",
        "De directie deelt de digitale koers in de organisatie.",
    ],
    "open_verbeteren": [
        "Digitalisering vaker en eerder op de agenda van het directieoverleg zetten.",
        "Meer tijd vrijmaken om zelf kennis op te doen over data en AI.",
        "Inwoners eerder betrekken bij het ontwerpen van digitale diensten.",
        "Vaker ervaringen ophalen bij buurgemeenten in plaats van alles zelf uit te vinden.",
    ],
    "open_aandacht": [
        "Algoritmen en AI, en hoe we daar verantwoord mee omgaan.",
        "Datagedreven werken in het sociaal domein.",
        "Digitale inclusie: niet iedereen kan mee.",
        "Common Ground en de samenwerking met leveranciers.",
    ],
}


@dataclass
class SeedReport:
    logins: list[DemoLogin] = field(default_factory=list)
    created_organisations: list[str] = field(default_factory=list)
    respondent_links: list[tuple[str, str]] = field(default_factory=list)


def _user(email: str, *, superuser: bool = False, full_name: str = "") -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        if superuser:
            user = User.objects.create_superuser(email, DEMO_PASSWORD, full_name=full_name)
        else:
            user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name)
    return user


def _clamp(value: float) -> int:
    return max(1, min(5, round(value)))


def _synthetic_answers(
    rng: random.Random, version: InstrumentVersion, org: DemoOrganisation, kind: GroupKind
) -> dict[str, int | None]:
    definition = version.parsed
    person = rng.gauss(0, 0.45)
    answers: dict[str, int | None] = {}
    for pillar in definition.pillars:
        level = org.level[pillar.code] + (org.self_bias[pillar.code] if kind is GroupKind.DIRECTIE else 0.0)
        if kind is GroupKind.INFORMATIEVOORZIENING:
            level -= 0.25  # those closest to the subject tend to be the most critical
        for dimension in pillar.dimensions:
            dimension_shift = rng.gauss(0, 0.15)
            for item in dimension.items:
                roll = rng.random()
                if roll < 0.02:
                    continue  # skipped
                if roll < (0.12 if kind is GroupKind.MEDEWERKERS else 0.05):
                    answers[item.code] = None  # don't know
                    continue
                value = _clamp(level + person + dimension_shift + rng.gauss(0, 0.7))
                answers[item.code] = 6 - value if item.reverse else value
    if kind is GroupKind.DIRECTIE:
        answers["ref_verandering"] = _clamp(rng.gauss(4.2, 0.7))
        answers["ref_vaardigheden"] = _clamp(rng.gauss(3.2, 1.0))
    return answers


def _group_sizes(org: DemoOrganisation) -> Iterator[tuple[GroupKind, int, int]]:
    for kind, invited in org.invited.items():
        yield kind, invited, max(1, round(invited * org.response_rate))


def _seed_closed_scan(
    org: DemoOrganisation, organisation: Organisation, version: InstrumentVersion, creator: User
) -> None:
    rng = random.Random(org.seed)
    today = timezone.localdate()
    scan = scan_create(
        organisation=organisation,
        created_by=creator,
        instrument_version=version,
        title="Digitaal leiderschap 2026",
        opens_on=today - datetime.timedelta(days=60),
        closes_on=today - datetime.timedelta(days=30),
        thresholds={kind: kind.default_threshold for kind in org.invited},
    )
    groups = {group.kind: group for group in scan.groups.all()}
    for kind, invited, answering in _group_sizes(org):
        group = groups[kind.value]
        invitations = Invitation.objects.bulk_create(
            Invitation(
                scan=scan, group=group, email=f"{kind.value}{number:03d}@{org.slug}.example", sent_at=timezone.now()
            )
            for number in range(1, invited + 1)
        )
        for invitation in invitations[:answering]:
            answers = _synthetic_answers(rng, version, org, kind)
            open_answers = {code: rng.choice(texts) for code, texts in OPEN_ANSWERS.items() if rng.random() < 0.4}
            draft_save(invitation=invitation, answers=answers, cleared=set(), open_answers=open_answers, page=1)
            response_submit(invitation=invitation)
    # Spread the submission dates over the scan period, as a real scan would have them.
    for response in Response.objects.filter(scan=scan):
        response.submitted_on = scan.opens_on + datetime.timedelta(days=rng.randrange(0, 30))
        response.save(update_fields=["submitted_on"])


def _seed_open_scan(organisation: Organisation, version: InstrumentVersion, creator: User) -> Scan:
    today = timezone.localdate()
    scan = scan_create(
        organisation=organisation,
        created_by=creator,
        instrument_version=version,
        title="Digitaal leiderschap 2027 (lopend)",
        opens_on=today,
        closes_on=today + datetime.timedelta(days=365),
        thresholds={kind: kind.default_threshold for kind in GroupKind},
    )
    groups = {group.kind: group for group in scan.groups.all()}
    Invitation.objects.bulk_create(
        [
            Invitation(
                scan=scan, group=groups[GroupKind.DIRECTIE], email="directeur@dijkstad.example", sent_at=timezone.now()
            ),
            Invitation(
                scan=scan,
                group=groups[GroupKind.MEDEWERKERS],
                email="medewerker@dijkstad.example",
                sent_at=timezone.now(),
            ),
        ]
    )
    return scan


def _fresh_link(scan: Scan, kind: GroupKind, base_url: str) -> str:
    """A new link for an unanswered demo invitee of this group (a new invitee once all have answered)."""
    group = RespondentGroup.objects.get(scan=scan, kind=kind)
    invitation = Invitation.objects.filter(scan=scan, group=group, submitted=False).order_by("pk").first()
    if invitation is None:
        number = Invitation.objects.filter(scan=scan).count() + 1
        invitation = Invitation.objects.create(
            scan=scan, group=group, email=f"respondent{number}@dijkstad.example", sent_at=timezone.now()
        )
    token, token_hash = new_token()
    AccessToken.objects.create(invitation=invitation, token_hash=token_hash)
    return answer_url(token, base_url)


@transaction.atomic
def seed_demo(*, base_url: str) -> SeedReport:
    report = SeedReport()
    definition, text = read_instrument_file(DEFAULT_INSTRUMENT)
    version = instrument_version_load(
        definition=definition, source_text=text, source_name=DEFAULT_INSTRUMENT.name
    ).version

    _user("admin@roer.example", superuser=True, full_name="Platformbeheer")
    consultant = _user("adviseur@roer.example", full_name="Anne Adviseur")
    report.logins.append(DemoLogin("admin@roer.example", "platform administrator (Django admin)"))
    report.logins.append(DemoLogin("adviseur@roer.example", "consultant: scan manager of all three municipalities"))

    for org in ORGANISATIONS:
        organisation = Organisation.objects.filter(name=org.name).first()
        manager = _user(f"beheerder@{org.slug}.example", full_name=f"Beheerder {org.name.split()[-1]}")
        report.logins.append(DemoLogin(manager.email, f"scan manager of {org.name}"))
        if organisation is None:
            organisation = Organisation(name=org.name, kind=OrganisationKind.GEMEENTE, inhabitants=org.inhabitants)
            organisation.full_clean()
            organisation.save()
            Membership.objects.create(user=manager, organisation=organisation, role=Role.BEHEERDER)
            Membership.objects.create(user=consultant, organisation=organisation, role=Role.BEHEERDER)
            _seed_closed_scan(org, organisation, version, manager)
            report.created_organisations.append(org.name)

    dijkstad = Organisation.objects.get(name=ORGANISATIONS[0].name)
    reader = _user("lezer@dijkstad.example", full_name="Lezer Dijkstad")
    Membership.objects.get_or_create(user=reader, organisation=dijkstad, defaults={"role": Role.LEZER})
    report.logins.append(DemoLogin(reader.email, "reader of Gemeente Dijkstad (results only)"))

    open_scan = dijkstad.scans.filter(title="Digitaal leiderschap 2027 (lopend)").first()
    if open_scan is None:
        open_scan = _seed_open_scan(dijkstad, version, _user("beheerder@dijkstad.example"))
    report.respondent_links.append(("directie", _fresh_link(open_scan, GroupKind.DIRECTIE, base_url)))
    report.respondent_links.append(("medewerkers", _fresh_link(open_scan, GroupKind.MEDEWERKERS, base_url)))
    return report
