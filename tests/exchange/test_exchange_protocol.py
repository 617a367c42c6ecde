"""The benchmark across installations through its real protocol: another installation (its own database,
its own var directory and so its own key, run as separate processes: see conftest.py and
other_installation.py) exports a signed file, and this one imports it and shows it beside a scan.

The figures, worked out by hand. The other installation's opted-in municipalities score 10, 35, 40, 70,
90 (CBS size class 4) and 20, 30, 50, 60, 80, 100 (size class 5) on every dimension; a sixth in class 4
scoring 0 does not take part and must be in no figure. The estimates are Harrell-Davis's (as the local
benchmark, docs/scoring.md section 12): HD(p) = sum of w_i x_(i), w_i = I(i/n; a, b) - I((i-1)/n; a, b),
a = p(n+1), b = (1-p)(n+1). With whole a and b, I(x; a, b) is the chance of at least a successes in
a+b-1 tries of chance x, which `by_hand` below writes out with binomial coefficients (no scipy).

* size class 4, n = 5, median (a = b = 3): weights 0.05792, 0.25952, 0.36512, 0.25952, 0.05792, so
  0.05792*10 + 0.25952*35 + 0.36512*40 + 0.25952*70 + 0.05792*90 = 47.6464 (shown 48); no quartiles
  (fewer than 10 organisations).
* all organisations and all municipalities, n = 11 (n+1 = 12, so every a and b is whole):
  median (a = b = 6): weights 0.00017, 0.00703, 0.04404, 0.12150, 0.20588, 0.24274, 0.20588, 0.12150,
  0.04404, 0.00703, 0.00017 over 10, 20, 30, 35, 40, 50, 60, 70, 80, 90, 100 -> 51.1200 (shown 51);
  first quartile (a = 3, b = 9): weights 0.07119, 0.25122, 0.29042, 0.21220, 0.11346, 0.04551, 0.01321,
  0.00251, 0.00025, 0.00001, 0.00000 -> 29.6798 (shown 30); third quartile (a = 9, b = 3), the same
  weights reversed -> 77.5248 (shown 78).
"""

from __future__ import annotations

import base64
import copy
import datetime
import json
from math import comb

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from roer.audit.models import AuditAction, AuditEvent
from roer.exchange import signing
from roer.exchange.models import ImportedBenchmark, ImportedCell, TrustedInstallation
from roer.exchange.services import ExchangeRefused, benchmark_import, trusted_installation_add
from tests.helpers import closed_scan_with

# the other installation's processes keep the machine's clock, and so does this side
pytestmark = [pytest.mark.django_db, pytest.mark.real_clock]

CLASS_4 = [10, 35, 40, 70, 90]
CLASS_5 = [20, 30, 50, 60, 80, 100]


def by_hand(values: list[float], a: int, b: int) -> float:
    """Harrell-Davis with whole a and b, with the binomial sum for the regularised incomplete beta."""

    def incomplete_beta(x: float) -> float:
        tries = a + b - 1
        return sum(comb(tries, j) * x**j * (1 - x) ** (tries - j) for j in range(a, tries + 1))

    ordered = sorted(values)
    n = len(ordered)
    return sum((incomplete_beta(i / n) - incomplete_beta((i - 1) / n)) * x for i, x in enumerate(ordered, start=1))


def test_the_hand_worked_figures():
    assert by_hand(CLASS_4, 3, 3) == pytest.approx(47.6464, abs=1e-9)
    everyone = CLASS_4 + CLASS_5
    assert by_hand(everyone, 6, 6) == pytest.approx(51.11997, abs=1e-5)
    assert by_hand(everyone, 3, 9) == pytest.approx(29.67976, abs=1e-5)
    assert by_hand(everyone, 9, 3) == pytest.approx(77.52484, abs=1e-5)


def trust(other) -> TrustedInstallation:  # type: ignore[no-untyped-def]
    return trusted_installation_add(user=None, name="Roer Noord", public_key=other.public_key)


def cell(group: tuple[str, int], code: str = "kennis") -> ImportedCell:
    kind, size_class = group
    return ImportedCell.objects.get(kind=kind, size_class=size_class, code=code)


def test_a_file_exported_by_another_database_is_imported_with_the_figures_worked_out_by_hand(
    other_installation, instrument_version
):
    path = other_installation.directory / "older.json"
    call_command("import_benchmark", str(path), trust="Roer Noord", public_key=other_installation.public_key)
    benchmark = ImportedBenchmark.objects.get()
    assert benchmark.installation.name == "Roer Noord"
    assert benchmark.installation_name == "Roer Noord"
    everyone = CLASS_4 + CLASS_5
    for group in [("", 0), ("gemeente", 0)]:
        figures = cell(group)
        assert figures.organisations == 11  # the twelfth does not take part
        assert figures.median == pytest.approx(by_hand(everyone, 6, 6), abs=1e-9)
        assert figures.q1 == pytest.approx(by_hand(everyone, 3, 9), abs=1e-9)
        assert figures.q3 == pytest.approx(by_hand(everyone, 9, 3), abs=1e-9)
    size_4 = cell(("gemeente", 4))
    assert (size_4.organisations, size_4.q1, size_4.q3) == (5, None, None)
    assert size_4.median == pytest.approx(47.6464, abs=1e-9)
    size_5 = cell(("gemeente", 5))
    assert (size_5.organisations, size_5.q1, size_5.q3) == (6, None, None)
    # the same instrument file loaded on both installations: the same version and content hash
    assert size_4.instrument_code == instrument_version.instrument.code
    assert (size_4.instrument_version, size_4.content_hash) == (
        instrument_version.number,
        instrument_version.content_hash,
    )
    # every dimension and pillar of the instrument, in each of the four peer groups
    assert ImportedCell.objects.count() == 4 * ImportedCell.objects.filter(kind="", size_class=0).count()
    assert (
        AuditEvent.objects.filter(action=AuditAction.BENCHMARK_IMPORTED, subject__startswith="Roer Noord: ").count()
        == 1
    )


def test_the_results_page_shows_the_imported_figures_apart_from_the_local_benchmark(
    other_installation, instrument_version, organisation, bob_client
):
    trust(other_installation)
    benchmark_import(user=None, content=other_installation.older)
    organisation.benchmark_opt_in = True  # 42,000 inhabitants: size class 4
    organisation.save()
    own = closed_scan_with(organisation, instrument_version, {"medewerkers": [4] * 5})  # 75
    bob_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = bob_client.get(f"/scans/{own.code}/results/").content.decode()
    local, _heading, external = page.partition('id="benchmark-external"')
    assert external, "no imported figures on the page"
    # the local benchmark is still its own: no other organisation here takes part
    assert "No comparison: only 0 other organisations" in local
    sections = external.split("<details")[1:]
    assert len(sections) == 3  # all organisations, all municipalities, size class 4; not class 5
    everyone, municipalities, same_size = sections
    assert "All organisations: compared with 11 organisations on other installations (Roer Noord)" in everyone
    assert "compared with 11 organisations on other installations" in municipalities
    assert "compared with 5 organisations on other installations (Roer Noord)" in same_size
    row = '<td class="number">75</td>\n      <td class="number">{median}</td>\n      <td class="number">{middle}</td>'
    assert row.format(median=51, middle="30–78") in everyone
    assert row.format(median=51, middle="30–78") in municipalities
    assert row.format(median=48, middle="") in same_size.replace(
        '<span class="suppressed">–<span class="visually-hidden">too few organisations to show</span></span>', ""
    )
    assert "Gemeente Noord" not in page  # never a name of the other installation's organisations


def test_an_organisation_that_does_not_take_part_sees_no_imported_figures(
    other_installation, instrument_version, organisation, bob_client
):
    trust(other_installation)
    benchmark_import(user=None, content=other_installation.older)
    own = closed_scan_with(organisation, instrument_version, {"medewerkers": [4] * 5})
    page = bob_client.get(f"/scans/{own.code}/results/").content.decode()
    assert 'id="benchmark-external"' not in page


# --- attacks -----------------------------------------------------------------------------------------


def document(content: bytes) -> dict:  # type: ignore[type-arg]
    return json.loads(content)


def signed_by(key: Ed25519PrivateKey, payload: dict) -> bytes:  # type: ignore[type-arg]
    return json.dumps({"payload": payload, "signature": signing.sign(payload, key)}).encode()


def refused(content: bytes, *words: str) -> None:
    before = list(ImportedCell.objects.order_by("pk").values_list("pk", "median"))
    with pytest.raises(ExchangeRefused) as refusal, translation.override("en"):  # the source strings
        benchmark_import(user=None, content=content)
    for word in words:
        assert word in refusal.value.message, refusal.value.message
    assert "Nothing has been imported." in refusal.value.message
    assert list(ImportedCell.objects.order_by("pk").values_list("pk", "median")) == before


def test_a_flipped_byte_anywhere_in_the_payload_is_refused(other_installation):
    trust(other_installation)
    content = other_installation.older
    start = content.index(b'"payload"') + len(b'"payload": {')
    end = content.index(b'"signature"')
    for position in range(start, end, 7):
        changed = bytearray(content)
        changed[position] ^= 0x01
        refused(bytes(changed))
    # one digit of one median, still valid JSON: the signature does not match
    payload = document(content)["payload"]
    median = repr(payload["cells"][0]["median"]).encode()
    at = content.index(median) + 1
    changed = bytearray(content)
    changed[at] = ord("9") if changed[at] != ord("9") else ord("8")
    refused(bytes(changed), "The signature does not match")
    assert not ImportedBenchmark.objects.exists()


def test_a_signature_from_another_key_is_refused(other_installation):
    trust(other_installation)
    payload = document(other_installation.older)["payload"]
    refused(signed_by(Ed25519PrivateKey.generate(), payload), "The signature does not match", "Roer Noord")


def test_a_file_signed_with_a_key_that_is_not_trusted_is_refused(other_installation):
    refused(other_installation.older, "not trusted")  # the right file, but its installation is not trusted yet
    trust(other_installation)
    stranger = Ed25519PrivateKey.generate()
    payload = document(other_installation.older)["payload"]
    payload["public_key"] = signing.public_key_text(stranger.public_key())
    refused(signed_by(stranger, payload), "not trusted")


def test_a_replayed_older_file_is_refused_and_a_newer_one_replaces_the_old(other_installation):
    trust(other_installation)
    older, newer = document(other_installation.older)["payload"], document(other_installation.newer)["payload"]
    assert older["generated_at"] < newer["generated_at"]
    benchmark_import(user=None, content=other_installation.older)
    first = ImportedBenchmark.objects.get()
    benchmark_import(user=None, content=other_installation.newer)
    replaced = ImportedBenchmark.objects.get()  # still one: the newer replaced it whole
    assert replaced.generated_at > first.generated_at
    assert ImportedCell.objects.filter(benchmark=replaced).count() == len(newer["cells"])
    assert ImportedCell.objects.count() == len(newer["cells"])
    refused(other_installation.older, "an older file never replaces a newer one")
    refused(other_installation.newer, "an older file never replaces a newer one")  # the same file again
    assert ImportedBenchmark.objects.get().generated_at == replaced.generated_at


def with_bad_cell(payload: dict, **changes: object) -> dict:  # type: ignore[type-arg]
    changed = copy.deepcopy(payload)
    made = datetime.datetime.fromisoformat(changed["generated_at"]) + datetime.timedelta(minutes=5)
    changed["generated_at"] = made.isoformat()  # newer than anything imported, so only the cell can refuse it
    changed["cells"].append({**changed["cells"][-1], "code": "kennis_extra", **changes})
    return changed


def test_a_cell_below_the_minimum_re_signed_by_a_key_that_is_not_trusted_is_refused(other_installation):
    trust(other_installation)
    benchmark_import(user=None, content=other_installation.older)
    payload = with_bad_cell(document(other_installation.older)["payload"], organisations=3, median=40.0)
    stranger = Ed25519PrivateKey.generate()
    refused(signed_by(stranger, payload), "The signature does not match")  # still naming the trusted key
    payload["public_key"] = signing.public_key_text(stranger.public_key())
    refused(signed_by(stranger, payload), "not trusted")  # naming its own


def test_cells_below_the_minimum_are_refused_even_from_the_trusted_installation(other_installation):
    trust(other_installation)
    benchmark_import(user=None, content=other_installation.older)
    key = other_installation.private_key
    payload = document(other_installation.older)["payload"]
    for organisations in (0, 1, 4):
        refused(
            signed_by(key, with_bad_cell(payload, organisations=organisations, q1=None, q3=None)), "fewer than the 5"
        )
    # quartiles of fewer than ten organisations
    refused(signed_by(key, with_bad_cell(payload, organisations=9, q1=30.0, q3=70.0)), "quartiles of 9 organisations")
    # a whole file of cells below the minimum
    small = with_bad_cell(payload)
    small["cells"] = [{**one, "organisations": 4, "q1": None, "q3": None} for one in small["cells"]]
    refused(signed_by(key, small), "Cell 1 ", "fewer than the 5")
    assert ImportedBenchmark.objects.get().generated_at.isoformat() == payload["generated_at"]


def test_a_wrong_format_version_is_refused(other_installation):
    trust(other_installation)
    payload = document(other_installation.older)["payload"]
    for version in (2, 0, "1", True, None):
        refused(signed_by(other_installation.private_key, {**payload, "format_version": version}), "format version")


def test_what_is_no_benchmark_file_is_refused_with_a_message(other_installation):
    trust(other_installation)
    for content in (b"", b"\xff\xfe", b"[]", b'{"payload": {}, "signature": ""}', other_installation.older[:-40]):
        refused(content, "not a Roer benchmark file")
    garbled = document(other_installation.older)
    garbled["signature"] = base64.b64encode(b"x" * 64).decode()
    refused(json.dumps(garbled).encode(), "The signature does not match")


def test_the_command_refuses_with_the_message_and_stores_nothing(other_installation, tmp_path):
    changed = tmp_path / "changed.json"
    changed.write_bytes(other_installation.older.replace(b'"organisations": 11', b'"organisations": 12', 1))
    with translation.override("en"), pytest.raises(CommandError, match="The signature does not match"):
        call_command("import_benchmark", str(changed), trust="Roer Noord", public_key=other_installation.public_key)
    assert not ImportedCell.objects.exists()
    assert not AuditEvent.objects.filter(
        action=AuditAction.BENCHMARK_IMPORTED, subject__startswith="Roer Noord:"
    ).exists()
