"""Benchmark: the learning pages and the action plan as a logged-in member sees them, as the data grows.

Three pages, each requested in-process through the whole stack (middleware, view, template) as a
logged-in member, warm (one request first, then the median of REPEAT requests), with the queries one
request makes (they should not grow with the data) and the ratio to the smallest size:
- the case library searched for two Dutch words (`?q=wijkteams jeugdzorg`, every word a prefix in FTS5 on
  SQLite) at 100, 1,000, 10,000 and 50,000 published cases of 250 organisations; the cases are written
  with bulk_create (through the FTS5 triggers of migration 0002), their texts drawn from Dutch phrases
  so that each reads differently, and `search_document` set by `roer.learning.services.search_document`
  as a saved case has it. The cases grow in one library, so each size is measured when it is reached;
- an organisation's learning page (its peers for three focus dimensions) with peer groups of 100, 1,000
  and 5,000 organisations in the stored benchmark scores (`PeerGroupScores`, both its size class and its
  kind, entries sorted as `refresh_benchmarks` stores them); one in twenty organisations offers to share
  its experience on the focus dimensions with a contact person who agreed. The scores of one group are
  rewritten for each size, so each size is measured in turn;
- the action plan board of an organisation with 10, 100 and 1,000 actions, spread over its three
  closed scans (the baselines; the latest measures the others), each action with none to three progress
  notes; one organisation per size, measured in rounds over all sizes at the end, as bench.residents does.
"""

from __future__ import annotations

import datetime
import functools
import os
import random
import time

from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.common import answered_scan, median, prepare_database, publish, timed
from bench.scaling import _queries_of
from roer.accounts.models import User
from roer.instruments.models import InstrumentVersion
from roer.learning.models import Case, CaseStatus, SharingOffer
from roer.learning.selectors import peers_for, published_cases
from roer.learning.services import search_document
from roer.organisations.models import Membership, Organisation, OrganisationKind, Role
from roer.organisations.size_classes import size_class_for
from roer.plans.models import Action, ActionStatus, FocusDimension, InvestmentKind, ProgressNote
from roer.results.models import PeerGroupScores
from roer.scans.models import Scan

# BENCH_LEARNING_CASES="100,1000" (and _PEERS, _ACTIONS) for a quick try; `make bench` runs these sizes.
CASES = tuple(int(size) for size in os.environ.get("BENCH_LEARNING_CASES", "100,1000,10000,50000").split(","))
PEERS = tuple(int(size) for size in os.environ.get("BENCH_LEARNING_PEERS", "100,1000,5000").split(","))
ACTIONS = tuple(int(size) for size in os.environ.get("BENCH_LEARNING_ACTIONS", "10,100,1000").split(","))
QUERY = "wijkteams jeugdzorg"
CASE_ORGANISATIONS = 250
OFFERING = 20  # one in OFFERING peer organisations offers to share on the focus dimensions
INHABITANTS = 42_000
SCAN_RESPONDENTS = 100
BATCH = 2_000
REPEAT = 7

# --- the case library ------------------------------------------------------------------------------------

PLACES = ["Dijk", "Veen", "Berg", "Hoven", "Broek", "Wijk", "Horst", "Meer", "Dam", "Zande", "Loo", "Rode"]
PREFIXES = ["Noord", "Zuid", "Oost", "West", "Groot", "Klein", "Nieuw", "Oud", "Hoog", "Laag"]
SUBJECTS = [
    "Datagedreven werken",
    "Een datateam met de buurgemeenten",
    "Een algoritmeregister",
    "Leertijd voor iedereen",
    "Een koersdag over de digitale transformatie",
    "Informatiebeveiliging als teamsport",
    "Dashboards voor de wijkteams",
    "Samen inkopen van software",
    "Een digitale agenda voor het college",
    "Ketensamenwerking met de zorgaanbieders",
    "Privacy by design in projecten",
    "Een innovatielab voor medewerkers",
    "Open data over de openbare ruimte",
    "Procesautomatisering in de backoffice",
    "Een datastrategie in honderd dagen",
]
DOMAINS = [
    "in het sociaal domein",
    "voor de jeugdzorg",
    "bij vergunningen",
    "in de openbare ruimte",
    "voor het klantcontactcentrum",
    "bij belastingen",
    "in de bedrijfsvoering",
    "voor de directie",
    "met de omgevingswet",
    "in het waterbeheer",
]
DID = [
    "We zijn gestart met een klein datateam van drie mensen.",
    "De directie volgde vier bijeenkomsten over algoritmen en risico's.",
    "Samen met twee buurgemeenten hebben we een gezamenlijke datawerkplaats ingericht.",
    "Elke medewerker kreeg een uur per week om digitale vaardigheden te leren.",
    "We bouwden dashboards voor de wijkteams en bespraken die elke maand.",
    "Een externe partner begeleidde de eerste drie maanden.",
    "De informatiemanager interviewde medewerkers over hun dagelijkse werk.",
    "We schreven een datastrategie met doelen voor drie jaar.",
    "Het college stelde een budget beschikbaar voor experimenten.",
    "Medewerkers uit de uitvoering werkten mee in elk project.",
    "We richtten een algoritmeregister in en publiceerden het op de website.",
    "De gemeente werkte samen met de rekenkamer aan een toets op risico's.",
    "We kozen voor open standaarden bij de aanbesteding.",
    "Twee teams probeerden een halfjaar lang een nieuwe werkwijze uit.",
    "Het datateam maakte een overzicht van alle bronnen en hun eigenaren.",
]
BROUGHT = [
    "Besluiten worden onderbouwd met cijfers; de wachttijd daalde met een derde.",
    "De directie bespreekt risico's nu elk kwartaal.",
    "Na een jaar gebruikt zestig procent van de medewerkers het leerplatform.",
    "De kosten bleven binnen de begroting van veertigduizend euro.",
    "Inwoners krijgen sneller antwoord op hun vragen.",
    "We hebben minder dubbele registraties en minder fouten.",
    "De samenwerking met de buurgemeenten is versterkt.",
    "Medewerkers voelen zich meer betrokken bij de digitale koers.",
    "Het ziekteverzuim veranderde niet, de tevredenheid wel.",
    "Er is een gedeelde digitale agenda met drie doelen.",
    "We leerden vooral wat niet werkte, en dat was ook waardevol.",
    "De wijkteams plannen hun inzet nu op basis van actuele gegevens.",
]
NAMES = ["Noor", "Sem", "Fleur", "Daan", "Lotte", "Milan", "Sanne", "Bram", "Iris", "Thijs", "Eva", "Ruben"]


def _case_organisations(rng: random.Random) -> list[Organisation]:
    """CASE_ORGANISATIONS municipalities with Dutch-sounding names (Noordveen, Oudbroek 2, ...)."""
    places = [f"{prefix}{place.lower()}" for prefix in PREFIXES for place in PLACES]
    rng.shuffle(places)
    names = [
        places[number % len(places)] + (f" {number // len(places) + 1}" if number >= len(places) else "")
        for number in range(CASE_ORGANISATIONS)
    ]
    return Organisation.objects.bulk_create(
        Organisation(name=f"Gemeente {name}", kind=OrganisationKind.GEMEENTE, inhabitants=rng.randrange(5_000, 300_000))
        for name in names
    )


@transaction.atomic
def _add_cases(organisations: list[Organisation], codes: list[str], first: int, last: int, rng: random.Random) -> None:
    """Published cases first..last-1, their search text as `case_save` writes it."""
    now = timezone.now()
    for start in range(first, last, BATCH):
        rows = []
        for number in range(start, min(start + BATCH, last)):
            name = rng.choice(NAMES)
            case = Case(
                organisation=rng.choice(organisations),
                title=f"{rng.choice(SUBJECTS)} {rng.choice(DOMAINS)}",
                what_they_did=" ".join(rng.sample(DID, rng.randint(2, 5))),
                what_it_brought=" ".join(rng.sample(BROUGHT, rng.randint(1, 3))),
                dimension_codes=sorted(rng.sample(codes, rng.randint(1, 3)), key=codes.index),
                investment=rng.choice(InvestmentKind.values),
                contact_name=f"{name} Informatie",
                contact_email=f"{name.lower()}.{number}@example.org",
                status=CaseStatus.PUBLISHED,
                submitted_at=now - datetime.timedelta(minutes=number + 60),
                published_at=now - datetime.timedelta(minutes=number),
            )
            case.search_document = search_document(case)
            rows.append(case)
        Case.objects.bulk_create(rows, batch_size=BATCH)


def _case_library(version: InstrumentVersion, user: User, client: Client, rng: random.Random) -> list[tuple[str, str]]:
    codes = [dimension.code for _pillar, dimension in version.parsed.dimensions()]
    organisations = _case_organisations(rng)
    url = f"{reverse('learning:cases')}?q={QUERY.replace(' ', '+')}"
    rows, figures = [], []
    written = 0
    for size in CASES:
        started = time.perf_counter()
        _add_cases(organisations, codes, written, size, rng)
        built = time.perf_counter() - started
        written = size
        assert Case.objects.filter(status=CaseStatus.PUBLISHED).count() == size
        found = published_cases(text=QUERY).count()
        timed(lambda: client.get(url), 1)
        page = median(timed(lambda: client.get(url), REPEAT))
        queries = _queries_of(client, url)
        figures.append((size, page, queries))
        rows.append(
            (
                f"case library search, {size:,} cases, median of {REPEAT}",
                f"{page:.1f} ms, {queries} queries, {page / figures[0][1]:.2f}x the page at {CASES[0]:,}"
                f" ({found:,} found; cases added in {built:.1f} s)",
            )
        )
    return [*rows, _constant("case library search", figures)]


# --- the learning page ----------------------------------------------------------------------------------


def _focus_codes(version: InstrumentVersion) -> list[str]:
    return [dimension.code for _pillar, dimension in version.parsed.dimensions()][:3]


@transaction.atomic
def _peer_organisations(count: int, codes: list[str], rng: random.Random) -> list[Organisation]:
    """`count` municipalities of the viewer's size class in the benchmark; one in OFFERING offers to
    share on each focus dimension, its information manager the contact person, who agreed."""
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Gemeente Collega {number:05d}",
            kind=OrganisationKind.GEMEENTE,
            inhabitants=rng.randrange(35_000, 50_000),
            benchmark_opt_in=True,
        )
        for number in range(count)
    )
    offering = organisations[::OFFERING]
    contacts = User.objects.bulk_create(
        User(email=f"informatiemanager@collega-{number}.example", full_name=f"{rng.choice(NAMES)} Collega {number}")
        for number in range(len(offering))
    )
    Membership.objects.bulk_create(
        Membership(user=user, organisation=organisation, role=Role.BEHEERDER)
        for user, organisation in zip(contacts, offering, strict=True)
    )
    now = timezone.now()
    SharingOffer.objects.bulk_create(
        SharingOffer(
            organisation=organisation,
            dimension_code=code,
            contact=user,
            note="Bel gerust, we delen graag wat we leerden.",
            offered_by=user,
            consented_at=now,
        )
        for user, organisation in zip(contacts, offering, strict=True)
        for code in codes
    )
    return organisations


def _store_scores(
    version: InstrumentVersion, viewer: Organisation, peers: list[Organisation], codes: list[str], rng: random.Random
) -> None:
    """Both peer groups of the viewer (its size class and its kind) as `refresh_benchmarks` stores them:
    sorted by score, ties by organisation id."""
    groups = [f"size:{size_class_for(INHABITANTS).number}", f"kind:{OrganisationKind.GEMEENTE}"]
    for code in codes:
        scores = [[viewer.pk, 50.0]] + [[peer.pk, round(rng.uniform(20, 90), 1)] for peer in peers]
        entries = sorted(scores, key=lambda entry: (entry[1], entry[0]))
        for group in groups:
            PeerGroupScores.objects.update_or_create(
                instrument_version=version, peer_group=group, code=code, defaults={"entries": entries}
            )


def _learning_page(version: InstrumentVersion, user: User, client: Client, rng: random.Random) -> list[tuple[str, str]]:
    codes = _focus_codes(version)
    viewer = Organisation.objects.create(
        name="Gemeente Bench Leren", kind=OrganisationKind.GEMEENTE, inhabitants=INHABITANTS, benchmark_opt_in=True
    )
    Membership.objects.create(user=user, organisation=viewer, role=Role.BEHEERDER)
    scan = answered_scan(viewer, version, SCAN_RESPONDENTS, rng)
    publish(scan)
    FocusDimension.objects.bulk_create(
        FocusDimension(scan=scan, dimension_code=code, position=position) for position, code in enumerate(codes)
    )
    # Reciprocity: the viewer shares on a dimension itself, with its own member as the contact who agreed.
    SharingOffer.objects.create(
        organisation=viewer, dimension_code=codes[0], contact=user, offered_by=user, consented_at=timezone.now()
    )
    started = time.perf_counter()
    peers = _peer_organisations(max(PEERS), codes, rng)
    built = time.perf_counter() - started
    url = reverse("learning:organisation", args=[viewer.code])
    rows, figures = [], []
    for size in PEERS:
        _store_scores(version, viewer, peers[:size], codes, rng)
        named = sum(len(row.peers) for row in peers_for(viewer).focus)
        assert named, "the viewer sees peers"
        timed(lambda: client.get(url), 1)
        page = median(timed(lambda: client.get(url), REPEAT))
        queries = _queries_of(client, url)
        figures.append((size, page, queries))
        rows.append(
            (
                f"learning page, peer groups of {size:,}, median of {REPEAT}",
                f"{page:.1f} ms, {queries} queries, {page / figures[0][1]:.2f}x the page at {PEERS[0]:,}"
                f" ({size // OFFERING:,} offering, {named} peers named)",
            )
        )
    rows.append(_constant("learning page", figures))
    rows.append(("learning page: peer organisations written", f"{max(PEERS):,} in {built:.1f} s"))
    return rows


# --- the action plan board ------------------------------------------------------------------------------

ACTION_TITLES = [
    "Datateam opzetten",
    "Training algoritmen voor de directie",
    "Leerplatform voor medewerkers",
    "Algoritmeregister publiceren",
    "Koersdag met het college",
    "Informatiebeveiliging in elk team",
    "Samenwerking met de buurgemeenten",
    "Dashboards voor de wijkteams",
]
NOTES = [
    "Eerste bijeenkomst gehouden, goede opkomst.",
    "Budget aangevraagd bij het college.",
    "Vertraagd door de zomervakantie.",
    "Twee teams doen mee, de derde volgt.",
    "Evaluatie met de directie gepland.",
]


def _scans(organisation: Organisation, version: InstrumentVersion, rng: random.Random) -> list[Scan]:
    """Three closed scans with published figures, half a year apart; the latest has a focus."""
    today = timezone.localdate()
    scans = []
    for number in range(3):
        scan = answered_scan(organisation, version, SCAN_RESPONDENTS, rng)
        publish(scan)
        closes_on = today - datetime.timedelta(days=10 + 180 * (2 - number))
        Scan.objects.filter(pk=scan.pk).update(
            title=f"Scan {closes_on.year} ({number + 1})",
            opens_on=closes_on - datetime.timedelta(days=20),
            closes_on=closes_on,
        )
        scan.refresh_from_db()
        scans.append(scan)
    FocusDimension.objects.bulk_create(
        FocusDimension(scan=scans[-1], dimension_code=code, position=position)
        for position, code in enumerate(_focus_codes(version))
    )
    return scans


@transaction.atomic
def _actions(organisation: Organisation, scans: list[Scan], owners: list[User], count: int, rng: random.Random) -> int:
    """`count` actions over the three scans, on every dimension, with none to three progress notes each;
    returns the number of notes."""
    definition = scans[0].instrument_version.parsed
    codes = [dimension.code for _pillar, dimension in definition.dimensions()]
    today = timezone.localdate()
    statuses = [ActionStatus.PLANNED] * 3 + [ActionStatus.IN_PROGRESS] * 4 + [ActionStatus.DONE] * 2
    statuses.append(ActionStatus.STOPPED)
    actions = Action.objects.bulk_create(
        (
            Action(
                organisation=organisation,
                baseline_scan=scans[number % 3],
                instrument_code=definition.code,
                dimension_code=rng.choice(codes),
                investment=rng.choice(InvestmentKind.values),
                title=f"{rng.choice(ACTION_TITLES)} ({number + 1})",
                description="Wat we willen bereiken en met wie.",
                owner=rng.choice(owners),
                due_on=today + datetime.timedelta(days=rng.randint(-60, 300)),
                status=rng.choice(statuses),
                budget_euros=rng.choice([None, 5_000, 12_000, 40_000]),
                created_by=owners[0],
            )
            for number in range(count)
        ),
        batch_size=BATCH,
    )
    notes = [
        ProgressNote(
            action=action,
            written_on=today - datetime.timedelta(days=rng.randint(1, 300)),
            text=rng.choice(NOTES),
            author=action.owner,
        )
        for action in actions
        for _ in range(rng.randint(0, 3))
    ]
    ProgressNote.objects.bulk_create(notes, batch_size=BATCH)
    return len(notes)


def _board(version: InstrumentVersion, user: User, client: Client, rng: random.Random) -> list[tuple[str, str]]:
    pages: list[tuple[int, str, int]] = []
    for size in ACTIONS:
        organisation = Organisation.objects.create(
            name=f"Gemeente Plan {size}", kind=OrganisationKind.GEMEENTE, inhabitants=INHABITANTS
        )
        Membership.objects.create(user=user, organisation=organisation, role=Role.BEHEERDER)
        owners = [user]
        for number in range(4):
            owner = User.objects.create_user(f"eigenaar{number}@plan-{size}.example", None)
            Membership.objects.create(user=owner, organisation=organisation, role=Role.LEZER)
            owners.append(owner)
        scans = _scans(organisation, version, rng)
        notes = _actions(organisation, scans, owners, size, rng)
        url = reverse("plans:board", args=[organisation.code])
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        cards = response.content.decode().count('class="board__card"')
        assert cards == size, (cards, size)
        pages.append((size, url, notes))
    warm: dict[str, list[float]] = {url: [] for _size, url, _notes in pages}
    for _round in range(REPEAT):
        for url in warm:
            warm[url] += timed(functools.partial(client.get, url), 1)
    rows, figures = [], []
    for size, url, notes in pages:
        page = median(warm[url])
        queries = _queries_of(client, url)
        figures.append((size, page, queries))
        rows.append(
            (
                f"action plan board, {size:,} actions, median of {REPEAT}",
                f"{page:.1f} ms, {queries} queries, {page / figures[0][1]:.2f}x the board at {ACTIONS[0]:,}"
                f" (3 baseline scans, {notes:,} progress notes)",
            )
        )
    return [*rows, _constant("action plan board", figures)]


# --- together -------------------------------------------------------------------------------------------


def _constant(page: str, figures: list[tuple[int, float, int]]) -> tuple[str, str]:
    counts = [queries for _size, _ms, queries in figures]
    verdict = "constant" if len(set(counts)) == 1 else "NOT constant: " + ", ".join(map(str, counts))
    return (f"{page}: queries per request", verdict)


def run() -> list[tuple[str, str]]:
    version = prepare_database()
    rng = random.Random(17)
    user = User.objects.create_user("bench@roer.example", "bench-password-1")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    rows: list[tuple[str, str]] = []
    for name, section in (("case library", _case_library), ("learning page", _learning_page), ("board", _board)):
        started = time.perf_counter()
        rows += section(version, user, client, rng)
        rows.append((f"{name}: set up and measured in", f"{time.perf_counter() - started:.0f} s"))
    return rows


if __name__ == "__main__":
    for name, value in run():
        print(f"{name:<52} {value}", flush=True)
