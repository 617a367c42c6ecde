"""The figures file: every number the results page and the reports publish can be recomputed from it with
docs/scoring.md alone, here by code that knows only the file and that page; and a hidden cell is in it
with its reason and no number."""

import csv
import io
import json
import math
import statistics

import pytest

from roer.audit.models import AuditEvent
from roer.results.selectors import scan_results
from roer.scoring.packed import pack
from tests.helpers import closed_scan_with, stored_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def scan(organisation, instrument_version):
    """Directors 3 (all agree: 4), staff 8 (all 2), management 6 (all 5): everything shown."""
    return closed_scan_with(
        organisation, instrument_version, {"directie": [4, 4, 4], "medewerkers": [2] * 8, "management": [5] * 6}
    )


def document_of(client, scan):  # type: ignore[no-untyped-def]
    response = client.get(f"/scans/{scan.code}/figures.json")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


def cell(document, group, code):  # type: ignore[no-untyped-def]
    return next((c for c in document["cells"] if c["group"] == group and c["code"] == code), None)


def to_score(mean: float, points: int) -> float:
    return (mean - 1) / (points - 1) * 100


def test_every_score_on_the_results_page_follows_from_the_file(bob_client, scan):
    document = document_of(bob_client, scan)
    results = scan_results(scan)
    points = document["rules"]["scale_points"]
    for group in results.scores.groups:
        for code, shown in group.dimensions.items():
            row = cell(document, group.code, code)
            if shown.score is None:
                assert row is None
                continue
            assert row["n"] == shown.n
            assert row["sum"] / row["n"] == pytest.approx(shown.score)  # docs/scoring.md §3
        for pillar in results.definition.pillars:
            dims = [cell(document, group.code, d.code) for d in pillar.dimensions]
            if group.pillars[pillar.code] is not None:  # §4: the mean of its dimensions
                assert statistics.mean(d["sum"] / d["n"] for d in dims) == pytest.approx(group.pillars[pillar.code])
        for code, item in group.items.items():
            row = cell(document, group.code, code)
            if item.score is None:
                continue
            mean = row["sum"] / row["n"]
            keyed = points + 1 - mean if row["reverse"] else mean  # §1 and §11
            assert to_score(keyed, points) == pytest.approx(item.score)
    for gap in results.insight.gaps:  # §9
        own, others = cell(document, "directie", gap.code), cell(document, "all_others", gap.code)
        assert own["sum"] / own["n"] - others["sum"] / others["n"] == pytest.approx(gap.difference)
    assert document["rules"]["gap_threshold"] == results.insight.gap_threshold


def test_the_all_others_view_pools_the_groups_and_its_threshold_is_the_highest(bob_client, scan):
    document = document_of(bob_client, scan)
    staff, managers, pooled = (cell(document, g, "kennis") for g in ("medewerkers", "management", "all_others"))
    # 8 staff at 25 and 6 managers at 100: (200 + 600) / 14 = 57.14
    assert (staff["n"], managers["n"], pooled["n"]) == (8, 6, 14)
    assert pooled["sum"] == staff["sum"] + managers["sum"] == 800
    assert document["all_others"] == {"threshold": 5, "responses": 14, "groups": ["management", "medewerkers"]}


def test_scale_quality_follows_from_the_published_sums(bob_client, scan, organisation, instrument_version):
    # everyone answered every statement the same: no variance, so no alpha, but the sums are there
    document = document_of(bob_client, scan)
    row = next(q for q in document["quality"] if q["dimension"] == "kennis")
    assert row["groups"] == ["management", "medewerkers"]
    assert row["n"] == 14
    k = len(row["statements"])
    n, sums, products = row["n"], row["sums"], row["products"]
    cov = [[(products[i][j] - sums[i] * sums[j] / n) / (n - 1) for j in range(k)] for i in range(k)]
    total = sum(map(sum, cov))
    results = scan_results(scan)
    alpha = k / (k - 1) * (1 - sum(cov[i][i] for i in range(k)) / total) if total > 0 else None  # §15
    assert results.insight.quality["kennis"].alpha == (pytest.approx(alpha) if alpha is not None else None)


def test_a_hidden_cell_is_listed_with_its_reason_and_no_number(bob_client, organisation, instrument_version):
    scan = closed_scan_with(
        organisation, instrument_version, {"directie": [4, 4, 4], "medewerkers": [2] * 8, "management": [3, 3]}
    )
    document = document_of(bob_client, scan)
    hidden = {(c["group"], c["code"]): c["reason"] for c in document["hidden"]}
    assert hidden[("management", "kennis")] == "below_threshold"
    assert hidden[("medewerkers", "kennis")] == "complementary"  # protects the two managers
    assert cell(document, "management", "kennis") is None
    assert cell(document, "medewerkers", "ken_tijd") is None  # the statements share the dimension's fate
    text = json.dumps(document)
    for row in document["hidden"]:
        assert set(row) == {"group", "family", "code", "reason"}
    assert '"n": 2' not in text  # no trace of the two managers' number anywhere


def test_the_csv_holds_the_same_cells(bob_client, scan):
    document = document_of(bob_client, scan)
    response = bob_client.get(f"/scans/{scan.code}/figures.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    header, body = rows[0], rows[1:]
    assert header[:6] == ["group", "family", "code", "n", "sum", "sum_of_squares"]
    assert len(body) == len(document["cells"]) + len(document["hidden"])
    first = document["cells"][0]
    assert body[0][:4] == [first["group"], first["family"], first["code"], str(first["n"])]
    assert AuditEvent.objects.filter(subject__endswith="figures.csv").exists()


def test_a_reference_share_follows_from_the_file(bob_client, organisation, instrument_version):
    scan = closed_scan_with(organisation, instrument_version, {"directie": [4, 4, 4], "medewerkers": [3] * 5})
    codes = instrument_version.parsed.answer_codes()
    for response, value in zip(scan.responses.filter(group__kind="directie"), (5, 4, 2), strict=True):
        response.packed_answers = pack(codes, {**stored_answers(response), "ref_verandering": value}, 5)
        response.save(update_fields=["packed_answers"])
    from roer.lifecycle.scan_life import figures_recompute

    figures_recompute(scan.pk)  # the answers were added after the close, for this test
    document = document_of(bob_client, scan)
    row = cell(document, "directie", "ref_verandering")
    assert (row["n"], row["agreeing"]) == (3, 2)  # §7: 4 and 5 agree, among those who answered
    assert math.isclose(100 * row["agreeing"] / row["n"], scan_results(scan).references[0].percentage)
