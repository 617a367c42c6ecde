"""The adversary of tests/scoring/adversary.py against random scans: it gathers every number the results,
the scores export and the figures file publish, and must learn nothing hidden. One test weakens the rule
(a dimension and its statements decided apart, as before) and shows the adversary then succeeds."""

from __future__ import annotations

import types

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roer.instruments.loader import DEFAULT_INSTRUMENT, read_instrument_file
from roer.instruments.spec import scoring_spec
from roer.reports.exports import aggregated_export
from roer.reports.figures_file import figures_document
from roer.results.benchmarks import Benchmark
from roer.results.figures import Figures, ItemFigure, keyed_items
from roer.results.insight import insight
from roer.results.presentation import column_label
from roer.results.progress import Progress
from roer.results.selectors import ScanResults
from roer.scoring import ALL_OTHERS, DimensionSpec, GroupInput, InstrumentSpec, PillarSpec, Summary, score_scan
from roer.scoring import groups as scoring_groups
from roer.scoring.disclosure import Unit
from roer.scoring.reliability import QualitySums
from roer.scoring.respondent import respondent_dimension_scores
from tests.scoring.adversary import Published, Truth, find_leaks

DEFINITION, _TEXT = read_instrument_file(DEFAULT_INSTRUMENT)
SPEC = scoring_spec(DEFINITION)
GROUP_CODES = ("directie", "management", "informatievoorziening", "medewerkers")


def truth_of(inputs: list[GroupInput], spec: InstrumentSpec) -> Truth:
    return Truth(
        thresholds={group.code: group.threshold for group in inputs},
        responses={group.code: group.responses for group in inputs},
        self_groups=frozenset(group.code for group in inputs if group.is_self),
        dimensions={dimension.code: dimension.item_codes for dimension in spec.dimensions},
        pillars={pillar.code: pillar.dimension_codes for pillar in spec.pillars},
    )


def published_cells(scores, published: Published, place: str) -> None:  # type: ignore[no-untyped-def]
    for group in scores.groups:
        for family in (group.dimensions, group.items):
            for key, cell in family.items():
                published.add(group.code, key, cell.n, cell.score, place)
        for pillar, score in group.pillars.items():
            if score is not None:
                published.pillars[(group.code, pillar)] = score


# --- A small instrument: the crafted leak, and random groups ---------------------------------------

SMALL = InstrumentSpec(
    5,
    (PillarSpec("p", ("d",)),),
    (DimensionSpec("d", ("i1", "i2", "i3", "i4")),),
)


def group_of(code: str, threshold: int, answers: list[dict[str, int | None]], *, is_self: bool = False) -> GroupInput:
    """A group from its respondents' answers, with dimension and statement sums as Roer keeps them."""
    scores = [respondent_dimension_scores(SMALL, given)["d"] for given in answers]
    items = {
        code: Summary.of([(value - 1) * 25 for given in answers if (value := given.get(code)) is not None])
        for code in SMALL.dimensions[0].item_codes
    }
    return GroupInput(
        code, is_self, threshold, len(answers), {"d": Summary.of([s for s in scores if s is not None])}, items
    )


def crafted() -> list[GroupInput]:
    """A (6) answered everything; B (7) each answered "don't know" to a different half of the statements,
    so every statement has only 4 answers of B, while all 7 have a dimension score; C has 2 people."""
    everything = {"i1": 4, "i2": 4, "i3": 4, "i4": 4}
    half = [
        {"i1": 3, "i2": 3, "i3": None, "i4": None},
        {"i1": None, "i2": None, "i3": 3, "i4": 3},
        {"i1": 3, "i2": None, "i3": 3, "i4": None},
        {"i1": None, "i2": 3, "i3": None, "i4": 3},
        {"i1": 3, "i2": None, "i3": None, "i4": 3},
        {"i1": None, "i2": 3, "i3": 3, "i4": None},
        {"i1": 3, "i2": 3, "i3": None, "i4": None},
    ]
    return [
        group_of("a", 5, [everything] * 6),
        group_of("b", 5, half),
        group_of("c", 5, [{"i1": 5, "i2": 5, "i3": 5, "i4": 5}, {"i1": 1, "i2": 1, "i3": 1, "i4": 1}]),
    ]


def leaks_of(inputs: list[GroupInput], spec: InstrumentSpec) -> list[str]:
    scores = score_scan(spec, inputs)
    published = Published()
    published_cells(scores, published, "results")
    keys = [key for dimension in spec.dimensions for key in (dimension.code, *dimension.item_codes)]
    return find_leaks(published, truth_of(inputs, spec), keys)


def test_the_crafted_scan_leaks_nothing_under_the_rule():
    assert leaks_of(crafted(), SMALL) == []


def test_the_adversary_finds_the_two_people_when_statements_are_decided_apart_from_their_dimension(monkeypatch):
    """The rule before: each key on its own. B is then hidden on every statement (4 answers) but shown on
    the dimension, A shown on the statements but hidden on the dimension; A's dimension follows from its
    statements, and all others minus A and B is C: two people."""

    def apart(spec: InstrumentSpec, *, with_items: bool) -> list[Unit]:
        return [
            Unit(f"key:{key}", (key,))
            for dimension in spec.dimensions
            for key in (dimension.code, *(dimension.item_codes if with_items else ()))
        ]

    monkeypatch.setattr(scoring_groups, "dimension_units", apart)
    leaks = leaks_of(crafted(), SMALL)
    assert any("leaves 2 answer(s) of ['c']" in leak for leak in leaks), leaks


STYLES = ("everything", "half don't know", "any subset")


@st.composite
def small_scans(draw):  # type: ignore[no-untyped-def]
    """Groups near their thresholds, each in a style of answering: everyone answers every statement;
    everyone says "don't know" to half (they count for the dimension but not for every statement); or
    each answers any subset, the rest "don't know" or skipped (one answer counts for a statement but not
    for the dimension). The mix is what separates a dimension's count from its statements' counts."""
    inputs = []
    codes = ["self", "g1", "g2", "g3"][: draw(st.integers(2, 4))]
    items = SMALL.dimensions[0].item_codes
    for code in codes:
        style = draw(st.sampled_from(STYLES))
        answers = []
        for _ in range(draw(st.integers(0, 9))):
            if style == "everything":
                answered = list(items)
            elif style == "half don't know":
                answered = draw(st.lists(st.sampled_from(items), unique=True, min_size=2, max_size=2))
            else:
                answered = draw(st.lists(st.sampled_from(items), unique=True, max_size=len(items)))
            given: dict[str, int | None] = {item: draw(st.integers(1, 5)) for item in answered}
            for item in items:
                if item not in given and (style == "half don't know" or draw(st.booleans())):
                    given[item] = None  # "don't know"; otherwise skipped
            answers.append(given)
        inputs.append(group_of(code, draw(st.integers(3, 5)), answers, is_self=code == "self"))
    return inputs


@settings(max_examples=300)
@given(small_scans())
def test_random_scans_leak_nothing_to_the_adversary(inputs):
    assert leaks_of(inputs, SMALL) == []


# --- The whole pipeline on the real instrument: results, the scores export and the figures file ------


@st.composite
def scans(draw):  # type: ignore[no-untyped-def]
    """Random groups of the default instrument with random answers, as Figures (what is stored at close)."""
    kinds = ["directie", *draw(st.lists(st.sampled_from(GROUP_CODES[1:]), min_size=1, max_size=3, unique=True))]
    dont_know = draw(st.sampled_from([0.0, 0.1, 0.4]))
    statements = [item.code for item in DEFINITION.items()]
    extra = [q.code for q in DEFINITION.reference_questions]
    developments = [code for d in DEFINITION.developments.items for code in (d.knowledge_code, d.impact_code)]
    reverse = DEFINITION.reverse_codes()
    seed = draw(st.integers(0, 2**32 - 1))
    import random

    rng = random.Random(seed)
    shapes, responses, dimensions, items, pillars, quality = [], {}, {}, {}, {}, {}
    for kind in kinds:
        people = draw(st.integers(0, 11))
        threshold = draw(st.integers(3, 6))
        shapes.append((kind, kind == "directie", threshold))
        answered = []
        for _ in range(people):
            codes = statements + developments + (extra if kind == "directie" else [])
            answered.append({code: (None if rng.random() < dont_know else rng.randint(1, 5)) for code in codes})
        responses[kind] = people
        scores = [respondent_dimension_scores(SPEC, given) for given in answered]
        dimensions[kind] = {
            dim.code: Summary.of([s[dim.code] for s in scores if s[dim.code] is not None]) for dim in SPEC.dimensions
        }
        items[kind] = {}
        for code in statements + developments + extra:
            values = [given[code] for given in answered if given.get(code) is not None]
            items[kind][code] = ItemFigure(Summary.of(values), sum(1 for value in values if value > 3))
        pillars[kind] = {}
        for pillar in SPEC.pillars:
            values = [
                sum(s[code] for code in pillar.dimension_codes) / len(pillar.dimension_codes)
                for s in scores
                if all(s[code] is not None for code in pillar.dimension_codes)
            ]
            pillars[kind][pillar.code] = Summary.of(values)
        if kind != "directie":
            quality[kind] = {}
            for _pillar, dimension in DEFINITION.dimensions():
                codes = [item.code for item in dimension.items]
                rows = [
                    [6 - given[c] if c in reverse else given[c] for c in codes]
                    for given in answered
                    if all(given.get(c) is not None for c in codes)
                ]
                quality[kind][dimension.code] = QualitySums.of(rows, len(codes))
    figures = Figures(responses, dimensions, pillars, items, quality, published={})
    inputs = [
        GroupInput(kind, is_self, threshold, responses[kind], dimensions[kind], keyed_items(DEFINITION, items[kind]))
        for kind, is_self, threshold in shapes
    ]
    return inputs, figures


def pipeline(inputs: list[GroupInput], figures: Figures) -> tuple[ScanResults, list, dict]:  # type: ignore[type-arg]
    outcome = insight(DEFINITION, SPEC, inputs, figures)
    scan = types.SimpleNamespace(
        code="00000000-0000-0000-0000-000000000000",
        title="Scan",
        organisation=types.SimpleNamespace(name="Gemeente"),
        opens_on=__import__("datetime").date(2026, 1, 1),
        closes_on=__import__("datetime").date(2026, 1, 31),
        instrument_version=types.SimpleNamespace(content_hash="x"),
    )
    results = ScanResults(scan, DEFINITION, (), (), outcome, Benchmark(False, ()), Progress(None, (), ()))  # type: ignore[arg-type]
    rows = list(aggregated_export(results, "nl").rows)
    document = figures_document(results, figures)
    return results, rows, document


def published_everywhere(results: ScanResults, rows: list, document: dict) -> Published:  # type: ignore[type-arg]
    published = Published()
    insight_ = results.insight
    published_cells(insight_.scores, published, "results")
    developments = {development.code: development for development in DEFINITION.developments.items}
    for group, points in insight_.developments.items():
        for point in points:
            codes = developments[point.code]
            published.add(group, codes.knowledge_code, point.knowledge.n, point.knowledge.score, "results")
            published.add(group, codes.impact_code, point.impact.n, point.impact.score, "results")
    labels = {column_label(DEFINITION, code): code for code in (*GROUP_CODES, ALL_OTHERS)}
    for row in rows:
        group, level, code, _name, n, _mean, _sd, score = row[:8]
        if level != "pijler":
            published.add(labels[group], code, n if n != "" else None, score if score != "" else None, "scores export")
    points = DEFINITION.scale.points
    reverse = DEFINITION.reverse_codes()
    scales = {"k": len(DEFINITION.developments.knowledge_labels), "i": len(DEFINITION.developments.impact_labels)}
    for cell in document["cells"]:
        n, total = cell["n"], cell["sum"]
        mean = total / n if n else None
        if cell["family"] == "statement" and mean is not None:  # raw answers to 0-100, reverse-keyed mirrored
            mean = (points + 1 - mean) if cell["code"] in reverse else mean
            mean = (mean - 1) / (points - 1) * 100
        if cell["family"] == "development" and mean is not None:
            mean = (mean - 1) / (scales[cell["code"][-1]] - 1) * 100
        if cell["family"] != "reference":
            published.add(cell["group"], cell["code"], n, mean, "figures file")
    for cell in document["hidden"]:
        published.hidden[(cell["group"], cell["code"])].add("figures file")
    return published


@settings(max_examples=60)
@given(scans())
def test_nothing_hidden_can_be_learned_from_everything_a_scan_publishes(scan):
    inputs, figures = scan
    results, rows, document = pipeline(inputs, figures)
    published = published_everywhere(results, rows, document)
    keys = [
        *(key for dimension in SPEC.dimensions for key in (dimension.code, *dimension.item_codes)),
        *(code for d in DEFINITION.developments.items for code in (d.knowledge_code, d.impact_code)),
    ]
    truth = truth_of(inputs, SPEC)
    assert find_leaks(published, truth, keys) == []
    # scale quality counts only groups shown on the dimension: never a hidden group's answers
    for row in document["quality"]:
        shown = set(row["groups"])
        assert row["n"] == sum(figures.quality[g][row["dimension"]].n for g in shown)
        assert all(results.insight.scores.disclosure.shown(g, row["dimension"]) for g in shown)
    # a reference share is only published on at least the directors' threshold of answers
    for reference in results.insight.references:
        if reference.shown:
            assert reference.answered >= truth.thresholds["directie"]


@pytest.mark.parametrize("dont_know", [0.0, 0.5])
def test_the_whole_pipeline_runs_on_an_empty_and_a_full_scan(dont_know):
    empty = [GroupInput("directie", True, 3, 0), GroupInput("medewerkers", False, 5, 0)]
    figures = Figures({}, {}, {}, {}, {}, {})
    _results, rows, document = pipeline(empty, figures)
    assert document["cells"] == []
    assert all(row[4] == "" for row in rows)
