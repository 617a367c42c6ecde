"""Everything the results templates need, shared by the results page and both reports."""

from __future__ import annotations

from typing import Any

from roer.results import presentation
from roer.results.selectors import ScanResults


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
        "columns": presentation.columns(results.insight),
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
