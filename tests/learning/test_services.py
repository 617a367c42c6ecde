"""Offers, the contact person's consent and withdrawal, and cases with their moderation, each audited."""

from __future__ import annotations

import pytest

from roer.audit.models import AuditAction, AuditEvent
from roer.learning.models import CaseStatus, SharingOffer
from roer.learning.services import (
    LearningError,
    case_publish,
    case_reject,
    case_save,
    offer_consent,
    offer_make,
    offer_withdraw,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def actions(organisation):  # type: ignore[no-untyped-def]
    return list(AuditEvent.objects.filter(organisation=organisation).order_by("pk").values_list("action", flat=True))


def test_an_offer_waits_for_its_contact_person(organisation, alice, bob, instrument_version):
    offer = offer_make(organisation=organisation, dimension_code="koers", contact=bob, note=" Bel me ", user=alice)
    assert offer.consented_at is None
    assert offer.note == "Bel me"
    with pytest.raises(LearningError):
        offer_consent(offer=offer, user=alice)  # nobody agrees for the contact person
    offer_consent(offer=offer, user=bob)
    offer.refresh_from_db()
    assert offer.is_consented
    assert actions(organisation) == [AuditAction.SHARING_OFFERED, AuditAction.SHARING_CONSENTED]


def test_the_contact_must_be_a_member(organisation, alice, charlie, instrument_version):
    with pytest.raises(LearningError):
        offer_make(organisation=organisation, dimension_code="koers", contact=charlie, note="", user=alice)
    with pytest.raises(LearningError):
        offer_make(organisation=organisation, dimension_code="koers", contact=UserFactory(), note="", user=alice)


def test_an_unknown_dimension_is_refused(organisation, alice, instrument_version):
    with pytest.raises(LearningError):
        offer_make(organisation=organisation, dimension_code="nonsense", contact=alice, note="", user=alice)


def test_one_active_offer_per_dimension_and_a_new_one_after_withdrawing(organisation, alice, instrument_version):
    offer = offer_make(organisation=organisation, dimension_code="koers", contact=alice, note="", user=alice)
    with pytest.raises(LearningError):
        offer_make(organisation=organisation, dimension_code="koers", contact=alice, note="", user=alice)
    offer_withdraw(offer=offer, user=alice)
    with pytest.raises(LearningError):
        offer_consent(offer=offer, user=alice)  # a withdrawn offer cannot be agreed to
    offer_make(organisation=organisation, dimension_code="koers", contact=alice, note="", user=alice)
    assert SharingOffer.objects.filter(organisation=organisation).count() == 2
    assert AuditAction.SHARING_WITHDRAWN in actions(organisation)


def write(organisation, user, **changes):  # type: ignore[no-untyped-def]
    fields = {
        "title": "Een datateam",
        "what_they_did": "We begonnen klein.",
        "what_it_brought": "Betere besluiten.",
        "dimension_codes": ["risicos", "ontwikkelingen"],
        "investment": "medewerkers",
        "contact_name": "Alice",
        "contact_email": "alice@alfa.example",
        "language": "nl",
        "submit": False,
        **changes,
    }
    return case_save(organisation=organisation, user=user, **fields)


def test_a_case_goes_from_draft_to_submitted_to_published(organisation, alice, instrument_version):
    case = write(organisation, alice)
    assert case.status == CaseStatus.DRAFT
    assert case.dimension_codes == ["ontwikkelingen", "risicos"]  # in the order of the instrument
    assert "Gemeente Alfa" in case.search_document
    assert "datateam" in case.search_document
    case = write(organisation, alice, case=case, submit=True)
    assert case.status == CaseStatus.SUBMITTED
    with pytest.raises(LearningError):
        write(organisation, alice, case=case)  # waiting for moderation: no more changes
    admin = UserFactory(is_superuser=True, is_staff=True)
    case_publish(case=case, user=admin)
    case.refresh_from_db()
    assert case.status == CaseStatus.PUBLISHED
    assert case.published_at is not None
    assert actions(organisation) == [AuditAction.CASE_SUBMITTED, AuditAction.CASE_PUBLISHED]


def test_a_case_sent_back_needs_a_note_and_can_be_changed_again(organisation, alice, instrument_version):
    case = write(organisation, alice, submit=True)
    admin = UserFactory(is_superuser=True)
    with pytest.raises(LearningError):
        case_reject(case=case, user=admin, note="  ")
    case_reject(case=case, user=admin, note="Noem de kosten.")
    case.refresh_from_db()
    assert case.status == CaseStatus.REJECTED
    assert case.moderator_note == "Noem de kosten."
    write(organisation, alice, case=case, submit=True)
    with pytest.raises(LearningError):
        case_publish(case=write(organisation, alice), user=admin)  # a draft is not moderated


def test_a_case_needs_a_known_dimension(organisation, alice, instrument_version):
    with pytest.raises(LearningError):
        write(organisation, alice, dimension_codes=["nonsense"])
    with pytest.raises(LearningError):
        write(organisation, alice, dimension_codes=[])
