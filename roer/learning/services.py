"""Writes of the learning app: offers to share experience, the contact person's consent, and cases with
their moderation. Each is atomic, locks the row it changes, and is recorded in the audit trail."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from roer.accounts.models import User
from roer.audit.models import AuditAction
from roer.audit.services import audit_record
from roer.learning.dimensions import dimension_names, newest_versions
from roer.learning.models import Case, CaseStatus, SharingOffer
from roer.lib.errors import DomainError
from roer.organisations.models import Membership, Organisation
from roer.plans.models import InvestmentKind


class LearningError(DomainError):
    """An offer or case that cannot change this way; the message says why."""


def _is_member(user: User, organisation: Organisation) -> bool:
    return Membership.objects.filter(user=user, organisation=organisation).exists()


@transaction.atomic
def offer_make(
    *, organisation: Organisation, dimension_code: str, contact: User, note: str, user: User
) -> SharingOffer:
    """Offer to share this organisation's experience on a dimension; it shows to nobody until the
    contact person has agreed (`offer_consent`)."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if dimension_code not in dimension_names(newest_versions(organisation.pk)):
        raise LearningError(_("Choose one of the instrument's dimensions."))
    if not _is_member(contact, organisation):
        raise LearningError(_("The contact person must be a member of this organisation."))
    if SharingOffer.objects.filter(
        organisation=organisation, dimension_code=dimension_code, withdrawn_at__isnull=True
    ).exists():
        raise LearningError(_("This organisation already offers to share its experience on this dimension."))
    offer = SharingOffer(
        organisation=organisation, dimension_code=dimension_code, contact=contact, note=note.strip(), offered_by=user
    )
    offer.full_clean()
    offer.save()
    audit_record(user=user, organisation=organisation, action=AuditAction.SHARING_OFFERED, subject=dimension_code)
    return offer


def _locked(offer: SharingOffer) -> SharingOffer:
    locked = SharingOffer.objects.select_for_update().filter(pk=offer.pk).first()
    if locked is None or locked.withdrawn_at is not None:
        raise LearningError(_("This offer has been withdrawn."))
    return locked


@transaction.atomic
def offer_consent(*, offer: SharingOffer, user: User) -> SharingOffer:
    """The contact person agrees to be named and contacted; nobody can agree for them."""
    offer = _locked(offer)
    if offer.contact_id != user.pk:
        raise LearningError(_("Only the contact person can agree to be contacted."))
    if not _is_member(user, offer.organisation):
        raise LearningError(_("The contact person must be a member of this organisation."))
    if offer.consented_at is None:
        offer.consented_at = timezone.now()
        offer.save(update_fields=["consented_at"])
        audit_record(
            user=user,
            organisation=offer.organisation,
            action=AuditAction.SHARING_CONSENTED,
            subject=offer.dimension_code,
        )
    return offer


@transaction.atomic
def offer_withdraw(*, offer: SharingOffer, user: User) -> SharingOffer:
    offer = _locked(offer)
    offer.withdrawn_at = timezone.now()
    offer.save(update_fields=["withdrawn_at"])
    audit_record(
        user=user, organisation=offer.organisation, action=AuditAction.SHARING_WITHDRAWN, subject=offer.dimension_code
    )
    return offer


def search_document(case: Case) -> str:
    """Title, texts, organisation, and the names of its dimensions and investment in both languages."""
    versions = newest_versions()
    parts = [case.title, case.what_they_did, case.what_it_brought, case.organisation.name]
    for language in ("nl", "en"):
        names = dimension_names(versions, language)
        parts.extend(names.get(code, code) for code in case.dimension_codes)
        with translation.override(language):
            parts.append(str(InvestmentKind(case.investment).label))
    return "\n".join(parts)


@transaction.atomic
def case_save(
    *,
    organisation: Organisation,
    user: User,
    case: Case | None = None,
    title: str,
    what_they_did: str,
    what_it_brought: str,
    dimension_codes: Sequence[str],
    investment: str,
    contact_name: str,
    contact_email: str,
    language: str,
    submit: bool,
) -> Case:
    """Write a case (new, or a draft or sent-back one), and with `submit` send it to the moderator."""
    if case is None:
        case = Case(organisation=organisation, created_by=user)
    else:
        locked = Case.objects.select_for_update().filter(pk=case.pk, organisation=organisation).first()
        if locked is None:
            raise LearningError(_("This case no longer exists."))
        case = locked
        if not case.is_editable:
            raise LearningError(_("A case waiting for moderation or published can no longer be changed."))
    known = dimension_names(newest_versions(organisation.pk))
    if not dimension_codes or any(code not in known for code in dimension_codes):
        raise LearningError(_("Choose one or more of the instrument's dimensions."))
    case.title = title.strip()
    case.what_they_did = what_they_did.strip()
    case.what_it_brought = what_it_brought.strip()
    case.dimension_codes = [code for code in known if code in set(dimension_codes)]
    case.investment = investment
    case.contact_name = contact_name.strip()
    case.contact_email = contact_email.strip()
    case.language = language
    if submit:
        case.status = CaseStatus.SUBMITTED
        case.submitted_at = timezone.now()
    case.search_document = search_document(case)
    try:
        case.full_clean()
    except ValidationError as error:  # the form checks the same; this keeps any other caller's input out too
        raise LearningError(" ".join(error.messages)) from error
    case.save()
    if submit:
        audit_record(user=user, organisation=organisation, action=AuditAction.CASE_SUBMITTED, subject=case.title)
    return case


def _waiting(case: Case) -> Case:
    locked = Case.objects.select_for_update().select_related("organisation").filter(pk=case.pk).first()
    if locked is None or locked.status != CaseStatus.SUBMITTED:
        raise LearningError(_("Only a case waiting for moderation can be published or sent back."))
    return locked


@transaction.atomic
def case_publish(*, case: Case, user: User) -> Case:
    """Publish a submitted case in the library (the platform administrator's decision)."""
    case = _waiting(case)
    case.status = CaseStatus.PUBLISHED
    case.published_at = timezone.now()
    case.moderator_note = ""
    case.save(update_fields=["status", "published_at", "moderator_note", "updated_at"])
    audit_record(user=user, organisation=case.organisation, action=AuditAction.CASE_PUBLISHED, subject=case.title)
    return case


@transaction.atomic
def case_reject(*, case: Case, user: User, note: str) -> Case:
    """Send a submitted case back to its organisation with a note saying what to change."""
    if not note.strip():
        raise LearningError(_("Say what the organisation should change before it can be published."))
    case = _waiting(case)
    case.status = CaseStatus.REJECTED
    case.moderator_note = note.strip()[:2000]
    case.save(update_fields=["status", "moderator_note", "updated_at"])
    audit_record(user=user, organisation=case.organisation, action=AuditAction.CASE_REJECTED, subject=case.title)
    return case
