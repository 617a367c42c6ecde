"""Screening open answers: what it must find, what it must leave alone, and redactions that only take
words out."""

from __future__ import annotations

import pytest

from roer.lib.screening import Flag, findings, language_of, redaction_keeps_only_original_words


def found(text: str, **kwargs) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(finding.flag.value, text[finding.start : finding.end]) for finding in findings(text, **kwargs)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mail naar j.jansen@dijkstad.nl voor meer.", [("email", "j.jansen@dijkstad.nl")]),
        ("Bel 06-12345678.", [("phone", "06-12345678")]),
        ("Bel 020 123 4567 of +31 6 1234 5678.", [("phone", "020 123 4567"), ("phone", "+31 6 1234 5678")]),
        ("Ik woon op 1234 AB, vlakbij.", [("postcode", "1234 AB")]),
        ("Ik woon op 1234AB.", [("postcode", "1234AB")]),
        ("Vraag het aan Pieter, die weet het.", [("name", "Pieter")]),
    ],
)
def test_what_points_at_a_person_is_found(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Meer aandacht voor informatieveiligheid in 2025 en 2026.",  # years are not phone numbers
        "De ICT en de AVG vragen om meer kennis.",  # abbreviations are not names
        "Goed. Beter kan altijd.",  # a capital after a full stop starts a sentence
        "Sinds januari gaat het beter; op Maandag was er overleg.",
        "Score van 12,5 op 100 punten.",
    ],
)
def test_ordinary_sentences_are_left_alone(text):
    assert found(text) == []


def test_words_from_invitee_addresses_and_the_organisation_name():
    assert found("ik sprak met jansen.", names=["jansen"]) == [("name", "jansen")]
    assert found("Bij de gemeente Dijkstad gaat het goed.", not_names=["Gemeente", "Dijkstad"]) == []
    assert found("Bij de gemeente Dijkstad gaat het goed.") == [("name", "Dijkstad")]


def test_an_address_is_one_finding_not_also_a_name_or_number():
    assert found("Mail Piet.Jansen2024@x.nl") == [("email", "Piet.Jansen2024@x.nl")]


def test_the_language_of_an_answer():
    assert language_of("We hebben meer tijd nodig voor de kennis van data.") == "nl"
    assert language_of("We need more time for this and the data.") == "en"
    assert language_of("Datagedreven!") is None


@pytest.mark.parametrize(
    ("redacted", "allowed"),
    [
        ("Bel me op […] als u wilt.", True),
        ("[…] als u wilt.", True),
        ("Bel me op 06-12345678 als u wilt.", True),  # unchanged
        ("Bel me op […] als u niet wilt.", False),  # a word put in
        ("Bel me als u wilt.", False),  # a part taken out without saying so
        ("als u wilt. […] Bel me", False),  # parts moved around
    ],
)
def test_a_redaction_may_only_replace_parts_with_the_marker(redacted, allowed):
    assert redaction_keeps_only_original_words("Bel me op 06-12345678 als u wilt.", redacted) is allowed


def test_flags_have_labels_in_both_languages():
    from django.utils import translation

    with translation.override("nl"):
        assert str(Flag.PHONE.label) == "telefoonnummer"
    with translation.override("en"):
        assert str(Flag.PHONE.label) == "telephone number"
