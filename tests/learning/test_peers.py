"""Peers for the focus: stronger only, at most three, named with a band and never a score, only to an
organisation that shares itself, and never with an offer that is pending, withdrawn or whose peer left
the benchmark. Several tests attack the band: what a viewer could work out from the page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from roer.learning.selectors import Band, Missing, band_for, peers_for
from roer.organisations.models import Membership
from roer.scoring.benchmark import MIN_PEERS_FOR_QUARTILES
from tests.learning.helpers import FOCUS, KIND, SIZE, filler, peer, published_scan_with_focus, sharing, store_scores

pytestmark = pytest.mark.django_db

CODE = FOCUS[0]


@pytest.fixture
def viewer(organisation, instrument_version):  # type: ignore[no-untyped-def]
    organisation.benchmark_opt_in = True
    organisation.save(update_fields=["benchmark_opt_in"])
    published_scan_with_focus(organisation, instrument_version)
    sharing(organisation, FOCUS[1])  # reciprocity: it shares itself
    return organisation


def names(overview, code=CODE):  # type: ignore[no-untyped-def]
    row = next(row for row in overview.focus if row.dimension_code == code)
    return [found.organisation.name for found in row.peers]


def test_a_stronger_peer_that_shares_is_named_with_its_band_and_contact(viewer, instrument_version):
    strong = peer("Gemeente Sterk")
    offer = sharing(strong, CODE, note="Bel gerust")
    store_scores(instrument_version, SIZE, CODE, {viewer: 40, strong: 90, **dict.fromkeys(filler(10), 50)})
    [row, _other] = peers_for(viewer).focus
    [found] = row.peers
    assert found.organisation == strong
    assert found.band is Band.TOP_QUARTER
    assert found.contact_email == offer.contact.email
    assert found.note == "Bel gerust"


def test_weaker_and_equal_organisations_are_not_named(viewer, instrument_version):
    weaker, equal = peer("Gemeente Zwak"), peer("Gemeente Gelijk")
    sharing(weaker, CODE)
    sharing(equal, CODE)
    fill = filler(10)
    store_scores(instrument_version, SIZE, CODE, {viewer: 80, weaker: 30, equal: 80, **dict.fromkeys(fill, 90)})
    assert names(peers_for(viewer)) == []


def test_a_stronger_peer_below_the_median_is_not_named(viewer, instrument_version):
    just_above = peer("Gemeente Net Boven")
    sharing(just_above, CODE)
    store_scores(instrument_version, SIZE, CODE, {viewer: 10, just_above: 20, **dict.fromkeys(filler(11), 70)})
    assert names(peers_for(viewer)) == []


def test_at_most_three_and_not_the_three_highest_scores(viewer, instrument_version):
    # The five score 91..95 in the order of their names (E highest): the three shown are the first by name,
    # so the choice says nothing about who scores highest.
    five = [peer(f"Gemeente {letter}") for letter in "ABCDE"]
    for organisation in five:
        sharing(organisation, CODE)
    scores = {organisation: 91 + number for number, organisation in enumerate(five)}
    store_scores(instrument_version, SIZE, CODE, {viewer: 40, **scores, **dict.fromkeys(filler(20), 50)})
    assert names(peers_for(viewer)) == ["Gemeente A", "Gemeente B", "Gemeente C"]


def test_peers_of_one_band_are_listed_by_name_not_by_score(viewer, instrument_version):
    higher, lower = peer("Gemeente Zuid"), peer("Gemeente Noord")
    sharing(higher, CODE)
    sharing(lower, CODE)
    store_scores(instrument_version, SIZE, CODE, {viewer: 40, higher: 99, lower: 91, **dict.fromkeys(filler(13), 50)})
    assert names(peers_for(viewer)) == ["Gemeente Noord", "Gemeente Zuid"]


def test_a_peer_group_below_the_benchmarks_minimum_names_nobody(viewer, instrument_version):
    strong = peer("Gemeente Sterk")
    sharing(strong, CODE)
    # The viewer, the strong peer and MIN_PEERS_FOR_QUARTILES - 2 others: one organisation too few besides the
    # viewer for quartiles.
    store_scores(
        instrument_version,
        SIZE,
        CODE,
        {viewer: 40, strong: 90, **dict.fromkeys(filler(MIN_PEERS_FOR_QUARTILES - 2), 50)},
    )
    store_scores(
        instrument_version,
        KIND,
        CODE,
        {viewer: 40, strong: 90, **dict.fromkeys(filler(MIN_PEERS_FOR_QUARTILES - 2), 50)},
    )
    assert names(peers_for(viewer)) == []


def test_the_same_size_class_comes_first_then_the_same_kind(viewer, instrument_version):
    near, far = peer("Gemeente Zelfde Maat"), peer("Gemeente Andere Maat", inhabitants=300_000)
    sharing(near, CODE)
    sharing(far, CODE)
    store_scores(instrument_version, SIZE, CODE, {viewer: 40, near: 90, **dict.fromkeys(filler(10), 50)})
    store_scores(
        instrument_version, KIND, CODE, {viewer: 40, near: 90, far: 95, **dict.fromkeys(filler(10, start=10), 50)}
    )
    [row, _other] = peers_for(viewer).focus
    assert [found.organisation.name for found in row.peers] == ["Gemeente Zelfde Maat", "Gemeente Andere Maat"]
    assert [str(found.group_label) for found in row.peers] == [
        "onder gemeenten van dezelfde grootte",  # Dutch, the default
        "onder organisaties van dezelfde soort",
    ]


@pytest.mark.parametrize("state", ["pending", "withdrawn", "left_the_benchmark", "contact_left"])
def test_an_offer_that_is_not_consented_and_current_is_never_shown(viewer, instrument_version, state):
    strong = peer("Gemeente Sterk")
    offer = sharing(strong, CODE, consented=state != "pending")
    if state == "withdrawn":
        offer.withdrawn_at = timezone.now()
        offer.save()
    if state == "left_the_benchmark":  # the nightly rebuild has not run yet: its scores are still stored
        strong.benchmark_opt_in = False
        strong.save()
    if state == "contact_left":
        Membership.objects.filter(user=offer.contact).delete()
    store_scores(instrument_version, SIZE, CODE, {viewer: 40, strong: 90, **dict.fromkeys(filler(10), 50)})
    assert names(peers_for(viewer)) == []


def test_an_offer_on_another_dimension_does_not_count(viewer, instrument_version):
    strong = peer("Gemeente Sterk")
    sharing(strong, FOCUS[1])
    store_scores(instrument_version, SIZE, CODE, {viewer: 40, strong: 90, **dict.fromkeys(filler(10), 50)})
    assert names(peers_for(viewer)) == []


def test_an_organisation_that_shares_nothing_itself_sees_no_peers(organisation, instrument_version):
    organisation.benchmark_opt_in = True
    organisation.save()
    published_scan_with_focus(organisation, instrument_version)
    sharing(organisation, CODE, consented=False)  # its own offer waits for its contact: not yet sharing
    strong = peer("Gemeente Sterk")
    sharing(strong, CODE)
    store_scores(instrument_version, SIZE, CODE, {organisation: 40, strong: 90, **dict.fromkeys(filler(10), 50)})
    assert peers_for(organisation).missing is Missing.NOT_SHARING


def test_an_organisation_outside_the_benchmark_sees_no_peers(organisation, instrument_version):
    published_scan_with_focus(organisation, instrument_version)
    sharing(organisation, CODE)
    assert peers_for(organisation).missing is Missing.NO_BENCHMARK


def test_every_viewer_sees_the_same_band_for_a_peer(viewer, instrument_version, other_organisation):
    """Combining pages: two viewers with different scores learn the same band, nothing finer."""
    other_organisation.benchmark_opt_in = True
    other_organisation.save()
    published_scan_with_focus(other_organisation, instrument_version)
    sharing(other_organisation, FOCUS[1])
    strong = peer("Gemeente Sterk")
    sharing(strong, CODE)
    fill = filler(11)
    store_scores(
        instrument_version, SIZE, CODE, {viewer: 20, other_organisation: 60, strong: 70, **dict.fromkeys(fill, 50)}
    )
    bands = {
        row.peers[0].band
        for overview in (peers_for(viewer), peers_for(other_organisation))
        for row in overview.focus
        if row.peers
    }
    assert bands == {Band.TOP_QUARTER}


def test_the_band_is_a_quarter_of_the_others():
    others = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0]
    assert band_for(95, others) is Band.TOP_QUARTER
    assert band_for(55, others) is Band.SECOND_QUARTER
    assert band_for(45, others) is None  # at the median: not named
    assert band_for(5, others) is None


def test_the_page_shows_the_band_and_never_the_score(viewer, instrument_version, alice_client):
    strong = peer("Gemeente Sterk")
    sharing(strong, CODE)
    store_scores(instrument_version, SIZE, CODE, {viewer: 40, strong: 87.35, **dict.fromkeys(filler(10), 51.25)})
    html = alice_client.get(reverse("learning:organisation", args=[viewer.code])).content.decode()
    main = html[html.index('<main id="main"') : html.index("</main>")]
    text = re.sub(r"<[^>]+>", " ", main)  # what a reader sees, not the codes in links
    assert "Gemeente Sterk" in text
    assert "top quarter" in text or "bovenste kwart" in text
    for score in ("87", "40", "51"):
        assert not re.search(rf"\b{score}\b", text), score


def test_the_disclosure_rule_keeps_an_unpublished_view_out_of_the_peers(viewer, instrument_version):
    """Through the real scores: a peer whose others' view was not published (too few answers for the
    threshold) is not in the benchmark, so it is never named, however strong its directors think it is."""
    from roer.results.benchmarks import peer_scores_rebuild
    from tests.helpers import closed_scan_with

    hidden = peer("Gemeente Verborgen")
    closed_scan_with(hidden, instrument_version, {"directie": [5, 5, 5], "medewerkers": [5, 5]})  # below 5
    sharing(hidden, CODE)
    shown = peer("Gemeente Zichtbaar")
    closed_scan_with(shown, instrument_version, {"directie": [5, 5, 5], "medewerkers": [5] * 5})
    sharing(shown, CODE)
    for number, organisation in enumerate(filler(10)):
        closed_scan_with(organisation, instrument_version, {"medewerkers": [2 + number % 2] * 5})
    peer_scores_rebuild(instrument_version)
    assert names(peers_for(viewer)) == ["Gemeente Zichtbaar"]


# --- Offers that no longer count ----------------------------------------------------------------------------


@pytest.fixture
def sharing_viewer(organisation, instrument_version):  # type: ignore[no-untyped-def]
    organisation.benchmark_opt_in = True
    organisation.save(update_fields=["benchmark_opt_in"])
    published_scan_with_focus(organisation, instrument_version)
    return organisation


def _strong_peer(viewer, instrument_version):  # type: ignore[no-untyped-def]
    strong = peer("Gemeente Sterk")
    sharing(strong, CODE, note="Bel gerust")
    scores = {viewer: 40, strong: 90, **dict.fromkeys(filler(MIN_PEERS_FOR_QUARTILES), 50)}
    store_scores(instrument_version, SIZE, CODE, scores)
    return strong


@pytest.mark.parametrize("how", ["left the organisation", "deactivated"])
def test_an_organisation_whose_own_contact_is_gone_shares_nothing_and_sees_no_peers(
    sharing_viewer, instrument_version, how
):
    """Its offer shows to nobody once the contact is gone, so it no longer counts for reciprocity either."""
    _strong_peer(sharing_viewer, instrument_version)
    own = sharing(sharing_viewer, FOCUS[1])
    assert peers_for(sharing_viewer).missing is None
    if how == "deactivated":
        own.contact.is_active = False
        own.contact.save(update_fields=["is_active"])
    else:
        Membership.objects.filter(user=own.contact, organisation=sharing_viewer).delete()
    assert peers_for(sharing_viewer).missing is Missing.NOT_SHARING


def test_a_deactivated_contact_of_a_peer_is_not_named(sharing_viewer, instrument_version):
    from roer.learning.models import SharingOffer

    sharing(sharing_viewer, FOCUS[1])
    strong = _strong_peer(sharing_viewer, instrument_version)
    assert [p.organisation for row in peers_for(sharing_viewer).focus for p in row.peers] == [strong]
    contact = SharingOffer.objects.get(organisation=strong).contact
    contact.is_active = False
    contact.save(update_fields=["is_active"])
    assert [p.contact_email for row in peers_for(sharing_viewer).focus for p in row.peers] == []


@given(st.lists(st.integers(min_value=0, max_value=20).map(lambda n: n * 5.0), min_size=2, max_size=40), st.data())
def test_the_binary_search_rank_is_the_benchmarks_own_rank(scores, data):
    """The page ranks each peer by a binary search in the sorted group; it must equal the benchmark's
    `percentile_rank` among the others (ties included), or a band could differ from the benchmark's."""
    from roer.learning.selectors import _rank_among_the_others
    from roer.scoring.benchmark import percentile_rank

    index = data.draw(st.integers(min_value=0, max_value=len(scores) - 1))
    others = scores[:index] + scores[index + 1 :]
    assert _rank_among_the_others(scores[index], sorted(scores)) == pytest.approx(
        percentile_rank(scores[index], others)
    )
