"""The residents' survey attacked as a hostile client and a determined reader would: hostile input to the
public POSTs and the paper form, one answer per browser and per code, rate limits, what is left of a
resident after the close, the survey's state at the clock's edges, and who may reach the managers' pages.

Each test tries to break a promise and fails when the code that keeps it is weakened; seven of them were
found broken first (a slow flood, a burst's time of day, ascending ids, the row order, two publications,
a stale figures run, see test_resident_races.py, and a closing date in year 9999) and are mended.
"""

from __future__ import annotations

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roer.audit.models import AuditEvent
from roer.lifecycle.resident_life import (
    LetterCodeError,
    burst_decide,
    resident_submit,
    store_resident_figures,
    survey_close,
    survey_create,
    surveys_follow_clock,
)
from roer.lifecycle.scan_life import ScanStateError
from roer.residents.answers import CODE_LENGTH, code_hash, new_letter_code, normalise_code
from roer.residents.figures import CHANNELS, TOGETHER, publish_resident_figures
from roer.residents.models import (
    CODE_ALPHABET,
    Burst,
    BurstStatus,
    Channel,
    LetterBatch,
    LetterCode,
    ResidentFigures,
    ResidentOpenAnswer,
    ResidentResponse,
    ResidentSurvey,
)
from tests.factories import OrganisationFactory, ScanFactory, UserFactory
from tests.residents.conftest import resident_client

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# What a public page may answer to anything a client sends: never a server error.
CLEAR_ANSWERS = {200, 302, 400, 403, 404, 405, 410, 413, 429}


def answers_form(module, *, point: str = "4", extra: dict | None = None) -> dict:  # type: ignore[no-untyped-def, type-arg]
    data: dict[str, object] = {statement.code: point for statement in module.statements}
    data["inw_kanaal"] = "website"
    data["inw_diensten"] = ["afspraak", "verhuizing"]
    data["inw_verwachting"] = "Meer uitleg in eenvoudige taal."
    data.update(extra or {})
    return data


def open_link(survey: ResidentSurvey) -> str:
    return reverse("resident_survey:open_link", args=[survey.slug])


def letter_link(survey: ResidentSurvey) -> str:
    return reverse("resident_survey:letter", args=[survey.slug])


def letter_codes(survey: ResidentSurvey, count: int) -> list[str]:
    batch = LetterBatch.objects.create(survey=survey, size=count, status=LetterBatch.Status.READY)
    codes = [new_letter_code() for _ in range(count)]
    LetterCode.objects.bulk_create(LetterCode(survey=survey, batch=batch, code_hash=code_hash(c)) for c in codes)
    return codes


def packed_of(response: ResidentResponse) -> bytes:
    return bytes(response.packed_answers)


# --- 1. Hostile input ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("inw_verwachting", "Goed\x00idee"),  # a NUL byte: PostgreSQL cannot store it
        ("inw_verwachting", "x" * 2001),  # one character over the limit
        ("inw_online", "0"),  # below the scale
        ("inw_online", "6"),  # above the scale
        ("inw_online", "dk\x00"),
        ("inw_online", "٤"),  # an Arabic-Indic four is no answer "4"
        ("inw_kanaal", "duif"),  # no such option
        ("inw_diensten", ["afspraak", "toverij"]),  # one good and one unknown option
    ],
)
def test_an_invalid_answer_loses_only_itself_and_stores_nothing(survey, module, field, value):  # type: ignore[no-untyped-def]
    page = resident_client().post(open_link(survey), answers_form(module, extra={field: value}))
    assert page.status_code == 200
    html = page.content.decode()
    assert ResidentResponse.objects.count() == 0
    # The other answers come back ticked and filled in.
    if field != "inw_mens":
        assert 'name="inw_mens" value="4" id="id_inw_mens_3" checked' in html
    if field != "inw_verwachting":
        assert "Meer uitleg in eenvoudige taal." in html


@pytest.mark.django_db
def test_control_characters_and_the_longest_open_answer_are_stored_as_typed(survey, module):  # type: ignore[no-untyped-def]
    text = "Regel één\tmet tab\r\nen \x07bel " + "é" * 1970
    assert len(text) <= 2000
    sent = resident_client().post(open_link(survey), answers_form(module, extra={"inw_verwachting": text}))
    assert sent.status_code == 302
    # Kept as typed, bell and all: the open-answer review screens it before anyone reads it.
    assert ResidentOpenAnswer.objects.get().text == text


@pytest.mark.django_db
def test_a_repeated_field_counts_once_with_its_last_value(survey, module):  # type: ignore[no-untyped-def]
    data = answers_form(module, extra={"inw_online": ["1", "5"], "inw_diensten": ["afspraak"] * 50})
    assert resident_client().post(open_link(survey), data).status_code == 302
    packed = packed_of(ResidentResponse.objects.get())
    codes = module.answer_codes()
    assert packed[codes.index("inw_online")] == 5  # a QueryDict's last value, as for any single field
    assert packed[codes.index("inw_diensten__afspraak")] == 1


@pytest.mark.django_db
def test_too_many_fields_or_too_big_a_body_is_a_clear_400(survey, module):  # type: ignore[no-untyped-def]
    many = {f"veld{number}": "x" for number in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert resident_client().post(open_link(survey), many).status_code == 400
    huge = {"inw_verwachting": "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    assert resident_client().post(open_link(survey), huge).status_code == 400
    assert ResidentResponse.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        b"inw_online=\xff\xfe&inw_verwachting=\xc3\x28",  # bytes that are no UTF-8
        b"%ff%fe=%c3%28&inw_online=4",
        b"\x00\x00\x00",
        b"inw_online=4&" * 3 + b"=&&&==",
    ],
)
def test_a_body_that_is_no_utf8_is_no_server_error(survey, body):  # type: ignore[no-untyped-def]
    client = resident_client()
    for path in (open_link(survey), letter_link(survey)):
        sent = client.generic("POST", path, body, content_type="application/x-www-form-urlencoded")
        assert sent.status_code in CLEAR_ANSWERS
    sent = client.generic(
        "POST", open_link(survey), body, content_type="application/x-www-form-urlencoded; charset=nope"
    )
    assert sent.status_code in CLEAR_ANSWERS


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "patch", "delete", "options", "head", "trace"])
def test_other_methods_are_refused_with_405(survey, method):  # type: ignore[no-untyped-def]
    client = resident_client()
    for path in (open_link(survey), letter_link(survey)):
        assert getattr(client, method)(path).status_code == 405
    assert client.post(reverse("resident_survey:thanks", args=[survey.slug])).status_code == 405


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_stores_nothing(survey, module):  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.7")
    assert client.post(open_link(survey), answers_form(module)).status_code == 403
    (code,) = letter_codes(survey, 1)
    assert client.post(letter_link(survey), answers_form(module, extra={"code": code})).status_code == 403
    assert ResidentResponse.objects.count() == 0
    assert not LetterCode.objects.filter(used=True).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["zzzzzzzz", "a" * 13, "a" * 300, "_-_-", "ABCDEFGH", "0"])
def test_the_slug_of_no_survey_is_404(survey, slug):  # type: ignore[no-untyped-def]
    client = resident_client()
    for name in ("open_link", "letter", "thanks"):
        assert client.get(reverse(f"resident_survey:{name}", args=[slug])).status_code == 404
    assert client.post(f"/i/{slug}/", {"inw_online": "4"}).status_code == 404
    assert client.get("/i/%C3%A9%C3%A9/").status_code == 404  # not a slug at all
    # The real slug in capitals is the same survey.
    assert client.get(f"/i/{survey.slug.upper()}/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("taal", ["xx", "NL", "en-gb", "<script>alert(1)</script>", "\x00", "a" * 5000, "../../"])
def test_an_unknown_language_is_the_default_and_never_echoed(survey, taal):  # type: ignore[no-untyped-def]
    page = resident_client().get(open_link(survey), {"taal": taal})
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="nl"' in html
    assert "<script>alert(1)" not in html
    thanks = resident_client().get(reverse("resident_survey:thanks", args=[survey.slug]), {"taal": taal})
    assert thanks.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    [
        "x" * 10_000,  # far too long
        "ＡＢ３ＣＤ-ＥＦ４ＧＨ",  # full-width letters and digits
        "AB٣CD-EF٤GH",  # Arabic-Indic digits
        "AB3CD\x00EF4GH",
        "AB0CD-EF1GH",  # 0 and 1 are not in the alphabet
        "ABCDEFGHJKM",  # eleven
        "",
        "     ",
    ],
)
def test_a_code_in_an_odd_format_is_refused_clearly_and_counted(survey, module, typed, settings):  # type: ignore[no-untyped-def]
    settings.ROER_BAD_LINKS = "2/10m"
    client = resident_client()
    for _attempt in range(3):
        page = client.post(letter_link(survey), answers_form(module, extra={"code": typed}))
        assert page.status_code == 200
        assert "Meer uitleg in eenvoudige taal." in page.content.decode()  # the answers are kept
    # Three refusals against a limit of two: the next try waits, whatever the code.
    assert client.post(letter_link(survey), answers_form(module, extra={"code": typed})).status_code == 429
    assert ResidentResponse.objects.count() == 0


@pytest.mark.django_db
def test_a_code_written_any_way_a_resident_might_still_counts_once(survey, module):  # type: ignore[no-untyped-def]
    (code,) = letter_codes(survey, 1)
    plain = code.replace("-", "")
    variants = [
        code.lower(),
        f"  {plain[:5]} {plain[5:]}  ",
        "-".join(plain),
        plain.lower().swapcase(),
        f"{code}.",
        f"\t{code}\n",
    ]
    assert {normalise_code(variant) for variant in variants} == {plain}
    statuses = [
        resident_client(f"198.51.100.{number}")
        .post(letter_link(survey), answers_form(module, extra={"code": v}))
        .status_code
        for number, v in enumerate(variants)
    ]
    assert statuses == [302] + [200] * (len(variants) - 1)
    assert ResidentResponse.objects.filter(channel=Channel.LETTER).count() == 1


@pytest.mark.django_db
def test_unicode_that_upper_cases_into_the_alphabet_cannot_make_a_second_code(survey, module):  # type: ignore[no-untyped-def]
    # "ß".upper() is "SS" and "ﬀ".upper() "FF": a typed variant can only ever mean one code, the same hash.
    assert normalise_code("ABßCD-EFﬀG") == "ABSSCDEFFFG"
    assert normalise_code("ABßCDEFﬀ") == "ABSSCDEFFF"
    code = "ABSSC-DEFFF"
    batch = LetterBatch.objects.create(survey=survey, size=1, status=LetterBatch.Status.READY)
    LetterCode.objects.create(survey=survey, batch=batch, code_hash=code_hash(code))
    first = resident_client().post(letter_link(survey), answers_form(module, extra={"code": "ABßC-DEﬀF"}))
    second = resident_client("192.0.2.1").post(letter_link(survey), answers_form(module, extra={"code": code}))
    assert (first.status_code, second.status_code) == (302, 200)
    assert ResidentResponse.objects.count() == 1


FIELD_NAMES = st.sampled_from(
    ["inw_online", "inw_mens", "inw_kanaal", "inw_diensten", "inw_steun", "inw_verwachting", "website", "code", "x"]
)
VALUES = st.one_of(
    st.sampled_from(["1", "3", "5", "dk", "website", "afspraak", "geen", "", " "]),
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=5),
)


@pytest.mark.django_db
@FUZZ
@given(st.dictionaries(FIELD_NAMES, st.lists(VALUES, min_size=1, max_size=4), max_size=9), st.booleans())
def test_any_post_is_a_clear_answer_and_stores_at_most_one_valid_response(survey, module, settings, data, letter):  # type: ignore[no-untyped-def]
    settings.ROER_RESIDENT_SUBMITS_PER_ADDRESS = "100000/h"
    settings.ROER_BAD_LINKS = "100000/h"
    before = set(ResidentResponse.objects.values_list("id", flat=True))
    sent = resident_client().post(letter_link(survey) if letter else open_link(survey), data)
    assert sent.status_code in {200, 302}
    stored = list(ResidentResponse.objects.exclude(id__in=before))
    assert len(stored) <= 1
    if stored:
        assert sent.status_code == 302
        assert not letter  # no code in these examples is one of a letter's
        assert set(packed_of(stored[0])) <= {0, 1, 2, 3, 4, 5, 255}


@pytest.mark.django_db
@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_as_a_body_are_a_clear_answer(survey, settings, body):  # type: ignore[no-untyped-def]
    settings.ROER_RESIDENT_SUBMITS_PER_ADDRESS = "100000/h"
    for content_type in ("application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "text/plain"):
        sent = resident_client().generic("POST", open_link(survey), body, content_type=content_type)
        assert sent.status_code in CLEAR_ANSWERS


@pytest.mark.django_db
@pytest.mark.parametrize(
    "extra",
    [
        {"inw_verwachting": "\x00"},
        {"inw_online": "9"},
        {"inw_kanaal": ["website", "app"]},
        {"inw_diensten": "x" * 10_000},
        {"code": "ABCDE-FGHJK"},  # the paper form has no code: ignored
        {"website": "spam"},  # the paper form has no honeypot check: a manager filling it in is no robot
    ],
)
def test_the_paper_form_refuses_hostile_input_clearly(survey, module, alice_client, extra):  # type: ignore[no-untyped-def]
    url = reverse("residents:paper_entry", args=[survey.scan.code])
    sent = alice_client.post(url, answers_form(module, extra=extra))
    assert sent.status_code in (200, 302)
    if sent.status_code == 302:
        stored = ResidentResponse.objects.get()
        assert stored.channel == Channel.PAPER
        assert set(packed_of(stored)) <= {0, 1, 2, 3, 4, 5, 255}
    else:
        assert ResidentResponse.objects.count() == 0


# --- 2. One answer per browser and per code -------------------------------------------------------------


def _other_survey(instrument_version) -> ResidentSurvey:  # type: ignore[no-untyped-def]
    scan = ScanFactory(organisation=OrganisationFactory(), instrument_version=instrument_version)
    today = timezone.localdate()
    return survey_create(scan=scan, opens_on=today, closes_on=today + datetime.timedelta(days=9), user=UserFactory())


@pytest.mark.django_db
def test_survey_as_cookie_neither_blocks_nor_opens_survey_b(survey, module, instrument_version):  # type: ignore[no-untyped-def]
    other = _other_survey(instrument_version)
    client = resident_client()
    assert client.post(open_link(survey), answers_form(module)).status_code == 302
    mark = client.cookies[f"roer_inw_{survey.slug}"].value
    # The value signed for A, copied under B's name: the signature covers the name, so B asks as usual.
    replay = resident_client("198.51.100.1")
    replay.cookies[f"roer_inw_{other.slug}"] = mark
    assert "al ingevuld" not in replay.get(open_link(other)).content.decode()
    # And A's own mark, replayed to A from another browser, stops that browser too (it is the same mark).
    copied = resident_client("198.51.100.2")
    copied.cookies[f"roer_inw_{survey.slug}"] = mark
    assert copied.post(open_link(survey), answers_form(module)).status_code == 200
    assert ResidentResponse.objects.filter(survey=survey).count() == 1


@pytest.mark.django_db
def test_a_client_that_drops_its_cookie_answers_again_only_up_to_the_address_limit(survey, module, settings):  # type: ignore[no-untyped-def]
    # The cookie is the only per-browser mark: a client that throws it away is stopped by the rate limit.
    settings.ROER_RESIDENT_SUBMITS_PER_ADDRESS = "4/h"
    statuses = [resident_client().post(open_link(survey), answers_form(module)).status_code for _ in range(6)]
    assert statuses == [302] * 4 + [429] * 2
    assert ResidentResponse.objects.count() == 4


def test_guessing_a_letter_code_within_the_limits_is_hopeless():
    codes = len(CODE_ALPHABET) ** CODE_LENGTH
    assert codes == 819_628_286_980_801  # 31 ** 10, about 2 ** 49.5
    # Every POST counts against 30 an hour per address (the bad-code limit, 20 per ten minutes, is looser).
    per_address_per_day = min(30, 20 * 6) * 24
    assert per_address_per_day == 720
    letters, days_open = 20_000, 28  # the largest batch (roer.lifecycle.letters.MAX_LETTERS), four weeks
    hits_per_address = per_address_per_day * days_open * letters / codes
    assert hits_per_address == pytest.approx(4.9e-7, rel=0.01)
    # An attacker with a whole IPv6 /48 has 65,536 /64s, each counted apart: still about 0.03 codes found.
    assert hits_per_address * 2**16 == pytest.approx(0.032, rel=0.02)


@pytest.mark.django_db(transaction=True)
def test_one_code_in_four_spellings_at_once_stores_one_response(instrument_version):
    survey = _other_survey(instrument_version)
    code = new_letter_code()
    batch = LetterBatch.objects.create(survey=survey, size=1, status=LetterBatch.Status.READY)
    LetterCode.objects.create(survey=survey, batch=batch, code_hash=code_hash(code))
    survey = ResidentSurvey.objects.select_related("scan__instrument_version").get(pk=survey.pk)
    module = survey.scan.instrument_version.parsed.residents
    spellings = [code, code.lower(), code.replace("-", " "), f" {code.replace('-', '')} "]
    barrier = threading.Barrier(len(spellings))
    refused: list[Exception] = []

    def submit(spelling: str) -> None:
        barrier.wait()
        try:
            resident_submit(
                survey=survey,
                module=module,
                channel=Channel.LETTER,
                answers={"inw_online": 4},
                open_answers={},
                code=spelling,
            )
        except (LetterCodeError, ScanStateError) as error:
            refused.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(spelling,)) for spelling in spellings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert ResidentResponse.objects.filter(survey=survey).count() == 1
    assert len(refused) == 3


# --- 3. Rate limits --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_made_up_forwarded_for_header_is_no_way_around_the_limit(survey, module, settings):  # type: ignore[no-untyped-def]
    settings.ROER_RESIDENT_SUBMITS_PER_ADDRESS = "3/h"
    settings.ROER_TRUSTED_PROXIES = 0  # no proxy of ours: the header is the client's own words
    statuses = [
        Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        .post(open_link(survey), answers_form(module))
        .status_code
        for n in range(5)
    ]
    assert statuses == [302] * 3 + [429] * 2


@pytest.mark.django_db
def test_behind_our_proxy_only_the_address_it_saw_counts(survey, module, settings):  # type: ignore[no-untyped-def]
    settings.ROER_RESIDENT_SUBMITS_PER_ADDRESS = "3/h"
    settings.ROER_TRUSTED_PROXIES = 1
    statuses = []
    for n in range(5):
        # The client sends its own header; our proxy (REMOTE_ADDR 10.0.0.1) appends the address it saw.
        client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 1.2.3.{n}, 203.0.113.7")
        statuses.append(client.post(open_link(survey), answers_form(module)).status_code)
    assert statuses == [302] * 3 + [429] * 2
    # A garbled header falls back to the proxy's own address (one shared counter), never to a server error.
    garbled = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address, \x00, ]]")
    assert garbled.post(open_link(survey), answers_form(module)).status_code in (302, 429)


@pytest.mark.django_db
def test_stepping_through_an_ipv6_64_or_writing_ipv4_as_ipv6_is_one_address(survey, module, settings):  # type: ignore[no-untyped-def]
    settings.ROER_RESIDENT_SUBMITS_PER_ADDRESS = "3/h"
    steps = ["2001:db8:1:2::1", "2001:db8:1:2::ffff", "2001:db8:1:2:ffff:ffff:ffff:fffe", "2001:db8:1:2:abcd::9"]
    statuses = [resident_client(address).post(open_link(survey), answers_form(module)).status_code for address in steps]
    assert statuses == [302, 302, 302, 429]
    mapped = ["198.51.100.9", "::ffff:198.51.100.9", "::ffff:c633:6409", "198.51.100.9"]
    statuses = [
        resident_client(address).post(open_link(survey), answers_form(module)).status_code for address in mapped
    ]
    assert statuses == [302, 302, 302, 429]


@pytest.mark.django_db
def test_an_ipv6_48_steps_its_64s_as_documented_and_the_burst_check_sees_one_network(survey, module, settings):  # type: ignore[no-untyped-def]
    # Each /64 is counted apart (docs/residents.md); a /48 is one network for the burst check.
    settings.ROER_RESIDENT_SUBMITS_PER_ADDRESS = "1/h"
    settings.ROER_RESIDENT_BURST = 10
    statuses = [
        resident_client(f"2001:db8:77:{n:x}::1").post(open_link(survey), answers_form(module)).status_code
        for n in range(12)
    ]
    assert statuses == [302] * 12
    surveys_follow_clock()
    burst = Burst.objects.get()
    assert (burst.from_one_network, burst.responses) == (True, 12)


@pytest.mark.django_db
def test_one_address_within_its_rate_limit_all_morning_is_a_burst_of_its_day(survey, module, settings):  # type: ignore[no-untyped-def]
    """One address that deletes its cookie and keeps to 30 answers an hour (5 per ten-minute window, below
    ROER_RESIDENT_BURST) is never a window's burst; its day's count is: 180 in six hours, all flagged,
    and none of the twenty ordinary residents."""
    settings.ROER_RESIDENT_BURST = 10
    for number in range(20):  # twenty ordinary residents, spread over the morning
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=12 * number), tick=False):
            resident_client(f"198.51.{number}.1").post(open_link(survey), answers_form(module, point="2"))
    start = timezone.now()
    for hour in range(6):
        for minute in range(0, 60, 2):  # thirty an hour, the limit exactly
            with time_machine.travel(start + datetime.timedelta(hours=hour, minutes=minute), tick=False):
                sent = resident_client("203.0.113.66").post(open_link(survey), answers_form(module, point="5"))
                assert sent.status_code == 302
    with time_machine.travel(start + datetime.timedelta(hours=6), tick=False):
        surveys_follow_clock()
    assert ResidentResponse.objects.count() == 20 + 180
    (burst,) = Burst.objects.all()
    assert (burst.responses, burst.from_one_network, burst.whole_day) == (180, True, True)
    assert ResidentResponse.objects.filter(burst__isnull=True).count() == 20  # the ordinary residents


# --- 4. Anonymity ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_task_queue_carries_the_surveys_id_only(survey, module):  # type: ignore[no-untyped-def]
    for number in range(3):
        resident_client(f"203.0.113.{number}").post(open_link(survey), answers_form(module))
    survey_close(survey=survey)
    (task,) = DBTaskResult.objects.filter(task_path__endswith="store_resident_figures")
    assert task.args_kwargs == {"args": [survey.pk], "kwargs": {}}


@pytest.mark.django_db
def test_a_paper_forms_audit_record_holds_no_answer(survey, module, alice_client):  # type: ignore[no-untyped-def]
    alice_client.post(reverse("residents:paper_entry", args=[survey.scan.code]), answers_form(module, point="5"))
    (event,) = AuditEvent.objects.all()
    assert "Meer uitleg" not in str(event.subject)
    assert not {"5", "inw_"} & set(str(event.subject).split())


@pytest.mark.django_db
def test_after_the_close_no_burst_and_no_audit_record_keeps_a_time_of_day(survey, module, alice):  # type: ignore[no-untyped-def]
    """docs/residents.md promises that no time of day is kept of any answer: a burst keeps its window while
    the survey is open (its manager needs it), and its day only after the close; deciding on it, before or
    after the close, writes its day into the audit log, never its time."""
    for number in range(django_settings.ROER_RESIDENT_BURST):
        resident_client(f"203.0.113.{number + 10}").post(open_link(survey), answers_form(module))
    surveys_follow_clock()
    burst = Burst.objects.get()
    window = f"{timezone.localtime(burst.window_start):%H:%M}"
    assert not burst.whole_day  # ten minutes, while open
    burst_decide(burst=burst, exclude=True, user=alice)
    survey_close(survey=survey)
    burst_decide(burst=Burst.objects.get(), exclude=False, user=alice)
    burst = Burst.objects.get()
    start, end = timezone.localtime(burst.window_start), timezone.localtime(burst.window_end)
    whole_day = (datetime.time(0, 0), datetime.timedelta(days=1), timezone.localdate())
    assert (start.time(), end - start, start.date()) == whole_day
    assert burst.network == ""
    assert ResidentResponse.objects.filter(burst=burst).count() == burst.responses  # still leavable out
    subjects = [str(subject) for subject in AuditEvent.objects.values_list("subject", flat=True)]
    assert len(subjects) == 2
    assert not any(window in subject for subject in subjects), subjects
    assert all(f"{timezone.localdate():%d-%m-%Y}" in subject for subject in subjects)


@pytest.mark.django_db
def test_the_open_answers_ids_do_not_give_away_the_order_of_submissions(survey, module):  # type: ignore[no-untyped-def]
    """ResidentResponse and ResidentOpenAnswer both have random keys: ordering the open answers by key
    does not give the responses in the order they came (an ascending id did)."""
    sent = [f"Antwoord {number}" for number in range(12)]
    for number, text in enumerate(sent):
        extra = {"inw_verwachting": text}
        resident_client(f"198.51.{number}.1").post(open_link(survey), answers_form(module, extra=extra))
    by_id = list(ResidentOpenAnswer.objects.order_by("id").values_list("text", flat=True))
    assert sorted(by_id) == sorted(sent)
    assert by_id != sent, "ids follow the order of submissions"


def _points_of(number: int) -> dict[str, str]:
    """Answers that tell 30 residents apart: the number in base 5 over the first three statements."""
    return {f"p{place}": str(number // 5**place % 5 + 1) for place in range(3)}


@pytest.mark.django_db
def test_after_the_close_the_databases_own_row_order_gives_away_nothing(survey, module):  # type: ignore[no-untyped-def]
    """For a reader of the database or a backup: the random key does not hide the physical order of rows,
    which is the order of inserts (SQLite's rowid, PostgreSQL's ctid, and there the transaction stamp
    xmin as well). Before the figures are published, the worker writes the survey's responses and open
    answers again, together and in a random order."""
    codes = [statement.code for statement in module.statements[:3]]
    sent = []
    for number in range(30):
        points = _points_of(number)
        answers = {codes[place]: points[f"p{place}"] for place in range(3)}
        extra = {**answers, "inw_verwachting": f"Antwoord {number}"}
        resident_client(f"198.51.{number}.1").post(open_link(survey), answers_form(module, extra=extra))
        sent.append(tuple(int(points[f"p{place}"]) for place in range(3)))
    survey_close(survey=survey)
    assert store_resident_figures.call(survey.pk) is True
    physical = "rowid" if connection.vendor == "sqlite" else "ctid"
    positions = [module.answer_codes().index(code) for code in codes]
    with connection.cursor() as cursor:
        table = ResidentResponse._meta.db_table
        cursor.execute(f"SELECT packed_answers FROM {table} ORDER BY {physical}")  # noqa: S608 - our table
        order = [tuple(bytes(row[0])[position] for position in positions) for row in cursor.fetchall()]
        table = ResidentOpenAnswer._meta.db_table
        cursor.execute(f"SELECT text FROM {table} ORDER BY {physical}")  # noqa: S608 - our table
        texts = [row[0] for row in cursor.fetchall()]
        stamps = []
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT DISTINCT xmin::text FROM {ResidentResponse._meta.db_table}")  # noqa: S608
            stamps = [row[0] for row in cursor.fetchall()]
    assert sorted(order) == sorted(sent)
    assert order != sent, "the rows lie in the order the residents answered"
    assert texts != [f"Antwoord {number}" for number in range(30)], "the open answers lie in their order"
    assert len(stamps) <= 1, "each response still has its own transaction's stamp"


@pytest.mark.django_db
def test_the_managers_page_while_open_shows_counts_and_bursts_but_no_answer(survey, module, alice_client, settings):  # type: ignore[no-untyped-def]
    settings.ROER_RESIDENT_BURST = 3
    for number in range(3):
        resident_client(f"203.0.113.{number}").post(
            open_link(survey), answers_form(module, extra={"inw_verwachting": "Geheim plan"})
        )
    surveys_follow_clock()
    html = alice_client.get(reverse("residents:detail", args=[survey.scan.code])).content.decode()
    assert "Geheim plan" not in html
    network = Burst.objects.get().network
    assert network
    assert network not in html  # the network's hash is not shown either
    assert "203.0.113" not in html


THRESHOLD = 10


def _channel(n: int, answered: int, total: int, agreeing: int) -> dict:  # type: ignore[type-arg]
    return {
        "n": n,
        "statements": {"inw_online": [answered, total, total * 5, agreeing]},
        "choices": {"inw_kanaal": {"n": answered, "options": {"website": answered}}},
    }


@pytest.mark.django_db
@FUZZ
@given(st.lists(st.integers(0, 25), min_size=3, max_size=3), st.lists(st.integers(0, 25), min_size=3, max_size=3))
def test_no_hidden_channel_can_be_worked_out_from_the_shown_ones_and_together(module, sizes, answered):  # type: ignore[no-untyped-def]
    channels = {}
    for code, n, a in zip(CHANNELS, sizes, answered, strict=True):
        a = min(a, n)
        if n:
            channels[code] = _channel(n, a, 3 * a, a // 2)
    published = publish_resident_figures(module, {"channels": channels, "excluded": 0}, threshold=THRESHOLD)
    for key in ("inw_online", "inw_kanaal"):
        together = published.disclosure.shown(TOGETHER, key)
        shown = [code for code in CHANNELS if published.disclosure.shown(code, key)]
        for code in shown:
            assert channels[code]["statements"]["inw_online"][0] >= THRESHOLD
        if together:
            hidden = sum(
                channels.get(code, {}).get("statements", {}).get("inw_online", [0])[0]
                for code in CHANNELS
                if code not in shown
            )
            assert hidden == 0 or hidden >= THRESHOLD, (sizes, answered, shown)


@pytest.mark.django_db
def test_three_paper_forms_beside_thirty_open_answers_cannot_be_subtracted(module):  # type: ignore[no-untyped-def]
    data = {"channels": {"open": _channel(30, 30, 90, 10), "paper": _channel(3, 3, 15, 3)}, "excluded": 0}
    published = publish_resident_figures(module, data, threshold=THRESHOLD)
    # Together (33) is shown; open (30) would leave paper's 3 by subtraction, so open is hidden as well.
    assert published.statements[TOGETHER]["inw_online"].n == 33
    assert not published.statements["open"]["inw_online"].shown
    assert not published.statements["paper"]["inw_online"].shown
    assert published.choices["open"]["inw_kanaal"].shares is None


@pytest.mark.django_db
def test_the_figures_are_published_once_so_no_two_publications_differ_by_a_burst(survey, module, alice):  # type: ignore[no-untyped-def]
    """Were the figures published at the close and again after a burst decision, their difference would
    be what the burst's members answered, key by key, however few of them answered a key: here 2 of a
    burst of 10 answered inw_online (the rest "don't know"), n 22 and then 20, a mean of 50/22 and then
    40/20, so both gave 5. So nothing is published while a burst waits, and a decision after the
    publication is refused."""
    for number in range(20):  # twenty residents from their own networks answer 2
        resident_client(f"198.51.{number}.1").post(open_link(survey), {"inw_online": "2"})
    for number in range(10):  # a burst from one /24: two answer 5, eight don't know
        point = "5" if number < 2 else "dk"
        resident_client(f"203.0.113.{number + 10}").post(open_link(survey), {"inw_online": point})
    survey_close(survey=survey)
    burst = Burst.objects.get()
    assert (burst.responses, burst.status) == (10, BurstStatus.SUSPECT)
    assert store_resident_figures.call(survey.pk) is False  # waits for the decision
    assert not ResidentFigures.objects.exists()
    burst_decide(burst=burst, exclude=False, user=alice)
    assert store_resident_figures.call(survey.pk) is True
    published = publish_resident_figures(module, ResidentFigures.objects.get().data).statements["open"]["inw_online"]
    assert published.n == 22
    with pytest.raises(ScanStateError):
        burst_decide(burst=burst, exclude=True, user=alice)
    assert store_resident_figures.call(survey.pk) is False  # published once: nothing runs again
    assert Burst.objects.get().status == BurstStatus.KEPT
    again = publish_resident_figures(module, ResidentFigures.objects.get().data).statements["open"]["inw_online"]
    assert again.n == 22


# --- 5. State and the clock ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_closing_day_ends_at_midnight_in_amsterdam_in_summer_time(survey, module):  # type: ignore[no-untyped-def]
    closes = survey.closes_on  # 5 April 2026, after the clocks went forward
    assert closes == datetime.date(2026, 4, 5)
    last_minute = datetime.datetime.combine(closes, datetime.time(23, 59, 30), AMSTERDAM)
    with time_machine.travel(last_minute, tick=False):
        assert resident_client().post(open_link(survey), answers_form(module)).status_code == 302
    # 00:00:30 on 6 April in Amsterdam is still 5 April in UTC (22:00:30): the day is Amsterdam's.
    after = datetime.datetime.combine(closes + datetime.timedelta(days=1), datetime.time(0, 0, 30), AMSTERDAM)
    assert after.astimezone(datetime.UTC).date() == closes
    with time_machine.travel(after, tick=False):
        assert resident_client("192.0.2.1").post(open_link(survey), answers_form(module)).status_code == 410
        (code,) = letter_codes(survey, 1)
        letter = resident_client("192.0.2.2").post(letter_link(survey), answers_form(module, extra={"code": code}))
        assert letter.status_code == 410
        with pytest.raises(ScanStateError):
            resident_submit(survey=survey, module=module, channel=Channel.PAPER, answers={}, open_answers={})
    assert ResidentResponse.objects.count() == 1


@pytest.mark.django_db
def test_the_opening_day_starts_at_midnight_in_amsterdam(survey, module):  # type: ignore[no-untyped-def]
    survey.opens_on, survey.state = datetime.date(2026, 3, 20), "planned"
    survey.save()
    before = datetime.datetime(2026, 3, 19, 23, 59, 30, tzinfo=AMSTERDAM)
    with time_machine.travel(before, tick=False):
        page = resident_client().post(open_link(survey), answers_form(module))
        assert (page.status_code, "opent op" in page.content.decode()) == (200, True)
    with time_machine.travel(before + datetime.timedelta(minutes=1), tick=False):
        assert resident_client().post(open_link(survey), answers_form(module)).status_code == 302
    assert ResidentResponse.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("closes_on", ["9999-12-20", "9999-12-31", "2027-12-31"])
def test_a_closing_date_far_ahead_is_refused_with_a_reason(scan, module_of_scan, alice_client, closes_on):  # type: ignore[no-untyped-def]
    """A closing date within 31 days of 31 December 9999 made the answered cookie's expiry overflow after
    the answer was stored (a server error; the resident tried again and was counted twice). A survey now
    runs for a year at most, and the cookie's age is counted in days."""
    setup = reverse("residents:setup", args=[scan.code])
    sent = alice_client.post(setup, {"opens_on": timezone.localdate().isoformat(), "closes_on": closes_on})
    assert sent.status_code == 200
    assert "loopt hoogstens een jaar" in sent.content.decode()
    assert not ResidentSurvey.objects.exists()


@pytest.mark.django_db
def test_a_survey_stored_with_a_closing_date_far_ahead_still_answers(scan, module_of_scan, alice):  # type: ignore[no-untyped-def]
    """The cookie must not overflow even for a survey whose dates were set in the database by hand."""
    survey = survey_create(scan=scan, opens_on=timezone.localdate(), closes_on=timezone.localdate(), user=alice)
    ResidentSurvey.objects.filter(pk=survey.pk).update(closes_on=datetime.date(9999, 12, 31))
    client = Client(REMOTE_ADDR="203.0.113.7", raise_request_exception=False)
    answered = client.post(open_link(survey), answers_form(module_of_scan))
    assert answered.status_code == 302
    assert answered.cookies[f"roer_inw_{survey.slug}"]["max-age"] == 400 * 24 * 3600


@pytest.fixture
def module_of_scan(scan):  # type: ignore[no-untyped-def]
    return scan.instrument_version.parsed.residents


@pytest.mark.django_db
def test_changing_the_dates_of_a_closed_survey_is_a_clear_refusal(survey, alice_client):  # type: ignore[no-untyped-def]
    survey_close(survey=survey)
    setup = reverse("residents:setup", args=[survey.scan.code])
    sent = alice_client.post(setup, {"opens_on": "2026-03-01", "closes_on": "2026-12-31"})
    assert sent.status_code == 200
    survey.refresh_from_db()
    assert survey.closes_on == datetime.date(2026, 4, 5)


@pytest.mark.django_db(transaction=True)
def test_paper_forms_entered_while_the_survey_closes_are_counted_or_refused(instrument_version):
    survey = _other_survey(instrument_version)
    survey = ResidentSurvey.objects.select_related("scan__instrument_version").get(pk=survey.pk)
    module = survey.scan.instrument_version.parsed.residents
    manager = UserFactory()
    barrier = threading.Barrier(7)
    refused: list[Exception] = []

    def paper() -> None:
        barrier.wait()
        try:
            resident_submit(
                survey=survey,
                module=module,
                channel=Channel.PAPER,
                answers={"inw_online": 3},
                open_answers={},
                entered_by=manager,
            )
        except ScanStateError as error:
            refused.append(error)
        finally:
            connection.close()

    def close() -> None:
        barrier.wait()
        try:
            survey_close(survey=survey)
            store_resident_figures.call(survey.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=paper) for _ in range(6)] + [threading.Thread(target=close)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    stored = ResidentResponse.objects.filter(survey=survey).count()
    assert stored + len(refused) == 6
    figures = ResidentFigures.objects.get(survey=survey).data
    assert figures["channels"].get("paper", {}).get("n", 0) == stored


# --- 6. Access -------------------------------------------------------------------------------------------


def _manager_posts(survey: ResidentSurvey, burst: Burst) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    code = survey.scan.code
    return [
        (reverse("residents:setup", args=[code]), {"opens_on": "2026-03-01", "closes_on": "2026-12-31"}),
        (reverse("residents:paper_entry", args=[code]), {"inw_online": "5"}),
        (reverse("residents:close", args=[code]), {}),
        (reverse("residents:burst", args=[code, burst.pk]), {"decision": BurstStatus.EXCLUDED}),
    ]


@pytest.fixture
def burst(survey, settings):  # type: ignore[no-untyped-def]
    settings.ROER_RESIDENT_BURST = 3
    module = survey.scan.instrument_version.parsed.residents
    for number in range(3):
        resident_client(f"203.0.113.{number}").post(open_link(survey), answers_form(module))
    surveys_follow_clock()
    return Burst.objects.get()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["bob", "charlie", "anonymous"])
def test_nobody_but_the_organisations_managers_reads_or_writes(survey, burst, who, bob_client, charlie_client):  # type: ignore[no-untyped-def]
    client = {"bob": bob_client, "charlie": charlie_client, "anonymous": Client()}[who]
    expected = {"bob": {403, 404}, "charlie": {404}, "anonymous": {302}}[who]
    code = survey.scan.code
    for name in ("residents:detail", "residents:setup", "residents:paper_entry", "residents:close"):
        assert client.get(reverse(name, args=[code])).status_code in expected
    for url, data in _manager_posts(survey, burst):
        assert client.post(url, data).status_code in expected, url
    if who == "anonymous":
        assert client.get(reverse("residents:detail", args=[code]))["Location"].startswith(reverse("login"))
    survey.refresh_from_db()
    assert (survey.state, survey.closes_on) == ("open", datetime.date(2026, 4, 5))
    assert ResidentResponse.objects.filter(channel=Channel.PAPER).count() == 0
    assert Burst.objects.get().status == BurstStatus.SUSPECT


@pytest.mark.django_db
def test_a_manager_cannot_decide_another_organisations_burst_through_their_own_scan(
    survey, burst, other_scan, charlie, charlie_client
):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    survey_create(scan=other_scan, opens_on=today, closes_on=today + datetime.timedelta(days=5), user=charlie)
    url = reverse("residents:burst", args=[other_scan.code, burst.pk])
    assert charlie_client.post(url, {"decision": BurstStatus.EXCLUDED}).status_code == 404
    assert Burst.objects.get().status == BurstStatus.SUSPECT


@pytest.mark.django_db
@pytest.mark.parametrize("burst_id", ["0", "99999999999999999999999999", "9223372036854775808"])
def test_a_burst_id_out_of_any_range_is_404(survey, burst, alice_client, burst_id):  # type: ignore[no-untyped-def]
    url = reverse("residents:burst", args=[survey.scan.code, 1]).replace("/1/", f"/{burst_id}/")
    assert alice_client.post(url, {"decision": BurstStatus.EXCLUDED}).status_code == 404
    assert alice_client.get(reverse("residents:burst", args=[survey.scan.code, burst.pk])).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("decision", ["", "deleted", "EXCLUDED", "suspect", "excluded\x00"])
def test_an_unknown_burst_decision_changes_nothing(survey, burst, alice_client, decision):  # type: ignore[no-untyped-def]
    url = reverse("residents:burst", args=[survey.scan.code, burst.pk])
    assert alice_client.post(url, {"decision": decision}).status_code == 302
    assert Burst.objects.get().status == BurstStatus.SUSPECT
    assert ResidentResponse.objects.count() == 3
