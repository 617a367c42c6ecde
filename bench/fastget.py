"""Benchmark: the questionnaire page GET with its one lookup (token -> invitation, scan, organisation,
group, draft) written by `roer.lib.fastget`, against the same lookup through the ORM
(`select_related(...).only(...)`). Both are timed through the whole request, interleaved, in-process."""

from __future__ import annotations

import datetime
import statistics
import time

from django.db import transaction
from django.test import Client
from django.utils import timezone

from bench.common import prepare_database
from roer.instruments.models import InstrumentVersion
from roer.lib.tokens import new_token
from roer.organisations.models import Organisation, OrganisationKind
from roer.responses import services
from roer.responses.services import draft_merge
from roer.scans.models import AccessToken, Invitation, RespondentGroup, Scan, instrument_groups

ROUNDS = 15
PER_ROUND = 400


_LINK_FIELDS = (
    "invitation__scan_id",
    "invitation__group_id",
    "invitation__language",
    "invitation__submitted",
    "invitation__scan__organisation_id",
    "invitation__scan__instrument_version_id",
    "invitation__scan__title",
    "invitation__scan__opens_on",
    "invitation__scan__closes_on",
    "invitation__scan__state",
    "invitation__scan__revision",
    "invitation__scan__organisation__code",
    "invitation__scan__organisation__name",
    "invitation__group__scan_id",
    "invitation__group__kind",
    "invitation__group__threshold",
    "invitation__draft__invitation_id",
    "invitation__draft__sealed",
    "invitation__draft__sealed_by",
    "invitation__draft__unsealed",
)


def invitation_behind_orm(token_hash: str) -> Invitation | None:
    """What `roer.responses.services._invitation_behind` would be through the ORM's own joins."""
    try:
        token = (
            AccessToken.objects.select_related(
                "invitation__scan__organisation", "invitation__group", "invitation__draft"
            )
            .only(*_LINK_FIELDS)
            .get(token_hash=token_hash)
        )
    except AccessToken.DoesNotExist:
        return None
    invitation = token.invitation
    scan = invitation.scan
    version = services._VERSIONS.get(scan.instrument_version_id)
    if version is None:
        version = InstrumentVersion.objects.defer("definition", "source_text").get(pk=scan.instrument_version_id)
        services._VERSIONS[scan.instrument_version_id] = version
    scan.instrument_version = version
    invitation._draft = getattr(invitation, "draft", None)  # type: ignore[attr-defined]
    return invitation


def run() -> list[tuple[str, str]]:
    version = prepare_database()
    organisation = Organisation.objects.create(name="Gemeente Snel", kind=OrganisationKind.GEMEENTE, inhabitants=9_000)
    today = timezone.localdate()
    scan = Scan.objects.create(
        organisation=organisation,
        instrument_version=version,
        title="Bench",
        opens_on=today,
        closes_on=today + datetime.timedelta(days=20),
    )
    [group] = RespondentGroup.objects.bulk_create(instrument_groups(scan, ["medewerkers"], {"medewerkers": 5}))
    invitation = Invitation.objects.create(scan=scan, group=group, email="bench@x.example")
    token, token_hash = new_token()
    AccessToken.objects.create(invitation=invitation, token_hash=token_hash)
    with transaction.atomic():
        draft_merge(invitation=invitation, token=token, answers={"ken_tijd": 4}, cleared=set(), open_answers={}, page=1)
    url = f"/a/{token}/1/"
    client = Client(HTTP_HOST="127.0.0.1")
    lookups = {"fastget": services._invitation_behind, "ORM": invitation_behind_orm}
    original = services._invitation_behind
    timings: dict[str, list[float]] = {name: [] for name in lookups}
    for lookup in lookups.values():  # warm both
        services._invitation_behind = lookup
        for _ in range(50):
            assert client.get(url).status_code == 200
    for _round in range(ROUNDS):
        for name, lookup in lookups.items():
            services._invitation_behind = lookup
            started = time.perf_counter()
            for _ in range(PER_ROUND):
                client.get(url)
            timings[name].append((time.perf_counter() - started) / PER_ROUND * 1_000_000)
    services._invitation_behind = original
    fast, orm = (statistics.median(timings[name]) for name in ("fastget", "ORM"))
    return [
        ("questionnaire GET with the fastget lookup, median of rounds", f"{fast:.0f} µs"),
        ("questionnaire GET with the ORM lookup, median of rounds", f"{orm:.0f} µs"),
        ("the ORM lookup costs", f"{(orm - fast) / fast * 100:+.1f}% of a whole GET (keep fastget if > 5%)"),
    ]


if __name__ == "__main__":
    for name, value in run():
        print(f"{name:<70} {value}")
