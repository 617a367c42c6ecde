"""The residents' texts are measured for B1 Dutch; a hard text is warned about with its line."""

from roer.instruments.loader import DEFAULT_INSTRUMENT, instrument_warnings, parse_instrument, read_instrument_file
from roer.instruments.readability import b1_findings, reading_ease

PLAIN = "Ik wil mijn zaken met de gemeente online regelen."


def test_the_default_residents_texts_pass_the_b1_check():
    definition, text = read_instrument_file(DEFAULT_INSTRUMENT)
    assert definition.residents is not None
    assert instrument_warnings(definition, text) == []


def test_flesch_douma_is_worked_out_as_the_formula_says():
    # 9 words, 16 syllables as Dutch hyphenation counts them (ik wil mijn za-ken met de ge-meen-te
    # on-li-ne re-ge-len): 206.835 - 0.93 * 9 - 77 * 16 / 9 = 61.58
    assert round(reading_ease(PLAIN), 2) == 61.58


def test_long_sentences_hard_sentences_and_long_words_are_found():
    long_sentence = " ".join(["De gemeente wil graag weten wat u van haar diensten vindt"] * 3) + "."
    kinds = {finding.kind for finding in b1_findings(long_sentence)}
    assert kinds == {"long_sentence"}
    hard = (
        "Gedigitaliseerde dienstverleningsmogelijkheden vereisen multidisciplinaire samenwerkingsverbanden in de regio."
    )
    assert {finding.kind for finding in b1_findings(hard)} >= {"hard_sentence", "long_word"}
    assert b1_findings(PLAIN) == []


def test_a_hard_text_is_warned_about_with_its_place_and_line():
    _definition, text = read_instrument_file(DEFAULT_INSTRUMENT)
    changed = text.replace(
        "Ik ben tevreden over de online diensten van de gemeente.",
        "Ik ben tevreden over de gedigitaliseerde dienstverleningsmogelijkheden van de gemeente.",
    )
    definition = parse_instrument(changed, source_name="x.yaml")
    warnings = instrument_warnings(definition, changed)
    assert warnings
    assert {warning.location for warning in warnings} == {"residents.statements[8].resident.nl"}
    line = changed.splitlines()[warnings[0].line - 1]
    assert "gedigitaliseerde" in line


def test_a_web_process_does_not_load_textstat_until_a_text_is_measured():
    """textstat's dictionaries cost a process about 50 MB; every web process imports the URLconf."""
    import os
    import subprocess
    import sys

    code = (
        "import sys, django; django.setup(); import roer.urls; "
        "assert 'textstat' not in sys.modules, 'loaded with the URLconf'; "
        "from roer.instruments.readability import reading_ease; reading_ease('Dit is een zin.'); "
        "assert 'textstat' in sys.modules"
    )
    subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "roer.settings"},
    )
