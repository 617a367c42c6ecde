"""Residents' figures: computed once from the packed answers of a closed survey, published per channel
and for all channels together through the one disclosure rule (roer.scoring.disclosure).

The channels play the part of groups: each is shown only from ROER_RESIDENT_THRESHOLD residents, on
every statement and choice question (a unit of its own), and "together" minus the shown channels must
leave every hidden channel at that threshold or with nothing, so a small channel cannot be worked out by
subtraction. Answers in a burst the scan manager left out are not counted anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings

from roer.instruments.residents import ResidentsModule
from roer.residents.models import BurstStatus, Channel, ResidentResponse, ResidentSurvey
from roer.scoring import Summary
from roer.scoring.disclosure import ALL_OTHERS, Disclosure, GroupShape, Unit, decide
from roer.scoring.groups import Cell, cells_for
from roer.scoring.items import keyed_percentage_summary
from roer.scoring.packed import answer_matrix, answered

TOGETHER = ALL_OTHERS
CHANNELS = tuple(Channel.values)


def compute_resident_figures(survey: ResidentSurvey, module: ResidentsModule) -> dict[str, Any]:
    """Per channel: respondents, per statement [n, sum, sum of squares, agreeing] over the points given,
    and per choice question how many answered and how many chose each option."""
    codes = module.answer_codes()
    rows = ResidentResponse.objects.filter(survey=survey).exclude(burst__status=BurstStatus.EXCLUDED)
    channels: list[str] = []
    packed: list[bytes] = []
    for channel, answers in rows.values_list("channel", "packed_answers"):
        channels.append(channel)
        packed.append(bytes(answers))
    matrix = answer_matrix(packed, len(codes))
    by_channel = np.array(channels, dtype=object)
    middle = (module.scale.points + 1) / 2
    data: dict[str, Any] = {"channels": {}, "excluded": _excluded(survey)}
    for channel in sorted(set(channels)):
        group = matrix[by_channel == channel]
        figures: dict[str, Any] = {"n": int(group.shape[0]), "statements": {}, "choices": {}}
        for statement in module.statements:
            column = group[:, codes.index(statement.code)]
            given = column[answered(column)].astype(np.int64)
            figures["statements"][statement.code] = [
                int(given.size),
                int(given.sum()),
                int((given * given).sum()),
                int((given > middle).sum()),
            ]
        for choice in module.choices:
            if choice.multiple:
                columns = [codes.index(f"{choice.code}__{option.code}") for option in choice.options]
                chosen = group[:, columns] == 1
                answered_any = chosen.any(axis=1)
                counts = chosen.sum(axis=0)
            else:
                column = group[:, codes.index(choice.code)]
                answered_any = column > 0
                counts = np.array([(column == number).sum() for number in range(1, len(choice.options) + 1)])
            figures["choices"][choice.code] = {
                "n": int(answered_any.sum()),
                "options": {option.code: int(count) for option, count in zip(choice.options, counts, strict=True)},
            }
        data["channels"][channel] = figures
    return data


def _excluded(survey: ResidentSurvey) -> int:
    return ResidentResponse.objects.filter(survey=survey, burst__status=BurstStatus.EXCLUDED).count()


@dataclass(frozen=True)
class ChoiceCell:
    n: int | None
    shares: dict[str, float] | None  # option code -> percentage of those who answered the question

    @property
    def shown(self) -> bool:
        return self.shares is not None


@dataclass(frozen=True)
class ResidentResults:
    """What may be published, per channel code and TOGETHER."""

    threshold: int
    responses: dict[str, int]  # every channel's count (counts are published: they are in the response rate)
    statements: dict[str, dict[str, Cell]]  # channel -> statement code -> 0-100 score
    agreeing: dict[str, dict[str, float | None]]  # channel -> statement code -> share agreeing
    choices: dict[str, dict[str, ChoiceCell]]
    disclosure: Disclosure
    excluded: int

    def shown_channels(self) -> list[str]:
        return [code for code in (*CHANNELS, TOGETHER) if self.responses.get(code, 0) >= self.threshold]


def resident_units(module: ResidentsModule) -> list[Unit]:
    units = [Unit(f"statement:{statement.code}", (statement.code,)) for statement in module.statements]
    units += [Unit(f"choice:{choice.code}", (choice.code,)) for choice in module.choices]
    return units


def publish_resident_figures(
    module: ResidentsModule, data: dict[str, Any], threshold: int | None = None
) -> ResidentResults:
    threshold = threshold or settings.ROER_RESIDENT_THRESHOLD
    channels: dict[str, Any] = data.get("channels", {})
    shapes = [GroupShape(code, False, threshold, int(channels.get(code, {}).get("n", 0))) for code in CHANNELS]
    counts = {
        code: {
            **{key: int(values[0]) for key, values in channels.get(code, {}).get("statements", {}).items()},
            **{key: int(values["n"]) for key, values in channels.get(code, {}).get("choices", {}).items()},
        }
        for code in CHANNELS
    }
    disclosure = decide(shapes, counts, resident_units(module))
    points = module.scale.points
    summaries = {
        code: {
            key: keyed_percentage_summary(
                Summary(int(v[0]), float(v[1]), float(v[2])), reverse=False, scale_points=points
            )
            for key, v in channels.get(code, {}).get("statements", {}).items()
        }
        for code in CHANNELS
    }
    statement_codes = [statement.code for statement in module.statements]
    statements = cells_for(disclosure, summaries, statement_codes)
    agreeing: dict[str, dict[str, float | None]] = {}
    choices: dict[str, dict[str, ChoiceCell]] = {}
    for code in (*CHANNELS, TOGETHER):
        members = CHANNELS if code == TOGETHER else (code,)
        agreeing[code] = {}
        for key in statement_codes:
            n = sum(int(channels.get(m, {}).get("statements", {}).get(key, [0, 0, 0, 0])[0]) for m in members)
            agree = sum(int(channels.get(m, {}).get("statements", {}).get(key, [0, 0, 0, 0])[3]) for m in members)
            agreeing[code][key] = 100 * agree / n if disclosure.shown(code, key) and n else None
        choices[code] = {}
        for choice in module.choices:
            n = sum(int(channels.get(m, {}).get("choices", {}).get(choice.code, {}).get("n", 0)) for m in members)
            if not disclosure.shown(code, choice.code) or not n:
                choices[code][choice.code] = ChoiceCell(None, None)
                continue
            shares = {
                option.code: 100
                * sum(
                    int(
                        channels.get(m, {})
                        .get("choices", {})
                        .get(choice.code, {})
                        .get("options", {})
                        .get(option.code, 0)
                    )
                    for m in members
                )
                / n
                for option in choice.options
            }
            choices[code][choice.code] = ChoiceCell(n, shares)
    responses = {code: int(channels.get(code, {}).get("n", 0)) for code in CHANNELS}
    responses[TOGETHER] = sum(responses.values())
    return ResidentResults(
        threshold, responses, statements, agreeing, choices, disclosure, int(data.get("excluded", 0))
    )
