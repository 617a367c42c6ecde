"""The board report (summary and full, as a page and as a PDF from the same HTML) and the exports.

PDFs and the exports of large scans are made by background workers and served from storage; a page
says when one is still being made. Every download is written to the audit log. Every view here is
`never_cache` (no-store, private): what they answer holds a municipality's results or its respondents'
answers, which belong in no shared cache and no browser cache, and a page that says a file is being made
must not stand in for the file once it is there. tests/reports/test_download_headers.py holds every
URL of this module to it."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from roer.accounts.http import AuthenticatedHttpRequest
from roer.audit.models import AuditAction
from roer.audit.services import audit_record
from roer.lifecycle.documents import export_request, report_lost, report_request
from roer.lifecycle.editing import scan_foreword_set
from roer.reports.exports import export_for
from roer.reports.figures_file import CSV_HEADER, figures_document, figures_rows
from roer.reports.forms import ForewordForm
from roer.reports.models import ExportFile, ExportFormat, ExportName, FileStatus, ReportKind
from roer.reports.rendering import report_html
from roer.reports.writers import CSV_DIALECTS, PLAIN, CsvDialect, csv_lines, csv_row, xlsx_file
from roer.results.selectors import scan_results
from roer.scans.models import Scan
from roer.scans.selectors import ScanAccess, get_scan_for_user
from roer.web.stored_pdfs import stored_pdf_response


def _scan_with_figures(request: AuthenticatedHttpRequest, scan_code: uuid.UUID, *, manage: bool = False) -> ScanAccess:
    access = get_scan_for_user(request.user, scan_code, manage=manage)
    if not access.scan.has_figures:
        raise Http404
    return access


def _filename(scan: Scan, kind: str, extension: str) -> str:
    return f"roer-{slugify(scan.organisation.name)}-{slugify(scan.title)}-{kind}.{extension}"


def _dialect(request: AuthenticatedHttpRequest) -> CsvDialect:
    """The CSV dialect asked for with ?dialect= (plain when absent); an unknown one is a 404."""
    name = request.GET.get("dialect", PLAIN.name)
    if name not in CSV_DIALECTS:
        raise Http404
    return CSV_DIALECTS[name]


def _csv_filename(filename: str, dialect: CsvDialect) -> str:
    """The dialect in the name too, so that both files can sit side by side in a downloads folder."""
    return filename if dialect is PLAIN else filename.replace(".csv", f"-{dialect.name}.csv")


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


@never_cache
@login_required
def report(request: AuthenticatedHttpRequest, scan_code: uuid.UUID, kind: str) -> HttpResponse:
    if kind not in ReportKind.values:
        raise Http404
    access = _scan_with_figures(request, scan_code)
    audit_record(
        user=request.user,
        organisation=access.scan.organisation,
        action=AuditAction.REPORT_VIEWED,
        subject=f"{access.scan.title}: {kind}",
    )
    html = report_html(access.scan, kind, _language(), for_pdf=False, can_manage=access.can_manage, request=request)
    return HttpResponse(html)


@never_cache
@login_required
def report_pdf(request: AuthenticatedHttpRequest, scan_code: uuid.UUID, kind: str) -> HttpResponseBase:
    """The stored PDF of the report as it is now; while a worker makes it, a page that says so.

    Asking queues the rendering when no PDF of today's report exists (after a new title, new peers): like
    filling a cache, it changes nothing anyone sees, and asking twice queues it once."""
    if kind not in ReportKind.values:
        raise Http404
    access = _scan_with_figures(request, scan_code)
    scan = access.scan
    stored = report_request(scan, kind, _language())
    return stored_pdf_response(
        request,
        stored,
        lost=report_lost,
        downloaded=lambda: audit_record(
            user=request.user,
            organisation=scan.organisation,
            action=AuditAction.REPORT_DOWNLOADED,
            subject=f"{scan.title}: {kind}.pdf",
        ),
        filename=_filename(scan, kind, "pdf"),
        pages="reports",
        context={"scan": scan, "organisation": scan.organisation, "kind": kind},
    )


@never_cache
@login_required
def figures_file(request: AuthenticatedHttpRequest, scan_code: uuid.UUID, extension: str) -> HttpResponseBase:
    """Every published number with its sufficient statistics, for anyone who may read the results: as
    JSON (everything, with the rules) or CSV (the cells, plain or ?dialect=excel-nl)."""
    if extension not in {"json", "csv"}:
        raise Http404
    dialect = _dialect(request)
    access = _scan_with_figures(request, scan_code)
    scan = access.scan
    document = figures_document(scan_results(scan))
    audit_record(
        user=request.user,
        organisation=scan.organisation,
        action=AuditAction.EXPORT_DOWNLOADED,
        subject=f"{scan.title}: figures.{extension}",
    )
    filename = _filename(scan, "figures", extension)
    if extension == "json":
        response: HttpResponseBase = HttpResponse(
            json.dumps(document, indent=1, ensure_ascii=False), content_type="application/json; charset=utf-8"
        )
    else:
        table: list[Sequence[object]] = [CSV_HEADER, *figures_rows(document)]
        lines = (csv_row(row, dialect) for row in table)
        response = StreamingHttpResponse(
            ["\ufeff", *lines] if dialect.bom else lines, content_type="text/csv; charset=utf-8"
        )
        filename = _csv_filename(filename, dialect)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_POST
def report_foreword(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    access = _scan_with_figures(request, scan_code, manage=True)
    form = ForewordForm(request.POST)
    if form.is_valid():
        scan_foreword_set(scan=access.scan, foreword=form.cleaned_data["foreword"])
        messages.success(request, _("The foreword has been saved; it is printed in both reports."))
    else:
        messages.error(request, " ".join(str(error) for error in form.errors["foreword"]))
    kind = request.POST.get("kind")
    return redirect("reports:report", access.scan.code, kind if kind in ReportKind.values else "summary")


def _streamed(scan: Scan, name: str, extension: str, language: str, dialect: CsvDialect) -> HttpResponseBase:
    data = export_for(scan, name, language)
    filename = _filename(scan, name, extension)
    if extension == "csv":
        filename = _csv_filename(filename, dialect)
        response: HttpResponseBase = StreamingHttpResponse(
            csv_lines(data, dialect), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(
        xlsx_file(data),
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@never_cache
@login_required
def export(request: AuthenticatedHttpRequest, scan_code: uuid.UUID, name: str, extension: str) -> HttpResponseBase:
    """A small scan's export is written while it downloads; a large one is made by a worker, and this
    page shows how far it is (POST asks for it). A CSV comes plain or, with ?dialect=excel-nl, for Excel
    with Dutch settings; a worker's file is plain (its record has no dialect), which the page says."""
    if name not in ExportName.values or extension not in ExportFormat.values:
        raise Http404
    dialect = _dialect(request)
    access = _scan_with_figures(request, scan_code, manage=True)
    scan, language = access.scan, _language()
    if request.method == "POST":
        export_request(scan=scan, name=name, extension=extension, language=language, requested_by=request.user)
        return redirect("reports:export", scan.code, name, extension)
    if scan.responses.count() <= settings.ROER_EXPORT_INLINE_MAX:
        audit_record(
            user=request.user,
            organisation=scan.organisation,
            action=AuditAction.EXPORT_DOWNLOADED,
            subject=f"{scan.title}: {name}.{extension}",
        )
        return _streamed(scan, name, extension, language, dialect)
    current = scan.export_files.filter(
        name=name, extension=extension, language=language, expires_at__gt=timezone.now()
    ).first()
    context = {
        "scan": scan,
        "organisation": scan.organisation,
        "export": current,
        "name": name,
        "extension": extension,
        "plain_instead": extension == "csv" and dialect is not PLAIN,
    }
    return render(request, "reports/export_status.html", context)


@never_cache
@login_required
def export_download(
    request: AuthenticatedHttpRequest, scan_code: uuid.UUID, export_code: uuid.UUID
) -> HttpResponseBase:
    access = _scan_with_figures(request, scan_code, manage=True)
    scan = access.scan
    stored = ExportFile.objects.filter(
        scan=scan, code=export_code, status=FileStatus.READY, expires_at__gt=timezone.now()
    ).first()
    if stored is None or not stored.file:
        raise Http404
    audit_record(
        user=request.user,
        organisation=scan.organisation,
        action=AuditAction.EXPORT_DOWNLOADED,
        subject=f"{scan.title}: {stored.filename}",
    )
    return FileResponse(
        stored.file.open("rb"), as_attachment=True, filename=_filename(scan, stored.name, stored.extension)
    )
