"""What the results would hide if the scan closed now: a dry run of the real disclosure rule, for the
page that asks a scan manager to confirm the close.

It says per group only what the results page says of it after the close: the group's number of answers
and threshold (already on the scan page), and whether the group is shown, hidden, or hidden on some
parts, with the reason. It names no dimension and no number beyond those, so it tells nothing about the
answers themselves."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from roer.results.figures import compute_figures, group_inputs, parse_figures
from roer.results.insight import insight
from roer.scans.models import RespondentGroup, Scan
from roer.scoring.disclosure import ALL_OTHERS, Disclosure, Suppression


class Outlook(StrEnum):
    SHOWN = "shown"
    TOO_FEW = "too_few"  # fewer answers than the threshold: the whole group is hidden
    PARTLY_DONT_KNOW = "partly_dont_know"  # some parts have too few answers other than "don't know"
    COMPLEMENTARY = "complementary"  # hidden (on every part) so that a smaller group cannot be subtracted
    PARTLY_COMPLEMENTARY = "partly_complementary"


@dataclass(frozen=True)
class GroupOutlook:
    group: RespondentGroup
    responses: int
    outlook: Outlook


@dataclass(frozen=True)
class ClosePreview:
    groups: tuple[GroupOutlook, ...]
    others: Outlook | None  # "all others together"; None when only the directors take part
    directors_only: bool

    @property
    def anything_hidden(self) -> bool:
        return any(line.outlook is not Outlook.SHOWN for line in self.groups)


def _decisions_of(code: str, disclosures: Iterable[Disclosure | None]) -> list[Suppression]:
    return [
        decision
        for disclosure in disclosures
        if disclosure is not None
        for (group, _unit), decision in disclosure.decisions.items()
        if group == code
    ]


def _outlook(decisions: list[Suppression], *, responses: int, threshold: int) -> Outlook:
    if responses < threshold:
        return Outlook.TOO_FEW
    if all(decision is Suppression.NONE for decision in decisions):
        return Outlook.SHOWN
    if Suppression.COMPLEMENTARY in decisions:
        if all(decision is not Suppression.NONE for decision in decisions):
            return Outlook.COMPLEMENTARY
        return Outlook.PARTLY_COMPLEMENTARY
    if all(decision is not Suppression.NONE for decision in decisions):
        return Outlook.TOO_FEW
    return Outlook.PARTLY_DONT_KNOW


def close_preview(scan: Scan) -> ClosePreview:
    """The disclosure decisions on the answers submitted so far, as the results would apply them."""
    version = scan.instrument_version
    definition = version.parsed
    groups = sorted(scan.groups.all(), key=lambda group: group.sort_key)
    figures = parse_figures(compute_figures(scan))
    inputs = group_inputs(definition, groups, figures)
    outcome = insight(definition, version.spec, inputs, figures)
    disclosures = (outcome.scores.disclosure, outcome.development_disclosure, outcome.reference_disclosure)
    lines = []
    for group, shape in zip(groups, inputs, strict=True):
        decisions = _decisions_of(shape.code, disclosures)
        lines.append(
            GroupOutlook(
                group, shape.responses, _outlook(decisions, responses=shape.responses, threshold=shape.threshold)
            )
        )
    others_view = outcome.scores.others_view
    others = None
    if others_view is not None:
        others = _outlook(
            _decisions_of(ALL_OTHERS, disclosures), responses=others_view.responses, threshold=others_view.threshold
        )
    directors_only = bool(groups) and all(group.is_self for group in groups)
    return ClosePreview(tuple(lines), others, directors_only)
