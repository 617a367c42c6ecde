"""One scan for several clients at once (issue 15): each made exactly as `scans.services.scan_create` makes
a single one, all in one transaction, so that a consultant never ends up with scans for some clients and
not for others."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from roer.accounts.models import User
from roer.instruments.models import InstrumentVersion
from roer.organisations.access import check_access
from roer.organisations.models import Organisation
from roer.scans import services
from roer.scans.models import Scan


@transaction.atomic
def scans_create_for_clients(
    *,
    user: User,
    organisations: Sequence[Organisation],
    instrument_version: InstrumentVersion,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    thresholds: Mapping[str, int],
    retention_days: int | None = None,
) -> list[Scan]:
    """A new scan for each organisation, or none at all.

    The user's right to run scans is checked again for every organisation here, inside the transaction: a
    consultant whose access was withdrawn after the form was shown gets PermissionDenied (or Http404), and
    the scans already made for the other clients are rolled back with it. A scan that fails its own checks
    raises ValidationError naming the client."""
    if not organisations:
        raise ValueError("a scan for several clients needs at least one client")
    created = []
    for organisation in organisations:
        check_access(user, organisation, manage=True)
        try:
            scan = services.scan_create(
                organisation=organisation,
                created_by=user,
                instrument_version=instrument_version,
                title=title,
                opens_on=opens_on,
                closes_on=closes_on,
                thresholds=thresholds,
                retention_days=retention_days,
            )
        except ValidationError as error:
            raise ValidationError(
                _("No scan was created, because the one for %(organisation)s could not be: %(problem)s")
                % {"organisation": organisation.name, "problem": " ".join(error.messages)}
            ) from error
        created.append(scan)
    return created
