"""Answering: finding the invitation behind a link, merging a page into the draft, storing a response.

The writes here assume their caller holds the scan (see `roer.lifecycle.answering`, the only caller),
so they never decide whether the scan still takes answers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from roer.instruments.models import InstrumentVersion
from roer.lib.fastget import Part, Select, column, table
from roer.lib.tokens import hash_token, looks_like_token
from roer.organisations.models import Organisation
from roer.responses.models import Answer, DimensionScore, OpenAnswer, Response, ResponseDraft
from roer.scans.models import AccessToken, Invitation, RespondentGroup, Scan, ScanState
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
    invitation = _invitation_behind(hash_token(token))
    if invitation is None:
        return LinkLookup(LinkState.UNKNOWN)
    if invitation.submitted:
        return LinkLookup(LinkState.SUBMITTED, invitation)
    return LinkLookup(link_state_of(invitation.scan.state_on(timezone.localdate())), invitation)


def link_state_of(state: ScanState) -> LinkState:
    if state is ScanState.PLANNED:
        return LinkState.NOT_YET_OPEN
    if state is ScanState.OPEN:
        return LinkState.VALID
    return LinkState.CLOSED


_VERSIONS: dict[int, InstrumentVersion] = {}
_LINK_SELECT: Select | None = None


def _link_select() -> Select:
    """token -> invitation, its scan, the scan's organisation, its group, and the draft if there is one."""
    global _LINK_SELECT
    if _LINK_SELECT is None:
        invitation, scan, organisation, group, draft = (
            Part(Invitation, "i", ["scan", "group", "language", "submitted"]),
            Part(
                Scan, "s", ["organisation", "instrument_version", "title", "opens_on", "closes_on", "state", "revision"]
            ),
            Part(Organisation, "o", ["code", "name"]),
            Part(RespondentGroup, "g", ["scan", "kind", "threshold"]),
            Part(ResponseDraft, "d", ["invitation", "answers", "open_answers", "page"]),
        )

        def join(model: type[Model], alias: str, on: str, kind: str = "JOIN") -> str:
            key = column(model, alias, "id" if kind == "JOIN" else "invitation")
            return f" {kind} {table(model, alias)} ON {key} = {on}"

        joins = (
            f"FROM {table(AccessToken, 't')}"
            + join(Invitation, "i", column(AccessToken, "t", "invitation"))
            + join(Scan, "s", column(Invitation, "i", "scan"))
            + join(Organisation, "o", column(Scan, "s", "organisation"))
            + join(RespondentGroup, "g", column(Invitation, "i", "group"))
            + join(ResponseDraft, "d", column(Invitation, "i", "id"), kind="LEFT JOIN")
        )
        where = f"{column(AccessToken, 't', 'token_hash')} = %s"
        _LINK_SELECT = Select([invitation, scan, organisation, group, draft], joins, where)
    return _LINK_SELECT


def _invitation_behind(token_hash: str) -> Invitation | None:
    """The invitation with its scan, organisation, group and draft, in one query: every questionnaire
    request passes here (see roer.lib.fastget). The scan is read fresh, so closing it stops its links at
    once; instrument versions are immutable and cannot be deleted, so they are kept per process."""
    found = _link_select().one(token_hash)
    if found is None:
        return None
    invitation, scan, organisation, group, draft = found
    if not isinstance(invitation, Invitation) or not isinstance(scan, Scan):  # pragma: no cover - inner joins
        return None
    scan.organisation = organisation  # type: ignore[assignment]
    version = _VERSIONS.get(scan.instrument_version_id)
    if version is None:
        version = InstrumentVersion.objects.defer("definition", "source_text").get(pk=scan.instrument_version_id)
        _VERSIONS[scan.instrument_version_id] = version
    scan.instrument_version = version
    invitation.scan = scan
    invitation.group = group  # type: ignore[assignment]
    invitation._draft = draft  # type: ignore[attr-defined]  # read by draft_for, saving it a query
    return invitation


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:  # pragma: no cover - a programming error
        raise RuntimeError("answers are written inside roer.lifecycle.answering's transaction")


def draft_merge(
    *,
    invitation: Invitation,
    answers: dict[str, int | None],
    cleared: set[str],
    open_answers: dict[str, str],
    page: int,
) -> bool:
    """Merge one page into the draft. Returns False (and saves nothing) when the invitation was submitted
    in the meantime, for instance from a second browser tab."""
    _require_transaction()
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
    if hasattr(invitation, "_draft"):
        return invitation._draft or ResponseDraft(invitation=invitation)
    return ResponseDraft.objects.filter(invitation=invitation).first() or ResponseDraft(invitation=invitation)


def response_store(*, invitation: Invitation) -> bool:
    """Turn the draft into an anonymous response. True if this call stored it; a repeated or concurrent
    submit finds the invitation already claimed and stores nothing."""
    _require_transaction()
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
    return True
