"""Reads of the learning app: the access funnel for offers and cases, the case library, and the peers
an organisation can call about its focus dimensions.

Peers. For each focus dimension of the organisation's latest scan with published figures, up to three
organisations that (1) offer to share their experience on that dimension with a contact person who
agreed, (2) take part in the benchmark and are stronger on the dimension in the benchmark's stored
scores, and (3) are of the same CBS size class, or failing that the same kind. A peer is named with a
band only ("in the top quarter", "in the second quarter"), computed among all other organisations of
the peer group, the viewer included, so every viewer sees the same band for the same peer; never a
score or a rank. A peer group with fewer than MIN_PEERS_FOR_QUARTILES organisations besides the viewer
names nobody.
Peers of one band are listed by name, and the three shown are the first by band, then by name, so
that neither the order nor the choice tells who scores highest.

Reciprocity: only an organisation that shares on at least one dimension itself (an active offer whose
contact agreed), and takes part in the benchmark, sees peers.
"""

from __future__ import annotations

import uuid
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from roer.learning.dimensions import dimension_names
from roer.learning.models import Case, CaseStatus, SharingOffer
from roer.learning.search import search_cases
from roer.organisations.access import check_access, is_platform_admin
from roer.organisations.models import MANAGING_ROLES, Membership, Organisation, OrganisationKind
from roer.organisations.size_classes import size_class_for
from roer.plans.models import FocusDimension
from roer.results.models import PeerGroupScores
from roer.scans.models import Scan
from roer.scoring.benchmark import MIN_PEERS_FOR_QUARTILES, percentile_rank

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from roer.accounts.models import User

MAX_PEERS = 3


# --- access ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferAccess:
    offer: SharingOffer
    role: str
    is_contact: bool


def get_offer_for_user(user: User | AnonymousUser, offer_id: int) -> OfferAccess:
    """An active offer, for a member of its organisation (outsiders get 404)."""
    offer = (
        SharingOffer.objects.select_related("organisation", "contact")
        .filter(pk=offer_id, withdrawn_at__isnull=True)
        .first()
    )
    if offer is None:
        raise Http404
    role = check_access(user, offer.organisation, manage=False)
    return OfferAccess(offer, role, offer.contact_id == user.pk)


@dataclass(frozen=True)
class CaseAccess:
    case: Case
    can_manage: bool  # a scan manager of the case's organisation (or the platform administrator)


def get_case_for_user(user: User | AnonymousUser, code: uuid.UUID, *, manage: bool = False) -> CaseAccess:
    """A published case for every logged-in user; any other case only for members of its organisation
    and the platform administrator; with manage=True only for its scan managers."""
    case = Case.objects.select_related("organisation").filter(code=code).first()
    if case is None:
        raise Http404
    if not manage and case.status == CaseStatus.PUBLISHED and user.is_authenticated and user.is_active:
        return CaseAccess(case, _manages(user, case.organisation))
    role = check_access(user, case.organisation, manage=manage)
    return CaseAccess(case, role in MANAGING_ROLES)


def _manages(user: User | AnonymousUser, organisation: Organisation) -> bool:
    if is_platform_admin(user):
        return True
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, organisation=organisation, role__in=MANAGING_ROLES).exists()


def check_moderator(user: User | AnonymousUser) -> None:
    if not is_platform_admin(user):
        raise PermissionDenied


# --- offers ---------------------------------------------------------------------------------------------


def offers_of(organisation: Organisation) -> list[SharingOffer]:
    return list(
        SharingOffer.objects.filter(organisation=organisation, withdrawn_at__isnull=True)
        .select_related("contact")
        .order_by("dimension_code")
    )


def live_offers() -> QuerySet[SharingOffer]:
    """Offers that count: not withdrawn, agreed by their contact, who is still an active member of the
    organisation. An offer whose contact left or was deactivated shows to nobody and counts for nothing."""
    still_member = Membership.objects.filter(user=OuterRef("contact_id"), organisation=OuterRef("organisation_id"))
    return SharingOffer.objects.filter(
        withdrawn_at__isnull=True, consented_at__isnull=False, contact__is_active=True
    ).filter(Exists(still_member))


def shares_itself(organisation: Organisation) -> bool:
    """Reciprocity: the organisation shares on at least one dimension itself, with a live offer."""
    return live_offers().filter(organisation=organisation).exists()


# --- the case library -----------------------------------------------------------------------------------


def published_cases(*, text: str = "", dimension: str = "", investment: str = "") -> QuerySet[Case]:
    cases = Case.objects.filter(status=CaseStatus.PUBLISHED).select_related("organisation")
    if dimension:
        # JSON containment is not on SQLite; a dimension code is a plain word, quoted as JSON stores it.
        cases = cases.filter(dimension_codes__icontains=f'"{dimension}"')
    if investment:
        cases = cases.filter(investment=investment)
    return search_cases(cases, text).order_by("-published_at", "-pk")


def cases_of(organisation: Organisation) -> list[Case]:
    return list(Case.objects.filter(organisation=organisation).order_by("-updated_at"))


def moderation_queue() -> list[Case]:
    return list(
        Case.objects.filter(status=CaseStatus.SUBMITTED).select_related("organisation").order_by("submitted_at")
    )


# --- peers ----------------------------------------------------------------------------------------------


class Band(StrEnum):
    TOP_QUARTER = "top_quarter"
    SECOND_QUARTER = "second_quarter"

    @property
    def label(self) -> str | Promise:
        return BAND_LABELS[self]


BAND_LABELS = {
    Band.TOP_QUARTER: _("in the top quarter"),
    Band.SECOND_QUARTER: _("in the second quarter (above the median)"),
}


def band_for(score: float, others: list[float]) -> Band | None:
    """The quarter a score falls in among the others; None below the median (such a peer is not named)."""
    return _band_of(percentile_rank(score, others))


def _rank_among_the_others(score: float, ordered: list[float]) -> float:
    """`percentile_rank` of a score among the others of a sorted group that holds it once: a binary search
    instead of a pass over the group for every peer (a peer group can hold thousands)."""
    below = bisect_left(ordered, score)
    equal = bisect_right(ordered, score) - below - 1  # without the peer itself
    return 100 * (below + equal / 2) / (len(ordered) - 1)


def _band_of(rank: float | None) -> Band | None:
    if rank is None:
        return None
    if rank >= 75:
        return Band.TOP_QUARTER
    if rank > 50:
        return Band.SECOND_QUARTER
    return None


class Missing(StrEnum):
    NOT_SHARING = "not_sharing"  # reciprocity: the viewer shares nothing itself
    NO_BENCHMARK = "no_benchmark"
    NO_FOCUS = "no_focus"


@dataclass(frozen=True)
class Peer:
    organisation: Organisation
    band: Band
    group_label: str | Promise
    contact_name: str
    contact_email: str
    note: str


@dataclass(frozen=True)
class FocusPeers:
    dimension_code: str
    dimension_name: str
    peers: tuple[Peer, ...]


@dataclass(frozen=True)
class PeerOverview:
    missing: Missing | None
    focus: tuple[FocusPeers, ...] = field(default=())


def _peer_groups(organisation: Organisation) -> list[tuple[str, str | Promise]]:
    """The peer groups to look in, most similar first: the same CBS size class, then the same kind."""
    groups: list[tuple[str, str | Promise]] = []
    if organisation.kind == OrganisationKind.GEMEENTE and organisation.inhabitants:
        number = size_class_for(organisation.inhabitants).number
        groups.append((f"size:{number}", _("among municipalities of the same size")))
    groups.append((f"kind:{organisation.kind}", _("among organisations of the same kind")))
    return groups


def latest_scan_with_figures(organisation: Organisation) -> Scan | None:
    return (
        Scan.objects.with_figures()
        .filter(organisation=organisation)
        .select_related("instrument_version")
        .order_by("-closes_on", "-created_at")
        .first()
    )


def peers_for(organisation: Organisation) -> PeerOverview:
    if not shares_itself(organisation):
        return PeerOverview(Missing.NOT_SHARING)
    if not organisation.benchmark_opt_in:
        return PeerOverview(Missing.NO_BENCHMARK)
    scan = latest_scan_with_figures(organisation)
    focus = list(FocusDimension.objects.filter(scan=scan).order_by("position")) if scan else []
    if scan is None or not focus:
        return PeerOverview(Missing.NO_FOCUS)
    codes = [row.dimension_code for row in focus]
    groups = _peer_groups(organisation)
    stored: dict[tuple[str, str], list[list[float]]] = {
        (group, code): entries
        for group, code, entries in PeerGroupScores.objects.filter(
            instrument_version_id=scan.instrument_version_id,
            peer_group__in=[key for key, _label in groups],
            code__in=codes,
        ).values_list("peer_group", "code", "entries")
    }
    candidates = {int(org) for entries in stored.values() for org, _score in entries} - {organisation.pk}
    offers = _consented_offers(candidates, codes)
    names = dimension_names([scan.instrument_version])
    rows = []
    for code in codes:
        chosen: dict[int, Peer] = {}
        for key, label in groups:
            for peer in _stronger_peers(organisation.pk, stored.get((key, code), []), offers, code, label):
                if len(chosen) < MAX_PEERS:
                    chosen.setdefault(peer.organisation.pk, peer)
        rows.append(FocusPeers(code, names.get(code, code), tuple(chosen.values())))
    return PeerOverview(None, tuple(rows))


def _consented_offers(organisation_ids: set[int], codes: list[str]) -> dict[tuple[int, str], SharingOffer]:
    """Live offers (see `live_offers`) of organisations still in the benchmark."""
    offers = (
        live_offers()
        .filter(organisation_id__in=organisation_ids, dimension_code__in=codes, organisation__benchmark_opt_in=True)
        .select_related("organisation", "contact")
    )
    return {(offer.organisation_id, offer.dimension_code): offer for offer in offers}


def _stronger_peers(
    itself: int,
    entries: list[list[float]],
    offers: dict[tuple[int, str], SharingOffer],
    code: str,
    label: str | Promise,
) -> list[Peer]:
    scores = {int(org): float(score) for org, score in entries}
    own = scores.get(itself)
    # Bands need as many others as the benchmark's own quartiles: in a smaller group a quarter is one or two
    # organisations, and two peers "in the top quarter" would be the two highest.
    if own is None or len(scores) - 1 < MIN_PEERS_FOR_QUARTILES:
        return []
    ordered = sorted(scores.values())
    found = []
    for org, score in scores.items():
        offer = offers.get((org, code))
        if offer is None or org == itself or score <= own:
            continue
        band = _band_of(_rank_among_the_others(score, ordered))
        if band is None:
            continue
        contact = offer.contact
        found.append(
            Peer(offer.organisation, band, label, contact.full_name or contact.email, contact.email, offer.note)
        )
    order = list(Band)
    return sorted(found, key=lambda peer: (order.index(peer.band), peer.organisation.name))
