"""Plausible synthetic answers for demo data, from a seeded random generator.

Each organisation has a latent level per pillar (how others see the directors, on the 1-5 scale) and a
self-bias per pillar (how much more favourably the directors see themselves). A respondent adds a
personal tendency and noise; "don't know" and skipped items occur as they do in real scans.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from roer.instruments.groups import Group
from roer.instruments.schema import InstrumentDefinition

# (knowledge, impact) on the 1-5 scale: AI and data are expected to matter a lot but are little known,
# so they show up as blind spots, as they do in many municipalities.
DEVELOPMENT_PROFILES = {
    "ai_algoritmen": (2.3, 4.4),
    "datagedreven_werken": (2.7, 4.0),
    "cloud": (3.1, 3.4),
    "informatieveiligheid": (3.6, 4.3),
    "digitale_identiteit": (3.3, 3.2),
    "common_ground": (2.2, 2.9),
    "open_overheid": (3.4, 3.1),
    "digitale_inclusie": (3.0, 3.6),
    "proactieve_dienstverlening": (2.4, 3.3),
    "digitale_soevereiniteit": (2.0, 3.5),
}

OPEN_ANSWERS = {
    "open_goed": [
        "De directie staat open voor nieuwe ideeën en luistert naar de informatiemanager.",
        "Er is meer aandacht voor informatieveiligheid dan een paar jaar geleden.",
        "We krijgen ruimte om te experimenteren met nieuwe toepassingen.",
        "De directie deelt de digitale koers in de organisatie.",
    ],
    "open_verbeteren": [
        "Digitalisering vaker en eerder op de agenda van het directieoverleg zetten.",
        "Meer tijd vrijmaken om zelf kennis op te doen over data en AI.",
        "Inwoners eerder betrekken bij het ontwerpen van digitale diensten.",
        "Vaker ervaringen ophalen bij buurgemeenten in plaats van alles zelf uit te vinden.",
    ],
    "open_aandacht": [
        "Algoritmen en AI, en hoe we daar verantwoord mee omgaan.",
        "Datagedreven werken in het sociaal domein.",
        "Digitale inclusie: niet iedereen kan mee.",
        "Common Ground en de samenwerking met leveranciers.",
        "Uitleg over de digitale koers voor teams; bel me gerust op 06-12345678.",
    ],
    "open_zorg_goed": [
        "De raad van bestuur neemt informatieveiligheid en NEN 7510 serieus.",
        "Er is ruimte om zorg op afstand uit te proberen op een paar afdelingen.",
        "Het bestuur luistert naar de verpleegkundigen die met het EPD werken.",
    ],
    "open_zorg_verbeteren": [
        "Zorgprofessionals eerder betrekken bij de keuze voor nieuwe zorgtechnologie.",
        "Meer tijd en scholing om digitaal vaardig te worden, naast het gewone werk.",
        "Vaker ervaringen ophalen bij andere zorgorganisaties in de regio.",
    ],
    "open_zorg_aandacht": [
        "Het veilig uitwisselen van gegevens met huisartsen en ziekenhuizen.",
        "AI bij het verslagleggen, zodat er meer tijd voor cliënten overblijft.",
        "Cliënten die niet digitaal mee kunnen; bel me op 06-98765432 als u wilt weten hoe wij dat oplossen.",
    ],
}


# How a made-up group of the demo answers beside the others: those closest to the subject tend to be the
# most critical, and the largest groups say "don't know" most often. A group not named answers as most do.
CRITICAL = {"informatievoorziening": 0.25, "informatievoorziening_ict": 0.25}
UNSURE = {"medewerkers": 0.12, "zorgprofessionals": 0.12}
# The self-assessing group's mean answer to each reference question, 1-5 (most expect great change; fewer
# admit to lacking the skills for it).
REFERENCE_MEANS = {"ref_vaardigheden": 3.2, "ref_zorg_vaardigheden": 3.0}


@dataclass(frozen=True)
class Profile:
    level: dict[str, float]  # per pillar code, 1-5
    self_bias: dict[str, float]  # per pillar code


def _clamp(value: float) -> int:
    return max(1, min(5, round(value)))


def synthetic_answers(
    rng: random.Random, definition: InstrumentDefinition, profile: Profile, group: Group
) -> dict[str, int | None]:
    person = rng.gauss(0, 0.7)
    answers: dict[str, int | None] = {}
    unsure = UNSURE.get(group.code, 0.05)
    for pillar in definition.pillars:
        level = profile.level[pillar.code] + (profile.self_bias[pillar.code] if group.is_self else 0.0)
        level -= CRITICAL.get(group.code, 0.0)
        for dimension in pillar.dimensions:
            shift = rng.gauss(0, 0.15)
            for item in dimension.items:
                roll = rng.random()
                if roll < 0.02:
                    continue  # skipped
                if roll < unsure:
                    answers[item.code] = None  # don't know
                    continue
                value = _clamp(level + person + shift + rng.gauss(0, 0.55))
                answers[item.code] = 6 - value if item.reverse else value
    if definition.developments:
        directors = group.is_self
        for development in definition.developments.items:
            knowledge, impact = DEVELOPMENT_PROFILES.get(development.code, (3.0, 3.0))
            if rng.random() < 0.08:
                answers[development.knowledge_code] = None
            else:
                answers[development.knowledge_code] = _clamp(knowledge + (0.5 if directors else 0) + rng.gauss(0, 0.8))
            answers[development.impact_code] = _clamp(impact + rng.gauss(0, 0.8))
    if group.is_self:
        for question in definition.reference_questions:
            mean = REFERENCE_MEANS.get(question.code, 4.2)
            answers[question.code] = _clamp(rng.gauss(mean, 0.7 if mean > 4 else 1.0))
    return answers


def synthetic_open_answers(rng: random.Random, definition: InstrumentDefinition) -> dict[str, str]:
    """Now and then an answer to each of the instrument's open questions."""
    asked = {question.code for question in definition.open_questions}
    return {code: rng.choice(texts) for code, texts in OPEN_ANSWERS.items() if code in asked and rng.random() < 0.4}
