"""A resident's questionnaire as residents and abusers meet it: the open link, a letter's code, the
honeypot, one answer per browser and per code, rate limits, bursts, and what closing erases."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from roer.audit.models import AuditAction, AuditEvent
from roer.lifecycle.resident_life import burst_decide, survey_close, surveys_follow_clock
from roer.residents.answers import code_hash, new_letter_code
from roer.residents.figures import TOGETHER, compute_resident_figures, publish_resident_figures
from roer.residents.models import (
    Burst,
    BurstStatus,
    Channel,
    LetterBatch,
    LetterCode,
    ResidentOpenAnswer,
    ResidentResponse,
)
from tests.residents.conftest import resident_client

pytestmark = pytest.mark.django_db


def answers_form(module, *, point="4", extra=None):  # type: ignore[no-untyped-def]
    data = {statement.code: point for statement in module.statements}
    data["inw_kanaal"] = "website"
    data["inw_diensten"] = ["afspraak", "verhuizing"]
    data["inw_verwachting"] = "Meer uitleg in eenvoudige taal."
    data.update(extra or {})
    return data


def open_link(survey) -> str:  # type: ignore[no-untyped-def]
    return reverse("resident_survey:open_link", args=[survey.slug])


def letter_link(survey) -> str:  # type: ignore[no-untyped-def]
    return reverse("resident_survey:letter", args=[survey.slug])


def letter_codes(survey, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    batch = LetterBatch.objects.create(survey=survey, size=count, status=LetterBatch.Status.READY)
    codes = [new_letter_code() for _ in range(count)]
    LetterCode.objects.bulk_create(LetterCode(survey=survey, batch=batch, code_hash=code_hash(c)) for c in codes)
    return codes


def test_a_resident_answers_through_the_open_link_and_is_thanked_once(survey, module):  # type: ignore[no-untyped-def]
    client = resident_client()
    page = client.get(open_link(survey))
    assert page.status_code == 200
    assert "Wat verwacht u van de gemeente?" in page.content.decode()

    sent = client.post(open_link(survey), answers_form(module))
    assert sent.status_code == 302
    assert sent["Location"].startswith(reverse("resident_survey:thanks", args=[survey.slug]))
    stored = ResidentResponse.objects.get()
    assert stored.channel == Channel.OPEN_LINK
    codes = module.answer_codes()
    packed = bytes(stored.packed_answers)
    assert packed[codes.index("inw_online")] == 4
    assert packed[codes.index("inw_kanaal")] == 1  # website is the first option
    assert packed[codes.index("inw_diensten__verhuizing")] == 1
    assert packed[codes.index("inw_diensten__melding")] == 0
    assert ResidentOpenAnswer.objects.get().status == "pending"

    # The same browser again: thanked, not asked, and nothing more is stored.
    again = client.get(open_link(survey))
    assert "al ingevuld" in again.content.decode()
    client.post(open_link(survey), answers_form(module))
    assert ResidentResponse.objects.count() == 1


def test_a_forged_answered_cookie_is_ignored(survey, module):  # type: ignore[no-untyped-def]
    client = resident_client()
    client.cookies[f"roer_inw_{survey.slug}"] = survey.slug  # unsigned: a resident cannot fake the server's mark
    assert "al ingevuld" not in client.get(open_link(survey)).content.decode()


def test_the_honeypot_is_thanked_and_nothing_is_stored(survey, module):  # type: ignore[no-untyped-def]
    sent = resident_client().post(open_link(survey), answers_form(module, extra={"website": "http://spam.example"}))
    assert sent.status_code == 302
    assert ResidentResponse.objects.count() == 0


def test_an_invalid_answer_loses_only_itself(survey, module):  # type: ignore[no-untyped-def]
    client = resident_client()
    page = client.post(open_link(survey), answers_form(module, extra={"inw_mens": "9"}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kies een van de getoonde antwoorden" in html or "Choose one of the answers shown" in html
    # Every valid answer is still ticked on the page that comes back.
    assert 'name="inw_online" value="4" id="id_inw_online_3" checked' in html
    assert "Meer uitleg in eenvoudige taal." in html
    assert ResidentResponse.objects.count() == 0


def test_a_letter_code_counts_once_and_a_wrong_one_is_refused(survey, module):  # type: ignore[no-untyped-def]
    first, second = letter_codes(survey, 2)
    client = resident_client()
    sent = client.post(letter_link(survey), answers_form(module, extra={"code": first.lower().replace("-", " ")}))
    assert sent.status_code == 302
    assert ResidentResponse.objects.get().channel == Channel.LETTER
    assert LetterCode.objects.filter(used=True).count() == 1

    again = resident_client("198.51.100.4").post(letter_link(survey), answers_form(module, extra={"code": first}))
    assert again.status_code == 200
    assert "al ingevuld" in again.content.decode()
    wrong = client.post(letter_link(survey), answers_form(module, extra={"code": "ABCDE-FGHJK"}))
    assert wrong.status_code == 200
    assert ResidentResponse.objects.count() == 1
    # The code's letter may still answer: a wrong attempt by someone else spends nothing.
    assert client.post(letter_link(survey), answers_form(module, extra={"code": second})).status_code == 302
    # Nothing in a response points at the code that was used.
    assert {field.name for field in ResidentResponse._meta.fields}.isdisjoint({"code", "code_hash", "letter"})


def test_guessing_codes_is_slowed_down_per_address(survey, module, settings):  # type: ignore[no-untyped-def]
    settings.ROER_BAD_LINKS = "3/10m"
    (code,) = letter_codes(survey, 1)
    client = resident_client()
    for guess in ("ABCDE-FGHJK", "BCDEF-GHJKM", "CDEFG-HJKMN", "DEFGH-JKMNP"):
        client.post(letter_link(survey), answers_form(module, extra={"code": guess}))
    # Over the limit, even the right code waits: guessing cannot be mixed with a real code to continue.
    assert client.post(letter_link(survey), answers_form(module, extra={"code": code})).status_code == 429
    assert (
        resident_client("192.0.2.9").post(letter_link(survey), answers_form(module, extra={"code": code})).status_code
        == 302
    )


def test_submits_per_address_are_limited(survey, module, settings):  # type: ignore[no-untyped-def]
    settings.ROER_RESIDENT_SUBMITS_PER_ADDRESS = "5/h"
    statuses = [resident_client().post(open_link(survey), answers_form(module)).status_code for _ in range(7)]
    assert statuses == [302] * 5 + [429] * 2
    assert ResidentResponse.objects.count() == 5


def test_a_survey_that_has_not_opened_or_has_closed_takes_no_answers(survey, module):  # type: ignore[no-untyped-def]
    survey.opens_on = timezone.localdate() + datetime.timedelta(days=3)
    survey.state = "planned"
    survey.save()
    client = resident_client()
    assert "opent op" in client.get(open_link(survey)).content.decode()
    assert client.post(open_link(survey), answers_form(module)).status_code == 200
    survey.opens_on = timezone.localdate() - datetime.timedelta(days=3)
    survey.save()
    survey_close(survey=survey)
    closed = client.post(open_link(survey), answers_form(module))
    assert closed.status_code == 410
    assert ResidentResponse.objects.count() == 0


def test_a_further_language_reads_right_to_left(survey, module, monkeypatch):  # type: ignore[no-untyped-def]
    from roer.instruments.residents import ResidentsModule

    data = module.model_dump(mode="json")
    data["languages"] = [{"code": "ar", "name": "العربية", "direction": "rtl"}]

    def add_arabic(value):  # type: ignore[no-untyped-def]
        if isinstance(value, dict):
            if set(value) >= {"nl", "en"} and all(isinstance(v, str) for v in value.values()):
                return {**value, "ar": "نص " + value["nl"]}
            return {key: add_arabic(item) for key, item in value.items()}
        if isinstance(value, list):
            return [add_arabic(item) for item in value]
        return value

    data = add_arabic(data)
    data["perceived_title"].pop("ar")
    data["perceived_introduction"].pop("ar")
    for statement in data["statements"]:
        statement["perceived"].pop("ar")
    arabic = ResidentsModule.model_validate(data)
    from roer.web import resident_survey

    monkeypatch.setattr(resident_survey, "get_public_survey", lambda slug: (survey, arabic))
    html = resident_client().get(open_link(survey) + "?taal=ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "نص Ik wil mijn zaken met de gemeente online regelen." in html


def test_a_burst_from_one_network_is_found_left_out_and_audited(survey, module, alice, settings):  # type: ignore[no-untyped-def]
    settings.ROER_RESIDENT_BURST = 10
    for number in range(12):  # twelve answers from one /24 in one ten-minute window
        resident_client(f"203.0.113.{number + 10}").post(open_link(survey), answers_form(module, point="5"))
    for number in range(10):  # ten ordinary residents, each from their own network
        resident_client(f"198.51.{number}.1").post(open_link(survey), answers_form(module, point="2"))
    surveys_follow_clock()
    burst = Burst.objects.get()
    assert (burst.from_one_network, burst.responses, burst.status) == (True, 12, BurstStatus.SUSPECT)

    burst_decide(burst=burst, exclude=True, user=alice)
    assert ResidentResponse.objects.count() == 22  # nothing deleted
    assert AuditEvent.objects.filter(action=AuditAction.BURST_EXCLUDED).count() == 1
    figures = compute_resident_figures(survey, module)
    # Only the ten ordinary residents count: all answered 2, so the score is (2 - 1) / 4 * 100 = 25.
    assert figures["channels"]["open"]["n"] == 10
    assert figures["excluded"] == 12
    published = publish_resident_figures(module, figures)
    assert published.statements[TOGETHER]["inw_online"].score == pytest.approx(25.0)


def test_closing_erases_every_network_trace(survey, module):  # type: ignore[no-untyped-def]
    for number in range(3):
        resident_client(f"203.0.113.{number}").post(open_link(survey), answers_form(module))
    assert ResidentResponse.objects.exclude(network="").count() == 3
    survey_close(survey=survey)
    survey.refresh_from_db()
    assert survey.network_removed_at is not None
    assert ResidentResponse.objects.exclude(network="").count() == 0
    assert ResidentResponse.objects.filter(window__isnull=False).count() == 0
    assert Burst.objects.exclude(network="").count() == 0


def test_a_survey_closes_by_its_date(survey, module):  # type: ignore[no-untyped-def]
    survey.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    survey.save()
    assert surveys_follow_clock() == 1
    survey.refresh_from_db()
    assert survey.state == "closed"


@pytest.mark.parametrize("name", ["residents:detail", "residents:setup", "residents:paper_entry", "residents:close"])
def test_only_the_organisations_scan_managers_reach_the_survey(name, survey, bob_client, charlie_client):  # type: ignore[no-untyped-def]
    url = reverse(name, args=[survey.scan.code])
    assert charlie_client.get(url).status_code == 404
    assert bob_client.get(url).status_code in (403, 404)


def test_a_paper_form_is_entered_marked_as_paper_and_audited(survey, module, alice_client):  # type: ignore[no-untyped-def]
    url = reverse("residents:paper_entry", args=[survey.scan.code])
    assert alice_client.get(url).status_code == 200
    sent = alice_client.post(url, answers_form(module, point="dk"))
    assert sent.status_code == 302
    stored = ResidentResponse.objects.get()
    assert stored.channel == Channel.PAPER
    assert stored.network == ""
    assert bytes(stored.packed_answers)[0] == 255  # "don't know"
    assert AuditEvent.objects.filter(action=AuditAction.PAPER_FORM_ENTERED).count() == 1


def test_the_manager_opens_a_survey_and_sees_its_channels(scan, alice_client):  # type: ignore[no-untyped-def]
    setup = reverse("residents:setup", args=[scan.code])
    today = timezone.localdate()
    bad = alice_client.post(
        setup, {"opens_on": today.isoformat(), "closes_on": (today - datetime.timedelta(days=2)).isoformat()}
    )
    assert bad.status_code == 200
    assert ResidentResponse.objects.count() == 0
    sent = alice_client.post(
        setup, {"opens_on": today.isoformat(), "closes_on": (today + datetime.timedelta(days=14)).isoformat()}
    )
    assert sent.status_code == 302
    detail = alice_client.get(reverse("residents:detail", args=[scan.code]))
    assert detail.status_code == 200
    assert settings.ROER_BASE_URL + "/i/" in detail.content.decode()


def test_closing_keeps_how_many_letters_were_answered_and_deletes_the_codes(survey, module, alice_client):  # type: ignore[no-untyped-def]
    first, _second, _third = letter_codes(survey, 3)
    resident_client().post(letter_link(survey), answers_form(module, extra={"code": first}))
    survey_close(survey=survey)
    assert LetterCode.objects.count() == 0  # nothing tells any more which address took part
    assert LetterBatch.objects.get().used == 1
    detail = alice_client.get(reverse("residents:detail", args=[survey.scan.code])).content.decode()
    assert "1 van de 3 briefcodes zijn gebruikt." in detail
