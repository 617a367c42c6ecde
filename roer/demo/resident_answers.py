"""Plausible synthetic answers of residents, and of directors and staff guessing what residents answer.

Every resident has a digital affinity: how much at home they are online. The channel they answer through
says something about it. Residents who find the open link themselves (on the website, on social media)
are the most digital-minded; the letters go to a random sample, so they stand for the whole town; and
those who fill in a paper form are the least at home online. Statements, choices and open answers all
follow that affinity, so the channels differ as they do in a real survey.

The directors guess residents' answers in their own scan (the *perceived* statements). In the demo they
overrate how much residents want to go online and underrate their need for help and a human contact:
the expectation gap that the results show.
"""

from __future__ import annotations

import math
import random

from roer.instruments.groups import Group
from roer.instruments.residents import ResidentsModule
from roer.residents.models import Channel

# The mean digital affinity (in standard deviations of the town) of those who answer through a channel.
CHANNEL_AFFINITY = {Channel.OPEN_LINK: 0.6, Channel.LETTER: 0.0, Channel.PAPER: -1.0}

# Per statement: the mean answer of the town (the letter sample, 1-5) and how much it moves with one
# standard deviation of digital affinity.
STATEMENT_PROFILES = {
    "inw_online": (3.4, 0.9),
    "inw_altijd": (3.5, 0.6),
    "inw_mens": (4.2, -0.5),
    "inw_snel": (3.7, 0.1),
    "inw_vertrouwen": (3.2, 0.0),
    "inw_uitleg": (4.1, 0.1),
    "inw_hulp": (3.0, -0.9),
    "inw_meedenken": (2.8, 0.5),
    "inw_tevreden": (3.1, 0.3),
}

# Per option of a question with several answers: the chance of choosing it at affinity 0, and how its
# log-odds move with affinity.
MULTIPLE_CHOICE_PROFILES = {
    "inw_diensten": {
        "afspraak": (0.6, 0.5),
        "verhuizing": (0.5, 0.6),
        "melding": (0.45, 0.5),
        "vergunning": (0.35, 0.5),
        "belasting": (0.4, 0.6),
        "hulp": (0.2, 0.1),
        "status": (0.5, 0.7),
    },
    "inw_steun": {
        "uitleg": (0.35, -0.3),
        "samen": (0.15, -0.9),
        "bibliotheek": (0.12, -0.6),
        "telefoon": (0.25, -0.6),
        "voorlezen": (0.08, -0.7),
    },
}
# The option that means "none of these" (chosen alone), the affinity beyond which a resident tends to
# choose it, and whether that is above (no help needed) or below (nothing online) it.
EXCLUSIVE_OPTIONS = {"inw_diensten": ("niets", -1.6, False), "inw_steun": ("geen", 0.4, True)}

# Single answer: the weight of every option at affinity 0 and how it moves with affinity.
SINGLE_CHOICE_PROFILES = {
    "inw_kanaal": {
        "website": (3.0, 1.0),
        "app": (1.4, 1.0),
        "chat": (1.0, 0.6),
        "email": (1.6, 0.2),
        "telefoon": (2.0, -0.9),
        "balie": (1.5, -0.9),
        "brief": (0.5, -0.5),
    },
}

OPEN_ANSWERS = {
    Channel.OPEN_LINK: [
        "Alles in één app, net als bij de bank.",
        "Dat ik kan zien hoe ver mijn aanvraag is, zonder te bellen.",
        "Ook 's avonds en in het weekend een afspraak kunnen maken.",
        "Een chat op de website die echt antwoord geeft.",
        "Minder formulieren: de gemeente weet mijn gegevens toch al.",
    ],
    Channel.LETTER: [
        "Dat het online makkelijk gaat, maar dat ik ook nog kan bellen.",
        "Duidelijke taal in brieven en op de website.",
        "Laat weten wanneer een computer meebeslist over mijn aanvraag.",
        "Snel antwoord op een melding over de straat.",
        "Voor mijn moeder is alles online te moeilijk. Denk ook aan haar.",
    ],
    Channel.PAPER: [
        "Ik heb geen computer. Houd de balie open.",
        "Gewoon een mens aan de telefoon, geen keuzemenu.",
        "Brieven op papier blijven sturen.",
        "Hulp in de bibliotheek, daar ga ik graag heen. Bel mij op 06-12345678.",
    ],
}

# What the directors think residents answer (1-5), statement by statement: eager to go online, and
# needing little help or human contact. Staff guess closer to what residents answer (SHRINK).
DIRECTORS_PERCEPTION = {
    "inw_online": 4.5,
    "inw_altijd": 4.3,
    "inw_mens": 2.9,
    "inw_snel": 3.9,
    "inw_vertrouwen": 3.5,
    "inw_uitleg": 3.5,
    "inw_hulp": 1.9,
    "inw_meedenken": 3.2,
    "inw_tevreden": 3.4,
}
# How much of the directors' misjudgement each group shares (1: all of it, 0: none).
# A group not named shares half of it; the self-assessing group all of it.
SHRINK = {"management": 0.8, "informatievoorziening": 0.6, "medewerkers": 0.35}


def _clamp(value: float, points: int) -> int:
    return max(1, min(points, round(value)))


def _chooses(rng: random.Random, chance: float, slope: float, affinity: float) -> bool:
    """Ticked with `chance` at affinity 0, more or less likely (on the log-odds) as affinity moves."""
    log_odds = math.log(chance / (1 - chance)) + slope * affinity
    return rng.random() < 1 / (1 + math.exp(-log_odds))


def resident_answers(
    rng: random.Random, module: ResidentsModule, channel: Channel
) -> tuple[dict[str, int | None], dict[str, str]]:
    """One resident's answers, keyed as the residents' module packs them, and open answers (rarely)."""
    affinity = rng.gauss(CHANNEL_AFFINITY[channel], 0.8)
    points = module.scale.points
    skip = 0.06 if channel is Channel.PAPER else 0.02
    answers: dict[str, int | None] = {}
    for statement in module.statements:
        base, slope = STATEMENT_PROFILES.get(statement.code, (3.0, 0.0))
        roll = rng.random()
        if roll < skip:
            continue
        if roll < skip + 0.04:
            answers[statement.code] = None
            continue
        answers[statement.code] = _clamp(base + slope * affinity + rng.gauss(0, 0.8), points)
    for choice in module.choices:
        if rng.random() < skip:
            continue
        if choice.multiple:
            answers.update(_multiple(rng, choice.code, [option.code for option in choice.options], affinity))
        else:
            answers[choice.code] = _single(rng, choice.code, [option.code for option in choice.options], affinity)
    open_answers = {}
    if module.open_questions and rng.random() < 0.08:
        open_answers[module.open_questions[0].code] = rng.choice(OPEN_ANSWERS[channel])
    return answers, open_answers


def _multiple(rng: random.Random, code: str, options: list[str], affinity: float) -> dict[str, int]:
    exclusive, edge, above = EXCLUSIVE_OPTIONS.get(code, ("", 0.0, False))
    if exclusive in options and ((affinity > edge) if above else (affinity < edge)) and rng.random() < 0.8:
        return {f"{code}__{exclusive}": 1}
    profiles = MULTIPLE_CHOICE_PROFILES.get(code, {})
    chosen = {
        f"{code}__{option}": 1
        for option in options
        if option != exclusive and _chooses(rng, *profiles.get(option, (0.3, 0.0)), affinity)
    }
    return chosen or {f"{code}__{rng.choice(options)}": 1}


def _single(rng: random.Random, code: str, options: list[str], affinity: float) -> int:
    profiles = SINGLE_CHOICE_PROFILES.get(code, {})
    weights = []
    for option in options:
        weight, slope = profiles.get(option, (1.0, 0.0))
        weights.append(max(0.05, weight + slope * affinity))
    return rng.choices(range(1, len(options) + 1), weights=weights)[0]


def perceived_answers(
    rng: random.Random, module: ResidentsModule, group: Group, perception: dict[str, float] | None = None
) -> dict[str, int | None]:
    """What a director or staff member thinks most residents answer, on the scan's perceived statements."""
    perception = perception or DIRECTORS_PERCEPTION
    shrink = 1.0 if group.is_self else SHRINK.get(group.code, 0.5)
    answers: dict[str, int | None] = {}
    for statement in module.statements:
        truth, _slope = STATEMENT_PROFILES.get(statement.code, (3.0, 0.0))
        guess = truth + shrink * (perception.get(statement.code, truth) - truth)
        if rng.random() < (0.04 if group.is_self else 0.1):
            answers[statement.code] = None
            continue
        answers[statement.code] = _clamp(guess + rng.gauss(0, 0.5), module.scale.points)
    return answers
