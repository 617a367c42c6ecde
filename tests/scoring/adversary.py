"""An adversary: given every number a scan publishes, in every view and file, try to learn a hidden cell.

What the adversary knows is what anyone with the results page, both reports, the scores export and the
figures file knows: each group's threshold and number of respondents (the response table), and per
group and key whatever n and mean (or sum) is published anywhere. It then tries, per key:

- **a cell published below its threshold**, or one published in one place and hidden in another;
- **an n without a figure**: a hidden cell whose n is published somewhere (n = 1 marks the lone person
  who answered "don't know");
- **derivation**: a group's dimension score from its statements, when every respondent of the group
  answered every statement of the dimension (then the dimension's mean is the mean of the statements'
  means), and a hidden dimension from a shown pillar and the pillar's other dimensions;
- **subtraction**: all others together minus every group known on the key leaves the groups hidden on
  it; with 1 to (threshold - 1) answers left, that remainder is a small group's figure.

`find_leaks` returns what it learned; an empty list means nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from roer.scoring import ALL_OTHERS

Key = tuple[str, str]  # (group code, key)


@dataclass
class Published:
    """Everything published, per (group, key): the n's and 0-100 means found anywhere, and where."""

    n: dict[Key, set[int]] = field(default_factory=lambda: defaultdict(set))
    mean: dict[Key, set[float]] = field(default_factory=lambda: defaultdict(set))
    hidden: dict[Key, set[str]] = field(default_factory=lambda: defaultdict(set))  # places that hid it
    pillars: dict[Key, float] = field(default_factory=dict)

    def add(self, group: str, key: str, n: int | None, mean: float | None, place: str) -> None:
        if n is not None and n != "":
            self.n[(group, key)].add(int(n))
        if mean is not None and mean != "":
            self.mean[(group, key)].add(float(mean))
        if (n is None or n == "") and (mean is None or mean == ""):
            self.hidden[(group, key)].add(place)


@dataclass(frozen=True)
class Truth:
    """What the adversary may know of the groups (their thresholds and sizes are published)."""

    thresholds: Mapping[str, int]
    responses: Mapping[str, int]
    self_groups: frozenset[str]
    dimensions: Mapping[str, Sequence[str]]  # dimension -> its statements
    pillars: Mapping[str, Sequence[str]]  # pillar -> its dimensions

    @property
    def others(self) -> list[str]:
        return [code for code in self.thresholds if code not in self.self_groups]

    def threshold(self, group: str) -> int:
        if group == ALL_OTHERS:
            return max(self.thresholds[code] for code in self.others)
        return self.thresholds[group]


TOLERANCE = 0.01  # the exports round to 4 decimals


def _same(values: set[float]) -> bool:
    return max(values) - min(values) <= TOLERANCE


def _known(published: Published, group: str, key: str) -> tuple[int, float] | None:
    ns, means = published.n.get((group, key)), published.mean.get((group, key))
    if ns and means and len(ns) == 1 and _same(means):
        return next(iter(ns)), sum(means) / len(means)
    return None


def find_leaks(published: Published, truth: Truth, keys: Iterable[str]) -> list[str]:
    leaks: list[str] = []
    keys = list(keys)
    groups = [*truth.thresholds, ALL_OTHERS]
    for group in groups:
        for key in keys:
            place = (group, key)
            ns, means = published.n.get(place, set()), published.mean.get(place, set())
            if len(ns) > 1 or (means and not _same(means)):
                leaks.append(f"{group}/{key}: different figures in different places {sorted(ns)} {sorted(means)}")
            if (ns or means) and published.hidden.get(place):
                leaks.append(f"{group}/{key}: published, yet hidden in {sorted(published.hidden[place])}")
            if ns and not means:
                leaks.append(f"{group}/{key}: an n ({sorted(ns)}) without a figure")
            if (
                group != ALL_OTHERS
                and group in truth.responses
                and ns
                and truth.responses[group] < truth.threshold(group)
            ):
                leaks.append(f"{group}/{key}: shown for a group below its threshold")
            if means and ns and min(ns) < truth.threshold(group):
                leaks.append(f"{group}/{key}: shown on {min(ns)} answers, below the threshold")

    known: dict[Key, tuple[int, float]] = {}
    for group in groups:
        for key in keys:
            if (value := _known(published, group, key)) is not None:
                known[(group, key)] = value
    # Derivation: a dimension from its statements, when everyone in the group answered all of them.
    for group in truth.others:
        for dimension, statements in truth.dimensions.items():
            if (group, dimension) in known:
                continue
            values = [known.get((group, statement)) for statement in statements]
            if values and all(value is not None and value[0] == truth.responses[group] for value in values):
                known[(group, dimension)] = (
                    truth.responses[group],
                    sum(value[1] for value in values if value is not None) / len(values),
                )
    # Derivation: a hidden dimension from a shown pillar and its other dimensions.
    for (group, pillar), _score in published.pillars.items():
        dimensions = truth.pillars[pillar]
        missing = [dimension for dimension in dimensions if (group, dimension) not in known]
        if len(missing) == 1:
            leaks.append(f"{group}/{missing[0]}: follows from the pillar {pillar} and its other dimensions")
    # Subtraction from all others together.
    for key in keys:
        total = known.get((ALL_OTHERS, key))
        if total is None:
            continue
        shown = [group for group in truth.others if (group, key) in known]
        remainder = total[0] - sum(known[(group, key)][0] for group in shown)
        hidden = [group for group in truth.others if group not in shown and truth.responses[group] > 0]
        if remainder > 0 and hidden and remainder < max(truth.thresholds[group] for group in hidden):
            sums = total[0] * total[1] - sum(known[(g, key)][0] * known[(g, key)][1] for g in shown)
            leaks.append(
                f"{key}: all others minus {shown} leaves {remainder} answer(s) of {hidden}, mean {sums / remainder:.2f}"
            )
    return leaks
