"""The figures file: every published number of a scan, as the sufficient statistics it was computed from.

Each published cell carries its n, the sum and the sum of squares of its values (and for statements and
reference questions the number who agreed), so that every figure on the results page and in both
reports can be recomputed with docs/scoring.md alone, and nothing else: a hidden cell is listed with the
reason it is hidden and no number at all. The same rule decides both (`roer.scoring.disclosure`).

A scan with a residents' survey whose figures are ready adds `residents`: the residents' cells per
channel and all channels together (statements as raw sums, 1..points; a choice option as the sums of a
0/1 value, so its mean is the share that chose it), what the directors and staff think residents answer
(the perceived statements, per group), and the expectation gap computed from those published figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from roer.residents.figures import CHANNELS, TOGETHER, ResidentResults
from roer.results.expectations import Perceived, ResidentsSection
from roer.results.figures import MIN_RESPONDENTS_FOR_QUALITY, Figures, figures_for
from roer.results.insight import pooled_others
from roer.results.selectors import ScanResults
from roer.scoring import ALL_OTHERS, Summary, Suppression
from roer.scoring.benchmark import MIN_PEERS, MIN_PEERS_FOR_QUARTILES
from roer.scoring.disclosure import Disclosure

FORMAT = "roer-figures/1"


def _sums(summary: Summary) -> dict[str, float]:
    return {"n": summary.n, "sum": summary.total, "sum_of_squares": summary.total_squares}


@dataclass(frozen=True)
class _Family:
    name: str  # dimension, statement, development, reference
    code: str
    disclosure: Disclosure | None
    values: dict[str, Summary]  # group kind -> sums of its values
    agreeing: dict[str, int] | None = None  # group kind -> how many agreed (statements, references)
    reverse: bool | None = None


def _families(results: ScanResults, figures: Figures) -> Iterator[_Family]:
    definition, insight = results.definition, results.insight
    reverse = definition.reverse_codes()

    def raw(code: str) -> dict[str, Summary]:
        return {kind: items[code].raw for kind, items in figures.items.items() if code in items}

    def agreed(code: str) -> dict[str, int]:
        return {kind: items[code].agreeing for kind, items in figures.items.items() if code in items}

    for _pillar, dimension in definition.dimensions():
        values = {kind: cells.get(dimension.code, Summary()) for kind, cells in figures.dimensions.items()}
        yield _Family("dimension", dimension.code, insight.scores.disclosure, values)
        for item in dimension.items:
            yield _Family(
                "statement",
                item.code,
                insight.scores.disclosure,
                raw(item.code),
                agreed(item.code),
                item.code in reverse,
            )
    if definition.developments:
        for development in definition.developments.items:
            for code in (development.knowledge_code, development.impact_code):
                yield _Family("development", code, insight.development_disclosure, raw(code))
    for question in definition.reference_questions:
        yield _Family(
            "reference", question.code, insight.reference_disclosure, raw(question.code), agreed(question.code)
        )


def _cells(results: ScanResults, figures: Figures) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every published cell with its sums, and every hidden one with its reason only."""
    groups = [group.code for group in results.insight.scores.groups]
    others = [group.code for group in results.insight.scores.groups if not group.is_self and group.code != ALL_OTHERS]
    cells: list[dict[str, Any]] = []
    hidden: list[dict[str, Any]] = []
    for family in _families(results, figures):
        unit = family.disclosure.unit_of(family.code) if family.disclosure else None
        if family.disclosure is None or unit is None:
            continue
        for group in groups:
            suppression = family.disclosure.decisions.get((group, unit.code))
            if suppression is None:
                continue  # not asked of this group (a reference question of the others)
            place = {"group": group, "family": family.name, "code": family.code}
            if suppression is not Suppression.NONE:
                hidden.append({**place, "reason": suppression.value})
                continue
            kinds = others if group == ALL_OTHERS else [group]
            summary = sum((family.values.get(kind, Summary()) for kind in kinds), Summary())
            cell: dict[str, Any] = {**place, **_sums(summary)}
            if family.agreeing is not None:
                cell["agreeing"] = sum(family.agreeing.get(kind, 0) for kind in kinds)
            if family.reverse is not None:
                cell["reverse"] = family.reverse
            cells.append(cell)
    return cells, hidden


def figures_document(results: ScanResults, figures: Figures | None = None) -> dict[str, Any]:
    """The whole figures file of a scan whose figures are ready (`figures`: its stored figures, read
    when not given)."""
    scan, definition, insight = results.scan, results.definition, results.insight
    figures = figures or figures_for(scan)
    scores = insight.scores
    groups = [group for group in scores.groups if group.code != ALL_OTHERS]
    others = [group.code for group in groups if not group.is_self]
    combined = scores.others_view
    developments = definition.developments
    cells, hidden = _cells(results, figures)
    return {
        "format": FORMAT,
        "scan": {
            "code": str(scan.code),
            "title": scan.title,
            "organisation": scan.organisation.name,
            "opens_on": scan.opens_on.isoformat(),
            "closes_on": scan.closes_on.isoformat(),
        },
        "instrument": {
            "code": definition.code,
            "version": definition.version,
            "content_hash": scan.instrument_version.content_hash,
        },
        "rules": {
            "scale_points": definition.scale.points,
            "gap_threshold": insight.gap_threshold,
            "maturity_bands": [{"level": band.level, "starts_at": band.starts_at} for band in definition.maturity],
            "quadrant_split": developments.quadrant_split if developments else None,
            "development_scale_points": (
                {"knowledge": len(developments.knowledge_labels), "impact": len(developments.impact_labels)}
                if developments
                else None
            ),
            "min_quality_respondents": MIN_RESPONDENTS_FOR_QUALITY,
            "min_peers": MIN_PEERS,
            "min_peers_for_quartiles": MIN_PEERS_FOR_QUARTILES,
            "open_answer_threshold": settings.ROER_OPEN_ANSWER_THRESHOLD,
        },
        "groups": [
            {
                "code": group.code,
                "perspective": "self" if group.is_self else "others",
                "threshold": group.threshold,
                "responses": group.responses,
            }
            for group in groups
        ],
        "all_others": (
            {"threshold": combined.threshold, "responses": combined.responses, "groups": others} if combined else None
        ),
        "cells": cells,
        "hidden": hidden,
        "pillars": _pillar_respondents(results, figures),
        "quality": _quality(results),
        "benchmark": _benchmark(results),
        "progress": _progress(results),
        "residents": _residents(results.residents, figures),
    }


RESIDENTS_TOGETHER = "together"


def _channel_name(code: str) -> str:
    return f"residents:{RESIDENTS_TOGETHER if code == TOGETHER else code}"


def _resident_cells(
    section: ResidentsSection, results: ResidentResults
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The residents' published cells per channel and together (together pools every channel), and the
    hidden ones with their reason only."""
    data: dict[str, Any] = section.survey.figures.data.get("channels", {})
    cells: list[dict[str, Any]] = []
    hidden: list[dict[str, Any]] = []
    for code in (*CHANNELS, TOGETHER):
        members = CHANNELS if code == TOGETHER else (code,)
        for statement in section.module.statements:
            place = {"group": _channel_name(code), "family": "resident_statement", "code": statement.code}
            suppression = results.disclosure.suppression(code, statement.code)
            if suppression is not Suppression.NONE:
                hidden.append({**place, "reason": suppression.value})
                continue
            sums = [data.get(m, {}).get("statements", {}).get(statement.code, [0, 0, 0, 0]) for m in members]
            n, total, squares, agreeing = (sum(values[i] for values in sums) for i in range(4))
            cells.append({**place, "n": n, "sum": total, "sum_of_squares": squares, "agreeing": agreeing})
        for choice in section.module.choices:
            suppression = results.disclosure.suppression(code, choice.code)
            for option in choice.options:
                code_ = f"{choice.code}:{option.code}"
                place = {"group": _channel_name(code), "family": "resident_choice", "code": code_}
                if suppression is not Suppression.NONE:
                    hidden.append({**place, "reason": suppression.value})
                    continue
                answers = [data.get(m, {}).get("choices", {}).get(choice.code, {}) for m in members]
                n = sum(int(found.get("n", 0)) for found in answers)
                chosen = sum(int(found.get("options", {}).get(option.code, 0)) for found in answers)
                cells.append({**place, "n": n, "sum": chosen, "sum_of_squares": chosen})
    return cells, hidden


def _perceived_cells(
    section: ResidentsSection, perceived: Perceived, figures: Figures
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """What each group, and all others together, thinks residents answer: raw sums (1..points)."""
    groups = [group.code for group in perceived.disclosure.groups]
    others = [group.code for group in perceived.disclosure.groups if not group.is_self]
    cells: list[dict[str, Any]] = []
    hidden: list[dict[str, Any]] = []
    for statement in section.module.statements:
        for group in (*groups, ALL_OTHERS):
            place = {"group": group, "family": "perceived", "code": statement.code}
            suppression = perceived.disclosure.suppression(group, statement.code)
            if suppression is not Suppression.NONE:
                hidden.append({**place, "reason": suppression.value})
                continue
            kinds = others if group == ALL_OTHERS else [group]
            found = [figures.items.get(kind, {}).get(statement.code) for kind in kinds]
            summary = sum((figure.raw for figure in found if figure), Summary())
            agreeing = sum(figure.agreeing for figure in found if figure)
            cells.append({**place, **_sums(summary), "agreeing": agreeing, "reverse": False})
    return cells, hidden


def _residents(section: ResidentsSection | None, figures: Figures) -> dict[str, Any] | None:
    if section is None or section.results is None or section.perceived is None:
        return None
    results = section.results
    cells, hidden = _resident_cells(section, results)
    perceived, perceived_hidden = _perceived_cells(section, section.perceived, figures)
    return {
        "survey": {"opens_on": section.survey.opens_on.isoformat(), "closes_on": section.survey.closes_on.isoformat()},
        "rules": {
            "threshold": results.threshold,
            "scale_points": section.module.scale.points,
            "gap_threshold": section.gap_threshold,
            "together": list(CHANNELS),
        },
        # counts of responses are published per channel, as a response rate is
        "responses": {_channel_name(code): results.responses.get(code, 0) for code in (*CHANNELS, TOGETHER)},
        "excluded_from_bursts": results.excluded,
        "cells": cells + perceived,
        "hidden": hidden + perceived_hidden,
        "expectation_gap": [
            {
                "residents": _channel_name(code),
                "code": row.code,
                "residents_score": row.residents.score,
                "directors_score": row.directors.score if row.directors else None,
                "all_others_score": row.others.score if row.others else None,
                "directors_gap": row.directors_gap.difference if row.directors_gap else None,
                "all_others_gap": row.others_gap.difference if row.others_gap else None,
            }
            for code, gaps in section.gaps.items()
            for row in gaps.rows
            if row.residents.shown
        ],
        "blind_spots": {
            _channel_name(code): [gap.code for gap in gaps.blind_spots] for code, gaps in section.gaps.items()
        },
    }


def _pillar_respondents(results: ScanResults, figures: Figures) -> list[dict[str, Any]]:
    """All others' respondent-level pillar scores (each respondent's mean over the pillar's dimensions,
    respondents with every dimension only): what a pillar's progress interval is computed from."""
    combined = results.insight.scores.others_view
    if combined is None:
        return []
    disclosure = results.insight.scores.disclosure
    pooled = pooled_others(figures, list(disclosure.groups) if disclosure else [], "pillars")
    rows = []
    for pillar in results.definition.pillars:
        summary = pooled.get(pillar.code)
        if combined.pillars.get(pillar.code) is None or summary is None or summary.n < combined.threshold:
            continue
        rows.append({"group": ALL_OTHERS, "code": pillar.code, **_sums(summary)})
    return rows


def _quality(results: ScanResults) -> list[dict[str, Any]]:
    insight = results.insight
    disclosure = insight.scores.disclosure
    rows = []
    for _pillar, dimension in results.definition.dimensions():
        sums = insight.quality_sums.get(dimension.code)
        if sums is None or not sums.n or disclosure is None:
            continue
        rows.append(
            {
                "dimension": dimension.code,
                "groups": [
                    group.code
                    for group in insight.scores.groups
                    if not group.is_self and group.code != ALL_OTHERS and disclosure.shown(group.code, dimension.code)
                ],
                "statements": [item.code for item in dimension.items],
                "n": sums.n,
                "sums": list(sums.sums),
                "products": [list(line) for line in sums.products],
            }
        )
    return rows


def _benchmark(results: ScanResults) -> dict[str, Any] | None:
    benchmark = results.benchmark
    if not benchmark.taking_part:
        return None
    return {
        "peer_groups": [
            {
                "key": comparison.key,
                "others": comparison.others,
                "rows": [
                    {
                        "code": row.code,
                        "own": row.own,
                        "median": row.statistics.median if row.statistics else None,
                        "q1": row.statistics.q1 if row.statistics else None,
                        "q3": row.statistics.q3 if row.statistics else None,
                        "percentile": row.percentile,
                    }
                    for row in comparison.rows
                ],
            }
            for comparison in benchmark.comparisons
            if comparison.shown
        ]
    }


def _progress(results: ScanResults) -> dict[str, Any] | None:
    progress = results.progress
    if progress.previous is None:
        return None
    return {
        "previous": {"code": str(progress.previous.code), "title": progress.previous.title},
        "rows": [
            {
                "code": row.code,
                "before": row.before,
                "after": row.after,
                "low": row.change.low if row.change else None,
                "high": row.change.high if row.change else None,
            }
            for row in progress.rows
        ],
    }


CSV_HEADER = ["group", "family", "code", "n", "sum", "sum_of_squares", "agreeing", "reverse", "hidden"]


def figures_rows(document: dict[str, Any]) -> Iterator[list[object]]:
    """The cells of the figures file as one table (the JSON file has the rules, quality and the rest)."""
    for cell in document["cells"]:
        yield [
            cell["group"],
            cell["family"],
            cell["code"],
            cell["n"],
            cell["sum"],
            cell["sum_of_squares"],
            cell.get("agreeing", ""),
            {True: "yes", False: "no"}.get(cell.get("reverse"), ""),
            "",
        ]
    for cell in document["hidden"]:
        yield [cell["group"], cell["family"], cell["code"], "", "", "", "", "", cell["reason"]]
    residents = document.get("residents") or {"cells": [], "hidden": []}
    for cell in residents["cells"]:
        yield [
            cell["group"],
            cell["family"],
            cell["code"],
            cell["n"],
            cell["sum"],
            cell["sum_of_squares"],
            cell.get("agreeing", ""),
            {True: "yes", False: "no"}.get(cell.get("reverse"), ""),
            "",
        ]
    for cell in residents["hidden"]:
        yield [cell["group"], cell["family"], cell["code"], "", "", "", "", "", cell["reason"]]
