"""Everything the results templates need, shared by the results page and both reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from roer.instruments.residents import ResidentChoice, ResidentOption, Theme
from roer.lib.charts.dumbbell import Dumbbell, dumbbell
from roer.residents.figures import CHANNELS, TOGETHER, ChoiceCell, ResidentResults
from roer.residents.models import Channel
from roer.results import presentation
from roer.results.expectations import ChannelGaps
from roer.results.selectors import ScanResults
from roer.scoring.disclosure import Suppression
from roer.scoring.expectations import ranked


def results_context(results: ScanResults, language: str) -> dict[str, Any]:
    definition = results.definition
    labels = {
        code: presentation.label_of(definition, code, language)
        for pillar in definition.pillars
        for code in (pillar.code, *(dimension.code for dimension in pillar.dimensions))
    }
    item_texts = {item.code: item.others_text.get(language) for item in definition.items()}
    item_dimension = {
        item.code: labels[dimension.code] for _p, dimension in definition.dimensions() for item in dimension.items
    }
    return {
        "results": results,
        "insight": results.insight,
        "definition": definition,
        "columns": presentation.columns(results.insight, definition),
        "rows": presentation.rows(results, language),
        "chart": presentation.self_versus_others_chart(results, language),
        "gap_chart": presentation.gap_chart(results, language),
        "trend_chart": presentation.trend_chart(results, language),
        "developments": presentation.development_views(results, language),
        "labels": labels,
        "item_texts": item_texts,
        "item_dimension": item_dimension,
        "reverse_codes": definition.reverse_codes(),
        "pillar_codes": {pillar.code for pillar in definition.pillars},
        "language": language,
    }


@dataclass(frozen=True)
class ChannelLink:
    code: str
    label: str
    responses: int
    shown: bool  # enough residents for figures of their own
    current: bool


@dataclass(frozen=True)
class ChoiceView:
    """One choice question for one channel: its options by share (highest first), or hidden."""

    choice: ResidentChoice
    answered: int | None
    options: tuple[tuple[ResidentOption, float], ...]
    suppression: Suppression


@dataclass(frozen=True)
class ChoiceColumn:
    code: str
    label: str
    cell: ChoiceCell
    suppression: Suppression


@dataclass(frozen=True)
class ChoiceTable:
    """A single-choice question with a column per channel and together: the channel mix."""

    choice: ResidentChoice
    columns: tuple[ChoiceColumn, ...]

    def rows(self) -> list[tuple[ResidentOption, list[tuple[ChoiceColumn, float | None]]]]:
        return [
            (
                option,
                [(column, (column.cell.shares or {}).get(option.code)) for column in self.columns],
            )
            for option in self.choice.options
        ]


def channel_label(code: str) -> str:
    return _("All channels together") if code == TOGETHER else str(Channel(code).label)


def _choice_view(results: ResidentResults, choice: ResidentChoice, channel: str) -> ChoiceView:
    cell = results.choices[channel][choice.code]
    suppression = results.disclosure.suppression(channel, choice.code)
    if cell.shares is None:
        return ChoiceView(choice, None, (), suppression)
    order = {option.code: number for number, option in enumerate(choice.options)}
    options = sorted(
        ((option, cell.shares[option.code]) for option in choice.options),
        key=lambda pair: (-pair[1], order[pair[0].code]),
    )
    return ChoiceView(choice, cell.n, tuple(options), suppression)


def _choice_table(results: ResidentResults, choice: ResidentChoice) -> ChoiceTable:
    codes = (TOGETHER, *(code for code in CHANNELS if results.responses.get(code)))
    return ChoiceTable(
        choice,
        tuple(
            ChoiceColumn(
                code,
                channel_label(code),
                results.choices[code][choice.code],
                results.disclosure.suppression(code, choice.code),
            )
            for code in codes
        ),
    )


def expectation_chart(gaps: ChannelGaps, language: str) -> Dumbbell | None:
    """Residents beside what the directors and all others think they answer, per statement."""
    if not gaps.shown:
        return None
    rows = gaps.rows
    directors = [row.directors.score if row.directors else None for row in rows]
    others = [row.others.score if row.others else None for row in rows]
    residents = _("Residents: %(channel)s") % {"channel": channel_label(gaps.channel)}
    series = [(residents, "series-c", "circle", [row.residents.score for row in rows])]
    if any(score is not None for score in directors):
        series.append((_("Directors think"), "series-self", "square", directors))
    if any(score is not None for score in others):
        series.append((_("All others think"), "series-others", "diamond", others))
    labels = [f"{number}. {row.statement.resident.get(language)}" for number, row in enumerate(rows, start=1)]
    return dumbbell(labels, series)


def residents_context(outcome: ScanResults, channel: str, language: str) -> dict[str, Any]:
    """The residents' part of the results templates, for one channel (or together): a channel nobody
    answered in, or an unknown one, falls back to together."""
    section = outcome.residents
    if section is None:
        return {"residents": None}
    context: dict[str, Any] = {"residents": section, "resident_threshold": settings.ROER_RESIDENT_THRESHOLD}
    results = section.results
    if results is None:
        return context
    context["resident_threshold"] = results.threshold
    if channel not in CHANNELS or not results.responses.get(channel):
        channel = TOGETHER
    gaps = section.gaps[channel]
    perceived_columns = presentation.columns(outcome.insight, outcome.definition)
    statements = {row.code: row for row in gaps.rows}
    priorities = [statements[code] for code, _score in ranked({row.code: row.residents.score for row in gaps.rows})]
    context.update(
        resident_channel=channel,
        resident_channel_label=channel_label(channel),
        resident_channels=[
            ChannelLink(code, channel_label(code), count, count >= results.threshold, code == channel)
            for code in (TOGETHER, *CHANNELS)
            if (count := results.responses.get(code, 0)) or code == TOGETHER
        ],
        resident_gaps=gaps,
        resident_together=section.gaps[TOGETHER],
        resident_chart=expectation_chart(gaps, language),
        resident_priorities=priorities,
        resident_hidden_statements=[row for row in gaps.rows if not row.residents.shown],
        # several answers (services wanted online) with the priorities; one answer (the preferred way of
        # contact) in the channel mix; inclusion on its own
        resident_wishes=[
            _choice_view(results, choice, channel) for choice in section.choices_where(inclusion=False, multiple=True)
        ],
        resident_mix=[
            _choice_table(results, choice) for choice in section.choices_where(inclusion=False, multiple=False)
        ],
        resident_inclusion_statements=[statements[s.code] for s in section.statements_of(Theme.INCLUSION)],
        resident_inclusion_choices=[
            _choice_view(results, choice, channel) for choice in section.choices_where(inclusion=True)
        ],
        resident_perceived=[
            (row, [section.perceived.cell(column.code, row.code) for column in perceived_columns]) for row in gaps.rows
        ]
        if section.perceived
        else [],
        resident_perceived_columns=perceived_columns,
        resident_statement_texts={statement.code: statement.resident for statement in section.module.statements},
        resident_responses=[(channel_label(code), results.responses.get(code, 0)) for code in CHANNELS],
        # the reports, which have no channel links: the gap table of every channel with figures of its own
        resident_per_channel=[
            (section.gaps[code], channel_label(code)) for code in CHANNELS if section.gaps[code].shown
        ],
    )
    return context
