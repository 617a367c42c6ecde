from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from roer.instruments.loader import DEFAULT_INSTRUMENT
from roer.instruments.models import InstrumentVersion

pytestmark = pytest.mark.django_db


def test_it_loads_the_default_instrument_once(capsys):
    call_command("load_instrument")
    call_command("load_instrument")
    assert InstrumentVersion.objects.count() == 1
    assert "nothing changed" in capsys.readouterr().out


def test_the_same_content_with_other_formatting_is_the_same_version(tmp_path: Path):
    call_command("load_instrument")
    data = yaml.safe_load(DEFAULT_INSTRUMENT.read_text(encoding="utf-8"))
    reformatted = tmp_path / "reformatted.yaml"
    reformatted.write_text(yaml.safe_dump(data, allow_unicode=True, width=1000), encoding="utf-8")
    call_command("load_instrument", str(reformatted))
    assert InstrumentVersion.objects.count() == 1


def test_changed_content_under_an_existing_version_is_refused(tmp_path: Path):
    call_command("load_instrument")
    data = yaml.safe_load(DEFAULT_INSTRUMENT.read_text(encoding="utf-8"))
    data["name"]["en"] = "Digital leadership, changed"
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match="new version"):
        call_command("load_instrument", str(changed), "--language", "en")
    original = InstrumentVersion.objects.get()
    assert original.parsed.name.en == "Digital leadership"


def test_a_change_with_a_new_version_number_becomes_a_second_version(tmp_path: Path):
    call_command("load_instrument")
    data = yaml.safe_load(DEFAULT_INSTRUMENT.read_text(encoding="utf-8"))
    data["version"] += 1
    data["name"]["en"] = "Digital leadership (2)"
    changed = tmp_path / "v2.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    call_command("load_instrument", str(changed))
    assert sorted(InstrumentVersion.objects.values_list("number", flat=True)) == [2, 3]


def test_a_bad_file_is_refused_with_its_name_and_nothing_is_stored(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: x\nversion: 1\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.yaml, line 1 \(name\)"):
        call_command("load_instrument", str(bad), "--language", "en")
    assert not InstrumentVersion.objects.exists()


def test_messages_are_in_dutch_by_default(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: x\nversion: 1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="regel 1"):
        call_command("load_instrument", str(bad))
