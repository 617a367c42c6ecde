"""The residents' module of an instrument file: languages, codes and the packed order."""

import pytest
import yaml

from roer.instruments.loader import DEFAULT_INSTRUMENT, InstrumentFileError, parse_instrument, read_instrument_file


def default_data():  # type: ignore[no-untyped-def]
    return yaml.safe_load(DEFAULT_INSTRUMENT.read_text(encoding="utf-8"))


def with_language(data, code, direction="ltr"):  # type: ignore[no-untyped-def]
    """Every residents' text also in `code` (the directors' wordings stay Dutch and English)."""
    residents = data["residents"]
    residents["languages"] = [{"code": code, "name": code.upper(), "direction": direction}]

    def add(value, place=""):  # type: ignore[no-untyped-def]
        if isinstance(value, dict):
            if set(value) == {"nl", "en"} and not place.endswith(
                ("perceived", "perceived_title", "perceived_introduction")
            ):
                return {**value, code: f"[{code}] {value['nl']}"}
            return {key: add(item, key) for key, item in value.items()}
        if isinstance(value, list):
            return [add(item, place) for item in value]
        return value

    data["residents"] = {key: add(value, key) for key, value in residents.items()}
    return data


def parse(data):  # type: ignore[no-untyped-def]
    return parse_instrument(yaml.safe_dump(data, allow_unicode=True), source_name="test.yaml")


def test_a_further_language_given_in_every_text_is_loaded_with_its_direction():
    definition = parse(with_language(default_data(), "ar", "rtl"))
    residents = definition.residents
    assert residents.language_codes() == ("nl", "en", "ar")
    assert residents.direction("ar") == "rtl"
    assert (
        residents.statement("inw_online").resident.get("ar") == "[ar] Ik wil mijn zaken met de gemeente online regelen."
    )
    assert residents.statement("inw_online").resident.get("en").startswith("I want")


def test_a_declared_language_missing_from_one_text_is_refused_with_its_place():
    data = with_language(default_data(), "tr")
    del data["residents"]["statements"][2]["resident"]["tr"]
    with pytest.raises(InstrumentFileError, match=r"residents.statements\[2\].resident: de tekst in tr ontbreekt"):
        parse(data)


def test_a_language_that_is_not_declared_is_refused():
    data = default_data()
    data["residents"]["statements"][0]["resident"]["pl"] = "Chcę załatwiać sprawy online."
    with pytest.raises(InstrumentFileError, match=r"de taal pl staat niet onder residents\.languages"):
        parse(data)


def test_residents_codes_must_not_repeat_the_scans_codes():
    data = default_data()
    data["residents"]["statements"][0]["code"] = data["pillars"][0]["code"]
    with pytest.raises(InstrumentFileError, match="meer dan eens"):
        parse(data)


def test_the_perceived_statements_come_after_everything_version_one_stored():
    definition = parse(default_data())
    codes = definition.answer_codes()
    assert codes[-9:] == tuple(statement.code for statement in definition.residents.statements)
    # A choice question with several answers takes one byte per option, one with one answer one byte.
    residents = definition.residents.answer_codes()
    assert residents.count("inw_kanaal") == 1
    assert sum(code.startswith("inw_diensten__") for code in residents) == 8


def test_version_two_keeps_version_ones_order_in_front():
    version_one, _text = read_instrument_file(DEFAULT_INSTRUMENT.with_name("digitaal-leiderschap-v1.yaml"))
    version_two = parse(default_data())
    assert version_two.answer_codes()[: len(version_one.answer_codes())] == version_one.answer_codes()
