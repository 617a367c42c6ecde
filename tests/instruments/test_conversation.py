"""The conversation guide in the instrument file: validated, measured for B1, left out of the content hash
and updated in place in a version already loaded."""

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from roer.instruments.loader import DEFAULT_INSTRUMENT, InstrumentFileError, instrument_warnings, parse_instrument
from roer.instruments.models import InstrumentVersion
from roer.instruments.selectors import conversation_of
from roer.instruments.services import content_hash_of

FIRST_VERSION = DEFAULT_INSTRUMENT.with_name("digitaal-leiderschap-v1.yaml")

# The hashes of both files as loaded before the guide existed, computed by the code of that time (commit
# 15c09bb): a version in a database keeps its hash, byte for byte.
HASHES_BEFORE = {
    "digitaal-leiderschap-v1.yaml": "c440ba2a2b52e32e353a0e67e403d6c8a6ac90d5b023a3f33a28e8386e7aedc3",
    "digitaal-leiderschap-v2.yaml": "4f885ce8a4d6c7af1ad7f7ef347f58acefcd8fe9f9ed6b71a8290570331e9335",
}


def data_of(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def parsed(data: dict):
    return parse_instrument(yaml.safe_dump(data, allow_unicode=True), source_name="x.yaml")


@pytest.mark.parametrize("path", [FIRST_VERSION, DEFAULT_INSTRUMENT], ids=lambda path: path.name)
def test_the_guide_leaves_the_content_hash_as_it_was(path):
    with_guide = data_of(path)
    assert "conversation" in with_guide
    without = {key: value for key, value in with_guide.items() if key != "conversation"}
    assert content_hash_of(parsed(without)) == HASHES_BEFORE[path.name]
    assert content_hash_of(parsed(with_guide)) == HASHES_BEFORE[path.name]


def test_anything_measured_still_changes_the_hash():
    data = data_of(DEFAULT_INSTRUMENT)
    data["pillars"][0]["dimensions"][0]["items"][0]["others"]["nl"] += " Echt."
    assert content_hash_of(parsed(data)) != HASHES_BEFORE[DEFAULT_INSTRUMENT.name]


def test_the_default_questions_have_two_or_three_per_kind_and_pass_the_b1_check():
    definition = parsed(data_of(DEFAULT_INSTRUMENT))
    for kind in ("blind_spot", "hidden_strength", "weakest"):
        assert 2 <= len(getattr(definition.conversation, kind)) <= 3
    assert instrument_warnings(definition, DEFAULT_INSTRUMENT.read_text(encoding="utf-8")) == []


def test_a_hard_question_is_warned_about_with_its_place_and_line():
    text = DEFAULT_INSTRUMENT.read_text(encoding="utf-8")
    changed = text.replace(
        "Welke kleine stap kunnen we de komende drie maanden zetten?",
        "Welke gedigitaliseerde verbeteringsmogelijkheden identificeren wij in het komende kwartaal?",
    )
    warnings = instrument_warnings(parse_instrument(changed, source_name="x.yaml"), changed)
    assert {warning.location for warning in warnings} == {"conversation.weakest[1].nl"}
    assert "gedigitaliseerde" in changed.splitlines()[warnings[0].line - 1]


@pytest.mark.parametrize(
    "question", ["Wat doen we aan {dimensie}?", "Wat doen we aan {dimension!r}?", "Wat doen we {aan", "Wat {0}?"]
)
def test_a_placeholder_other_than_dimension_is_refused(question):
    data = data_of(DEFAULT_INSTRUMENT)
    data["conversation"]["weakest"][0]["nl"] = question
    with pytest.raises(InstrumentFileError, match=r"conversation\.weakest\[0\]\.nl.*\{dimension\}"):
        parsed(data)


def test_a_brace_of_its_own_is_written_double():
    data = data_of(DEFAULT_INSTRUMENT)
    data["conversation"]["weakest"][0]["en"] = "What does {{this}} mean for {dimension}?"
    question = parsed(data).conversation.weakest[0]
    assert question.filled("en", "trust") == "What does {this} mean for trust?"


def test_one_or_four_questions_are_refused():
    data = data_of(DEFAULT_INSTRUMENT)
    data["conversation"]["blind_spot"] = data["conversation"]["blind_spot"][:1]
    with pytest.raises(InstrumentFileError, match=r"conversation\.blind_spot"):
        parsed(data)
    data = data_of(DEFAULT_INSTRUMENT)
    data["conversation"]["blind_spot"] = [dict(question) for question in data["conversation"]["blind_spot"] * 2]
    with pytest.raises(InstrumentFileError, match=r"conversation\.blind_spot"):
        parsed(data)


def test_questions_of_a_dimension_must_name_one_of_the_instrument():
    data = data_of(DEFAULT_INSTRUMENT)
    data["conversation"]["dimensions"][0]["code"] = "bestaat_niet"
    with pytest.raises(InstrumentFileError, match="bestaat_niet"):
        parsed(data)


def test_a_dimension_of_its_own_replaces_only_the_kinds_it_gives():
    conversation = parsed(data_of(DEFAULT_INSTRUMENT)).conversation
    assert conversation.questions("weakest", "koers") != conversation.weakest
    assert conversation.questions("blind_spot", "koers") == conversation.blind_spot
    assert conversation.questions("weakest", "kennis") == conversation.weakest


@pytest.mark.django_db
def test_a_better_guide_updates_the_loaded_version_in_place_and_says_so(tmp_path: Path, capsys):
    call_command("load_instrument")
    version = InstrumentVersion.objects.get()
    before = version.content_hash
    data = data_of(DEFAULT_INSTRUMENT)
    data["conversation"]["weakest"][1]["nl"] = "Welke stap zetten we als eerste?"
    improved = tmp_path / "improved.yaml"
    improved.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    capsys.readouterr()
    call_command("load_instrument", str(improved))
    assert "conversation guide" in capsys.readouterr().out
    version = InstrumentVersion.objects.get()
    assert version.content_hash == before
    assert conversation_of(version).weakest[1].nl == "Welke stap zetten we als eerste?"
    assert version.source_name == "improved.yaml"
    call_command("load_instrument", str(improved))
    assert "nothing changed" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_version_loaded_before_the_guide_existed_gets_it_when_the_file_is_loaded_again(tmp_path: Path):
    data = data_of(DEFAULT_INSTRUMENT)
    without = tmp_path / "without.yaml"
    without.write_text(yaml.safe_dump({k: v for k, v in data.items() if k != "conversation"}, allow_unicode=True))
    call_command("load_instrument", str(without))
    version = InstrumentVersion.objects.get()
    assert version.content_hash == HASHES_BEFORE[DEFAULT_INSTRUMENT.name]
    assert conversation_of(version) is None
    call_command("load_instrument")
    assert conversation_of(InstrumentVersion.objects.get()).blind_spot[0].nl.startswith("Bij ‘{dimension}’")
