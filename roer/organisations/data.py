"""An organisation's data as a whole: exported in one file, or deleted in one go."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import IO

from django.core import serializers
from django.db import transaction
from django.db.models import Model, QuerySet

from roer.audit.models import AuditEvent
from roer.organisations.models import Membership, Organisation
from roer.responses.models import Answer, DimensionScore, OpenAnswer, Response, ResponseDraft
from roer.results.models import ScanFigures
from roer.scans.models import AccessToken, Invitation, RespondentGroup, Scan

logger = logging.getLogger("roer.organisations")


def organisation_querysets(organisation: Organisation) -> Iterator[QuerySet[Model]]:
    """Everything that belongs to the organisation, parents before children (token hashes left out:
    they only open questionnaires and are no one's data)."""
    yield Organisation.objects.filter(pk=organisation.pk)
    yield Membership.objects.filter(organisation=organisation)
    yield Scan.objects.filter(organisation=organisation)
    yield RespondentGroup.objects.filter(scan__organisation=organisation)
    yield Invitation.objects.filter(scan__organisation=organisation)
    yield ResponseDraft.objects.filter(invitation__scan__organisation=organisation)
    yield Response.objects.filter(scan__organisation=organisation)
    yield Answer.objects.filter(response__scan__organisation=organisation)
    yield OpenAnswer.objects.filter(response__scan__organisation=organisation)
    yield DimensionScore.objects.filter(scan__organisation=organisation)
    yield ScanFigures.objects.filter(scan__organisation=organisation)
    yield AuditEvent.objects.filter(organisation=organisation)


def organisation_export(*, organisation: Organisation, stream: IO[str]) -> int:
    """Write the organisation's data as Django's JSON serialisation; returns the number of records."""
    count = 0
    stream.write("[\n")
    first = True
    for queryset in organisation_querysets(organisation):
        for record in queryset.iterator(chunk_size=2000):
            text = serializers.serialize("json", [record])[1:-1].strip()
            stream.write(("" if first else ",\n") + text)
            first = False
            count += 1
    stream.write("\n]\n")
    return count


@transaction.atomic
def organisation_delete(*, organisation: Organisation) -> dict[str, int]:
    """Delete the organisation with everything of it (users stay: they may belong to other organisations)."""
    from roer.results.benchmarks import refresh_benchmarks

    versions = list({scan.instrument_version for scan in organisation.scans.select_related("instrument_version")})
    AccessToken.objects.filter(invitation__scan__organisation=organisation).delete()
    AuditEvent.objects.filter(organisation=organisation).delete()
    _total, per_model = Organisation.objects.filter(pk=organisation.pk).delete()
    for version in versions:
        refresh_benchmarks(version)
    logger.info("deleted organisation %s: %s", organisation.code, per_model)
    return per_model
