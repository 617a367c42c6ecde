"""Synthetic demo data: three municipalities with closed scans, a benchmark pool, a closed residents'
survey beside Dijkstad's latest scan, and an open scan; and a healthcare organisation whose scans use the
second instrument, for healthcare (its own groups, wording and reference questions), published for it alone.

Answers are drawn from seeded random generators, so every run of `make demo` on any machine produces the
same figures. The three showcase municipalities answer through the same services as real respondents
(draft, submit, scoring). Running the seed again changes nothing that exists already.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from roer.accounts.models import User
from roer.demo.cases import seed_learning
from roer.demo.plan import seed_action_plan
from roer.demo.pool import seed_benchmark_pool
from roer.demo.resident_answers import perceived_answers
from roer.demo.residents import seed_resident_survey
from roer.demo.synthetic import Profile, synthetic_answers, synthetic_open_answers
from roer.instruments.loader import DEFAULT_INSTRUMENT, INSTRUMENT_DIR, read_instrument_file
from roer.instruments.models import InstrumentVersion
from roer.instruments.services import instrument_version_load, instrument_version_publish
from roer.lib.tokens import new_token
from roer.lifecycle.benchmarks import refresh_benchmarks
from roer.lifecycle.mailing import answer_url
from roer.lifecycle.reviewing import open_answers_publish_unflagged
from roer.lifecycle.scan_life import figures_publish, scans_follow_clock
from roer.organisations.models import Membership, Organisation, OrganisationKind, Role
from roer.responses.models import Response
from roer.responses.services import draft_merge, response_store
from roer.scans.models import AccessToken, Invitation, RespondentGroup, Scan, ScanState, default_threshold
from roer.scans.services import scan_create

DEMO_PASSWORD = "roer-demo-2026"  # noqa: S105 - the published password of the demo accounts
OPEN_SCAN_TITLE = "Digitaal leiderschap 2027 (lopend)"
EARLIER_SCAN_TITLE = "Digitaal leiderschap 2025"  # a year before: the demo's progress and re-measured plan
RESIDENTS_SCAN_TITLE = "Digitaal leiderschap 2026"  # Dijkstad's scan with a residents' survey beside it
HEALTHCARE_INSTRUMENT = INSTRUMENT_DIR / "digitaal-leiderschap-zorg-v1.yaml"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    description: str


@dataclass(frozen=True)
class Showcase:
    name: str
    slug: str
    inhabitants: int | None
    seed: int
    invited: dict[str, int]  # group code of the instrument: how many were invited
    response_rate: float
    profile: Profile
    benchmark: bool
    # An earlier scan, a year before, with this much lower level: the demo's progress.
    earlier_level_drop: float | None = None
    kind: OrganisationKind = OrganisationKind.GEMEENTE
    healthcare: bool = False  # answers the healthcare instrument instead of the municipal one


SHOWCASES = (
    Showcase(
        name="Gemeente Dijkstad",
        slug="dijkstad",
        inhabitants=162_400,
        seed=11,
        invited={
            "directie": 5,
            "management": 16,
            "informatievoorziening": 10,
            "medewerkers": 120,
        },
        response_rate=0.72,
        profile=Profile(
            level={"verdiepen": 3.1, "mensen": 3.6, "adoptie": 2.8},
            self_bias={"verdiepen": 0.8, "mensen": 0.1, "adoptie": 0.4},
        ),
        benchmark=True,
        earlier_level_drop=0.35,
    ),
    Showcase(
        name="Gemeente Veenhoven",
        slug="veenhoven",
        inhabitants=46_500,
        seed=23,
        invited={
            "directie": 4,
            "management": 9,
            "informatievoorziening": 6,
            "medewerkers": 45,
        },
        response_rate=0.68,
        profile=Profile(
            level={"verdiepen": 3.4, "mensen": 3.0, "adoptie": 3.3},
            self_bias={"verdiepen": 0.3, "mensen": -0.6, "adoptie": 0.2},
        ),
        benchmark=True,
    ),
    Showcase(
        name="Gemeente Kleinwaard",
        slug="kleinwaard",
        inhabitants=8_900,
        seed=37,
        invited={
            "directie": 3,
            "management": 4,
            "informatievoorziening": 3,
            "medewerkers": 22,
        },
        response_rate=0.8,
        profile=Profile(
            level={"verdiepen": 2.7, "mensen": 3.8, "adoptie": 3.5},
            self_bias={"verdiepen": 0.5, "mensen": 0.0, "adoptie": -0.2},
        ),
        benchmark=False,
    ),
    Showcase(
        name="Zorggroep Lindehof",
        slug="lindehof",
        inhabitants=None,
        seed=53,
        invited={"raad_van_bestuur": 5, "leidinggevenden": 14, "informatievoorziening_ict": 8, "zorgprofessionals": 90},
        response_rate=0.7,
        profile=Profile(
            level={"verdiepen": 2.9, "mensen": 3.2, "adoptie": 2.6},
            self_bias={"verdiepen": 0.9, "mensen": 0.1, "adoptie": 0.5},
        ),
        benchmark=False,
        kind=OrganisationKind.ZORG,
        healthcare=True,
    ),
)


@dataclass
class SeedReport:
    logins: list[DemoLogin] = field(default_factory=list)
    created_organisations: list[str] = field(default_factory=list)
    pool_size: int = 0
    respondent_links: list[tuple[str, str]] = field(default_factory=list)
    resident_survey: str = ""  # the organisation given a residents' survey by this run


def _user(email: str, *, superuser: bool = False, full_name: str = "") -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(email, DEMO_PASSWORD, full_name=full_name)
    return user


def _default_threshold(version: InstrumentVersion, code: str) -> int:
    group = version.parsed.group(code)
    assert group is not None, code  # noqa: S101 - the demo names its instrument's groups
    return default_threshold(group)


def _answered_scan(
    showcase: Showcase,
    organisation: Organisation,
    version: InstrumentVersion,
    creator: User,
    *,
    title: str,
    closes_on: datetime.date,
    profile: Profile,
    seed: int,
) -> Scan:
    """A scan of the past whose respondents answered through the real draft-and-submit services (below the
    lifecycle's guard, which would refuse answers dated in the past); `_publish_past_scans` closes it."""
    rng = random.Random(seed)
    # A generator of its own for the guesses about residents, so the leadership answers stay as they were.
    perceived_rng = random.Random(seed + 500)
    scan = scan_create(
        organisation=organisation,
        created_by=creator,
        instrument_version=version,
        title=title,
        opens_on=closes_on - datetime.timedelta(days=30),
        closes_on=closes_on,
        thresholds={code: _default_threshold(version, code) for code in showcase.invited},
    )
    groups = {group.kind: group for group in scan.groups.all()}
    definition = version.parsed
    prefix = f"{scan.opens_on.year}-" if title.endswith("2025") else ""
    for kind, invited in showcase.invited.items():
        instrument_group = definition.group(kind)
        assert instrument_group is not None, kind  # noqa: S101 - the showcases name their instrument's groups
        answering = max(1, round(invited * showcase.response_rate))
        invitations = Invitation.objects.bulk_create(
            Invitation(
                scan=scan,
                group=groups[kind],
                email=f"{prefix}{kind}{number:03d}@{showcase.slug}.example",
                sent_at=timezone.now(),
            )
            for number in range(1, invited + 1)
        )
        for invitation in invitations[:answering]:
            answers = synthetic_answers(rng, definition, profile, instrument_group)
            if definition.residents is not None:
                answers.update(perceived_answers(perceived_rng, definition.residents, instrument_group))
            token, _token_hash = new_token()  # the link a respondent of the past answered through
            draft_merge(
                invitation=invitation,
                token=token,
                answers=answers,
                cleared=set(),
                open_answers=synthetic_open_answers(rng, definition),
                page=1,
            )
            response_store(invitation=invitation, token=token)
    # Spread the submission dates over the scan period, as a real scan would have them.
    for response in Response.objects.filter(scan=scan):
        response.submitted_on = scan.opens_on + datetime.timedelta(days=rng.randrange(0, 30))
        response.save(update_fields=["submitted_on"])
    return scan


def _seed_showcase(showcase: Showcase, version: InstrumentVersion, manager: User) -> None:
    today = timezone.localdate()
    organisation = Organisation(
        name=showcase.name,
        kind=showcase.kind,
        inhabitants=showcase.inhabitants,
        benchmark_opt_in=showcase.benchmark,
    )
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(user=manager, organisation=organisation, role=Role.BEHEERDER)
    if showcase.earlier_level_drop is not None:
        drop = showcase.earlier_level_drop
        earlier = Profile(
            {code: level - drop for code, level in showcase.profile.level.items()}, showcase.profile.self_bias
        )
        _answered_scan(
            showcase,
            organisation,
            version,
            manager,
            title=EARLIER_SCAN_TITLE,
            closes_on=today - datetime.timedelta(days=395),
            profile=earlier,
            seed=showcase.seed + 1000,
        )
    _answered_scan(
        showcase,
        organisation,
        version,
        manager,
        title="Digitaal leiderschap 2026",
        closes_on=today - datetime.timedelta(days=30),
        profile=showcase.profile,
        seed=showcase.seed,
    )


def _seed_open_scan(
    organisation: Organisation, version: InstrumentVersion, creator: User, invitees: dict[str, str]
) -> Scan:
    """A scan open for a year with every group of its instrument, and one invitee per group named
    (group code: address), sent already."""
    today = timezone.localdate()
    scan = scan_create(
        organisation=organisation,
        created_by=creator,
        instrument_version=version,
        title=OPEN_SCAN_TITLE,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=365),
        thresholds={group.code: default_threshold(group) for group in version.parsed.respondent_groups()},
    )
    groups = {group.kind: group for group in scan.groups.all()}
    Invitation.objects.bulk_create(
        Invitation(scan=scan, group=groups[code], email=email, sent_at=timezone.now())
        for code, email in invitees.items()
    )
    return scan


def _fresh_link(scan: Scan, kind: str, base_url: str) -> str:
    """A new link for an unanswered demo invitee of this group (a new invitee once all have answered)."""
    group = RespondentGroup.objects.get(scan=scan, kind=kind)
    invitation = Invitation.objects.filter(scan=scan, group=group, submitted=False).order_by("pk").first()
    if invitation is None:
        number = Invitation.objects.filter(scan=scan).count() + 1
        invitation = Invitation.objects.create(
            scan=scan,
            group=group,
            email=f"respondent{number}@{scan.organisation.name.split()[-1].lower()}.example",
            sent_at=timezone.now(),
        )
    token, token_hash = new_token()
    AccessToken.objects.create(invitation=invitation, token_hash=token_hash)
    return answer_url(token, base_url)


def _publish_past_scans() -> None:
    """Close the scans whose dates lie in the past, and compute their figures here and now (the worker
    would do it a moment later), so the demo's results are there at its first page. PDFs are made on
    demand, and only for the municipalities someone logs in to."""
    scans_follow_clock()
    for scan in Scan.objects.filter(state=ScanState.CLOSED).select_related("organisation", "created_by"):
        # As its scan manager would: what screening found nothing in is published, the rest waits for the
        # demo's visitor on the review page. Before the figures, so the PDFs are made with the answers.
        if scan.created_by is not None:
            open_answers_publish_unflagged(scan=scan, user=scan.created_by)
        figures_publish(scan.pk, with_reports=scan.organisation.memberships.exists())


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
    report.logins.append(
        DemoLogin("adviseur@roer.example", "consultant of the three municipalities and Zorggroep Lindehof (portfolio)")
    )

    healthcare = _healthcare_version()
    for showcase in SHOWCASES:
        manager = _user(f"beheerder@{showcase.slug}.example", full_name=f"Beheerder {showcase.name.split()[-1]}")
        report.logins.append(DemoLogin(manager.email, f"scan manager of {showcase.name}"))
        if not Organisation.objects.filter(name=showcase.name).exists():
            _seed_showcase(showcase, healthcare if showcase.healthcare else version, manager)
            report.created_organisations.append(showcase.name)
        organisation = Organisation.objects.get(name=showcase.name)
        Membership.objects.get_or_create(user=consultant, organisation=organisation, defaults={"role": Role.ADVISEUR})
    # The healthcare instrument is for the healthcare organisation alone: a municipality is not offered it.
    lindehof = Organisation.objects.get(name=SHOWCASES[-1].name)
    instrument_version_publish(version=healthcare, organisation_ids=[lindehof.pk])

    dijkstad = Organisation.objects.get(name=SHOWCASES[0].name)
    reader = _user("lezer@dijkstad.example", full_name="Lezer Dijkstad")
    Membership.objects.get_or_create(user=reader, organisation=dijkstad, defaults={"role": Role.LEZER})
    report.logins.append(DemoLogin(reader.email, "reader of Gemeente Dijkstad (results only)"))

    report.pool_size = seed_benchmark_pool(version)
    _publish_past_scans()
    if report.pool_size or report.created_organisations:
        refresh_benchmarks.call(version.pk)
    seed_learning(version, admin=_user("admin@roer.example", superuser=True))

    scan = dijkstad.scans.with_figures().filter(title=RESIDENTS_SCAN_TITLE).first()
    if scan is not None and seed_resident_survey(scan, _user("beheerder@dijkstad.example"), seed=SHOWCASES[0].seed):
        report.resident_survey = dijkstad.name

    earlier = dijkstad.scans.with_figures().filter(title=EARLIER_SCAN_TITLE).first()
    if earlier is not None and scan is not None:
        seed_action_plan(dijkstad, earlier, scan, _user("beheerder@dijkstad.example"), reader)

    # An open scan in Dijkstad and one in Lindehof, each with a fresh link per group named to answer with.
    for organisation, scan_version, invitees in (
        (dijkstad, version, {"directie": "directeur", "medewerkers": "medewerker"}),
        (lindehof, healthcare, {"raad_van_bestuur": "bestuurder", "zorgprofessionals": "verpleegkundige"}),
    ):
        slug = organisation.name.split()[-1].lower()
        open_scan = organisation.scans.filter(title=OPEN_SCAN_TITLE).first()
        if open_scan is None:
            open_scan = _seed_open_scan(
                organisation,
                scan_version,
                _user(f"beheerder@{slug}.example"),
                {code: f"{person}@{slug}.example" for code, person in invitees.items()},
            )
        for code in invitees:
            report.respondent_links.append((code, _fresh_link(open_scan, code, base_url)))
    return report


def _healthcare_version() -> InstrumentVersion:
    definition, text = read_instrument_file(HEALTHCARE_INSTRUMENT)
    return instrument_version_load(
        definition=definition, source_text=text, source_name=HEALTHCARE_INSTRUMENT.name
    ).version
