"""The one disclosure rule: what of a scan may be published, for every view and every file.

Figures come in *units*: keys that are published or hidden together, because they can be combined. A
dimension and its statements are one unit (a respondent's dimension score is the mean of their answers
to its statements, so a statement's figures could rebuild a hidden dimension); a development's knowledge
and impact are one; each reference question is one. For every group and every unit there is one
decision, and so one for "all others together":

1. A group is only shown at all when at least its threshold of people answered.
2. A unit is shown for a group only when every key of it has at least the group's threshold of answers
   ("don't know" is no answer); otherwise it is hidden for that group, with no number at all, not even n.
3. "All others together" pools every group but the self-view. Its threshold is the highest threshold of
   those groups. It is shown on a unit when the pooled answers reach that threshold on every key.
4. Complementary suppression: all others minus the groups shown on a unit gives the groups hidden on it.
   On every key of the unit, what is hidden together must then have no answers or at least the highest
   threshold among the hidden groups that answered. Until it does, the shown group with the fewest respondents is
   hidden as well (ties: the group whose code sorts first).

Nothing else is published from a hidden group's answers: derived figures (scale quality, exports) use the
groups shown on the unit, and the respondent-level export, for each group, only the units shown for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

ALL_OTHERS = "all_others"


class Suppression(StrEnum):
    NONE = "none"
    BELOW_THRESHOLD = "below_threshold"
    COMPLEMENTARY = "complementary"


@dataclass(frozen=True)
class GroupShape:
    """Who a group is, without any figures: enough to decide what may be shown."""

    code: str
    is_self: bool
    threshold: int
    responses: int


@dataclass(frozen=True)
class Unit:
    """Keys that are published or hidden together. `self_only`: only the self-view answers them."""

    code: str
    keys: tuple[str, ...]
    self_only: bool = False


Counts = Mapping[str, Mapping[str, int]]  # group code -> key -> number of answers


@dataclass(frozen=True)
class Disclosure:
    groups: tuple[GroupShape, ...]
    units: tuple[Unit, ...]
    decisions: Mapping[tuple[str, str], Suppression]  # (group code or ALL_OTHERS, unit code)

    def unit_of(self, key: str) -> Unit | None:
        return next((unit for unit in self.units if key in unit.keys), None)

    def suppression(self, group: str, key: str) -> Suppression:
        unit = self.unit_of(key)
        if unit is None:
            return Suppression.BELOW_THRESHOLD
        return self.decisions.get((group, unit.code), Suppression.BELOW_THRESHOLD)

    def shown(self, group: str, key: str) -> bool:
        return self.suppression(group, key) is Suppression.NONE


def all_others_shape(groups: Sequence[GroupShape]) -> GroupShape | None:
    others = [group for group in groups if not group.is_self]
    if not others:
        return None
    return GroupShape(
        code=ALL_OTHERS,
        is_self=False,
        threshold=max(group.threshold for group in others),
        responses=sum(group.responses for group in others),
    )


def _own_decision(group: GroupShape, counts: Mapping[str, int], unit: Unit) -> Suppression:
    if group.responses < group.threshold:
        return Suppression.BELOW_THRESHOLD
    if any(counts.get(key, 0) < group.threshold for key in unit.keys):
        return Suppression.BELOW_THRESHOLD
    return Suppression.NONE


def _remainder_is_safe(hidden: Sequence[GroupShape], counts: Counts, unit: Unit) -> bool:
    """What all others minus the shown groups gives: on every key nothing, or at least a threshold."""
    answering = [group for group in hidden if any(counts.get(group.code, {}).get(key, 0) for key in unit.keys)]
    if not answering:
        return True
    required = max(group.threshold for group in answering)
    for key in unit.keys:
        remainder = sum(counts.get(group.code, {}).get(key, 0) for group in answering)
        if 0 < remainder < required:
            return False
    return True


def _decide_unit(groups: Sequence[GroupShape], counts: Counts, unit: Unit) -> dict[str, Suppression]:
    decisions = {
        group.code: _own_decision(group, counts.get(group.code, {}), unit)
        for group in groups
        if not unit.self_only or group.is_self
    }
    combined = all_others_shape(groups)
    if unit.self_only or combined is None:
        return decisions
    others = [group for group in groups if not group.is_self]
    pooled = {key: sum(counts.get(group.code, {}).get(key, 0) for group in others) for key in unit.keys}
    if combined.responses < combined.threshold or any(pooled[key] < combined.threshold for key in unit.keys):
        decisions[ALL_OTHERS] = Suppression.BELOW_THRESHOLD
        return decisions
    decisions[ALL_OTHERS] = Suppression.NONE
    while True:
        hidden = [group for group in others if decisions[group.code] is not Suppression.NONE]
        if _remainder_is_safe(hidden, counts, unit):
            return decisions
        shown = [group for group in others if decisions[group.code] is Suppression.NONE]
        smallest = min(shown, key=lambda group: (group.responses, group.code))
        decisions[smallest.code] = Suppression.COMPLEMENTARY


def decide(groups: Sequence[GroupShape], counts: Counts, units: Iterable[Unit]) -> Disclosure:
    """The decision for every group, all others together, and unit."""
    units = tuple(units)
    decisions: dict[tuple[str, str], Suppression] = {}
    for unit in units:
        for group, suppression in _decide_unit(groups, counts, unit).items():
            decisions[(group, unit.code)] = suppression
    return Disclosure(tuple(groups), units, decisions)
