"""Report PDFs and large exports, made by background tasks and served from storage afterwards.

PDFs: rendering the full report takes seconds, so it happens once per fingerprint of what the report
shows (see `roer.reports.documents`), in a worker, never in a request. Both reports in both languages
are prepared as soon as a scan's figures are ready and again when its foreword changes; any other
change (new benchmarks, a new title) is rendered when someone asks for it. An organisation's action plan
on one page (`roer.reports.plan`) is made the same way, when someone asks for it.

Exports of large scans are written to a file by a worker, which counts its rows as it goes so the page
can show progress; the file is deleted after `ROER_EXPORT_RETENTION_HOURS`.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django_tasks import task
from django_tasks.base import Task

from roer.accounts.models import User
from roer.lifecycle.queue import gave_up
from roer.organisations.models import Organisation
from roer.reports.documents import report_fingerprint
from roer.reports.exports import Export, export_for
from roer.reports.models import ExportFile, FileStatus, PlanFile, ReportFile, ReportKind, StoredPdf
from roer.reports.pdf import PdfUnavailableError, render_pdf
from roer.reports.plan import plan_fingerprint, plan_html
from roer.reports.rendering import report_html
from roer.reports.writers import csv_row, xlsx_file
from roer.scans.models import Scan

logger = logging.getLogger("roer.documents")

PROGRESS_EVERY = 1000


# A server without the PDF libraries is tried again after this long (someone may have installed them).
UNAVAILABLE_RETRY = datetime.timedelta(minutes=10)

Stored = TypeVar("Stored", ReportFile, PlanFile)


def _worth_another_try(stored: StoredPdf) -> bool:
    if stored.status != FileStatus.FAILED:
        return False
    if stored.error == StoredPdf.UNAVAILABLE:
        return (stored.ready_at or stored.created_at) < timezone.now() - UNAVAILABLE_RETRY
    return True  # a task that failed for good: this request is a new chance


def _requested(stored: Stored, created: bool, render: Task[[int], bool]) -> Stored:
    """Queue the rendering of a PDF just found or created under its lock, unless it is made or being made."""
    if created or _worth_another_try(stored):
        stored.status = FileStatus.PENDING
        stored.error = ""
        stored.task_id = render.enqueue(stored.pk).id
        stored.save(update_fields=["status", "error", "task_id"])
    return stored


def report_request(scan: Scan, kind: str, language: str) -> ReportFile:
    """The PDF of the scan as it is now: the stored one, or one queued for rendering (again, after a
    failure). Asking twice queues it once."""
    fingerprint = report_fingerprint(scan, kind, language)
    with transaction.atomic():
        report, created = ReportFile.objects.select_for_update().get_or_create(
            scan=scan, kind=kind, language=language, fingerprint=fingerprint
        )
        return _requested(report, created, render_report)


def report_lost(report: ReportFile) -> ReportFile:
    """A stored PDF whose file has gone (a database restored without its files, a machine without the
    shared folder): it is made again."""
    ReportFile.objects.filter(pk=report.pk).update(status=FileStatus.FAILED, error="")
    return report_request(report.scan, report.kind, report.language)


def prepare_reports(scan: Scan) -> None:
    """Queue both reports in every language (figures just published, or a new foreword)."""
    for kind in ReportKind.values:
        for language, _name in settings.LANGUAGES:
            report_request(scan, kind, language)


def _rendered(
    found: ReportFile | PlanFile,
    siblings: QuerySet[ReportFile] | QuerySet[PlanFile],
    current: str,
    html: Callable[[], str],
    name: str,
) -> bool:
    """Render one queued PDF as its subject is when the worker gets to it; True when this run stored it.

    A request is for "the PDF of this report (or plan)", not of its inputs at the moment of asking: when
    they have changed since (a benchmark rebuild queued just before, a new title, an action moved on), the
    file is rendered and stored under the fingerprint of now, unless that one exists already. `siblings`
    are the PDFs of the same subject in the same language, each of another fingerprint but this one's."""
    if current != found.fingerprint:
        if siblings.filter(fingerprint=current).exists():
            found.delete()  # another request covers the subject as it is now
            return False
        found.fingerprint = current
        found.save(update_fields=["fingerprint"])
    try:
        pdf = render_pdf(html())
    except PdfUnavailableError as error:
        logger.error("PDFs cannot be rendered on this server: %s", error)
        siblings.filter(pk=found.pk).update(
            status=FileStatus.FAILED, error=StoredPdf.UNAVAILABLE, ready_at=timezone.now()
        )
        return False
    if found.file:
        found.file.delete(save=False)  # a second run of the task leaves no orphan behind
    found.file.save(f"{found.fingerprint[:16]}-{name}-{found.language}.pdf", ContentFile(pdf), save=False)
    found.status = FileStatus.READY
    found.ready_at = timezone.now()
    found.save(update_fields=["file", "status", "ready_at"])
    _delete_files(siblings.filter(created_at__lte=found.created_at).exclude(pk=found.pk))
    return True


@task()
def render_report(report_id: int) -> bool:
    """Render one queued report PDF (see `_rendered`); True when this run stored it."""
    queued = ReportFile.objects.select_related("scan__organisation", "scan__instrument_version").filter(pk=report_id)
    found = queued.first()
    if found is None or found.status == FileStatus.READY or not found.scan.has_figures:
        return False
    scan = found.scan
    return _rendered(
        found,
        ReportFile.objects.filter(scan=scan, kind=found.kind, language=found.language),
        report_fingerprint(scan, found.kind, found.language),
        lambda: report_html(scan, found.kind, found.language, for_pdf=True),
        found.kind,
    )


def plan_request(organisation: Organisation, language: str) -> PlanFile:
    """The action plan on one page as it is now: the stored PDF, or one queued for rendering (again,
    after a failure). Asking twice queues it once."""
    fingerprint = plan_fingerprint(organisation, language)
    with transaction.atomic():
        plan, created = PlanFile.objects.select_for_update().get_or_create(
            organisation=organisation, language=language, fingerprint=fingerprint
        )
        return _requested(plan, created, render_plan)


def plan_lost(plan: PlanFile) -> PlanFile:
    """A stored plan PDF whose file has gone: it is made again."""
    PlanFile.objects.filter(pk=plan.pk).update(status=FileStatus.FAILED, error="")
    return plan_request(plan.organisation, plan.language)


@task()
def render_plan(plan_id: int) -> bool:
    """Render one queued plan PDF (see `_rendered`); True when this run stored it."""
    found = PlanFile.objects.select_related("organisation").filter(pk=plan_id).first()
    if found is None or found.status == FileStatus.READY:
        return False
    organisation = found.organisation
    return _rendered(
        found,
        PlanFile.objects.filter(organisation=organisation, language=found.language),
        plan_fingerprint(organisation, found.language),
        lambda: plan_html(organisation, found.language, for_pdf=True),
        "plan",
    )


def export_request(*, scan: Scan, name: str, extension: str, language: str, requested_by: User) -> ExportFile:
    """The export that is being made or is ready, or a new one queued."""
    now = timezone.now()
    with transaction.atomic():
        current = (
            ExportFile.objects.select_for_update()
            .filter(scan=scan, name=name, extension=extension, language=language, expires_at__gt=now)
            .exclude(status=FileStatus.FAILED)
            .first()
        )
        if current is not None:
            return current
        export = ExportFile.objects.create(
            scan=scan,
            name=name,
            extension=extension,
            language=language,
            requested_by=requested_by,
            expires_at=now + datetime.timedelta(hours=settings.ROER_EXPORT_RETENTION_HOURS),
        )
        export.task_id = build_export.enqueue(export.pk).id
        export.save(update_fields=["task_id"])
    return export


def _counted(rows: Iterator[Sequence[object]], export_id: int) -> Iterator[Sequence[object]]:
    for done, row in enumerate(rows, start=1):
        yield row
        if done % PROGRESS_EVERY == 0:
            ExportFile.objects.filter(pk=export_id).update(rows_done=done)


@task()
def build_export(export_id: int) -> bool:
    """Write one queued export to storage; running it again writes it again, whole."""
    export = ExportFile.objects.select_related("scan__organisation", "scan__instrument_version").filter(pk=export_id)
    found = export.first()
    if found is None or found.status == FileStatus.READY or not found.scan.has_figures:
        return False
    with translation.override(found.language):
        data = export_for(found.scan, found.name, found.language)
        ExportFile.objects.filter(pk=found.pk).update(status=FileStatus.RUNNING, rows_done=0, rows_total=data.total)
        data.rows = _counted(data.rows, found.pk)
        handle = _written(data, found.extension)
    if found.file:
        found.file.delete(save=False)  # a second run of the task leaves no orphan behind
    with handle:
        found.file.save(f"{found.code}.{found.extension}", File(handle), save=False)
    found.status = FileStatus.READY
    found.rows_done = found.rows_total = data.total
    found.ready_at = timezone.now()
    found.save(update_fields=["file", "status", "rows_done", "rows_total", "ready_at"])
    return True


def _written(data: Export, extension: str) -> File[bytes]:
    if extension == "xlsx":
        return File(xlsx_file(data))
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the caller
    handle.write("\ufeff".encode())  # a byte-order mark, so spreadsheets read the file as UTF-8
    for line in (csv_row(data.header), *(csv_row(row) for row in data.rows)):
        handle.write(line.encode())
    handle.seek(0)
    return File(handle)


def _delete_files(files: QuerySet[ReportFile] | QuerySet[PlanFile] | QuerySet[ExportFile]) -> int:
    count = 0
    for stored in files:
        if stored.file:
            stored.file.delete(save=False)
        stored.delete()
        count += 1
    return count


def expired_exports_delete(now: datetime.datetime | None = None) -> int:
    """Delete exports past their retention (the scheduled job, hourly)."""
    return _delete_files(ExportFile.objects.filter(expires_at__lte=now or timezone.now()))


def scan_files_delete(scans: QuerySet[Scan]) -> int:
    """Delete the stored files of these scans, before the scans themselves go."""
    return _delete_files(ReportFile.objects.filter(scan__in=scans)) + _delete_files(
        ExportFile.objects.filter(scan__in=scans)
    )


def plan_files_delete(organisation: Organisation) -> int:
    """Delete the stored plan PDFs of the organisation, before it goes."""
    return _delete_files(PlanFile.objects.filter(organisation=organisation))


def files_follow_tasks() -> int:
    """Mark files failed whose task has used all its attempts (part of the clock job), so the page stops
    saying they are being made and offers to try again."""
    count = 0
    for model in (ReportFile, PlanFile, ExportFile):
        waiting = model.objects.filter(status__in=[FileStatus.PENDING, FileStatus.RUNNING])
        given_up = gave_up(waiting.values_list("task_id", flat=True))
        if given_up:
            count += model.objects.filter(task_id__in=given_up).update(status=FileStatus.FAILED)
    return count
