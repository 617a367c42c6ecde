"""The benchmark across installations: the platform administrator's page (this installation's public key,
its signed export, the installations it trusts and their files) and the public open data of the
installation's own benchmark. The rules are roer.exchange's; these views only read forms and show."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from roer.accounts.http import AuthenticatedHttpRequest
from roer.exchange import services, signing
from roer.exchange.cells import Cell
from roer.exchange.forms import ImportForm, TrustForm
from roer.exchange.models import TrustedInstallation
from roer.exchange.selectors import open_data, trusted_installations
from roer.lib.errors import DomainError
from roer.organisations.access import platform_admin_required
from roer.reports.writers import csv_row


def _exchange_page(
    request: AuthenticatedHttpRequest, trust: TrustForm, upload: ImportForm, status: int = 200
) -> HttpResponse:
    context = {
        "public_key": signing.own_public_key(),
        "key_id": signing.fingerprint(signing.own_public_key()),
        "installations": trusted_installations(),
        "trust_form": trust,
        "import_form": upload,
    }
    return render(request, "exchange/platform.html", context, status=status)


@platform_admin_required
def exchange(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the page. POST with `action`: trust (name, key), import (a file) or forget (an installation)."""
    trust, upload = TrustForm(), ImportForm()
    if request.method != "POST":
        return _exchange_page(request, trust, upload)
    action = request.POST.get("action", "")
    try:
        if action == "trust":
            trust = TrustForm(request.POST)
            if not trust.is_valid():
                return _exchange_page(request, trust, upload, status=400)
            added = services.trusted_installation_add(user=request.user, **trust.cleaned_data)
            messages.success(request, _("%(name)s is now trusted.") % {"name": added.name})
        elif action == "import":
            upload = ImportForm(request.POST, request.FILES)
            if not upload.is_valid():
                return _exchange_page(request, trust, upload, status=400)
            imported = services.benchmark_import(user=request.user, content=upload.cleaned_data["file"].read())
            messages.success(
                request,
                _("The benchmark of %(name)s has been imported: %(count)s cells.")
                % {"name": imported.installation.name, "count": imported.cells.count()},
            )
        elif action == "forget":
            chosen = request.POST.get("installation", "")
            installation = TrustedInstallation.objects.filter(pk=chosen).first() if chosen.isdigit() else None
            if installation is None:
                messages.error(request, _("This installation is no longer trusted."))
            else:
                services.trusted_installation_remove(user=request.user, installation=installation)
                messages.success(
                    request, _("%(name)s is no longer trusted; its figures are gone.") % {"name": installation.name}
                )
        else:
            messages.error(request, _("Choose what to do on this page."))
    except DomainError as error:
        messages.error(request, error.message)
        return _exchange_page(request, trust, upload, status=400)
    return redirect("platform:benchmark_exchange")


@platform_admin_required
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """This installation's signed benchmark file (audited)."""
    content = services.benchmark_export(user=request.user)
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    filename = f"roer-benchmark-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- open data -------------------------------------------------------------------------------------

FIELDS = ("instrument", "instrument_version", "kind", "size_class", "code", "organisations", "median", "q1", "q3")


def _row(cell: Cell) -> list[object]:
    return [
        cell.instrument_code,
        cell.instrument_version,
        cell.kind,
        cell.size_class or "",
        cell.code,
        cell.organisations,
        round(cell.median, 2),
        "" if cell.q1 is None else round(cell.q1, 2),
        "" if cell.q3 is None else round(cell.q3, 2),
    ]


NUMERIC = (False, True, False, True, False, True, True, True, True)


def open_data_page(request: HttpRequest) -> HttpResponse:
    data = open_data()
    context = {
        "data": data,
        "fields": list(zip(FIELDS, NUMERIC, strict=True)),
        "rows": [list(zip(_row(cell), NUMERIC, strict=True)) for cell in data.cells],
    }
    return render(request, "exchange/open_data.html", context)


def open_data_csv(request: HttpRequest) -> HttpResponse:
    data = open_data()
    lines = [csv_row(FIELDS)] + [csv_row(_row(cell)) for cell in data.cells]
    response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="roer-benchmark.csv"'
    return response


def open_data_json(request: HttpRequest) -> HttpResponse:
    data = open_data()
    document = {
        "installation": settings.ROER_INSTALLATION_NAME,
        "generated_at": timezone.now().isoformat(),
        "published": data.published,
        "organisations": data.contributors if data.published else None,
        "minimum_organisations": data.minimum,
        "cells": [cell.as_json() for cell in data.cells],
    }
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False), content_type="application/json"
    )
