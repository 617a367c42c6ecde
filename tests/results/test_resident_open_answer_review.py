"""Residents' open answers reach nobody before a scan manager has reviewed them, as a scan's do.

A resident answers without logging in and may type anything: a phone number, an e-mail address. Each
test plays one side: the resident whose details must not travel, the reader who must never see an answer
nobody reviewed, the manager who may take words out but never put words in, and the colleague or
stranger who may not decide at all. The scan itself stays open throughout: the residents' survey has
dates of its own, and its answers are reviewed once it has closed."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from roer.audit.models import AuditAction, AuditEvent
from roer.lifecycle import resident_life
from roer.lifecycle.reviewing import Decision, ReviewError, open_answer_decide
from roer.residents.answers import resident_response_store
from roer.residents.models import Burst, BurstStatus, Channel, ResidentOpenAnswer
from roer.results.review import resident_pending_count, resident_review_items
from tests.helpers import close
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

QUESTION = "inw_verwachting"
PHONE_ANSWER = "Bel me gerust op 06-12345678 als u meer wilt weten."
EMAIL_ANSWER = "Mail mij op piet.devries@voorbeeld.nl voor een gesprek."
ENGLISH_ANSWER = "The town should make its online forms much easier to use."
PLAIN = [f"Het moet makkelijker worden om online iets te regelen, punt {number}." for number in range(7)]
ANSWERS = [PHONE_ANSWER, EMAIL_ANSWER, ENGLISH_ANSWER, *PLAIN]  # ten: exactly the threshold
CHANNELS = [Channel.OPEN_LINK, Channel.LETTER, Channel.PAPER]


@pytest.fixture(autouse=True)
def _threshold(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ROER_RESIDENT_THRESHOLD = 10


def residents_answer(survey, texts):  # type: ignore[no-untyped-def]
    module = survey.scan.instrument_version.parsed.residents
    return [
        resident_response_store(
            survey=survey, module=module, channel=CHANNELS[number % 3], answers={}, open_answers={QUESTION: text}
        )
        for number, text in enumerate(texts)
    ]


def open_survey(scan, alice):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return resident_life.survey_create(
        scan=scan, opens_on=today, closes_on=today + datetime.timedelta(days=14), user=alice
    )


def closed(survey):  # type: ignore[no-untyped-def]
    resident_life.survey_close(survey=survey)
    run_tasks()
    survey.refresh_from_db()
    return survey


@pytest.fixture
def survey(scan, alice):  # type: ignore[no-untyped-def]
    """Ten residents answered the open question in three channels, then the survey closed; the scan
    (planned or open, never closed) plays no part in whether residents' answers can be reviewed."""
    survey = open_survey(scan, alice)
    residents_answer(survey, ANSWERS)
    return closed(survey)


def review_url(scan, action: str = "") -> str:  # type: ignore[no-untyped-def]
    return f"/scans/{scan.code}/open-answers/{action}"


def decide(client, scan, answer, decision, **extra):  # type: ignore[no-untyped-def]
    handle = ResidentOpenAnswer.objects.get(text=answer).handle
    data = {"tab": "residents", "handle": handle, "decision": decision, **extra}
    return client.post(review_url(scan, "decide/"), data, follow=True)


def published() -> dict[str, str]:
    """What a reader can ever be shown: {text: published text} of the published answers."""
    return dict(ResidentOpenAnswer.objects.filter(status="published").values_list("text", "published_text"))


def test_nothing_is_published_until_reviewed_and_a_phone_number_or_address_waits(survey, scan, alice_client):
    assert not scan.is_closed
    assert published() == {}
    assert set(ResidentOpenAnswer.objects.values_list("status", "published_text")) == {("pending", "")}
    assert resident_pending_count(survey) == 10
    page = alice_client.get(review_url(scan) + "?tab=residents").content.decode()
    assert "06-12345678" in page  # the manager reads everything, readers nothing yet
    response = alice_client.post(review_url(scan, "publish/"), {"tab": "residents"})
    assert response.status_code == 302
    assert published() == {text: text for text in PLAIN}  # the seven in which screening found nothing
    waiting = set(ResidentOpenAnswer.objects.filter(status="pending").values_list("text", "published_text"))
    assert waiting == {(PHONE_ANSWER, ""), (EMAIL_ANSWER, ""), (ENGLISH_ANSWER, "")}
    assert resident_pending_count(survey) == 3
    assert AuditEvent.objects.filter(action=AuditAction.OPEN_ANSWER_PUBLISHED).count() == 7
    waiting_page = alice_client.get(review_url(scan) + "?tab=residents&show=pending").content.decode()
    assert PLAIN[0] not in waiting_page
    assert PHONE_ANSWER.split("06")[0] in waiting_page


def test_screening_flags_the_number_the_address_and_the_lone_language(survey):
    flags = {item.text: {flag.value for flag in item.flags} for item in resident_review_items(survey)}
    assert flags[PHONE_ANSWER] == {"phone"}
    assert flags[EMAIL_ANSWER] == {"email"}
    # One English answer among ten; the nine Dutch ones are fewer than the threshold too, but they are
    # what most wrote, so they point at nobody.
    assert flags[ENGLISH_ANSWER] == {"language"}
    assert all(flags[text] == set() for text in PLAIN)


def test_the_review_page_marks_what_was_found_and_names_the_channel(survey, scan, alice_client):
    alice_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = alice_client.get(review_url(scan) + "?tab=residents&show=all").content.decode()
    assert '<mark title="telephone number">06-12345678</mark>' in page
    assert '<mark title="e-mail address">piet.devries@voorbeeld.nl</mark>' in page
    assert page.count('name="tab" value="residents"') == 10 + 1  # each answer's form and "publish all"
    # Answers 0, 3, 6 and 9 came by open link, 1, 4 and 7 by letter, 2, 5 and 8 on paper.
    assert page.count("· Open link and poster ·") == 0  # the channel stands before the status
    assert page.count("Paper form</span>") == 3
    assert page.count("Letter with a code (random sample)</span>") == 3
    assert page.count("Open link and poster</span>") == 4


def test_a_shortened_answer_publishes_only_the_shortened_text(survey, scan, alice_client):
    decide(alice_client, scan, PHONE_ANSWER, "redact", text="Bel me gerust op […] als u meer wilt weten.")
    answer = ResidentOpenAnswer.objects.get(text=PHONE_ANSWER)
    assert (answer.status, answer.published_text) == ("published", "Bel me gerust op […] als u meer wilt weten.")
    assert "12345678" not in "".join(published().values())
    event = AuditEvent.objects.get(action=AuditAction.OPEN_ANSWER_REDACTED)
    assert event.user_email == "alice@alfa.example"
    assert answer.handle in event.subject  # named by its handle,
    assert "Bel" not in event.subject  # not copied


def test_a_manager_cannot_put_words_in_a_residents_mouth(survey, scan, alice_client):
    response = decide(alice_client, scan, EMAIL_ANSWER, "redact", text="Mail mij op […] voor een compliment.")
    assert "Een antwoord kan alleen worden ingekort" in response.content.decode()
    response = decide(alice_client, scan, EMAIL_ANSWER, "redact", text=" […] ")
    assert "Er zou niets van dit antwoord overblijven" in response.content.decode()
    answer = ResidentOpenAnswer.objects.get(text=EMAIL_ANSWER)
    assert (answer.status, answer.published_text) == ("pending", "")
    assert not AuditEvent.objects.filter(action=AuditAction.OPEN_ANSWER_REDACTED).exists()


def test_publishing_withdrawing_and_hiding_are_each_audited(survey, scan, alice_client):
    decide(alice_client, scan, PLAIN[0], "publish")
    assert published() == {PLAIN[0]: PLAIN[0]}
    decide(alice_client, scan, PLAIN[0], "withdraw")
    assert published() == {}
    decide(alice_client, scan, PLAIN[0], "hide")
    answer = ResidentOpenAnswer.objects.get(text=PLAIN[0])
    assert (answer.status, answer.published_text) == ("hidden", "")
    decisions = AuditEvent.objects.filter(action__startswith="open_answer").order_by("pk")
    assert list(decisions.values_list("action", flat=True)) == [
        "open_answer_published",
        "open_answer_withdrawn",
        "open_answer_hidden",
    ]
    assert all(answer.handle in subject for subject in decisions.values_list("subject", flat=True))


def test_a_reader_gets_403_and_an_outsider_404_on_every_residents_review_address(
    survey, scan, bob_client, charlie_client
):
    handle = ResidentOpenAnswer.objects.get(text=PLAIN[0]).handle
    for client, refused in ((bob_client, 403), (charlie_client, 404)):
        assert client.get(review_url(scan) + "?tab=residents").status_code == refused
        data = {"tab": "residents", "handle": handle, "decision": "publish"}
        assert client.post(review_url(scan, "decide/"), data).status_code == refused
        assert client.post(review_url(scan, "publish/"), {"tab": "residents"}).status_code == refused
    assert published() == {}
    assert not AuditEvent.objects.filter(action__startswith="open_answer").exists()


def test_a_scan_without_residents_survey_has_no_residents_tab(other_scan, charlie_client):
    assert charlie_client.get(review_url(other_scan) + "?tab=residents").status_code == 404
    assert charlie_client.post(review_url(other_scan, "publish/"), {"tab": "residents"}).status_code == 404


def test_decisions_before_the_survey_closes_are_refused_with_a_clear_message(scan, alice, alice_client):
    survey = open_survey(scan, alice)
    residents_answer(survey, ANSWERS)
    alice_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    refusal = "answers can be reviewed once the residents"  # the apostrophes are escaped in messages
    page = alice_client.get(review_url(scan) + "?tab=residents").content.decode()
    assert refusal in page
    assert "06-12345678" not in page  # not even the manager reads while answers can still come in
    for text in (PLAIN[0], PHONE_ANSWER):
        assert refusal in decide(alice_client, scan, text, "publish").content.decode()
    response = alice_client.post(review_url(scan, "publish/"), {"tab": "residents"}, follow=True)
    assert refusal in response.content.decode()
    assert published() == {}
    assert not AuditEvent.objects.filter(action__startswith="open_answer").exists()
    with pytest.raises(ReviewError, match="once the residents' survey has closed"):
        open_answer_decide(scan=scan, user=alice, handle="x", decision=Decision.HIDE, residents=True)


def test_a_question_fewer_than_the_threshold_answered_is_read_by_nobody(scan, alice, alice_client):
    """Nine counted answers and one in a burst left out of the figures: ten in the table, nine that
    count, one short of the threshold, so not even the manager reads or publishes one."""
    survey = open_survey(scan, alice)
    residents_answer(survey, ANSWERS[:9])
    [spam] = residents_answer(survey, ["Spam spam spam, dit telt niet mee."])
    now = timezone.now()
    burst = Burst.objects.create(
        survey=survey, window_start=now, window_end=now, responses=1, status=BurstStatus.EXCLUDED
    )
    spam.burst = burst
    spam.save(update_fields=["burst"])
    survey = closed(survey)
    assert resident_review_items(survey) == []
    assert resident_pending_count(survey) == 0
    alice_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = alice_client.get(review_url(scan) + "?tab=residents&show=all").content.decode()
    assert "too few residents answered this question" in page
    assert PLAIN[0] not in page
    response = decide(alice_client, scan, PLAIN[0], "publish")
    assert "This open answer is not part of this scan&#x27;s review." in response.content.decode()
    assert published() == {}


def test_an_answer_in_a_left_out_burst_can_be_hidden_but_never_published(scan, alice, alice_client):
    """Ten counted answers make the question readable; the eleventh, in a burst left out of the
    figures, is shown to the manager marked, is skipped by "publish all", and cannot be published."""
    survey = open_survey(scan, alice)
    residents_answer(survey, ANSWERS)
    [spam] = residents_answer(survey, ["Spam spam spam, dit telt niet mee."])
    now = timezone.now()
    spam.burst = Burst.objects.create(
        survey=survey, window_start=now, window_end=now, responses=1, status=BurstStatus.EXCLUDED
    )
    spam.save(update_fields=["burst"])
    survey = closed(survey)
    left_out = {item.text for item in resident_review_items(survey) if item.left_out}
    assert left_out == {"Spam spam spam, dit telt niet mee."}
    assert resident_pending_count(survey) == 10
    alice_client.post(review_url(scan, "publish/"), {"tab": "residents"})
    assert "Spam spam spam, dit telt niet mee." not in published()
    assert len(published()) == 7
    alice_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = decide(alice_client, scan, "Spam spam spam, dit telt niet mee.", "publish")
    assert "left out of the figures; it cannot be published" in response.content.decode()
    decide(alice_client, scan, "Spam spam spam, dit telt niet mee.", "hide")
    assert ResidentOpenAnswer.objects.get(response=spam).status == "hidden"


def test_the_scans_own_review_offers_the_residents_tab_once_closed(survey, scan, alice_client):
    close(scan)
    page = alice_client.get(review_url(scan)).content.decode()
    assert 'href="?tab=residents"' in page
    assert "06-12345678" not in page  # the scan's own tab shows no resident's answer
