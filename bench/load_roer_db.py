"""The database side of `bench.load` for Roer, run in the server's environment (same DATABASE_URL).

`python -m bench.load_roer_db seed OUT.json COUNT...` creates an organisation and a scan that is open today
with every group, then for each COUNT that many invitations, each with its own link token (only the hash is
stored, as for a real e-mail), and writes the tokens to OUT.json. It also writes the instrument's pages as
seen by the staff, so the peer survey can ask the same questions.

The scan has a residents' survey beside it, open today; its short link is written as `resident_slug`.

`python -m bench.load_roer_db verify RECORDS.json OUT.json` checks after a run that nothing was lost: the
scan's stored responses equal the submits the client counted, every respondent who did not submit has a
draft with every answer of every page they saved, and every submitter's answers are stored on their response.
No invitation may have two responses. A respondent whose request failed (only `bench.scale`, which kills a
server under them, allows it) must still have every save acknowledged before in their draft, and a submit
whose answer was lost may be stored at most once, with the answers it carried; any other stored response fails
the check.
Responses are anonymous, so submitted answers are matched as a multiset: each respondent's answers are
random, and every submitted set of answers must be found in exactly one stored response.

`python -m bench.load_roer_db verify-residents RECORDS.json OUT.json` does the same for the residents'
scenario: the survey's stored responses are exactly the answers of the submits thanked, and so are the
open answers.
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
from roer.residents.models import ResidentOpenAnswer, ResidentResponse, ResidentSurvey  # noqa: E402
from roer.responses.models import Response, ResponseDraft  # noqa: E402
from roer.responses.questionnaire import DONT_KNOW, pages_for  # noqa: E402
from roer.responses.services import draft_open  # noqa: E402
from roer.scans.models import AccessToken, Invitation, RespondentGroup, Scan, ScanState, instrument_groups  # noqa: E402
from roer.scoring.packed import unpack  # noqa: E402

# How the invitees are spread over the groups (the directors get the extra reference questions).
MIX = ["directie"] * 1 + ["management"] * 3 + ["informatievoorziening"] * 2 + ["medewerkers"] * 14


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
        groups = {group.kind: group for group in RespondentGroup.objects.bulk_create(instrument_groups(scan))}
        # The residents' survey beside it, open today, for the residents' scenario (the open link).
        survey = ResidentSurvey.objects.create(
            scan=scan, opens_on=scan.opens_on, closes_on=scan.closes_on, state=ScanState.OPEN
        )
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
        json.dumps(
            {
                "scan": scan.pk,
                "resident_slug": survey.slug,
                "sets": sets,
                "pages": pages,
                "dont_know": definition.scale.dont_know.get("nl"),
            }
        ),
        encoding="utf-8",
    )


def _value(posted: str) -> int | None:
    return None if posted == DONT_KNOW else int(posted)


def _draft_problems(
    invitation: Invitation, token: str, posted: dict[str, int | None], drafts: dict[int, Any]
) -> tuple[int, list[str]]:
    """(answers checked, problems): the draft of a respondent who did not submit must hold every answer
    of every page whose save they saw acknowledged."""
    if not posted:
        return 0, []
    if invitation.pk not in drafts:
        return 0, [f"invitation {invitation.pk}: pages saved, no draft"]
    draft = draft_open(invitation, token)  # the client kept the link the draft is sealed by
    if draft.elsewhere:
        return 0, [f"invitation {invitation.pk}: its own link does not open its draft"]
    problems = [
        f"invitation {invitation.pk}: {code}={value} posted, draft has {draft.answers.get(code, '-')}"
        for code, value in posted.items()
        if code not in draft.answers or draft.answers[code] != value
    ]
    return len(posted), problems


def verify(records_path: Path, out: Path) -> None:
    data = json.loads(records_path.read_text(encoding="utf-8"))
    scan = Scan.objects.get(pk=data["scan"])
    records: list[dict[str, Any]] = data["records"]
    # Only bench.scale, which kills a server under the respondents, allows requests whose outcome is unknown.
    uncertain_allowed = bool(data.get("uncertain_allowed"))
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
    possible_sets: Counter[frozenset[tuple[str, int | None]]] = Counter()  # submits whose answer was lost
    for record in records:
        invitation = by_hash[hash_token(record["token"])]
        posted: dict[str, int | None] = {}
        for page in record["saved"]:
            posted.update({code: _value(value) for code, value in page["answers"].items()})
        in_flight = record.get("in_flight") or {}
        if record["submitted"] or (invitation.submitted and in_flight.get("submit")):
            if not invitation.submitted:
                problems.append(f"invitation {invitation.pk}: submit counted but not marked submitted")
            if invitation.pk in drafts:
                problems.append(f"invitation {invitation.pk}: draft left after submit")
            if record["submitted"]:
                expected_sets[frozenset(posted.items())] += 1
            else:  # the submit went through, its answer was lost: stored with the answers it carried
                posted.update({code: _value(value) for code, value in in_flight["answers"].items()})
                possible_sets[frozenset(posted.items())] += 1
            continue
        if invitation.submitted:
            problems.append(f"invitation {invitation.pk}: submitted although the client never submitted")
        # Not submitted, also when a save's answer was lost: every save acknowledged before is in the draft.
        checked, found_problems = _draft_problems(invitation, record["token"], posted, drafts)
        draft_answers_checked += checked
        problems += found_problems
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
    unexplained = (found - expected_sets) - possible_sets
    if unexplained:
        problems.append(f"{sum(unexplained.values())} stored response(s) that no respondent's submit carried")
    invitations_submitted = Invitation.objects.filter(scan=scan, submitted=True).count()
    expected_answer_rows = sum(len(answers) * count for answers, count in expected_sets.items())
    exact = stored == submits and answer_rows == expected_answer_rows
    result = {
        "submits_counted": submits,
        "responses_stored": stored,
        "uncertain": uncertain,
        "lost_answers_stored": sum(possible_sets.values()),
        "respondents": len(records),
        "drafts_checked": sum(1 for record in records if not record["submitted"] and record["saved"]),
        "draft_answers_checked": draft_answers_checked,
        "answer_rows": answer_rows,
        "answer_rows_expected": expected_answer_rows,
        "problems": problems[:20],
        "problem_count": len(problems),
        "invitations_submitted": invitations_submitted,
        # Every submit acknowledged is stored, once, with its answers; no invitation has two responses;
        # and only where allowed, a submit whose answer was lost is stored at most once, with its answers.
        "ok": not problems
        and stored == invitations_submitted
        and (exact or (uncertain_allowed and stored == submits + sum(possible_sets.values()))),
    }
    out.write_text(json.dumps(result), encoding="utf-8")


def _resident_answers(module: Any, posted: list[list[str]]) -> frozenset[tuple[str, int | None]]:
    """What the residents' form posted, as the survey's packed answers unpack: a statement's point (None
    for "don't know"), a single choice's option number, a ticked box as 1 on its option's code."""
    answers: dict[str, int | None] = {}
    statements = {statement.code for statement in module.statements}
    choices = {choice.code: choice for choice in module.choices}
    for name, value in posted:
        if name in statements:
            answers[name] = None if value == "dk" else int(value)
        elif name in choices and choices[name].multiple:
            answers[f"{name}__{value}"] = 1
        elif name in choices:
            answers[name] = [option.code for option in choices[name].options].index(value) + 1
    return frozenset(answers.items())


def verify_residents(records_path: Path, out: Path) -> None:
    """Every resident whose submit was answered with the thank-you page is stored once, with the answers
    posted (matched as a multiset: responses keep no link to who sent them), and nothing else is stored."""
    data = json.loads(records_path.read_text(encoding="utf-8"))
    survey = ResidentSurvey.objects.select_related("scan__instrument_version").get(slug=data["slug"])
    module = survey.scan.instrument_version.parsed.residents
    records: list[dict[str, Any]] = data["records"]
    accepted = [record for record in records if record["submitted"]]
    uncertain = sum(1 for record in records if record["uncertain"])
    expected = Counter(_resident_answers(module, record["answers"]) for record in accepted)
    codes = module.answer_codes()
    stored = Counter(
        frozenset(unpack(codes, bytes(packed)).items())
        for packed in ResidentResponse.objects.filter(survey=survey).values_list("packed_answers", flat=True)
    )
    open_codes = {question.code for question in module.open_questions}
    open_expected = sum(1 for record in accepted for name, _text in record["answers"] if name in open_codes)
    open_stored = ResidentOpenAnswer.objects.filter(survey=survey).count()
    problems = []
    if expected - stored:
        problems.append(f"{sum((expected - stored).values())} accepted answer set(s) not stored")
    if stored - expected:
        problems.append(f"{sum((stored - expected).values())} stored response(s) no accepted submit carried")
    if open_stored != open_expected and not uncertain:
        problems.append(f"{open_stored} open answers stored for {open_expected} posted")
    result = {
        "submits_accepted": len(accepted),
        "responses_stored": sum(stored.values()),
        "open_answers_stored": open_stored,
        "open_answers_expected": open_expected,
        "uncertain": uncertain,
        "problems": problems,
        "ok": not problems and not uncertain,
    }
    out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        seed(Path(sys.argv[2]), [int(count) for count in sys.argv[3:]])
    elif sys.argv[1] == "verify-residents":
        verify_residents(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        verify(Path(sys.argv[2]), Path(sys.argv[3]))
