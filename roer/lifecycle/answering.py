"""Answers, admitted only while the scan is open.

Each save and each submit holds the scan's row (shared, see `scan_life.guarded`) for its whole
transaction, so a submit racing a close is either stored before the close, and counted in the figures,
or refused with the closed-scan page: never stored after the figures were computed."""

from __future__ import annotations

from roer.lifecycle.scan_life import ANSWERABLE, guarded
from roer.responses.services import draft_merge, response_store
from roer.scans.models import Invitation


def answers_save(
    *,
    invitation: Invitation,
    token: str,
    answers: dict[str, int | None],
    cleared: set[str],
    open_answers: dict[str, str],
    page: int,
) -> bool:
    """Merge one page into the draft; False when the invitation was submitted meanwhile (another tab).
    Raises ScanStateError when the scan no longer (or not yet) takes answers."""
    with guarded(invitation.scan_id, *ANSWERABLE, shared=True):
        return draft_merge(
            invitation=invitation, token=token, answers=answers, cleared=cleared, open_answers=open_answers, page=page
        )


def answers_submit(
    *,
    invitation: Invitation,
    token: str,
    answers: dict[str, int | None],
    cleared: set[str],
    open_answers: dict[str, str],
    page: int,
) -> bool:
    """Save the last page and submit, in one transaction; False when it was submitted already."""
    with guarded(invitation.scan_id, *ANSWERABLE, shared=True):
        if not draft_merge(
            invitation=invitation, token=token, answers=answers, cleared=cleared, open_answers=open_answers, page=page
        ):
            return False
        return response_store(invitation=invitation, token=token)
