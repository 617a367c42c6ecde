"""Serving a PDF that a worker makes: the stored file when it is there, else a page that says it is being
made (202) or that this server cannot make PDFs (503). Shared by the board reports and the action plan."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from roer.reports.models import FileStatus, PlanFile, ReportFile

Stored = TypeVar("Stored", ReportFile, PlanFile)


def stored_pdf_response(
    request: HttpRequest,
    stored: Stored,
    *,
    lost: Callable[[Stored], Stored],
    downloaded: Callable[[], object],
    filename: str,
    pages: str,
    context: dict[str, object],
) -> HttpResponseBase:
    """`lost` asks again for a file that has gone from storage; `downloaded` writes the audit record;
    `pages`: the template folder with pdf_preparing.html and pdf_unavailable.html."""
    if stored.status == FileStatus.READY:
        try:
            handle = stored.file.open("rb")
        except OSError:  # the file has gone from storage: make it again
            stored = lost(stored)
        else:
            downloaded()
            return FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
    if stored.status == FileStatus.FAILED and stored.error == stored.UNAVAILABLE:
        return render(request, f"{pages}/pdf_unavailable.html", context, status=503)
    return render(request, f"{pages}/pdf_preparing.html", context, status=202)
