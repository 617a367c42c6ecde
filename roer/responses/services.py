"""Answering: finding the invitation behind a link, saving a page, submitting once."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from roer.lib.tokens import hash_token, looks_like_token
from roer.responses.models import Answer, DimensionScore, OpenAnswer, Response, ResponseDraft
from roer.results.models import ScanFigures
from roer.scans.models import AccessToken, Invitation, ScanStatus
from roer.scoring import respondent_dimension_scores


class LinkState(StrEnum):
    VALID = "valid"
    UNKNOWN = "unknown"
    SUBMITTED = "submitted"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"


@dataclass(frozen=True)
class LinkLookup:
    state: LinkState
    invitation: Invitation | None = None


def invitation_for_token(token: str) -> LinkLookup:
    if not looks_like_token(token):
        return LinkLookup(LinkState.UNKNOWN)
    access = (
        AccessToken.objects.select_related(
            "invitation__group", "invitation__scan__organisation", "invitation__scan__instrument_version"
        )
        .filter(token_hash=hash_token(token))
        .first()
    )
    if access is None:
        return LinkLookup(LinkState.UNKNOWN)
    invitation = access.invitation
    if invitation.submitted:
        return LinkLookup(LinkState.SUBMITTED, invitation)
    status = invitation.scan.status()
    if status == ScanStatus.PLANNED:
        return LinkLookup(LinkState.NOT_YET_OPEN, invitation)
    if status == ScanStatus.CLOSED:
        return LinkLookup(LinkState.CLOSED, invitation)
    return LinkLookup(LinkState.VALID, invitation)


@transaction.atomic
def draft_save(
    *,
    invitation: Invitation,
    answers: dict[str, int | None],
    cleared: set[str],
    open_answers: dict[str, str],
    page: int,
) -> bool:
    """Merge one page into the draft. Returns False (and saves nothing) when the invitation was submitted
    in the meantime, for instance from a second browser tab."""
    locked = Invitation.objects.select_for_update().filter(pk=invitation.pk, submitted=False).first()
    if locked is None:
        return False
    draft, _created = ResponseDraft.objects.get_or_create(invitation=locked)
    merged = {**draft.answers, **answers}
    for code in cleared:
        merged.pop(code, None)
    merged_open = {**draft.open_answers, **open_answers}
    draft.answers = merged
    draft.open_answers = {code: text for code, text in merged_open.items() if text}
    draft.page = page
    draft.save(update_fields=["answers", "open_answers", "page", "updated_at"])
    return True


def draft_for(invitation: Invitation) -> ResponseDraft:
    return ResponseDraft.objects.filter(invitation=invitation).first() or ResponseDraft(invitation=invitation)


@transaction.atomic
def response_submit(*, invitation: Invitation) -> bool:
    """Turn the draft into an anonymous response. True if this call stored it; a repeated or concurrent
    submit finds the invitation already claimed and stores nothing."""
    claimed = Invitation.objects.filter(pk=invitation.pk, submitted=False).update(submitted=True)
    if not claimed:
        return False
    draft = ResponseDraft.objects.filter(invitation_id=invitation.pk).first()
    answers: dict[str, int | None] = dict(draft.answers) if draft else {}
    open_answers: dict[str, str] = dict(draft.open_answers) if draft else {}
    scan = invitation.scan
    version = scan.instrument_version
    known_scaled = version.parsed.scaled_codes()
    response = Response.objects.create(
        scan=scan,
        group_id=invitation.group_id,
        instrument_version=version,
        submitted_on=timezone.localdate(),
    )
    Answer.objects.bulk_create(
        Answer(response=response, code=code, value=value) for code, value in answers.items() if code in known_scaled
    )
    OpenAnswer.objects.bulk_create(
        OpenAnswer(response=response, code=code, text=text) for code, text in open_answers.items() if text
    )
    scores = respondent_dimension_scores(version.spec, answers)
    DimensionScore.objects.bulk_create(
        DimensionScore(response=response, scan=scan, group_id=invitation.group_id, dimension=code, score=score)
        for code, score in scores.items()
        if score is not None
    )
    if draft is not None:
        draft.delete()
    # A scan that was closed by date and reopened (its closing date moved) must not keep old figures.
    ScanFigures.objects.filter(scan_id=scan.pk).delete()
    return True
