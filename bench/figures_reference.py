"""The figures of a scan computed the way Roer computed them before answers were packed: respondent by
respondent in plain Python, each dimension score by `respondent_dimension_scores`, sums added one value
at a time. Kept to check the array version (`roer.results.figures.compute_figures`) against, in the
tests and on the benchmark data of `bench.figures`; it is far too slow to serve a large scan."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from roer.instruments.models import InstrumentVersion
from roer.scoring import Summary, respondent_dimension_scores
from roer.scoring.packed import unpack
from roer.scoring.reliability import QualitySums


def _summary(values: list[float]) -> list[float]:
    summary = Summary.of(values)
    return [summary.n, summary.total, summary.total_squares]


def _is_self(definition: Any, kind: str) -> bool:
    group = definition.group(kind)
    return group is not None and group.is_self


def reference_figures(version: InstrumentVersion, responses: list[tuple[str, bytes]]) -> dict[str, Any]:
    """responses: (group kind, packed answers) of every response of one scan; `published` left out."""
    definition = version.parsed
    spec = version.spec
    codes = definition.answer_codes()
    points = definition.scale.points
    middle = (points + 1) / 2
    reverse = definition.reverse_codes()
    statements = [item.code for item in definition.items()]
    per_kind: dict[str, list[dict[str, int | None]]] = defaultdict(list)
    for kind, packed in responses:
        per_kind[kind].append(unpack(codes, packed))
    data: dict[str, Any] = {"responses": {}, "dimensions": {}, "pillars": {}, "items": {}, "quality": {}}
    for kind, answers in sorted(per_kind.items()):
        data["responses"][kind] = len(answers)
        scores = [respondent_dimension_scores(spec, given) for given in answers]
        dimensions = {}
        for dimension in spec.dimensions:
            values = [score for own in scores if (score := own[dimension.code]) is not None]
            if values:
                dimensions[dimension.code] = _summary(values)
        pillars = {}
        for pillar in spec.pillars:
            values = [
                sum(own[code] for code in pillar.dimension_codes) / len(pillar.dimension_codes)  # type: ignore[misc]
                for own in scores
                if all(own[code] is not None for code in pillar.dimension_codes)
            ]
            if values:
                pillars[pillar.code] = _summary(values)
        items = {}
        for code in codes:
            given = [value for own in answers if (value := own.get(code)) is not None]
            if given:
                items[code] = [len(given), sum(given), sum(v * v for v in given), sum(v > middle for v in given)]
        for part, cells in (("dimensions", dimensions), ("pillars", pillars), ("items", items)):
            if cells:
                data[part][kind] = cells
        keyed = [
            {code: points + 1 - value if code in reverse else value for code, value in own.items() if value is not None}
            for own in answers
        ]
        if not _is_self(definition, kind) and any(code in own for own in keyed for code in statements):
            quality = {}
            for _pillar, defined in definition.dimensions():
                wanted = [item.code for item in defined.items]
                rows = [[own[code] for code in wanted] for own in keyed if all(code in own for code in wanted)]
                sums = QualitySums.of(rows, len(wanted))
                quality[defined.code] = {
                    "n": sums.n,
                    "sums": list(sums.sums),
                    "products": [list(line) for line in sums.products],
                }
            data["quality"][kind] = quality
    return data


def differences(computed: Any, reference: Any, path: str = "", tolerance: float = 1e-9) -> list[str]:
    """Where two figures documents differ: keys, counts exactly, sums to a relative `tolerance` (the
    order in which floating-point sums are added moves the last bits only)."""
    if isinstance(reference, dict):
        if not isinstance(computed, dict) or set(computed) != set(reference):
            return [
                f"{path}: keys {sorted(computed) if isinstance(computed, dict) else computed} != {sorted(reference)}"
            ]
        return [line for key in reference for line in differences(computed[key], reference[key], f"{path}/{key}")]
    if isinstance(reference, list):
        if not isinstance(computed, list) or len(computed) != len(reference):
            return [f"{path}: {computed} != {reference}"]
        return [
            line
            for i, (a, b) in enumerate(zip(computed, reference, strict=True))
            for line in differences(a, b, f"{path}[{i}]")
        ]
    if isinstance(reference, int) and not isinstance(reference, bool) and computed != reference:
        return [f"{path}: {computed} != {reference}"]
    if abs(computed - reference) > tolerance * max(1.0, abs(reference)):
        return [f"{path}: {computed!r} != {reference!r}"]
    return []
