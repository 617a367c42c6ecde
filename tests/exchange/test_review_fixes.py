"""Attacks from the security review: differencing of nested peer groups, a deeply nested file, numbers
too large for the database, and a replay after trusting an installation again."""

from __future__ import annotations

import copy
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from roer.exchange import signing
from roer.exchange.cells import own_benchmark
from roer.exchange.models import ImportedCell, NewestFile
from roer.exchange.selectors import open_data
from roer.exchange.services import (
    ExchangeRefused,
    benchmark_import,
    export_payload,
    trusted_installation_add,
    trusted_installation_remove,
)
from roer.lifecycle.benchmarks import refresh_benchmarks
from roer.organisations.models import OrganisationKind
from tests.exchange.test_export_and_pages import a_file_of_another_installation
from tests.factories import OrganisationFactory
from tests.helpers import closed_scan_with

pytestmark = pytest.mark.django_db


def groups_of(cells) -> set[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return {(cell.kind, cell.size_class) for cell in cells}


def test_nine_municipalities_and_one_water_board_never_publish_both_all_and_municipalities(
    instrument_version, client, settings
):
    """The median of all ten beside that of the nine municipalities would tell about the water board."""
    for score in [0, 25, 50, 75, 100, 0, 25, 50, 75]:
        organisation = OrganisationFactory(inhabitants=42_000, benchmark_opt_in=True)
        closed_scan_with(organisation, instrument_version, {"medewerkers": [1 + score // 25] * 5})
    water_board = OrganisationFactory(kind=OrganisationKind.WATERSCHAP, inhabitants=None, benchmark_opt_in=True)
    closed_scan_with(water_board, instrument_version, {"medewerkers": [5] * 5})
    refresh_benchmarks.call(instrument_version.pk)
    benchmark = own_benchmark()
    assert benchmark.contributors == 10
    for code in {cell.code for cell in benchmark.cells}:
        groups = groups_of(cell for cell in benchmark.cells if cell.code == code)
        assert ("", 0) in groups
        assert ("gemeente", 0) not in groups  # 10 - 9 = 1
        assert ("gemeente", 4) not in groups  # 10 - 9 = 1 as well
    # the same in the export and in the open data (published: ten take part)
    cells = export_payload()["cells"]
    assert cells
    assert {(cell["kind"], cell["size_class"]) for cell in cells} == {(None, None)}
    data = open_data()
    assert data.published
    assert groups_of(data.cells) == {("", 0)}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    lines = client.get("/open-data/benchmark.csv").content.decode().splitlines()[1:]
    assert lines
    assert all(line.split(",")[2] == "" for line in lines)
    assert all(cell["kind"] is None for cell in json.loads(client.get("/open-data/benchmark.json").content)["cells"])


def refused(content: bytes, *words: str) -> None:
    before = list(ImportedCell.objects.order_by("pk").values_list("pk", "median"))
    with pytest.raises(ExchangeRefused) as refusal, translation.override("en"):
        benchmark_import(user=None, content=content)
    for word in words:
        assert word in refusal.value.message, refusal.value.message
    assert "Nothing has been imported." in refusal.value.message
    assert list(ImportedCell.objects.order_by("pk").values_list("pk", "median")) == before


def resigned(key: Ed25519PrivateKey, payload: dict) -> bytes:  # type: ignore[type-arg]
    return json.dumps({"payload": payload, "signature": signing.sign(payload, key)}).encode()


def trusted_file(version):  # type: ignore[no-untyped-def]
    key, payload, content = a_file_of_another_installation(version, "2026-03-15T10:00:00+00:00")
    trusted_installation_add(user=None, name="Roer West", public_key=payload["public_key"])
    return key, payload, content


def test_an_import_whose_nested_cells_differ_by_fewer_than_five_is_refused(instrument_version):
    key, payload, _content = trusted_file(instrument_version)
    changed = copy.deepcopy(payload)
    changed["cells"][0]["organisations"] = 10
    changed["cells"].append({**changed["cells"][0], "kind": "gemeente", "organisations": 9, "q1": None, "q3": None})
    refused(resigned(key, changed), "Cell 2 ", "differ by 1", "at least 5")
    # a difference of five, or none, is accepted
    changed["cells"][1]["organisations"] = 5
    benchmark_import(user=None, content=resigned(key, changed))
    assert ImportedCell.objects.count() == 2


def test_a_deeply_nested_file_is_refused_not_a_500(instrument_version, petra_client):
    trusted_file(instrument_version)
    for content in (
        b"[" * 200_000,
        b'{"a":' * 100_000,
        json.dumps({"payload": [[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]], "signature": ""}).encode(),
    ):
        refused(content, "not a Roer benchmark file")
        response = petra_client.post(
            reverse("platform:benchmark_exchange"),
            {"action": "import", "file": SimpleUploadedFile("b.json", content, "application/json")},
        )
        assert response.status_code == 400
        assert "This is not a Roer benchmark file" in response.content.decode()


@pytest.mark.parametrize(
    ("where", "value", "words"),
    [
        ("organisations", 10**20, "more than 1,000,000 organisations"),
        ("organisations", 1_000_001, "more than 1,000,000 organisations"),
        ("instrument_version", 10**20, "not among the file's instruments"),
        ("median", 10**20, "not a score from 0 to 100"),
        ("q3", 100.5, "quartiles"),
        ("instruments", 10**20, "list of instruments is malformed"),
        ("instruments", 100_001, "list of instruments is malformed"),
        ("instruments", 0, "list of instruments is malformed"),
    ],
)
def test_numbers_out_of_bounds_from_a_trusted_installation_are_refused(instrument_version, where, value, words):
    key, payload, _content = trusted_file(instrument_version)
    changed = copy.deepcopy(payload)
    if where == "instruments":
        changed["instruments"][0]["version"] = value
        changed["cells"][0]["instrument_version"] = value
    else:
        changed["cells"][0][where] = value
    refused(resigned(key, changed), words)


def test_a_million_organisations_is_still_accepted(instrument_version):
    key, payload, _content = trusted_file(instrument_version)
    changed = copy.deepcopy(payload)
    changed["cells"][0]["organisations"] = 1_000_000
    benchmark_import(user=None, content=resigned(key, changed))
    assert ImportedCell.objects.get().organisations == 1_000_000


def test_after_trusting_again_an_older_file_is_still_refused(instrument_version):
    key, payload, older = trusted_file(instrument_version)
    newer_payload = {**payload, "generated_at": "2026-03-15T20:00:00+00:00"}
    benchmark_import(user=None, content=older)
    benchmark_import(user=None, content=resigned(key, newer_payload))
    installation = ImportedCell.objects.get().benchmark.installation
    trusted_installation_remove(user=None, installation=installation)
    assert not ImportedCell.objects.exists()
    assert NewestFile.objects.get().generated_at.isoformat() == "2026-03-15T20:00:00+00:00"
    trusted_installation_add(user=None, name="Roer West again", public_key=payload["public_key"])
    refused(older, "an older file never replaces a newer one", "2026-03-15 21:00")
    refused(resigned(key, newer_payload), "an older file never replaces a newer one")
    benchmark_import(user=None, content=resigned(key, {**payload, "generated_at": "2026-03-16T08:00:00+00:00"}))
    assert NewestFile.objects.get().generated_at.isoformat() == "2026-03-16T08:00:00+00:00"
