"""An organisation as a whole: its benchmark participation, its data exported in one file or deleted in
one go, and changes to what its respondents see."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import IO

from django.core import serializers
from django.db import transaction
from django.db.models import F, Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from roer.accounts.models import User
from roer.audit.models import AuditAction, AuditEvent
from roer.audit.services import audit_record
from roer.instruments.models import InstrumentVersion
from roer.lifecycle import documents
from roer.lifecycle.benchmarks import refresh_benchmarks
from roer.lifecycle.queue import enqueue_once
from roer.organisations.models import Membership, Organisation, OrganisationLogo
from roer.responses.models import OpenAnswer, Response, ResponseDraft
from roer.results.models import ScanFigures
from roer.scans.models import AccessToken, Invitation, Mailing, RespondentGroup, Scan

logger = logging.getLogger("roer.organisations")


def _versions_used(organisation: Organisation) -> list[int]:
    return list(
        InstrumentVersion.objects.filter(scans__organisation=organisation).distinct().values_list("pk", flat=True)
    )


def organisation_benchmark_set(*, organisation: Organisation, taking_part: bool) -> Organisation:
    """Join or leave the benchmark pool. The organisation's own pages and reports show or drop the
    comparison at once; its scores join or leave the pool at the nightly rebuild, for everyone at once,
    so that no one can compare the figures just before and just after one organisation's choice."""
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if locked.benchmark_opt_in == taking_part:
            return locked
        locked.benchmark_opt_in = taking_part
        locked.save(update_fields=["benchmark_opt_in"])
        _prepare_reports_of(locked)
    return locked


def _prepare_reports_of(organisation: Organisation) -> None:
    """Queue the report PDFs of every published scan of the organisation (after what is queued already)."""
    for scan in Scan.objects.with_figures().filter(organisation=organisation).select_related("instrument_version"):
        scan.organisation = organisation
        documents.prepare_reports(scan)


def organisation_look_set(
    *, organisation: Organisation, user: User, colour: str, logo: tuple[bytes, int, int] | None, remove_logo: bool
) -> Organisation:
    """Set the organisation's colour and logo (a PNG from `look.normalised_logo`, with its size). The
    questionnaires show the new look at their next page; the reports are rendered anew."""
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        changed = []
        if locked.primary_colour != colour:
            locked.primary_colour = colour
            changed.append(_("colour %(colour)s") % {"colour": colour or _("Roer's own")})
        if logo is not None:
            png, width, height = logo
            OrganisationLogo.objects.update_or_create(
                organisation=locked, defaults={"png": png, "width": width, "height": height}
            )
            locked.logo_updated_at = timezone.now()
            changed.append(_("new logo"))
        elif remove_logo and locked.logo_updated_at is not None:
            OrganisationLogo.objects.filter(organisation=locked).delete()
            locked.logo_updated_at = None
            changed.append(_("logo removed"))
        if not changed:
            return locked
        locked.save(update_fields=["primary_colour", "logo_updated_at"])
        Scan.objects.filter(organisation=locked).update(revision=F("revision") + 1)
        audit_record(user=user, organisation=locked, action=AuditAction.LOOK_CHANGED, subject=", ".join(changed))
        _prepare_reports_of(locked)
    return locked


def organisation_update(*, organisation: Organisation, fields: list[str]) -> Organisation:
    """Save changed fields of an organisation (from the admin). Its name is on every questionnaire page,
    so its scans' pages are rendered anew."""
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        organisation.full_clean()
        organisation.save(update_fields=fields)
        Scan.objects.filter(organisation=organisation).update(revision=F("revision") + 1)
        _prepare_reports_of(organisation)  # the name is on them; the pool follows at the nightly rebuild
    return organisation


def organisation_querysets(organisation: Organisation) -> Iterator[QuerySet[Model]]:
    """Everything that belongs to the organisation, parents before children (token hashes left out:
    they only open questionnaires and are no one's data)."""
    yield Organisation.objects.filter(pk=organisation.pk)
    yield OrganisationLogo.objects.filter(organisation=organisation)
    yield Membership.objects.filter(organisation=organisation)
    yield Scan.objects.filter(organisation=organisation)
    yield RespondentGroup.objects.filter(scan__organisation=organisation)
    yield Invitation.objects.filter(scan__organisation=organisation)
    yield Mailing.objects.filter(scan__organisation=organisation)
    yield ResponseDraft.objects.filter(invitation__scan__organisation=organisation)
    yield Response.objects.filter(scan__organisation=organisation)
    yield OpenAnswer.objects.filter(scan__organisation=organisation)
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
    """Delete the organisation with everything of it (users stay: they may belong to other organisations);
    the benchmarks it took part in are rebuilt without it."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    versions = _versions_used(organisation)
    documents.scan_files_delete(Scan.objects.filter(organisation=organisation))
    documents.plan_files_delete(organisation)
    AccessToken.objects.filter(invitation__scan__organisation=organisation).delete()
    AuditEvent.objects.filter(organisation=organisation).delete()
    _total, per_model = Organisation.objects.filter(pk=organisation.pk).delete()
    for version_id in versions:
        enqueue_once(refresh_benchmarks, version_id)
    logger.info("deleted organisation %s: %s", organisation.code, per_model)
    return per_model
