"""Drafts nobody reads from the database: each is sealed with the respondent's own link, which the server
does not keep, and what the database files keep after a submit is wiped within a minute.

The attacks here are those of someone with a copy of the database (or its files) and the code: read the
draft rows, try every key the server holds, restore the write-ahead log, join rows by their stamps."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from roer.lib.sealing import unseal
from roer.lifecycle.retention import scan_personal_data_remove
from roer.lifecycle.traces import traces_erase
from roer.responses.models import ResponseDraft
from roer.responses.questionnaire import pages_for
from roer.scans.models import AccessToken
from tests.conftest import link_for
from tests.factories import InvitationFactory
from tests.groups import GroupKind
from tests.helpers import answer_all, close, constant, draft_of, page_data, post_page

pytestmark = pytest.mark.django_db

DRAFT_TEXT = "Conceptzin-Q7: bel Jan op 06-12345678"
NOTICE = "U bent al begonnen met de link uit een andere e-mail"


@pytest.fixture
def director(scan):
    return InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.DIRECTIE), email="d.irecteur@alfa.example")


def save_last_page(client, director, path, text=DRAFT_TEXT, action="save"):  # type: ignore[no-untyped-def]
    definition = director.scan.instrument_version.parsed
    pages = pages_for(definition, "self")
    last = pages[-1]
    data = page_data(last, definition, constant(4), action=action)
    data[last.open[0].code] = text
    return post_page(client, path, last, len(pages), data)


def raw_draft_rows() -> list[bytes]:
    """Every draft row as the database holds it, every column turned into bytes."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ResponseDraft._meta.db_table}")  # noqa: S608 - a model's own table
        return [
            b"|".join(bytes(value) if isinstance(value, memoryview | bytes) else str(value).encode() for value in row)
            for row in cursor.fetchall()
        ]


def test_a_draft_row_holds_no_answer_code_or_text(client, director):
    path = link_for(director)
    save_last_page(client, director, path)
    rows = raw_draft_rows()
    assert len(rows) == 1
    for readable in (b"Conceptzin", b"12345678", b"ref_verandering", b"answers", b'": 4'):
        assert readable not in rows[0]
    assert draft_of(director, path).open_answers  # while the link opens it


def test_no_key_the_server_holds_opens_a_draft(client, director, scan):
    path = link_for(director)
    save_last_page(client, director, path)
    draft = ResponseDraft.objects.get(invitation=director)
    candidates = [
        *AccessToken.objects.values_list("token_hash", flat=True),  # what the server keeps of each link
        director.email,
        str(director.pk),
        str(scan.code),
        draft.sealed_by,
    ]
    contexts = [f"roer draft of invitation {director.pk}", ""]
    assert all(unseal(key, context, bytes(draft.sealed)) is None for key in candidates for context in contexts)


def test_a_link_from_another_email_says_where_the_answers_are_and_starts_afresh(client, director):
    first = link_for(director)
    save_last_page(client, director, first)
    second = link_for(director)  # the reminder's link
    last = pages_for(director.scan.instrument_version.parsed, "self")[-1]
    page = Client().get(f"{second}{last.number}/").content.decode()
    assert NOTICE in page
    assert "Conceptzin" not in page
    assert " checked" not in page
    assert NOTICE not in Client().get(f"{first}{last.number}/").content.decode()  # the first link still works
    # Going on with the second link replaces the draft, as the notice said; now the first one is the stranger
    save_last_page(Client(), director, second, text="Nieuwe tekst")
    assert draft_of(director, second).open_answers[last.open[0].code] == "Nieuwe tekst"
    assert NOTICE in Client().get(f"{first}{last.number}/").content.decode()


def test_a_submit_stores_what_this_link_saved(client, director):
    path = link_for(director)
    definition = director.scan.instrument_version.parsed
    answer_all(client, path, definition, "self", constant(2))
    director.refresh_from_db()
    assert director.submitted
    assert not ResponseDraft.objects.exists()


def test_a_draft_saved_before_sealing_opens_once_and_is_sealed_by_the_next_save(client, director):
    path = link_for(director)
    ResponseDraft.objects.create(
        invitation=director,
        sealed=b"",
        sealed_by="",
        unsealed={"answers": {"ken_tijd": 5}, "open_answers": {}, "page": 1},
    )
    assert 'value="5" id="id_ken_tijd_4" checked' in client.get(f"{path}1/").content.decode()
    first = pages_for(director.scan.instrument_version.parsed, "self")[0]
    client.post(f"{path}2/", page_data(first, director.scan.instrument_version.parsed, constant(3)))
    row = ResponseDraft.objects.get(invitation=director)
    assert row.unsealed is None
    assert draft_of(director, path).answers["ken_tijd"] == 3


def database_files() -> list[Path]:
    name = Path(connection.settings_dict["NAME"])
    return [path for path in (name, Path(f"{name}-wal"), Path(f"{name}-shm")) if path.exists()]


@pytest.mark.django_db(transaction=True)
def test_after_a_submit_and_a_minute_the_sqlite_files_hold_no_draft_and_an_empty_log(director):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's files")
    client = Client()
    path = link_for(director)
    save_last_page(client, director, path)
    save_last_page(client, director, path, text="Definitief antwoord", action="submit")
    director.refresh_from_db()
    assert director.submitted
    traces_erase()
    wal = Path(f"{connection.settings_dict['NAME']}-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # nothing of the last minute's pages is kept
    for file in database_files():
        assert b"Conceptzin" not in file.read_bytes(), file  # the draft never reached a file readable


@pytest.mark.django_db(transaction=True)
def test_a_removed_address_is_zeroed_in_the_sqlite_file(director):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's files")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1
    traces_erase()
    assert any(b"d.irecteur@alfa.example" in file.read_bytes() for file in database_files())
    scan_personal_data_remove(scan=close(director.scan))
    traces_erase()
    for file in database_files():
        assert b"d.irecteur@alfa.example" not in file.read_bytes(), file


@pytest.mark.django_db(transaction=True)
def test_no_answered_invitation_shares_its_row_stamp_with_a_response_after_a_minute(scan):
    """PostgreSQL stamps every row with the transaction that wrote it; a submit writes the invitation and
    the response in one. The attack joins them by that stamp."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's row stamps")
    group = scan.groups.get(kind=GroupKind.MEDEWERKERS)
    definition = scan.instrument_version.parsed
    for number in range(3):
        invitation = InvitationFactory(scan=scan, group=group, email=f"m{number}@alfa.example")
        answer_all(Client(), link_for(invitation), definition, "others", constant(number + 2))
    joined = "SELECT i.email FROM scans_invitation i JOIN responses_response r ON i.xmin = r.xmin WHERE i.scan_id = %s"
    with connection.cursor() as cursor:
        cursor.execute(joined, [scan.pk])
        assert len(cursor.fetchall()) == 3  # the leak, as the rows stand right after the submits
    assert traces_erase() == 3
    with connection.cursor() as cursor:
        cursor.execute(joined, [scan.pk])
        assert cursor.fetchall() == []
    assert traces_erase() == 0  # nothing new came in: nothing is rewritten
