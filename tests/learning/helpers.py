"""Objects the learning tests share: a viewer with a published scan and a focus, peer organisations with
consented offers, and benchmark scores written as the nightly rebuild stores them."""

from __future__ import annotations

import itertools

from django.utils import timezone

from roer.learning.models import Case, CaseStatus, SharingOffer
from roer.learning.services import search_document
from roer.organisations.models import Organisation, Role
from roer.plans.models import FocusDimension
from roer.results.models import PeerGroupScores
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers import closed_scan_with

FOCUS = ("ontwikkelingen", "risicos")
SIZE = "size:4"  # the CBS size class of OrganisationFactory's 42,000 inhabitants
KIND = "kind:gemeente"


def published_scan_with_focus(organisation, version, codes=FOCUS):  # type: ignore[no-untyped-def]
    scan = closed_scan_with(organisation, version, {"directie": [4, 4, 4], "medewerkers": [3] * 5})
    for position, code in enumerate(codes):
        FocusDimension.objects.create(scan=scan, dimension_code=code, position=position)
    return scan


def sharing(organisation, code, *, consented=True, contact=None, note=""):  # type: ignore[no-untyped-def]
    """An active offer of the organisation on the dimension, its contact a member who agreed (or not)."""
    if contact is None:
        contact = MembershipFactory(organisation=organisation, role=Role.LEZER).user
    return SharingOffer.objects.create(
        organisation=organisation,
        dimension_code=code,
        contact=contact,
        note=note,
        consented_at=timezone.now() if consented else None,
    )


def peer(name, inhabitants=42_000, *, benchmark=True):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name=name, inhabitants=inhabitants, benchmark_opt_in=benchmark)


def store_scores(version, group, code, scores):  # type: ignore[no-untyped-def]
    """The peer group's entries as `peer_scores_rebuild` writes them: sorted by score, ties by id."""
    entries = sorted(([org.pk, float(score)] for org, score in scores.items()), key=lambda entry: (entry[1], entry[0]))
    PeerGroupScores.objects.update_or_create(
        instrument_version=version, peer_group=group, code=code, defaults={"entries": entries}
    )


_numbers = itertools.count(1)


def filler(count, start=0, inhabitants=42_000):  # type: ignore[no-untyped-def]
    """Organisations in the benchmark that share nothing: they fill a peer group."""
    return [peer(f"Gemeente Vulling {next(_numbers)}", inhabitants) for _ in range(count)]


def case_of(organisation: Organisation, *, status=CaseStatus.PUBLISHED, **fields):  # type: ignore[no-untyped-def]
    values = {
        "title": "Datagedreven werken in het sociaal domein",
        "what_they_did": "We zijn gestart met een datateam en hebben dashboards gebouwd voor de gemeenten.",
        "what_it_brought": "Snellere besluiten en minder wachttijd.",
        "dimension_codes": ["ontwikkelingen"],
        "investment": "kennis",
        "contact_name": "Iris Informatie",
        "contact_email": "iris@example.org",
        **fields,
    }
    case = Case(organisation=organisation, status=status, **values)
    if status == CaseStatus.PUBLISHED:
        case.published_at = timezone.now()
    case.search_document = search_document(case)
    case.save()
    return case


def contact_user(organisation, email):  # type: ignore[no-untyped-def]
    return MembershipFactory(user=UserFactory(email=email), organisation=organisation, role=Role.LEZER).user
