"""The database side of `bench.load` for Roer, run in the server's environment (same DATABASE_URL).

`python -m bench.load_roer_db seed OUT.json COUNT...` creates an organisation and a scan that is open today
with every group, then for each COUNT that many invitations, each with its own link token (only the hash is
stored, as for a real e-mail), and writes the tokens to OUT.json. It also writes the instrument's pages as
seen by the staff, so the peer survey can ask the same questions.

`python -m bench.load_roer_db verify RECORDS.json OUT.json` checks after a run that nothing was lost: the
scan's stored responses equal the submits the client counted, every respondent who did not submit has a
draft with every answer of every page they saved, and every submitter's answers are stored on their response.
A respondent whose request failed (a server killed under it, in `bench.scale`) may or may not have been stored;
such a submit is allowed to be stored at most once, and no invitation ever has two responses.
Responses are anonymous, so submitted answers are matched as a multiset: each respondent's answers are
random, and every submitted set of answers must be found in exactly one stored response.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roer.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from roer.instruments.models import InstrumentVersion  # noqa: E402
from roer.lib.tokens import hash_token, new_token  # noqa: E402
from roer.organisations.models import Organisation, OrganisationKind  # noqa: E402
from roer.responses.models import Response, ResponseDraft  # noqa: E402
from roer.responses.questionnaire import DONT_KNOW, pages_for  # noqa: E402
from roer.responses.services import draft_open  # noqa: E402
from roer.scans.models import AccessToken, GroupKind, Invitation, RespondentGroup, Scan  # noqa: E402
from roer.scoring.packed import unpack  # noqa: E402

# How the invitees are spread over the groups (the directors get the extra reference questions).
MIX = (
    [GroupKind.DIRECTIE] * 1
    + [GroupKind.MANAGEMENT] * 3
    + [GroupKind.INFORMATIEVOORZIENING] * 2
    + [GroupKind.MEDEWERKERS] * 14
)


def seed(out: Path, counts: list[int]) -> None:
    version = InstrumentVersion.objects.order_by("-pk").first()
    assert version is not None, "load_instrument first"
    today = timezone.localdate()
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name="Gemeente Belasting", kind=OrganisationKind.GEMEENTE, inhabitants=60_000
        )
        scan = Scan.objects.create(
            organisation=organisation,
            instrument_version=version,
            title="Belastingproef",
            opens_on=today - datetime.timedelta(days=1),
            closes_on=today + datetime.timedelta(days=30),
        )
        groups = {
            kind: RespondentGroup.objects.create(scan=scan, kind=kind, threshold=kind.default_threshold)
            for kind in GroupKind
        }
        sets: list[list[dict[str, str]]] = []
        number = 0
        for count in counts:
            invitations = []
            for _ in range(count):
                kind = MIX[number % len(MIX)]
                invitations.append(
                    Invitation(
                        scan=scan,
                        group=groups[kind],
                        email=f"respondent{number}@belasting.example",
                        sent_at=timezone.now(),
                    )
                )
                number += 1
            invitations = Invitation.objects.bulk_create(invitations, batch_size=500)
            tokens = []
            rows = []
            for invitation in invitations:
                token, token_hash = new_token()
                rows.append(AccessToken(invitation=invitation, token_hash=token_hash))
                tokens.append({"token": token, "group": invitation.group.kind})
            AccessToken.objects.bulk_create(rows, batch_size=500)
            sets.append(tokens)
    definition = version.parsed
    pages = []
    for page in pages_for(definition, "others"):
        pages.append(
            {
                "title": page.title_in("nl"),
                "scaled": [
                    {
                        "code": q.code,
                        "text": q.text.get("nl"),
                        "choices": [label.get("nl") for label in definition.scale.labels],
                    }
                    for q in page.scaled
                ]
                + [
                    {
                        "code": question.code,
                        "text": f"{development.name.get('nl')}: {question.text.get('nl')}",
                        "choices": [
                            label.get("nl")
                            for label in (
                                definition.developments.knowledge_labels
                                if question is development.knowledge
                                else definition.developments.impact_labels
                            )
                        ]
                        if definition.developments
                        else [],
                    }
                    for development in page.developments
                    for question in (development.knowledge, development.impact)
                ],
                "open": [{"code": q.code, "text": q.text.get("nl")} for q in page.open],
            }
        )
    out.write_text(
        json.dumps({"scan": scan.pk, "sets": sets, "pages": pages, "dont_know": definition.scale.dont_know.get("nl")}),
        encoding="utf-8",
    )


def _value(posted: str) -> int | None:
    return None if posted == DONT_KNOW else int(posted)


def verify(records_path: Path, out: Path) -> None:
    data = json.loads(records_path.read_text(encoding="utf-8"))
    scan = Scan.objects.get(pk=data["scan"])
    records: list[dict[str, Any]] = data["records"]
    submits = sum(1 for record in records if record["submitted"])
    uncertain = sum(1 for record in records if record["uncertain"])
    stored = Response.objects.filter(scan=scan).count()
    problems: list[str] = []

    by_hash = {
        access.token_hash: access.invitation
        for access in AccessToken.objects.filter(invitation__scan=scan).select_related("invitation")
    }
    drafts = {draft.invitation_id: draft for draft in ResponseDraft.objects.filter(invitation__scan=scan)}
    draft_answers_checked = 0
    expected_sets: Counter[frozenset[tuple[str, int | None]]] = Counter()
    for record in records:
        invitation = by_hash[hash_token(record["token"])]
        posted: dict[str, int | None] = {}
        for page in record["saved"]:
            posted.update({code: _value(value) for code, value in page["answers"].items()})
        if record["submitted"]:
            if not invitation.submitted:
                problems.append(f"invitation {invitation.pk}: submit counted but not marked submitted")
            if invitation.pk in drafts:
                problems.append(f"invitation {invitation.pk}: draft left after submit")
            expected_sets[frozenset(posted.items())] += 1
        elif record["uncertain"]:
            continue  # a request failed: what the server kept is unknown, and the errors are reported anyway
        else:
            if invitation.submitted:
                problems.append(f"invitation {invitation.pk}: submitted although the client never submitted")
            if not posted:
                continue
            if invitation.pk not in drafts:
                problems.append(f"invitation {invitation.pk}: {len(record['saved'])} page(s) saved, no draft")
                continue
            draft = draft_open(invitation, record["token"])  # the client kept the link the draft is sealed by
            if draft.elsewhere:
                problems.append(f"invitation {invitation.pk}: its own link does not open its draft")
                continue
            for code, value in posted.items():
                draft_answers_checked += 1
                if code not in draft.answers or draft.answers[code] != value:
                    problems.append(
                        f"invitation {invitation.pk}: {code}={value} posted, draft has {draft.answers.get(code, '-')}"
                    )
    stored_sets: dict[Any, dict[str, int | None]] = {}
    answer_rows = 0
    codes = scan.instrument_version.parsed.answer_codes()
    for response_id, packed in Response.objects.filter(scan=scan).values_list("id", "packed_answers"):
        stored_sets[response_id] = unpack(codes, bytes(packed))
        answer_rows += len(stored_sets[response_id])
    found: Counter[frozenset[tuple[str, int | None]]] = Counter(
        frozenset(answers.items()) for answers in stored_sets.values()
    )
    missing = expected_sets - found
    if missing:
        problems.append(f"{sum(missing.values())} submitted answer set(s) not found among the stored responses")
    invitations_submitted = Invitation.objects.filter(scan=scan, submitted=True).count()
    expected_answer_rows = sum(len(answers) * count for answers, count in expected_sets.items())
    result = {
        "submits_counted": submits,
        "responses_stored": stored,
        "uncertain": uncertain,
        "respondents": len(records),
        "drafts_checked": sum(1 for record in records if not record["submitted"] and record["saved"]),
        "draft_answers_checked": draft_answers_checked,
        "answer_rows": answer_rows,
        "answer_rows_expected": expected_answer_rows,
        "problems": problems[:20],
        "problem_count": len(problems),
        "invitations_submitted": invitations_submitted,
        # Every submit acknowledged is stored, once; a submit whose answer was lost (a server killed in
        # the middle) is stored at most once; and no invitation has two responses.
        "ok": submits <= stored <= submits + uncertain
        and stored == invitations_submitted
        and not problems
        and (answer_rows == expected_answer_rows if stored == submits else answer_rows > expected_answer_rows),
    }
    out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        seed(Path(sys.argv[2]), [int(count) for count in sys.argv[3:]])
    else:
        verify(Path(sys.argv[2]), Path(sys.argv[3]))
