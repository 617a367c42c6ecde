"""Exporting this installation's benchmark as a signed file, trusting other installations, and importing
their files. Every refusal is an `ExchangeRefused` with a message for the platform administrator, and an
import stores all of a file or nothing. See docs/benchmark-exchange.md for the file format."""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import re
from typing import Any, TypeGuard

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from roer.accounts.models import User
from roer.audit.models import AuditAction, AuditEvent
from roer.audit.services import audit_record
from roer.exchange import signing
from roer.exchange.cells import differencing_pair, own_benchmark
from roer.exchange.models import ImportedBenchmark, ImportedCell, NewestFile, TrustedInstallation
from roer.lib.errors import DomainError
from roer.organisations.models import OrganisationKind
from roer.organisations.size_classes import SIZE_CLASSES
from roer.scoring.benchmark import MIN_PEERS, MIN_PEERS_FOR_QUARTILES

FORMAT = "roer-benchmark"
FORMAT_VERSION = 1
ESTIMATOR = "harrell-davis"
_CODE = re.compile(r"^[a-z0-9_]{1,40}$")
_HASH = re.compile(r"^[0-9a-f]{64}$")
_SIZE_CLASSES = {size.number for size in SIZE_CLASSES}
MAX_ORGANISATIONS = 1_000_000
MAX_VERSION = 100_000
MAX_DEPTH = 20  # a benchmark file nests four deep


def _too_deep(value: object) -> bool:
    """Whether the JSON nests deeper than MAX_DEPTH, without recursion."""
    pending: list[tuple[object, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                return True
            pending.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


def _version(value: object) -> TypeGuard[int]:
    return not isinstance(value, bool) and isinstance(value, int) and 1 <= value <= MAX_VERSION


class ExchangeRefused(DomainError):
    pass


def _audit(user: User | None, action: AuditAction, subject: str) -> None:
    if user is not None:
        audit_record(user=user, organisation=None, action=action, subject=subject)
    else:  # a management command: no one logged in
        AuditEvent.objects.create(user=None, user_email="", organisation=None, action=action, subject=subject[:300])


def export_payload(now: datetime.datetime | None = None) -> dict[str, Any]:
    benchmark = own_benchmark()
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "installation": settings.ROER_INSTALLATION_NAME,
        "generated_at": (now or timezone.now()).astimezone(datetime.UTC).isoformat(),
        "public_key": signing.own_public_key(),
        "disclosure": {
            "min_organisations": MIN_PEERS,
            "min_organisations_for_quartiles": MIN_PEERS_FOR_QUARTILES,
            "estimator": ESTIMATOR,
        },
        "instruments": [
            {"code": code, "version": number, "content_hash": content_hash, "codes": list(codes)}
            for (code, number), (content_hash, codes) in sorted(benchmark.instruments.items())
        ],
        "cells": [cell.as_json() for cell in benchmark.cells],
    }


def signed_file(payload: dict[str, Any]) -> bytes:
    document = {"payload": payload, "signature": signing.sign(payload)}
    return (json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False) + "\n").encode()


def benchmark_export(*, user: User | None) -> bytes:
    """The signed file of this installation's benchmark, audited."""
    payload = export_payload()
    content = signed_file(payload)
    _audit(
        user,
        AuditAction.BENCHMARK_EXPORTED,
        f"{len(payload['cells'])} cells, {hashlib.sha256(content).hexdigest()[:16]}",
    )
    return content


# --- trusting another installation ------------------------------------------------------------------


def trusted_installation_add(*, user: User | None, name: str, public_key: str) -> TrustedInstallation:
    name = name.strip()
    if not name:
        raise ExchangeRefused(_("Give the installation a name."))
    try:
        normalised = signing.normalised(public_key)
    except signing.InvalidPublicKey as error:
        raise ExchangeRefused(
            _("This is not an Ed25519 public key: copy it whole from the other installation's page, ed25519: included.")
        ) from error
    if normalised == signing.own_public_key():
        raise ExchangeRefused(_("This is this installation's own key."))
    if TrustedInstallation.objects.filter(name=name).exists():
        raise ExchangeRefused(_("An installation with this name is already trusted."))
    if TrustedInstallation.objects.filter(public_key=normalised).exists():
        raise ExchangeRefused(_("This key is already trusted, under another name."))
    try:
        with transaction.atomic():
            installation = TrustedInstallation.objects.create(
                name=name, public_key=normalised, key_id=signing.fingerprint(normalised), added_by=user
            )
    except IntegrityError as error:  # the same name or key added a moment ago
        raise ExchangeRefused(_("This installation or key is already trusted.")) from error
    _audit(user, AuditAction.BENCHMARK_IMPORTED, f"trusted {name} ({installation.key_id})")
    return installation


def trusted_installation_remove(*, user: User | None, installation: TrustedInstallation) -> None:
    """No longer trusted: its imported figures go too."""
    subject = f"no longer trusted: {installation.name} ({installation.key_id})"
    installation.delete()
    _audit(user, AuditAction.BENCHMARK_IMPORTED, subject)


# --- importing -------------------------------------------------------------------------------------


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) and 0 <= number <= 100 else None


def _cell(index: int, raw: object, instruments: dict[tuple[str, int], str]) -> ImportedCell:
    """One cell of the file, checked; ExchangeRefused names the cell when it breaks a rule."""

    def refused(reason: str) -> ExchangeRefused:
        return ExchangeRefused(
            _("Cell %(number)s of the file is refused: %(reason)s Nothing has been imported.")
            % {"number": index + 1, "reason": reason}
        )

    if not isinstance(raw, dict):
        raise refused(_("it is not a cell."))
    instrument, version, code = raw.get("instrument"), raw.get("instrument_version"), raw.get("code")
    if not (isinstance(instrument, str) and _CODE.match(instrument) and isinstance(code, str) and _CODE.match(code)):
        raise refused(_("its instrument or code is missing or malformed."))
    if not _version(version) or (instrument, version) not in instruments:
        raise refused(_("its instrument version is not among the file's instruments."))
    kind = raw.get("kind") or ""
    size_class = raw.get("size_class") or 0
    if not isinstance(kind, str) or (kind and kind not in OrganisationKind.values):
        raise refused(_("its kind of organisation is unknown."))
    if isinstance(size_class, bool) or not isinstance(size_class, int):
        raise refused(_("its size class is not a CBS size class of municipalities."))
    if size_class and (size_class not in _SIZE_CLASSES or kind != OrganisationKind.GEMEENTE):
        raise refused(_("its size class is not a CBS size class of municipalities."))
    organisations = raw.get("organisations")
    if isinstance(organisations, bool) or not isinstance(organisations, int):
        raise refused(_("it does not say how many organisations it is made of."))
    if organisations > MAX_ORGANISATIONS:
        raise refused(
            _("it says it is made of more than %(maximum)s organisations.")
            % {"maximum": number_format(MAX_ORGANISATIONS, force_grouping=True)}
        )
    if organisations < MIN_PEERS:
        raise refused(
            _("it is made of %(count)s organisations, fewer than the %(minimum)s the disclosure rule requires.")
            % {"count": organisations, "minimum": MIN_PEERS}
        )
    median = _number(raw.get("median"))
    if median is None:
        raise refused(_("its median is not a score from 0 to 100."))
    q1_raw, q3_raw = raw.get("q1"), raw.get("q3")
    q1 = q3 = None
    if q1_raw is not None or q3_raw is not None:
        q1, q3 = _number(q1_raw), _number(q3_raw)
        if q1 is None or q3 is None or not q1 <= median <= q3:
            raise refused(_("its quartiles are not two scores around the median."))
        if organisations < MIN_PEERS_FOR_QUARTILES:
            raise refused(
                _("it gives quartiles of %(count)s organisations; the disclosure rule requires %(minimum)s.")
                % {"count": organisations, "minimum": MIN_PEERS_FOR_QUARTILES}
            )
    return ImportedCell(
        instrument_code=instrument,
        instrument_version=version,
        content_hash=instruments[instrument, version],
        kind=kind,
        size_class=size_class,
        code=code,
        organisations=organisations,
        median=median,
        q1=q1,
        q3=q3,
    )


def _instruments(payload: dict[str, Any]) -> dict[tuple[str, int], str]:
    listed = payload.get("instruments")
    if not isinstance(listed, list):
        raise ExchangeRefused(
            _("The file does not say which instruments its figures are of. Nothing has been imported.")
        )
    instruments = {}
    for entry in listed:
        code = entry.get("code") if isinstance(entry, dict) else None
        version = entry.get("version") if isinstance(entry, dict) else None
        content_hash = entry.get("content_hash") if isinstance(entry, dict) else None
        if (
            not isinstance(code, str)
            or not _CODE.match(code)
            or not _version(version)
            or not isinstance(content_hash, str)
            or not _HASH.match(content_hash)
        ):
            raise ExchangeRefused(_("The file's list of instruments is malformed. Nothing has been imported."))
        instruments[code, version] = content_hash
    return instruments


def _read(content: bytes) -> tuple[dict[str, Any], str]:
    not_a_file = ExchangeRefused(_("This is not a Roer benchmark file. Nothing has been imported."))
    try:
        document = signing.loads(content)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise not_a_file from error
    if _too_deep(document):
        raise not_a_file
    if not isinstance(document, dict) or set(document) != {"payload", "signature"}:
        raise not_a_file
    payload, signature = document["payload"], document["signature"]
    if not isinstance(payload, dict) or not isinstance(signature, str) or payload.get("format") != FORMAT:
        raise not_a_file
    return payload, signature


def benchmark_import(*, user: User | None, content: bytes) -> ImportedBenchmark:
    """Check a file against its trusted installation's key and the disclosure rule, then replace that
    installation's figures with it, whole. Refused: anything not signed by a trusted key, a format version
    this Roer does not read, a file no newer than the one imported before (a replay), any cell below the
    disclosure rule."""
    if len(content) > settings.ROER_MAX_UPLOAD_BYTES:
        raise ExchangeRefused(_("The file is too large. Nothing has been imported."))
    payload, signature = _read(content)
    public_key = payload.get("public_key")
    try:
        key_id = signing.fingerprint(public_key) if isinstance(public_key, str) else ""
    except signing.InvalidPublicKey:
        key_id = ""
    with transaction.atomic():
        installation = TrustedInstallation.objects.select_for_update().filter(key_id=key_id).first()
        if installation is None:
            raise ExchangeRefused(
                _(
                    "The file is signed with a key that is not trusted here. Add the installation with its public "
                    "key first. Nothing has been imported."
                )
            )
        if not signing.verify(payload, signature, installation.public_key):
            raise ExchangeRefused(
                _(
                    "The signature does not match: the file was changed after it was signed, or it was signed "
                    "with another key than %(name)s's. Nothing has been imported."
                )
                % {"name": installation.name}
            )
        version = payload.get("format_version")
        if isinstance(version, bool) or version != FORMAT_VERSION:
            raise ExchangeRefused(
                _(
                    "The file has format version %(found)s; this Roer reads version %(version)s. "
                    "Nothing has been imported."
                )
                % {"found": version, "version": FORMAT_VERSION}
            )
        generated = payload.get("generated_at")
        generated_at = parse_datetime(generated) if isinstance(generated, str) else None
        if generated_at is None or timezone.is_naive(generated_at):
            raise ExchangeRefused(_("The file does not say when it was made. Nothing has been imported."))
        if generated_at > timezone.now() + datetime.timedelta(hours=1):
            raise ExchangeRefused(_("The file says it was made in the future. Nothing has been imported."))
        previous = ImportedBenchmark.objects.filter(installation=installation).first()
        # the newest file ever imported with this key, kept when the installation is no longer trusted
        newest = NewestFile.objects.select_for_update().filter(key_id=installation.key_id).first()
        latest = max(
            [made for made in (previous and previous.generated_at, newest and newest.generated_at) if made],
            default=None,
        )
        if latest is not None and generated_at <= latest:
            raise ExchangeRefused(
                _(
                    "This file of %(name)s was made on %(made)s, not after the one imported before (%(previous)s): "
                    "an older file never replaces a newer one. Nothing has been imported."
                )
                % {
                    "name": installation.name,
                    "made": timezone.localtime(generated_at).strftime("%Y-%m-%d %H:%M"),
                    "previous": timezone.localtime(latest).strftime("%Y-%m-%d %H:%M"),
                }
            )
        instruments = _instruments(payload)
        raw_cells = payload.get("cells")
        if not isinstance(raw_cells, list):
            raise ExchangeRefused(_("The file has no list of cells. Nothing has been imported."))
        cells = [_cell(index, raw, instruments) for index, raw in enumerate(raw_cells)]
        keys = {(c.instrument_code, c.instrument_version, c.kind, c.size_class, c.code) for c in cells}
        if len(keys) != len(cells):
            raise ExchangeRefused(_("The file gives the same cell twice. Nothing has been imported."))
        pair = differencing_pair(cells)
        if pair is not None:
            outer, inner = pair
            raise ExchangeRefused(
                _(
                    "Cell %(number)s of the file is refused: its %(count)s organisations differ by "
                    "%(difference)s from the %(outer)s organisations of a group around it; the disclosure "
                    "rule requires none or at least %(minimum)s. Nothing has been imported."
                )
                % {
                    "number": cells.index(inner) + 1,
                    "count": inner.organisations,
                    "difference": outer.organisations - inner.organisations,
                    "outer": outer.organisations,
                    "minimum": MIN_PEERS,
                }
            )
        name = payload.get("installation")
        if previous is not None:
            previous.delete()
        benchmark = ImportedBenchmark.objects.create(
            installation=installation,
            installation_name=name[:200] if isinstance(name, str) else installation.name,
            format_version=FORMAT_VERSION,
            generated_at=generated_at,
            sha256=hashlib.sha256(content).hexdigest(),
        )
        for cell in cells:
            cell.benchmark = benchmark
        ImportedCell.objects.bulk_create(cells)
        NewestFile.objects.update_or_create(key_id=installation.key_id, defaults={"generated_at": generated_at})
        _audit(
            user,
            AuditAction.BENCHMARK_IMPORTED,
            f"{installation.name}: {len(cells)} cells of {generated_at:%Y-%m-%d %H:%M}, {benchmark.sha256[:16]}",
        )
    return benchmark
