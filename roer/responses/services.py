"""Answering: finding the invitation behind a link, merging a page into the draft, storing a response.

The writes here assume their caller holds the scan (see `roer.lifecycle.answering`, the only caller),
so they never decide whether the scan still takes answers.

A draft is sealed with the link it was saved through (roer.lib.sealing): every call that reads or writes
one takes that link's token, which the server does not keep. Each e-mail brings a fresh link, and a
draft sealed by an earlier one cannot be opened with a later one: the questionnaire then says so, and the
respondent continues with the earlier e-mail or starts again here (the first save replaces the old draft).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from roer.instruments.models import InstrumentVersion
from roer.lib.fastget import Part, Select, column, table
from roer.lib.sealing import seal, unseal
from roer.lib.tokens import hash_token, looks_like_token
from roer.organisations.models import Organisation
from roer.responses.models import OpenAnswer, Response, ResponseDraft
from roer.scans.models import AccessToken, Invitation, RespondentGroup, Scan, ScanState
from roer.scoring.packed import pack


class LinkState(StrEnum):
    VALID = "valid"
    UNKNOWN = "unknown"
    SUBMITTED = "submitted"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


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
    if state is ScanState.CANCELLED:
        return LinkState.CANCELLED
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
            Part(Organisation, "o", ["code", "name", "primary_colour", "logo_updated_at"]),
            Part(RespondentGroup, "g", ["scan", "kind", "perspective", "threshold"]),
            Part(ResponseDraft, "d", ["invitation", "sealed", "sealed_by", "unsealed"]),
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
    invitation._draft = draft  # type: ignore[attr-defined]  # read by draft_open, saving it a query
    return invitation


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:  # pragma: no cover - a programming error
        raise RuntimeError("answers are written inside roer.lifecycle.answering's transaction")


@dataclass
class Draft:
    """What a respondent saved so far, opened with their link."""

    answers: dict[str, int | None] = field(default_factory=dict)
    open_answers: dict[str, str] = field(default_factory=dict)
    page: int = 1
    # A draft exists but another of the invitee's links sealed it: its answers cannot be shown here.
    elsewhere: bool = False


def _context(invitation_id: int) -> str:
    return f"roer draft of invitation {invitation_id}"


def _stored_draft(invitation: Invitation) -> ResponseDraft | None:
    if hasattr(invitation, "_draft"):
        found: ResponseDraft | None = invitation._draft
        return found
    return ResponseDraft.objects.filter(invitation_id=invitation.pk).first()


def _opened(row: ResponseDraft | None, invitation_id: int, token: str) -> Draft:
    if row is None:
        return Draft()
    if row.unsealed is not None:  # saved before drafts were sealed: sealed by the next save
        return Draft(row.unsealed["answers"], row.unsealed["open_answers"], row.unsealed["page"])
    if row.sealed_by != hash_token(token):
        return Draft(elsewhere=True)
    data = unseal(token, _context(invitation_id), bytes(row.sealed))
    if data is None:  # pragma: no cover - tampered with in the database: nothing readable is there
        return Draft(elsewhere=True)
    content = json.loads(data)
    return Draft(content["answers"], content["open_answers"], content["page"])


def draft_open(invitation: Invitation, token: str) -> Draft:
    return _opened(_stored_draft(invitation), invitation.pk, token)


_MERGE_SELECT: Select | None = None


def _merge_select() -> Select:
    """The invitation if it is not submitted, with its draft if it has one, in one prepared query (every
    save passes here, inside the database's write lock on SQLite); on PostgreSQL the invitation's row is
    locked, so a second tab's save or submit waits for this one."""
    global _MERGE_SELECT
    if _MERGE_SELECT is None:
        invitation, draft = (
            Part(Invitation, "i", ["submitted"]),
            Part(ResponseDraft, "d", ["invitation", "sealed", "sealed_by", "unsealed"]),
        )
        joins = (
            f"FROM {table(Invitation, 'i')} LEFT JOIN {table(ResponseDraft, 'd')}"
            f" ON {column(ResponseDraft, 'd', 'invitation')} = {column(Invitation, 'i', 'id')}"
        )
        where = f"{column(Invitation, 'i', 'id')} = %s AND NOT {column(Invitation, 'i', 'submitted')}"
        suffix = " FOR UPDATE OF i" if connection.vendor == "postgresql" else ""
        _MERGE_SELECT = Select([invitation, draft], joins, where, suffix)
    return _MERGE_SELECT


def draft_merge(
    *,
    invitation: Invitation,
    token: str,
    answers: dict[str, int | None],
    cleared: set[str],
    open_answers: dict[str, str],
    page: int,
) -> bool:
    """Merge one page into the draft and seal it with this link. Returns False (and saves nothing) when
    the invitation was submitted in the meantime, for instance from a second browser tab."""
    _require_transaction()
    found = _merge_select().one(invitation.pk)
    if found is None:
        return False
    row = found[1] if isinstance(found[1], ResponseDraft) else None
    draft = _opened(row, invitation.pk, token)  # a draft another link sealed is replaced, as the page said
    merged = {**draft.answers, **answers}
    for code in cleared:
        merged.pop(code, None)
    merged_open = {**draft.open_answers, **open_answers}
    content = {
        "answers": merged,
        "open_answers": {code: text for code, text in merged_open.items() if text},
        "page": page,
    }
    sealed = seal(token, _context(invitation.pk), json.dumps(content, separators=(",", ":")).encode())
    if row is None:
        ResponseDraft.objects.create(invitation_id=invitation.pk, sealed=sealed, sealed_by=hash_token(token))
    else:
        ResponseDraft.objects.filter(pk=row.pk).update(sealed=sealed, sealed_by=hash_token(token), unsealed=None)
    return True


def response_store(*, invitation: Invitation, token: str) -> bool:
    """Turn the draft sealed by this link into an anonymous response. True if this call stored it; a
    repeated or concurrent submit finds the invitation already claimed and stores nothing."""
    _require_transaction()
    claimed = Invitation.objects.filter(pk=invitation.pk, submitted=False).update(submitted=True)
    if not claimed:
        return False
    row = ResponseDraft.objects.filter(invitation_id=invitation.pk).first()
    draft = _opened(row, invitation.pk, token)
    answers, open_answers = draft.answers, draft.open_answers
    scan = invitation.scan
    version = scan.instrument_version
    codes = version.parsed.answer_codes()
    response = Response.objects.create(
        scan=scan,
        group_id=invitation.group_id,
        instrument_version=version,
        submitted_on=timezone.localdate(),
        packed_answers=pack(codes, answers, version.spec.scale_points),
    )
    OpenAnswer.objects.bulk_create(
        OpenAnswer(response=response, scan=scan, group_id=invitation.group_id, code=code, text=text)
        for code, text in open_answers.items()
        if text
    )
    if row is not None:
        row.delete()
    return True
