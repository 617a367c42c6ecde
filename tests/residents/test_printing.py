"""The printable material of a residents' survey: the poster's QR code and link, the letters and their
codes (stored as hashes only, each accepted once), the paper form, and who may print them."""

import datetime
import io
import re
import zipfile
from pathlib import Path

import pytest
import segno
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from roer.lifecycle import letters
from roer.lifecycle.resident_life import survey_close, survey_create
from roer.lifecycle.schedule import follow_clock
from roer.residents.answers import CODE_LENGTH, code_hash, letter_code_claim, looks_like_code
from roer.residents.models import LetterBatch, LetterCode

pytestmark = pytest.mark.django_db

BASE = "https://roer.example.nl"


@pytest.fixture(autouse=True)
def _base_url(settings):  # type: ignore[no-untyped-def]
    settings.ROER_BASE_URL = BASE


def url(name: str, survey, *args) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"residents:{name}", args=[survey.scan.code, *args])


def dutch(message: str) -> str:
    """A message as Dutch readers see it; the wording is the catalogue's, but it must be translated."""
    with translation.override("nl"):
        translated = translation.gettext(message)
    assert translated != message, f"not translated: {message}"
    return translated


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_pages(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def qr_matrices(svg: str) -> list[list[list[int]]]:
    """The QR codes drawn in SVG markup, read back from segno's paths ("M2 2.5h7m2 0h3 ...": a run of dark
    modules per h, relative moves between runs), without the 4-module quiet zone."""
    found = []
    for path in re.findall(r'<path[^>]* d="([^"]+)"', svg):
        dark = set()
        x = y = 0.0
        for command, numbers in re.findall(r"([MmHh])([-\d. ]+)", path):
            values = [float(value) for value in numbers.split()]
            if command == "M":
                x, y = values
            elif command == "m":
                x, y = x + values[0], y + values[1]
            else:
                dark.update((int(x) + step, int(y - 0.5)) for step in range(int(values[0])))
                x += values[0]
        size = max(max(cell[0] for cell in dark), max(cell[1] for cell in dark)) - 4 + 1
        found.append([[int((column + 4, row + 4) in dark) for column in range(size)] for row in range(size)])
    return found


def expected_matrix(text: str) -> list[list[int]]:
    return [[int(bool(module)) for module in row] for row in segno.make(text, error="m").matrix]


def open_link(survey) -> str:  # type: ignore[no-untyped-def]
    return f"{BASE}/i/{survey.slug}/"


def letter_link(survey) -> str:  # type: ignore[no-untyped-def]
    return f"{BASE}/i/{survey.slug}/brief/"


def ask_letters(client: Client, survey, size: str):  # type: ignore[no-untyped-def]
    return client.post(url("letters", survey), {"size": size})


def made_batch(survey, alice, size: int) -> LetterBatch:  # type: ignore[no-untyped-def]
    """A batch asked for through the page and made by the worker."""
    client = Client()
    client.force_login(alice)
    assert ask_letters(client, survey, str(size)).status_code == 302
    batch = LetterBatch.objects.get(survey=survey)
    assert letters.make_letters.call(batch.pk) is True
    batch.refresh_from_db()
    return batch


def csv_codes(batch: LetterBatch) -> list[str]:
    with default_storage.open(batch.codes_file, "rb") as handle:
        lines = handle.read().decode("ascii").splitlines()
    assert lines[0] == "code"
    return lines[1:]


def stored(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


# The poster


def test_the_poster_pdf_is_one_page_with_the_short_link_the_name_and_the_closing_date(alice_client, survey):  # type: ignore[no-untyped-def]
    response = alice_client.get(url("poster_pdf", survey))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert pdf_pages(response.content) == 1
    text = pdf_text(response.content)
    assert f"roer.example.nl/i/{survey.slug}/" in text
    assert "Wat verwacht u van de gemeente?" in text
    assert "Gemeente Alfa" in text
    # The fixture's survey closes twenty days after the fixed clock's 16 March 2026.
    assert "5 april 2026" in text


def test_the_poster_pdf_comes_in_english_when_asked(alice_client, survey):  # type: ignore[no-untyped-def]
    text = pdf_text(alice_client.get(url("poster_pdf", survey) + "?lang=en").content)
    assert "What do you expect of the municipality?" in text
    assert "5 April 2026" in text


def test_the_poster_svg_holds_the_qr_code_of_the_open_link_and_fetches_nothing(alice_client, survey):  # type: ignore[no-untyped-def]
    response = alice_client.get(url("poster_svg", survey))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert qr_matrices(svg) == [expected_matrix(open_link(survey))]
    assert f"roer.example.nl/i/{survey.slug}/" in svg
    assert "5 april 2026" in svg
    assert "href" not in svg  # no image, font or style from anywhere
    assert not re.search(r'="[\d.]*,', svg)  # positions are numbers in any language ("202,5" is no number)


def test_the_qr_svg_file_is_the_code_of_the_open_link(alice_client, survey):  # type: ignore[no-untyped-def]
    response = alice_client.get(url("qr_svg", survey))
    svg = response.content.decode()
    assert svg.startswith("<?xml")
    # segno's file draws at 10 units a module; the path is in module units under a scale.
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert qr_matrices(svg) == [expected_matrix(open_link(survey))]


def test_a_qr_code_of_another_link_would_not_pass_for_it(alice_client, survey):  # type: ignore[no-untyped-def]
    # The matrix check tells links apart: the letter link's code is not the open link's.
    svg = alice_client.get(url("poster_svg", survey)).content.decode()
    assert qr_matrices(svg) != [expected_matrix(letter_link(survey))]


# The paper questionnaire


def test_the_paper_form_is_marked_as_paper_and_holds_every_question_in_dutch(alice_client, survey, module):  # type: ignore[no-untyped-def]
    response = alice_client.get(url("paper_pdf", survey))
    assert response.status_code == 200
    assert pdf_pages(response.content) <= 2
    text = pdf_text(response.content)
    assert text.count("Papieren vragenlijst") >= 2  # on the form and at the top of every page
    for statement in module.statements:
        assert " ".join(statement.resident.nl.split()[:4]) in text
    for label in [*module.scale.labels, module.scale.dont_know]:
        assert label.nl in text
    for choice in module.choices:
        for option in choice.options:
            assert option.text.nl.split(",")[0] in text
    assert module.open_questions[0].question.nl.split()[0] in text
    assert dutch("Cross one answer.") in text
    assert dutch("Cross every answer that fits.") in text
    honest = dutch(
        "Do not write your name or address on this form. An employee of the municipality types your answers into "
        "the computer, exactly as you crossed them. What you write in your own words is only shown after a check."
    )
    assert " ".join(honest.split()[:8]) in text
    assert module.privacy.nl.split(".")[0] in text


def test_the_paper_form_comes_in_english_with_lang_en(alice_client, survey, module):  # type: ignore[no-untyped-def]
    text = pdf_text(alice_client.get(url("paper_pdf", survey) + "?lang=en").content)
    assert "Paper questionnaire" in text
    assert "Papieren vragenlijst" not in text
    assert module.statements[0].resident.en in text
    assert "Strongly disagree" in text


def test_an_unknown_language_gives_the_dutch_form(alice_client, survey):  # type: ignore[no-untyped-def]
    text = pdf_text(alice_client.get(url("paper_pdf", survey) + "?lang=xx").content)
    assert "Papieren vragenlijst" in text


# Asking for letters


NOT_A_NUMBER = "Fill in a whole number of letters, such as 500."
TOO_MANY = "At most 20,000 letters can be made at a time. Ask for a second batch for more."


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "Ask for at least 1 letter."),
        ("-5", NOT_A_NUMBER),
        ("20001", TOO_MANY),
        ("1.000.000", TOO_MANY),
        ("veel", NOT_A_NUMBER),
        ("2,5", NOT_A_NUMBER),  # not read as 25
        ("", "Fill in how many letters you need."),
    ],
)
def test_a_bad_number_of_letters_is_refused_with_a_clear_message(alice_client, survey, typed, message):  # type: ignore[no-untyped-def]
    response = ask_letters(alice_client, survey, typed)
    assert response.status_code == 200
    assert dutch(message) in response.content.decode()
    assert not LetterBatch.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_the_errors_are_in_english_for_an_english_reader(alice_client, survey):  # type: ignore[no-untyped-def]
    alice_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Ask for at least 1 letter." in ask_letters(alice_client, survey, "0").content.decode()
    assert "At most 20,000 letters" in ask_letters(alice_client, survey, "20001").content.decode()
    assert "Fill in a whole number of letters" in ask_letters(alice_client, survey, "abc").content.decode()


@pytest.mark.parametrize(("typed", "size"), [("20.000", 20000), ("2,000", 2000), ("1 500", 1500), ("20000", 20000)])
def test_thousands_separators_are_read_as_such(alice_client, survey, typed, size):  # type: ignore[no-untyped-def]
    assert ask_letters(alice_client, survey, typed).status_code == 302
    assert LetterBatch.objects.get().size == size


def test_asking_for_letters_queues_one_batch_and_its_worker(alice_client, survey, alice):  # type: ignore[no-untyped-def]
    response = ask_letters(alice_client, survey, "3")
    assert response["Location"] == url("letters", survey)
    batch = LetterBatch.objects.get()
    assert (batch.size, batch.status, batch.requested_by) == (3, LetterBatch.Status.QUEUED, alice)
    task = DBTaskResult.objects.get()
    assert task.task_path == "roer.lifecycle.letters.make_letters"
    assert task.args_kwargs["args"] == [batch.pk]
    assert not LetterCode.objects.exists()  # the codes are the worker's


def test_a_closed_survey_makes_no_more_letters(alice_client, survey):  # type: ignore[no-untyped-def]
    survey_close(survey=survey)
    response = ask_letters(alice_client, survey, "10")
    assert response.status_code == 409
    assert (
        "De inwonersenquête is gesloten, dus er kunnen geen brieven meer worden gemaakt." in response.content.decode()
    )
    assert not LetterBatch.objects.exists()


def test_a_survey_past_its_closing_date_is_closed_by_the_request_and_refuses(alice, survey):  # type: ignore[no-untyped-def]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=21)):
        client = Client()
        client.force_login(alice)  # a fresh session: the fixture's would have expired
        response = ask_letters(client, survey, "10")
    assert response.status_code == 409
    assert not LetterBatch.objects.exists()


def test_a_planned_survey_can_have_its_letters_made_before_it_opens(alice_client, other_scan, charlie):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    planned = survey_create(
        scan=other_scan,
        opens_on=today + datetime.timedelta(days=7),
        closes_on=today + datetime.timedelta(days=30),
        user=charlie,
    )
    client = Client()
    client.force_login(charlie)
    assert ask_letters(client, planned, "2").status_code == 302


# Making the letters


def test_the_letters_hold_each_code_once_and_the_database_only_its_hash(survey, alice):  # type: ignore[no-untyped-def]
    batch = made_batch(survey, alice, 3)
    assert batch.status == LetterBatch.Status.READY
    assert batch.letters_file.startswith("residents/letters/")
    assert batch.letters_file.endswith(".pdf")
    assert batch.codes_file.startswith("residents/letters/")
    assert batch.codes_file.endswith(".csv")
    codes = csv_codes(batch)
    assert len(codes) == len(set(codes)) == 3
    assert all(looks_like_code(code) for code in codes)
    pdf = stored(batch.letters_file)
    assert pdf_pages(pdf) == 3
    text = pdf_text(pdf)
    for code in codes:
        assert text.count(code) == 1
    assert text.count(letter_link(survey)) == 3
    assert dutch("Dear resident,") in text
    assert dutch("You can take part up to and including %(date)s.") % {"date": "5 april 2026"} in text
    # The database: three hashes, and no code in any column.
    rows = list(LetterCode.objects.filter(batch=batch).values())
    assert sorted(row["code_hash"] for row in rows) == sorted(code_hash(code) for code in codes)
    for row in rows:
        for value in row.values():
            assert not any(code.replace("-", "") in str(value).replace("-", "") for code in codes)


@pytest.mark.django_db(transaction=True)
def test_no_code_is_anywhere_in_the_database_file(survey, alice):  # type: ignore[no-untyped-def]
    batch = made_batch(survey, alice, 4)
    codes = csv_codes(batch)
    assert LetterCode.objects.count() == 4
    if connection.vendor != "sqlite":
        pytest.skip("reads SQLite's files")
    path = Path(connection.settings_dict["NAME"])
    connection.close()  # every write in the database file or its write-ahead log
    data = b"".join(Path(f"{path}{suffix}").read_bytes() for suffix in ("", "-wal") if Path(f"{path}{suffix}").exists())
    for code in codes:
        assert code.encode() not in data
        assert code.replace("-", "").encode() not in data
    # The check can see a code if there was one: the hashes are there.
    assert code_hash(codes[0]).encode() in data


def test_every_code_in_the_csv_is_accepted_exactly_once(survey, alice):  # type: ignore[no-untyped-def]
    codes = csv_codes(made_batch(survey, alice, 5))
    assert [letter_code_claim(survey, code) for code in codes] == [True] * 5
    assert [letter_code_claim(survey, code) for code in codes] == [False] * 5
    assert LetterCode.objects.filter(used=True).count() == 5


def test_each_letters_qr_code_opens_the_letter_page_with_its_code_after_the_hash(survey, module):  # type: ignore[no-untyped-def]
    codes = ["ABCDE-FGHJK", "MNPQR-STUVW"]
    html = letters.letters_html(survey, module, codes)
    assert qr_matrices(html) == [expected_matrix(f"{letter_link(survey)}#code={code}") for code in codes]
    assert 'class="address-window"' in html
    assert "href" not in html
    assert "src=" not in html


def test_a_large_batch_comes_as_a_zip_of_pdfs(survey, alice, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(letters, "LETTERS_PER_PDF", 2)
    batch = made_batch(survey, alice, 5)
    assert batch.letters_file.endswith(".zip")
    codes = csv_codes(batch)
    with zipfile.ZipFile(io.BytesIO(stored(batch.letters_file))) as archive:
        names = archive.namelist()
        assert names == ["brieven-00001-00002.pdf", "brieven-00003-00004.pdf", "brieven-00005-00005.pdf"]
        pages = [pdf_pages(archive.read(name)) for name in names]
        texts = [pdf_text(archive.read(name)) for name in names]
    assert pages == [2, 2, 1]
    # The letters in the zip are the codes of the CSV, in its order.
    assert [code for text in texts for code in codes if code in text] == codes


def test_running_the_worker_again_for_a_ready_batch_changes_nothing(survey, alice):  # type: ignore[no-untyped-def]
    batch = made_batch(survey, alice, 3)
    hashes = sorted(LetterCode.objects.values_list("code_hash", flat=True))
    files = (batch.letters_file, batch.codes_file, stored(batch.letters_file), stored(batch.codes_file))
    assert letters.make_letters.call(batch.pk) is False
    batch.refresh_from_db()
    assert sorted(LetterCode.objects.values_list("code_hash", flat=True)) == hashes
    assert (batch.letters_file, batch.codes_file, stored(batch.letters_file), stored(batch.codes_file)) == files
    prefix = f"{survey.slug}-{batch.pk}-"
    assert len([name for name in default_storage.listdir("residents/letters/")[1] if name.startswith(prefix)]) == 2


def test_a_batch_that_never_got_ready_is_made_anew_without_its_earlier_codes_and_files(survey, alice):  # type: ignore[no-untyped-def]
    batch = LetterBatch.objects.create(survey=survey, size=2, requested_by=alice, status=LetterBatch.Status.FAILED)
    old_letters = default_storage.save("residents/letters/old-brieven.pdf", ContentFile(b"%PDF old"))
    old_codes = default_storage.save("residents/letters/old-codes.csv", ContentFile(b"code\r\nAAAAA-AAAAA\r\n"))
    LetterBatch.objects.filter(pk=batch.pk).update(letters_file=old_letters, codes_file=old_codes)
    LetterCode.objects.create(survey=survey, batch=batch, code_hash=code_hash("AAAAA-AAAAA"))

    assert letters.make_letters.call(batch.pk) is True
    batch.refresh_from_db()
    assert batch.status == LetterBatch.Status.READY
    assert not default_storage.exists(old_letters)
    assert not default_storage.exists(old_codes)
    assert not letter_code_claim(survey, "AAAAA-AAAAA")
    codes = csv_codes(batch)
    assert sorted(LetterCode.objects.values_list("code_hash", flat=True)) == sorted(code_hash(c) for c in codes)


def test_a_batch_that_was_deleted_before_its_worker_ran_is_skipped(survey, alice):  # type: ignore[no-untyped-def]
    assert letters.make_letters.call(12345) is False


# Downloads and their removal after a week


def test_the_scan_manager_downloads_the_letters_and_the_codes(alice_client, survey, alice):  # type: ignore[no-untyped-def]
    batch = made_batch(survey, alice, 2)
    page = alice_client.get(url("letters", survey)).content.decode()
    assert url("letters_file", survey, batch.pk) in page
    assert url("letters_codes", survey, batch.pk) in page
    pdf = alice_client.get(url("letters_file", survey, batch.pk))
    assert pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]
    assert pdf_pages(b"".join(pdf.streaming_content)) == 2
    csv = alice_client.get(url("letters_codes", survey, batch.pk))
    assert b"".join(csv.streaming_content).decode().splitlines() == ["code", *csv_codes(batch)]
    assert "no-store" in csv["Cache-Control"]


def test_a_batch_not_ready_yet_has_nothing_to_download(alice_client, survey):  # type: ignore[no-untyped-def]
    ask_letters(alice_client, survey, "2")
    batch = LetterBatch.objects.get()
    assert alice_client.get(url("letters_file", survey, batch.pk)).status_code == 404
    assert alice_client.get(url("letters_codes", survey, batch.pk)).status_code == 404


def test_the_files_go_after_seven_days_and_the_codes_stay_valid(alice_client, survey, alice):  # type: ignore[no-untyped-def]
    batch = made_batch(survey, alice, 2)
    codes = csv_codes(batch)
    names = (batch.letters_file, batch.codes_file)
    with time_machine.travel(batch.requested_at + datetime.timedelta(days=6, hours=23), tick=False):
        follow_clock.call()
    batch.refresh_from_db()
    assert batch.status == LetterBatch.Status.READY
    assert all(default_storage.exists(name) for name in names)

    removal = batch.requested_at + datetime.timedelta(days=7, minutes=1)
    with time_machine.travel(removal, tick=False):
        follow_clock.call()
    batch.refresh_from_db()
    assert batch.status == LetterBatch.Status.REMOVED
    assert batch.files_removed_at == removal
    assert not any(default_storage.exists(name) for name in names)
    assert alice_client.get(url("letters_file", survey, batch.pk)).status_code == 404
    assert alice_client.get(url("letters_codes", survey, batch.pk)).status_code == 404
    assert letters.make_letters.call(batch.pk) is False  # a removed batch is not made again
    assert letter_code_claim(survey, codes[0])


# Who may print


def printing_urls(survey, batch_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        url("poster_pdf", survey),
        url("poster_svg", survey),
        url("qr_svg", survey),
        url("paper_pdf", survey),
        url("letters", survey),
        url("letters_file", survey, batch_id),
        url("letters_codes", survey, batch_id),
    ]


def test_an_outsider_gets_404_and_a_reader_403_on_every_printing_url(survey, alice, bob_client, charlie_client):  # type: ignore[no-untyped-def]
    batch = made_batch(survey, alice, 1)
    for address in printing_urls(survey, batch.pk):
        assert charlie_client.get(address).status_code == 404, address
        assert bob_client.get(address).status_code == 403, address
    assert charlie_client.post(url("letters", survey), {"size": "5"}).status_code == 404
    assert bob_client.post(url("letters", survey), {"size": "5"}).status_code == 403
    assert LetterBatch.objects.count() == 1


def test_someone_logged_out_is_sent_to_log_in(client, survey):  # type: ignore[no-untyped-def]
    for address in printing_urls(survey, 1):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_scan_without_a_residents_survey_has_no_printing(alice_client, scan):  # type: ignore[no-untyped-def]
    for name in ("poster_pdf", "poster_svg", "qr_svg", "paper_pdf", "letters"):
        assert alice_client.get(reverse(f"residents:{name}", args=[scan.code])).status_code == 404


def test_a_batch_of_another_survey_cannot_be_downloaded_through_this_one(survey, alice, other_scan, charlie):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    other = survey_create(scan=other_scan, opens_on=today, closes_on=today + datetime.timedelta(days=9), user=charlie)
    theirs = made_batch(other, charlie, 1)
    client = Client()
    client.force_login(alice)
    assert client.get(url("letters_codes", survey, theirs.pk)).status_code == 404
    assert client.get(url("letters_file", survey, theirs.pk)).status_code == 404


def test_a_code_is_ten_characters_in_two_groups(survey, alice):  # type: ignore[no-untyped-def]
    code = csv_codes(made_batch(survey, alice, 1))[0]
    assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", code)
    assert len(code.replace("-", "")) == CODE_LENGTH
