"""The instrument loader: the default file is valid, and every bad file is refused with file, line and place."""

from pathlib import Path

import pytest
import yaml

from roer.instruments.loader import (
    DEFAULT_INSTRUMENT,
    MAX_FILE_BYTES,
    InstrumentFileError,
    parse_instrument,
    read_instrument_bytes,
    read_instrument_file,
)


@pytest.fixture
def default_data() -> dict:
    return yaml.safe_load(DEFAULT_INSTRUMENT.read_text(encoding="utf-8"))


def problems_of(data_or_text, name="test.yaml") -> list:
    text = (
        data_or_text
        if isinstance(data_or_text, str)
        else yaml.safe_dump(data_or_text, allow_unicode=True, sort_keys=False)
    )
    with pytest.raises(InstrumentFileError) as caught:
        parse_instrument(text, source_name=name)
    return caught.value.problems


def test_the_default_instrument_has_three_pillars_with_three_or_four_dimensions_of_three_to_five_items():
    definition, _text = read_instrument_file(DEFAULT_INSTRUMENT)
    assert definition.code == "digitaal_leiderschap"
    assert definition.version == 2
    assert [pillar.name.nl for pillar in definition.pillars] == [
        "Verdiepen & omarmen",
        "Goede mensen verzamelen",
        "Adoptievermogen",
    ]
    assert [len(pillar.dimensions) for pillar in definition.pillars] == [4, 3, 3]
    assert all(3 <= len(dimension.items) <= 5 for _pillar, dimension in definition.dimensions())
    assert any(item.reverse for item in definition.items())
    assert 2 <= len(definition.open_questions) <= 3
    assert definition.scale.points == 5


def test_self_items_speak_as_i_and_others_items_about_our_directors():
    definition, _text = read_instrument_file(DEFAULT_INSTRUMENT)
    for item in definition.items():
        assert "Ik " in item.self_text.nl or " mij " in item.self_text.nl, item.code
        assert "directie" in item.others_text.nl, item.code
        assert item.self_text.en
        assert item.others_text.en


def test_the_reference_questions_carry_the_figures_cited_in_the_source_article():
    definition, _text = read_instrument_file(DEFAULT_INSTRUMENT)
    figures = {question.code: question.reference_percentage for question in definition.reference_questions}
    assert figures == {"ref_verandering": 90, "ref_vaardigheden": 70}
    for question in definition.reference_questions:
        assert "Harvard Business Review" in question.reference_label.nl
        assert "source article" in question.reference_label.en


def test_a_missing_translation_names_the_file_the_line_and_the_place(default_data):
    del default_data["pillars"][1]["dimensions"][0]["items"][2]["others"]["en"]
    [problem] = problems_of(default_data, name="mijn-instrument.yaml")
    assert problem.location == "pillars[1].dimensions[0].items[2].others.en"
    assert problem.message == "dit veld is verplicht"
    assert problem.line is not None
    described = InstrumentFileError("mijn-instrument.yaml", [problem]).describe()
    assert described.startswith(
        f"mijn-instrument.yaml, regel {problem.line} (pillars[1].dimensions[0].items[2].others.en)"
    )


def test_the_line_number_points_at_the_offending_value():
    text = DEFAULT_INSTRUMENT.read_text(encoding="utf-8").replace("points: 5", "points: five")
    [problem] = problems_of(text)
    assert problem.location == "scale.points"
    line = text.splitlines()[problem.line - 1]
    assert "points: five" in line


def test_an_empty_translation_is_refused(default_data):
    default_data["name"]["en"] = "   "
    [problem] = problems_of(default_data)
    assert problem.location == "name.en"


def test_duplicate_codes_are_refused(default_data):
    default_data["pillars"][0]["dimensions"][0]["items"][1]["code"] = "ont_overzicht"
    [problem] = problems_of(default_data)
    assert "ont_overzicht" in problem.message


def test_a_scale_needs_one_label_per_point(default_data):
    default_data["scale"]["labels"].pop()
    [problem] = problems_of(default_data)
    assert problem.location == "scale"
    assert "5" in problem.message
    assert "4" in problem.message


def test_unknown_fields_are_refused_so_typos_do_not_pass_silently(default_data):
    default_data["pillars"][0]["dimensions"][0]["items"][0]["revers"] = True
    [problem] = problems_of(default_data)
    assert problem.location == "pillars[0].dimensions[0].items[0].revers"


def test_every_problem_is_reported_at_once(default_data):
    default_data["version"] = 0
    default_data["pillars"][2]["code"] = "Adoptie!"
    del default_data["description"]
    locations = {problem.location for problem in problems_of(default_data)}
    assert locations == {"version", "pillars[2].code", "description"}


def test_broken_yaml_reports_its_line():
    [problem] = problems_of("code: x\nversion: 1\nname: [unclosed\n")
    assert problem.line is not None
    assert "YAML" in problem.message


def test_duplicate_keys_are_refused_instead_of_silently_overwritten():
    [problem] = problems_of("code: a\ncode: b\n")
    assert problem.line == 2
    assert problem.location == "code"


def test_yaml_aliases_are_refused():
    problems = problems_of("name: &n {nl: a, en: b}\ndescription: *n\n")
    assert "alias" in problems[0].message


@pytest.mark.parametrize("text", ["", "# only a comment\n", "- a list\n", "just text\n"])
def test_a_file_that_is_not_a_mapping_is_refused(text):
    assert problems_of(text)


def test_a_file_that_is_too_large_or_not_utf8_is_refused():
    with pytest.raises(InstrumentFileError, match="kB"):
        read_instrument_bytes(b"#" * (MAX_FILE_BYTES + 1), source_name="big.yaml")
    with pytest.raises(InstrumentFileError, match="UTF-8"):
        read_instrument_bytes("naam: café".encode("latin-1"), source_name="latin.yaml")


def test_a_missing_file_is_reported_by_name(tmp_path: Path):
    with pytest.raises(InstrumentFileError, match=r"cannot be read|kan niet"):
        read_instrument_file(tmp_path / "missing.yaml")
