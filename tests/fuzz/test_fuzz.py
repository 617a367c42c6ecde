"""Hypothesis fuzzing of everything a user can feed Roer: instrument files, invitee uploads and answer
POSTs. No input gives a server error, and nothing valid that was already saved is lost."""

from __future__ import annotations

import copy

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roer.instruments.groups import groups_before_format_2
from roer.instruments.loader import DEFAULT_INSTRUMENT, InstrumentFileError, parse_instrument, read_instrument_bytes
from roer.responses.models import Response
from roer.responses.questionnaire import pages_for
from roer.scans.invitees import GroupWords, decode_upload, parse_csv, parse_pasted
from tests.conftest import link_for
from tests.factories import InvitationFactory, ScanFactory
from tests.groups import GroupKind
from tests.helpers import draft_of, saved_draft, stored_answers

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
DEFAULT = yaml.safe_load(DEFAULT_INSTRUMENT.read_text(encoding="utf-8"))
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**9), 10**9), st.floats(allow_nan=True), st.text(max_size=30)
)


def _paths(value, path=()):  # type: ignore[no-untyped-def]
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*path, index))


PATHS = [path for path in _paths(DEFAULT) if path][::7]  # a spread of places across the whole file


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000))
def test_the_instrument_loader_never_fails_on_arbitrary_bytes(content):
    problems = None
    try:
        read_instrument_bytes(content, source_name="fuzz.yaml")
    except InstrumentFileError as error:
        problems = error
    if problems is not None:
        assert problems.problems
        assert "fuzz.yaml" in problems.describe()


# Each example parses the whole instrument file (about 850 lines), so fewer examples than elsewhere.
@settings(max_examples=40, deadline=None)
@given(st.sampled_from(PATHS), st.one_of(SCALARS, st.just("__delete__"), st.lists(SCALARS, max_size=3)))
def test_the_instrument_loader_reports_any_damage_to_a_valid_file_with_its_place(path, value):
    data = copy.deepcopy(DEFAULT)
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    if value == "__delete__":
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    try:
        parse_instrument(text, source_name="damaged.yaml")
    except InstrumentFileError as error:
        for problem in error.problems:
            assert problem.message
            assert problem.line is None or problem.line >= 1


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4000))
def test_invitee_files_of_any_content_are_read_or_refused_cleanly(content):
    text = decode_upload(content)
    if text is not None:
        result = parse_csv(text, groups=GroupWords.of(groups_before_format_2(), {"directie", "medewerkers"}))
        assert all(problem.line >= 1 for problem in result.problems)
        assert all("@" in invitee.email for invitee in result.invitees)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_pasted_text_of_any_content_is_read_or_refused_cleanly(text):
    result = parse_pasted(text, groups=GroupWords.of(groups_before_format_2(), {"medewerkers"}))
    assert all(problem.line >= 1 for problem in result.problems)


@FUZZ
@given(
    content=st.binary(max_size=3000),
    valid=st.lists(st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.nl", fullmatch=True), max_size=5),
)
def test_an_upload_never_gives_a_server_error_and_keeps_its_valid_lines(
    alice_client, organisation, instrument_version, content, valid
):
    # A fresh scan for every example: one shared across examples would already hold the addresses that
    # earlier examples added, and "kept" would prove nothing.
    scan = ScanFactory(organisation=organisation, instrument_version=instrument_version)
    body = b"\n".join([*(address.encode() for address in valid), content])
    response = alice_client.post(
        f"/scans/{scan.code}/invitees/",
        {
            "source": "upload",
            "upload-file": SimpleUploadedFile("fuzz.csv", body),
            "upload-group": scan.groups.get(kind=GroupKind.MEDEWERKERS).pk,
            "upload-language": "nl",
        },
    )
    assert response.status_code in (200, 302)
    if decode_upload(body) is not None:
        stored = set(scan.invitations.values_list("email", flat=True))
        readable = {
            invitee.email
            for invitee in parse_csv(
                decode_upload(body),
                groups=GroupWords.of(groups_before_format_2(), {group.code for group in groups_before_format_2()}),
            ).invitees
        }
        assert readable <= stored  # every line that reads as valid is kept


ANSWER_VALUES = st.one_of(
    st.sampled_from(["1", "2", "3", "4", "5", "dk", ""]), st.text(max_size=50), st.just("9" * 400)
)


def kept_with_four(scan) -> int:  # type: ignore[no-untyped-def]
    return sum(stored_answers(response).get("ken_tijd") == 4 for response in Response.objects.filter(scan=scan))


@FUZZ
@given(
    fields=st.dictionaries(st.text(max_size=30), ANSWER_VALUES, max_size=8),
    page=st.integers(-3, 9),
    action=st.one_of(st.sampled_from(["next", "previous", "save", "submit"]), st.text(max_size=12)),
)
def test_any_answer_post_is_handled_and_earlier_answers_are_kept(client, scan, fields, page, action):
    # A fresh respondent for every example: with one shared respondent, the first fuzzed submit would
    # end the questionnaire and every later example would test nothing.
    invitation = InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS))
    path = link_for(invitation)
    saved_draft(invitation, path, {"ken_tijd": 4}, page=2)
    kept_before = kept_with_four(scan)
    response = client.post(f"{path}{abs(page)}/", {**fields, "action": action})
    assert response.status_code in (200, 302)
    invitation.refresh_from_db()
    if invitation.submitted:
        # a fuzzed submit on the last page is a real submission: the saved answer went into the response
        assert kept_with_four(scan) == kept_before + 1
        return
    after = draft_of(invitation, path).answers
    posted = fields.get("ken_tijd")
    if abs(page) == 1 and posted is not None and posted in {"1", "2", "3", "4", "5", "dk", ""}:
        return  # the respondent changed or cleared this very answer
    assert after.get("ken_tijd") == 4


def test_the_fuzzed_page_holds_the_item_the_fuzz_test_watches(scan):
    first = pages_for(scan.instrument_version.parsed, "others")[0]
    assert "ken_tijd" in {question.code for question in first.scaled}
