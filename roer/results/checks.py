"""Checks that every published figure still follows from the stored answers, for after a restore. Nothing
is changed.

* Each scan with figures: its figures computed again from its answers must equal the stored ones, to
  the last decimal but for the order of float additions (relative 1e-12: a restored table may hand the
  rows back in another order). A scan marked "figures ready" without stored figures is a difference.
* Each residents' survey with figures: the same, from the residents' answers (bursts left out as decided).
* Each benchmark: every organisation's score in every stored peer group must be what one of that
  organisation's restored scans published. The benchmark is rebuilt at night, not when a scan closes or
  an organisation joins or leaves, so a rebuild now may rightly differ from the stored one; the scores
  it was built from do not change.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from roer.instruments.models import InstrumentVersion
from roer.residents.figures import compute_resident_figures
from roer.residents.models import ResidentFigures, ResidentSurvey
from roer.results.figures import compute_figures
from roer.results.models import PeerGroupScores, ScanFigures
from roer.scans.models import Scan

RELATIVE_TOLERANCE = 1e-12


def same(computed: Any, stored: Any) -> bool:
    """Equal, with floats equal up to the order of their additions."""
    if isinstance(computed, dict) and isinstance(stored, dict):
        return computed.keys() == stored.keys() and all(same(computed[key], stored[key]) for key in computed)
    if isinstance(computed, list) and isinstance(stored, list):
        return len(computed) == len(stored) and all(same(a, b) for a, b in zip(computed, stored, strict=True))
    if isinstance(computed, float) or isinstance(stored, float):
        if isinstance(computed, bool) or isinstance(stored, bool) or computed is None or stored is None:
            return False
        return math.isclose(computed, stored, rel_tol=RELATIVE_TOLERANCE, abs_tol=RELATIVE_TOLERANCE)
    return bool(computed == stored) and type(computed) is type(stored)


def _as_stored(data: dict[str, Any]) -> Any:
    """The figures as a JSON column gives them back (tuples become lists, keys strings)."""
    return json.loads(json.dumps(data))


def figure_differences(scan: Scan) -> list[str]:
    """What of a scan's stored figures its answers no longer give."""
    stored = ScanFigures.objects.filter(scan=scan).values_list("data", "format").first()
    if stored is None:
        return [f"scan {scan.code} ({scan.title}): its figures are missing"]
    data, stored_format = stored
    if stored_format != ScanFigures.FORMAT:
        return []  # computed again on every read until `refresh_figures` stores them anew
    computed = _as_stored(compute_figures(scan))
    return [
        f"scan {scan.code} ({scan.title}): {part} differ"
        for part in sorted(set(computed) | set(data))
        if not same(computed.get(part), data.get(part))
    ]


def resident_figure_differences(survey: ResidentSurvey) -> list[str]:
    """What of a residents' survey's stored figures its answers no longer give."""
    name = f"residents' survey {survey.slug} of scan {survey.scan.code}"
    module = survey.scan.instrument_version.parsed.residents
    stored = ResidentFigures.objects.filter(survey=survey).values_list("data", flat=True).first()
    if stored is None or module is None:
        return [f"{name}: its figures are missing"]
    computed = _as_stored(compute_resident_figures(survey, module))
    return [
        f"{name}: {part} differ"
        for part in sorted(set(computed) | set(stored))
        if not same(computed.get(part), stored.get(part))
    ]


def benchmark_differences(version: InstrumentVersion) -> list[str]:
    """The scores in the stored peer groups that none of their organisation's restored scans published."""
    published: dict[int, list[dict[str, float]]] = defaultdict(list)
    rows = ScanFigures.objects.filter(scan__instrument_version=version, format=ScanFigures.FORMAT).values_list(
        "scan__organisation_id", "data"
    )
    for organisation_id, data in rows:
        published[organisation_id].append(data.get("published") or {})
    differences = []
    groups = PeerGroupScores.objects.filter(instrument_version=version).order_by("peer_group", "code")
    for peer_group, code, entries in groups.values_list("peer_group", "code", "entries"):
        for organisation_id, score in entries:
            if not any(same(scores.get(code), score) for scores in published.get(organisation_id, [])):
                differences.append(
                    f"benchmark of {version}: {peer_group} {code}: a score of organisation {organisation_id} "
                    "that none of its restored scans published"
                )
    return differences


@dataclass
class PublishedCheck:
    scans: int = 0
    resident_surveys: int = 0
    older_format: int = 0
    benchmark_scores: int = 0
    differences: list[str] = field(default_factory=list)


def published_figures_check() -> PublishedCheck:
    result = PublishedCheck()
    scans = Scan.objects.with_figures().select_related("instrument_version").order_by("pk")
    for scan in scans:
        result.scans += 1
        result.differences += figure_differences(scan)
    surveys = ResidentSurvey.objects.filter(state="figures_ready").select_related("scan__instrument_version")
    for survey in surveys.order_by("pk"):
        result.resident_surveys += 1
        result.differences += resident_figure_differences(survey)
    result.older_format = ScanFigures.objects.exclude(format=ScanFigures.FORMAT).count()
    versions = InstrumentVersion.objects.filter(pk__in=scans.values("instrument_version_id")).order_by("pk")
    for version in versions:
        result.differences += benchmark_differences(version)
    result.benchmark_scores = sum(
        len(entries) for entries in PeerGroupScores.objects.values_list("entries", flat=True).iterator()
    )
    return result
