"""Reading pasted lists and CSV files: every bad line is reported with its number and reason, duplicates
are merged and valid lines are kept."""

import pytest

from roer.instruments.groups import groups_before_format_2
from roer.scans.invitees import GroupWords, decode_upload, parse_csv, parse_pasted

GROUPS = {"directie", "management", "medewerkers"}


def words(available=GROUPS, instrument=None):  # type: ignore[no-untyped-def]
    """What a scan with these groups of the instrument (the municipal one by default) understands."""
    return GroupWords.of(instrument or groups_before_format_2(), available)


@pytest.fixture(autouse=True)
def _english(english):
    return None


def test_pasted_addresses_may_be_separated_by_lines_commas_and_semicolons():
    result = parse_pasted("a@x.nl\nb@x.nl, c@x.nl; d@x.nl\n\n", groups=words())
    assert [invitee.email for invitee in result.invitees] == ["a@x.nl", "b@x.nl", "c@x.nl", "d@x.nl"]
    assert result.problems == []


def test_addresses_copied_from_a_mail_program_are_understood():
    result = parse_pasted('"Jansen, Jan" <Jan.Jansen@Gemeente.nl>\nPiet <piet@gemeente.nl>', groups=words())
    emails = [invitee.email for invitee in result.invitees]
    assert "jan.jansen@gemeente.nl" in emails
    assert "piet@gemeente.nl" in emails


def test_bad_lines_are_reported_with_their_number_and_valid_lines_are_kept():
    text = "good@x.nl\nnot-an-address\nalso.good@x.nl\nbad@\n"
    result = parse_pasted(text, groups=words())
    assert [invitee.email for invitee in result.invitees] == ["good@x.nl", "also.good@x.nl"]
    assert [(problem.line, problem.text) for problem in result.problems] == [(2, "not-an-address"), (4, "bad@")]
    assert "not a valid e-mail address" in result.problems[0].reason


def test_duplicates_are_merged_whatever_their_case():
    result = parse_pasted("a@x.nl\nA@X.NL\na@x.nl", groups=words())
    assert [invitee.email for invitee in result.invitees] == ["a@x.nl"]
    assert result.duplicates == 2


def test_a_csv_with_a_header_names_its_columns_in_dutch_or_english():
    text = "Naam;E-mailadres;Groep;Taal\nJan;jan@x.nl;directie;nl\nAnn;ann@x.nl;Staff;English\n"
    result = parse_csv(text, groups=words())
    assert [(i.email, i.group, i.language) for i in result.invitees] == [
        ("jan@x.nl", "directie", "nl"),
        ("ann@x.nl", "medewerkers", "en"),
    ]


def test_a_csv_without_a_header_reads_email_group_language():
    result = parse_csv("jan@x.nl,management\npiet@x.nl\n", groups=words())
    assert [(i.email, i.group) for i in result.invitees] == [("jan@x.nl", "management"), ("piet@x.nl", None)]


def test_csv_problems_carry_the_line_number_in_the_file():
    text = (
        "email,groep,taal\nok@x.nl,directie\nwrong,directie\nok2@x.nl,bestuur\n"
        "ok3@x.nl,informatievoorziening\nok4@x.nl,medewerkers,fr\n"
    )
    result = parse_csv(text, groups=words())
    assert [i.email for i in result.invitees] == ["ok@x.nl"]
    reasons = {problem.line: problem.reason for problem in result.problems}
    assert set(reasons) == {3, 4, 5, 6}
    assert "not a valid e-mail address" in reasons[3]
    assert "unknown group bestuur" in reasons[4]
    assert "no group" in reasons[5]  # a real group, but not one of this scan
    assert "unknown language fr" in reasons[6]


def test_the_same_person_in_two_groups_is_refused_on_the_later_line():
    result = parse_csv("jan@x.nl;directie\njan@x.nl;medewerkers\n", groups=words())
    assert [i.email for i in result.invitees] == ["jan@x.nl"]
    assert result.problems[0].line == 2
    assert "also on line 1" in result.problems[0].reason


def test_quoted_fields_with_separators_and_newlines_are_read_correctly():
    text = 'email,naam\n"a@x.nl","Jansen, J."\n"b@x.nl","two\nlines"\nc@x.nl,x\n'
    result = parse_csv(text, groups=words())
    assert [i.email for i in result.invitees] == ["a@x.nl", "b@x.nl", "c@x.nl"]


def test_uploads_in_utf8_with_bom_and_in_windows_1252_are_decoded():
    assert decode_upload("\ufeffemail\nrené@x.nl".encode()) == "email\nrené@x.nl"
    assert decode_upload("email\nrené@x.nl".encode("cp1252")) == "email\nrené@x.nl"


def test_a_binary_file_is_not_taken_for_text():
    assert decode_upload(b"PK\x03\x04\x00\x00 spreadsheet") is None


def test_an_address_longer_than_the_standard_allows_is_refused():
    result = parse_pasted("a" * 250 + "@x.nl", groups=words())
    assert result.invitees == []
    assert "254" in result.problems[0].reason
