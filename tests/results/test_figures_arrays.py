"""The figures of a scan, computed from packed answers in arrays, equal the figures computed respondent by
respondent (the way Roer computed them before, kept in bench.figures_reference), for scans answered in
every way a questionnaire allows: don't know, skipped statements, half a dimension, nothing at all."""

from __future__ import annotations

import random

import pytest

from bench.figures_reference import differences, reference_figures
from roer.responses.models import Response
from roer.results.figures import compute_figures
from roer.scoring.packed import pack
from tests.factories import ScanFactory
from tests.groups import GroupKind


def _answers(rng: random.Random, codes: tuple[str, ...], style: str) -> dict[str, int | None]:
    if style == "all":
        return {code: rng.randint(1, 5) for code in codes}
    if style == "nothing":
        return {}
    answers: dict[str, int | None] = {}
    for code in codes:
        roll = rng.random()
        if roll < 0.25:
            answers[code] = None  # don't know
        elif roll < 0.5:
            continue  # skipped
        else:
            answers[code] = rng.randint(1, 5)
    return answers


def _scan_with(organisation, instrument_version, seed: int):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    scan = ScanFactory(organisation=organisation, instrument_version=instrument_version)
    codes = instrument_version.parsed.answer_codes()
    responses = []
    for group in scan.groups.all():
        for _ in range(rng.randint(0, 12)):
            style = rng.choice(["all", "all", "some", "nothing"])
            packed = pack(codes, _answers(rng, codes, style), 5)
            responses.append(
                Response(
                    scan=scan,
                    group=group,
                    instrument_version=instrument_version,
                    submitted_on=scan.opens_on,
                    packed_answers=packed,
                )
            )
    Response.objects.bulk_create(responses)
    return scan


@pytest.mark.parametrize("seed", range(8))
def test_array_figures_equal_the_respondent_by_respondent_figures(organisation, instrument_version, seed):
    scan = _scan_with(organisation, instrument_version, seed)
    computed = compute_figures(scan)
    computed.pop("published")
    stored = [(kind, bytes(packed)) for kind, packed in scan.responses.values_list("group__kind", "packed_answers")]
    assert differences(computed, reference_figures(instrument_version, stored)) == []


def test_a_scan_everyone_answered_with_4_scores_75_everywhere(organisation, instrument_version):
    scan = ScanFactory(organisation=organisation, instrument_version=instrument_version, groups=["medewerkers"])
    definition = instrument_version.parsed
    reverse = definition.reverse_codes()
    codes = definition.answer_codes()
    given = {code: 2 if code in reverse else 4 for code in codes}  # keyed 4 everywhere
    group = scan.groups.get()
    Response.objects.bulk_create(
        Response(
            scan=scan,
            group=group,
            instrument_version=instrument_version,
            submitted_on=scan.opens_on,
            packed_answers=pack(codes, given, 5),
        )
        for _ in range(3)
    )
    figures = compute_figures(scan)
    staff = GroupKind.MEDEWERKERS.value
    assert figures["responses"] == {staff: 3}
    assert set(map(tuple, figures["dimensions"][staff].values())) == {(3, 225.0, 3 * 75.0**2)}
    assert set(map(tuple, figures["pillars"][staff].values())) == {(3, 225.0, 3 * 75.0**2)}
    first = next(definition.items())
    raw = 2 if first.code in reverse else 4
    assert figures["items"][staff][first.code] == [3, 3 * raw, 3 * raw * raw, 3 if raw > 3 else 0]
    quality = next(iter(figures["quality"][staff].values()))
    assert quality["n"] == 3
    assert set(quality["sums"]) == {12.0}
