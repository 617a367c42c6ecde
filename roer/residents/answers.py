"""Writes of residents' answers, and the codes and traces they use. The caller holds the survey's row in
the state that allows the write (roer.lifecycle.resident_life.guarded)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress
import secrets

from django.conf import settings
from django.utils import timezone

from roer.instruments.residents import ResidentsModule
from roer.residents.models import (
    CODE_ALPHABET,
    Channel,
    LetterCode,
    ResidentOpenAnswer,
    ResidentResponse,
    ResidentSurvey,
)
from roer.scoring.packed import pack

CODE_LENGTH = 10
WINDOW_MINUTES = 10
# One byte per answer holds any scale point and any option number the module allows (at most 12).
_MAX_VALUE = 12


def new_letter_code() -> str:
    """Ten characters from 31 (about 50 bits), shown as two groups of five: AB3CD-EF4GH."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{code[:5]}-{code[5:]}"


def normalise_code(text: str) -> str:
    """What a resident typed, as the code it means: case, spaces and dashes do not matter."""
    return "".join(ch for ch in text.upper() if ch.isascii() and ch.isalnum())


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode("ascii", "ignore")).hexdigest()


def looks_like_code(text: str) -> bool:
    cleaned = normalise_code(text)
    return len(cleaned) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in cleaned)


def network_of(address: str, survey: ResidentSurvey) -> str:
    """A keyed hash of the address's network (/24 for IPv4, /48 for IPv6), different for every survey:
    enough to see that many answers came from one network, and useless for finding the network."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return ""
    prefix = 24 if parsed.version == 4 else 48
    network = ipaddress.ip_network(f"{parsed}/{prefix}", strict=False)
    key = f"{settings.SECRET_KEY}:resident-network:{survey.slug}".encode()
    return hmac.new(key, str(network).encode(), hashlib.sha256).hexdigest()[:16]


def window_of(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(minute=moment.minute - moment.minute % WINDOW_MINUTES, second=0, microsecond=0)


def letter_code_claim(survey: ResidentSurvey, code: str) -> bool:
    """Mark a letter's code used; False when it is unknown or was used already. The row is locked (on
    PostgreSQL; SQLite's write transaction holds the database), so two submits with one code store one."""
    found = LetterCode.objects.select_for_update().filter(survey=survey, code_hash=code_hash(code)).first()
    if found is None or found.used:
        return False
    found.used = True
    found.save(update_fields=["used"])
    return True


def letter_code_is_unused(survey: ResidentSurvey, code: str) -> bool:
    return LetterCode.objects.filter(survey=survey, code_hash=code_hash(code), used=False).exists()


def letter_codes_retire(survey: ResidentSurvey) -> int:
    """At the close: keep how many letters of each batch were answered, and delete the codes (the caller
    holds the survey's row). Returns how many codes went."""
    for batch in survey.letter_batches.all():
        batch.used = batch.codes.filter(used=True).count()
        batch.save(update_fields=["used"])
    deleted, _kinds = LetterCode.objects.filter(survey=survey).delete()
    return deleted


def resident_response_store(
    *,
    survey: ResidentSurvey,
    module: ResidentsModule,
    channel: Channel,
    answers: dict[str, int | None],
    open_answers: dict[str, str],
    address: str = "",
) -> ResidentResponse:
    now = timezone.now()
    traced = channel is Channel.OPEN_LINK and address
    response = ResidentResponse.objects.create(
        survey=survey,
        channel=channel,
        submitted_on=timezone.localdate(now),
        packed_answers=pack(module.answer_codes(), answers, _MAX_VALUE),
        network=network_of(address, survey) if traced else "",
        window=window_of(now) if traced else None,
    )
    texts = [(code, text.strip()) for code, text in open_answers.items() if text.strip()]
    if texts:
        ResidentOpenAnswer.objects.bulk_create(
            ResidentOpenAnswer(response=response, survey=survey, channel=channel, code=code, text=text)
            for code, text in texts
        )
    return response
