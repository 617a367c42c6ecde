"""The board report (summary and full, as a page and as a PDF from the same HTML) and the exports."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roer.accounts.http import AuthenticatedHttpRequest
from roer.audit.models import AuditAction
from roer.audit.services import audit_record
from roer.reports.exports import aggregated_export, open_answer_export, respondent_export
from roer.reports.forms import ForewordForm
from roer.reports.messages import key_messages
from roer.reports.pdf import PdfUnavailableError, render_pdf
from roer.reports.writers import csv_lines, xlsx_file
from roer.results.open_answers import open_answers
from roer.results.selectors import scan_results
from roer.results.views import results_context
from roer.scans.models import Scan
from roer.scans.selectors import ScanAccess, get_scan_for_user
from roer.scans.services import scan_foreword_set

REPORT_KINDS = {"summary", "full"}
EXPORTS = {"scores", "respondents", "open-answers"}
FORMATS = {"csv", "xlsx"}
OPEN_ANSWERS_PER_GROUP = 25


def _closed_scan(request: AuthenticatedHttpRequest, scan_code: uuid.UUID, *, manage: bool = False) -> ScanAccess:
    access = get_scan_for_user(request.user, scan_code, manage=manage)
    if not access.scan.is_closed:
        raise Http404
    return access


def _filename(scan: Scan, kind: str, extension: str) -> str:
    return f"roer-{slugify(scan.organisation.name)}-{slugify(scan.title)}-{kind}.{extension}"


def _report_html(request: AuthenticatedHttpRequest, access: ScanAccess, kind: str, *, for_pdf: bool) -> str:
    scan = access.scan
    language = get_language() or "nl"
    results = scan_results(scan)
    context = results_context(results, language)
    context.update(
        scan=scan,
        organisation=scan.organisation,
        kind=kind,
        for_pdf=for_pdf,
        can_manage=access.can_manage,
        messages_=key_messages(results),
        open_answers=open_answers(scan, limit=OPEN_ANSWERS_PER_GROUP) if kind == "full" else (),
        open_answers_limit=OPEN_ANSWERS_PER_GROUP,
        foreword_form=ForewordForm(initial={"foreword": scan.report_foreword}),
    )
    return render_to_string(f"reports/{kind}.html", context, request=request)


@login_required
def report(request: AuthenticatedHttpRequest, scan_code: uuid.UUID, kind: str) -> HttpResponse:
    if kind not in REPORT_KINDS:
        raise Http404
    access = _closed_scan(request, scan_code)
    audit_record(
        user=request.user,
        organisation=access.scan.organisation,
        action=AuditAction.REPORT_VIEWED,
        subject=f"{access.scan.title}: {kind}",
    )
    return HttpResponse(_report_html(request, access, kind, for_pdf=False))


@login_required
def report_pdf(request: AuthenticatedHttpRequest, scan_code: uuid.UUID, kind: str) -> HttpResponse:
    if kind not in REPORT_KINDS:
        raise Http404
    access = _closed_scan(request, scan_code)
    try:
        pdf = render_pdf(_report_html(request, access, kind, for_pdf=True))
    except PdfUnavailableError:
        return render(
            request,
            "reports/pdf_unavailable.html",
            {"scan": access.scan, "organisation": access.scan.organisation},
            status=503,
        )
    audit_record(
        user=request.user,
        organisation=access.scan.organisation,
        action=AuditAction.REPORT_DOWNLOADED,
        subject=f"{access.scan.title}: {kind}.pdf",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(access.scan, kind, "pdf")}"'
    return response


@login_required
@require_POST
def report_foreword(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    access = _closed_scan(request, scan_code, manage=True)
    form = ForewordForm(request.POST)
    if form.is_valid():
        scan_foreword_set(scan=access.scan, foreword=form.cleaned_data["foreword"])
        messages.success(request, _("The foreword has been saved; it is printed in both reports."))
    else:
        messages.error(request, " ".join(str(error) for error in form.errors["foreword"]))
    return redirect(
        "reports:report",
        access.scan.code,
        request.POST.get("kind") if request.POST.get("kind") in REPORT_KINDS else "summary",
    )


@login_required
def export(request: AuthenticatedHttpRequest, scan_code: uuid.UUID, name: str, extension: str) -> HttpResponseBase:
    if name not in EXPORTS or extension not in FORMATS:
        raise Http404
    access = _closed_scan(request, scan_code, manage=True)
    scan = access.scan
    language = get_language() or "nl"
    if name == "open-answers":
        data = open_answer_export(scan, language)
    else:
        results = scan_results(scan)
        data = aggregated_export(results, language) if name == "scores" else respondent_export(results)
    audit_record(
        user=request.user,
        organisation=scan.organisation,
        action=AuditAction.EXPORT_DOWNLOADED,
        subject=f"{scan.title}: {name}.{extension}",
    )
    filename = _filename(scan, name, extension)
    if extension == "csv":
        response = StreamingHttpResponse(csv_lines(data), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(
        xlsx_file(data),
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
