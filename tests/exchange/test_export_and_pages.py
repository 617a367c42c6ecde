"""This installation's side: its key, its signed export, the platform administrator's page and the open
data of its own benchmark."""

from __future__ import annotations

import json
import stat

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from roer.audit.models import AuditAction, AuditEvent
from roer.exchange import signing
from roer.exchange.models import ImportedCell, TrustedInstallation
from roer.exchange.services import benchmark_import, signed_file
from roer.lifecycle.benchmarks import refresh_benchmarks
from roer.organisations.models import Organisation
from tests.factories import OrganisationFactory
from tests.helpers import closed_scan_with

pytestmark = pytest.mark.django_db


def pool(version, scores: list[int], *, inhabitants: int = 42_000, taking_part: bool = True) -> list[Organisation]:  # type: ignore[no-untyped-def]
    """Organisations whose employees' view scores each of `scores` (0, 25, 50, 75 or 100), rebuilt."""
    made = []
    for score in scores:
        organisation = OrganisationFactory(inhabitants=inhabitants, benchmark_opt_in=taking_part)
        closed_scan_with(organisation, version, {"medewerkers": [1 + score // 25] * 5})
        made.append(organisation)
    refresh_benchmarks.call(version.pk)
    return made


def test_the_key_is_made_once_readable_by_its_owner_only(settings):
    key = signing.own_public_key()
    path = settings.ROER_BENCHMARK_KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert signing.own_public_key() == key  # kept, not made anew
    assert key.startswith("ed25519:")
    assert len(signing.fingerprint(key)) == 16


def test_a_key_given_by_the_setting_is_used(settings, tmp_path):
    call_command("export_benchmark", "--public-key")  # makes one
    given = tmp_path / "given.pem"
    given.write_bytes(settings.ROER_BENCHMARK_KEY_FILE.read_bytes())
    first = signing.own_public_key()
    settings.ROER_BENCHMARK_KEY_FILE = given
    assert signing.own_public_key() == first


def test_the_export_holds_only_cells_under_the_disclosure_rule_and_no_names(instrument_version, organisation, capsys):
    organisations = pool(instrument_version, [0, 25, 50, 75, 100])
    pool(instrument_version, [25, 50, 75, 100], inhabitants=120_000)  # size class 6: four, too few for a cell
    pool(instrument_version, [0], taking_part=False)
    call_command("export_benchmark")
    content = capsys.readouterr().out.encode()
    document = json.loads(content)
    payload = document["payload"]
    assert signing.verify(payload, document["signature"], signing.own_public_key())
    assert payload["format_version"] == 1
    assert payload["installation"] == "Roer Zuid"
    assert payload["instruments"][0]["content_hash"] == instrument_version.content_hash
    groups = {(cell["kind"], cell["size_class"]) for cell in payload["cells"]}
    # no size class 6 (four); and not size class 4 either: its five differ by four from the nine of all
    # municipalities, and the two medians side by side would tell about those four
    assert groups == {(None, None), ("gemeente", None)}
    everyone = next(c for c in payload["cells"] if c["kind"] is None and c["code"] == "kennis")
    assert everyone["organisations"] == 9  # not the one that does not take part
    assert everyone["q1"] is None  # nine: too few for quartiles (ten are needed)
    text = content.decode()
    for organisation in [*organisations, *Organisation.objects.all()]:
        assert organisation.name not in text
        assert str(organisation.code) not in text
    assert AuditEvent.objects.filter(action=AuditAction.BENCHMARK_EXPORTED).count() == 1


def test_the_platform_page_shows_the_key_and_downloads_the_signed_file(petra_client, petra, instrument_version):
    pool(instrument_version, [0, 25, 50, 75, 100])
    page = petra_client.get(reverse("platform:benchmark_exchange")).content.decode()
    assert signing.own_public_key() in page
    response = petra_client.get(reverse("platform:benchmark_export"))
    assert response["Content-Disposition"].startswith('attachment; filename="roer-benchmark-')
    document = json.loads(response.content)
    assert signing.verify(document["payload"], document["signature"], signing.own_public_key())
    event = AuditEvent.objects.get(action=AuditAction.BENCHMARK_EXPORTED)
    assert event.user == petra


def a_file_of_another_installation(version, generated_at: str):  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    payload = {
        "format": "roer-benchmark",
        "format_version": 1,
        "installation": "Roer West",
        "generated_at": generated_at,
        "public_key": signing.public_key_text(key.public_key()),
        "instruments": [
            {"code": version.instrument.code, "version": version.number, "content_hash": version.content_hash}
        ],
        "cells": [
            {
                "instrument": version.instrument.code,
                "instrument_version": version.number,
                "kind": None,
                "size_class": None,
                "code": "kennis",
                "organisations": 12,
                "median": 61.5,
                "q1": 40.25,
                "q3": 70.0,
            }
        ],
    }
    return key, payload, json.dumps({"payload": payload, "signature": signing.sign(payload, key)}).encode()


def test_a_platform_administrator_trusts_an_installation_and_imports_its_file(petra_client, instrument_version):
    _key, payload, content = a_file_of_another_installation(instrument_version, "2026-03-15T10:00:00+00:00")
    url = reverse("platform:benchmark_exchange")
    refused = petra_client.post(url, {"action": "trust", "name": "Roer West", "public_key": "ed25519:abc"})
    assert refused.status_code == 400
    assert "This is not an Ed25519 public key" in refused.content.decode()
    response = petra_client.post(url, {"action": "trust", "name": "Roer West", "public_key": payload["public_key"]})
    assert response.status_code == 302
    installation = TrustedInstallation.objects.get()
    from django.core.files.uploadedfile import SimpleUploadedFile

    tampered = content.replace(b"61.5", b"91.5")
    response = petra_client.post(
        url, {"action": "import", "file": SimpleUploadedFile("b.json", tampered, "application/json")}
    )
    assert response.status_code == 400
    assert "The signature does not match" in response.content.decode()
    assert not ImportedCell.objects.exists()
    response = petra_client.post(url, {"action": "import", "file": SimpleUploadedFile("b.json", content)}, follow=True)
    assert "The benchmark of Roer West has been imported: 1 cells." in response.content.decode()
    assert ImportedCell.objects.get().median == 61.5
    # and forgotten again: its figures go with it
    response = petra_client.post(url, {"action": "forget", "installation": str(installation.pk)})
    assert response.status_code == 302
    assert not ImportedCell.objects.exists()
    assert petra_client.post(url, {"action": "forget", "installation": "x"}).status_code == 302
    assert petra_client.post(url, {"action": "nonsense"}).status_code == 302


def test_the_results_page_of_a_reader_shows_no_cell_below_the_minimum(instrument_version, organisation, bob_client):
    """Even a cell that reached the database without the import's checks is not shown below five."""
    _key, payload, content = a_file_of_another_installation(instrument_version, "2026-03-15T10:00:00+00:00")
    from roer.exchange.services import trusted_installation_add

    trusted_installation_add(user=None, name="Roer West", public_key=payload["public_key"])
    benchmark_import(user=None, content=content)
    organisation.benchmark_opt_in = True
    organisation.save()
    own = closed_scan_with(organisation, instrument_version, {"medewerkers": [4] * 5})
    page = bob_client.get(f"/scans/{own.code}/results/").content.decode()
    assert 'id="benchmark-external"' in page
    ImportedCell.objects.update(organisations=4)
    page = bob_client.get(f"/scans/{own.code}/results/").content.decode()
    assert 'id="benchmark-external"' not in page


def test_open_data_waits_for_ten_organisations_then_publishes_without_names(client, instrument_version, settings):
    assert settings.ROER_OPEN_DATA_MIN_ORGANISATIONS == 10
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    organisations = pool(instrument_version, [0, 25, 50, 75, 100, 0, 25, 50, 75])
    page = client.get("/open-data/benchmark/").content.decode()
    assert "Nothing is published yet: the benchmark is published here once at least 10 organisations take part." in page
    assert client.get("/open-data/benchmark.csv").content.decode().strip().count("\n") == 0  # the header alone
    assert json.loads(client.get("/open-data/benchmark.json").content)["cells"] == []
    organisations += pool(instrument_version, [100])
    page = client.get("/open-data/benchmark/").content.decode()
    assert "10 organisations take part." in page
    assert "Nothing is published yet" not in page
    lines = client.get("/open-data/benchmark.csv").content.decode().splitlines()
    assert lines[0] == "instrument,instrument_version,kind,size_class,code,organisations,median,q1,q3"
    kennis = next(line for line in lines if ",,kennis," in line and line.split(",")[2] == "")
    assert kennis.startswith(f"{instrument_version.instrument.code},{instrument_version.number},,,kennis,10,")
    document = json.loads(client.get("/open-data/benchmark.json").content)
    assert document["published"] is True
    assert document["organisations"] == 10
    everything = page + "\n".join(lines) + json.dumps(document)
    for organisation in organisations:
        assert organisation.name not in everything
        assert str(organisation.code) not in everything


def test_an_own_file_signed_by_this_installation_is_not_imported_as_another(instrument_version):
    pool(instrument_version, [0, 25, 50, 75, 100])
    from roer.exchange.services import ExchangeRefused, export_payload, trusted_installation_add

    with translation.override("en"), pytest.raises(ExchangeRefused, match="own key"):
        trusted_installation_add(user=None, name="Wij", public_key=signing.own_public_key())
    with translation.override("en"), pytest.raises(ExchangeRefused, match="not trusted"):
        benchmark_import(user=None, content=signed_file(export_payload()))
