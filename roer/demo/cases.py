"""Demo data for learning from others: offers to share experience with consenting contact persons among
the benchmark pool, so that Dijkstad's information manager finds peers for whatever focus its
directors choose, and a few clearly fictional cases in the case library.

The pool organisations that offer are the strongest of Dijkstad's size class and of its kind on each
dimension (read from the stored benchmark scores once they are built); each gets a fictional
information manager as a member and contact person. Running it again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import slugify

from roer.accounts.models import User
from roer.instruments.models import InstrumentVersion
from roer.learning.models import Case, SharingOffer
from roer.learning.services import case_publish, case_save, offer_consent, offer_make
from roer.organisations.models import Membership, Organisation, Role
from roer.results.benchmarks import peer_groups_of
from roer.results.models import PeerGroupScores

FICTIONAL = "(Fictief voorbeeld voor de demo.)"
OFFERS_PER_GROUP = 2
FIRST_NAMES = ["Noor", "Sem", "Fleur", "Daan", "Lotte", "Milan", "Sanne", "Bram", "Iris", "Thijs", "Eva", "Ruben"]


@dataclass(frozen=True)
class DemoCase:
    title: str
    what_they_did: str
    what_it_brought: str
    dimension_codes: tuple[str, ...]
    investment: str
    published: bool = True


CASES = (
    DemoCase(
        "Directie leert samen over algoritmen",
        "Vier bijeenkomsten van twee uur voor de directie over algoritmen in de eigen dienstverlening, met "
        "voorbeelden uit het sociaal domein en een gastspreker van de rekenkamer. " + FICTIONAL,
        "De directie stelde zelf een algoritmeregister in en bespreekt risico's nu elk kwartaal. Kosten: "
        "ongeveer 12.000 euro voor begeleiding.",
        ("risicos", "ontwikkelingen"),
        "kennis",
    ),
    DemoCase(
        "Een datateam met de buurgemeenten",
        "Drie gemeenten delen een datateam van vier mensen dat dashboards bouwt voor de wijkteams en de "
        "directies. " + FICTIONAL,
        "Besluiten over jeugdzorg worden onderbouwd met cijfers; de wachttijd daalde met een derde.",
        ("verzamelen",),
        "medewerkers",
    ),
    DemoCase(
        "Koersdag digitale transformatie met het college",
        "Een dag met college en directie over de digitale koers, voorbereid door de informatiemanager met "
        "interviews onder medewerkers. " + FICTIONAL,
        "Een gedeelde digitale agenda met drie doelen die elk halfjaar terugkomen in de directievergadering.",
        ("koers",),
        "relaties",
    ),
    DemoCase(
        "Leertijd voor iedereen: een uur per week",
        "Elke medewerker krijgt een uur per week om digitale vaardigheden te leren, met een eigen leerplatform. "
        + FICTIONAL,
        "Na een jaar gebruikt zestig procent van de medewerkers het platform; het ziekteverzuim veranderde niet.",
        ("expertise", "kennis"),
        "kennis",
        published=False,  # waits for the demo's platform administrator in the moderation queue
    ),
)


def _contact(organisation: Organisation, number: int) -> User:
    email = f"informatiemanager@{slugify(organisation.name)}.example"
    user = User.objects.filter(email=email).first()
    if user is None:
        name = f"{FIRST_NAMES[number % len(FIRST_NAMES)]} van {organisation.name.split()[-1]}"
        user = User.objects.create_user(email, None, full_name=name)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": Role.LEZER})
    return user


def _offer(organisation: Organisation, code: str, contact: User, note: str) -> None:
    if SharingOffer.objects.filter(organisation=organisation, dimension_code=code, withdrawn_at__isnull=True).exists():
        return
    offer = offer_make(organisation=organisation, dimension_code=code, contact=contact, note=note, user=contact)
    offer_consent(offer=offer, user=contact)


def _strongest(version: InstrumentVersion, dijkstad: Organisation) -> dict[int, set[str]]:
    """Per pool organisation, the dimensions on which it is among the strongest above Dijkstad."""
    codes = {dimension.code for _pillar, dimension in version.parsed.dimensions()}
    showcases = set(
        Membership.objects.exclude(user__email__startswith="informatiemanager@").values_list(
            "organisation_id", flat=True
        )
    )
    chosen: dict[int, set[str]] = {}
    for entry in PeerGroupScores.objects.filter(
        instrument_version=version, peer_group__in=peer_groups_of(dijkstad)[1:], code__in=codes
    ):
        scores = {int(org): float(score) for org, score in entry.entries}
        own = scores.get(dijkstad.pk)
        if own is None:
            continue
        stronger = sorted(
            (org for org, score in scores.items() if score > own and org not in showcases),
            key=lambda org: -scores[org],
        )
        for org in stronger[:OFFERS_PER_GROUP]:
            chosen.setdefault(org, set()).add(entry.code)
    return chosen


def seed_learning(version: InstrumentVersion, *, admin: User) -> int:
    """Offers and cases for the demo; returns how many cases it wrote (0 when they exist already)."""
    dijkstad = Organisation.objects.filter(name="Gemeente Dijkstad").first()
    if dijkstad is None or Case.objects.filter(title=CASES[0].title).exists():
        return 0
    manager = User.objects.get(email="beheerder@dijkstad.example")
    # Dijkstad shares itself (so it sees peers), on the pillar its staff rate highest.
    for code in ("verzamelen", "vertrouwen"):
        _offer(dijkstad, code, manager, "Wij vertellen graag hoe wij mensen aantrekken en vertrouwen geven.")
    writers = []
    for number, (organisation_id, codes) in enumerate(sorted(_strongest(version, dijkstad).items())):
        organisation = Organisation.objects.get(pk=organisation_id)
        contact = _contact(organisation, number)
        for code in sorted(codes):
            _offer(organisation, code, contact, "Bel of mail gerust; wij delen onze aanpak en onze fouten.")
        writers.append((organisation, contact))
    veenhoven = Organisation.objects.filter(name="Gemeente Veenhoven").first()
    if veenhoven is not None:
        writers.append((veenhoven, User.objects.get(email="beheerder@veenhoven.example")))
    written = 0
    for number, demo in enumerate(CASES):
        if not writers:
            break
        organisation, contact = writers[number % len(writers)]
        case = case_save(
            organisation=organisation,
            user=contact,
            title=demo.title,
            what_they_did=demo.what_they_did,
            what_it_brought=demo.what_it_brought,
            dimension_codes=list(demo.dimension_codes),
            investment=demo.investment,
            contact_name=contact.full_name or contact.email,
            contact_email=contact.email,
            language="nl",
            submit=True,
        )
        if demo.published:
            case_publish(case=case, user=admin)
        written += 1
    return written
