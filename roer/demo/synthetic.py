"""Plausible synthetic answers for demo data, from a seeded random generator.

Each organisation has a latent level per pillar (how others see the directors, on the 1-5 scale) and a
self-bias per pillar (how much more favourably the directors see themselves). A respondent adds a
personal tendency and noise; "don't know" and skipped items occur as they do in real scans.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from roer.instruments.schema import InstrumentDefinition
from roer.scans.models import GroupKind

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
}


@dataclass(frozen=True)
class Profile:
    level: dict[str, float]  # per pillar code, 1-5
    self_bias: dict[str, float]  # per pillar code


def _clamp(value: float) -> int:
    return max(1, min(5, round(value)))


def synthetic_answers(
    rng: random.Random, definition: InstrumentDefinition, profile: Profile, kind: GroupKind
) -> dict[str, int | None]:
    person = rng.gauss(0, 0.7)
    answers: dict[str, int | None] = {}
    for pillar in definition.pillars:
        level = profile.level[pillar.code] + (profile.self_bias[pillar.code] if kind is GroupKind.DIRECTIE else 0.0)
        if kind is GroupKind.INFORMATIEVOORZIENING:
            level -= 0.25  # those closest to the subject tend to be the most critical
        for dimension in pillar.dimensions:
            shift = rng.gauss(0, 0.15)
            for item in dimension.items:
                roll = rng.random()
                if roll < 0.02:
                    continue  # skipped
                if roll < (0.12 if kind is GroupKind.MEDEWERKERS else 0.05):
                    answers[item.code] = None  # don't know
                    continue
                value = _clamp(level + person + shift + rng.gauss(0, 0.55))
                answers[item.code] = 6 - value if item.reverse else value
    if definition.developments:
        directors = kind is GroupKind.DIRECTIE
        for development in definition.developments.items:
            knowledge, impact = DEVELOPMENT_PROFILES.get(development.code, (3.0, 3.0))
            if rng.random() < 0.08:
                answers[development.knowledge_code] = None
            else:
                answers[development.knowledge_code] = _clamp(knowledge + (0.5 if directors else 0) + rng.gauss(0, 0.8))
            answers[development.impact_code] = _clamp(impact + rng.gauss(0, 0.8))
    if kind is GroupKind.DIRECTIE:
        answers["ref_verandering"] = _clamp(rng.gauss(4.2, 0.7))
        answers["ref_vaardigheden"] = _clamp(rng.gauss(3.2, 1.0))
    return answers


def synthetic_open_answers(rng: random.Random) -> dict[str, str]:
    return {code: rng.choice(texts) for code, texts in OPEN_ANSWERS.items() if rng.random() < 0.4}
