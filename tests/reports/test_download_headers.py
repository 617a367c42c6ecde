"""Every download, and every page served at a download's address, is never cached: `no-store` keeps it
out of the browser's disk cache and any proxy, `private` out of shared caches (issue 12).

The URLs are found, not listed: every URL whose view is in roer.web.reports or roer.web.resident_printing
(a residents' survey's poster, paper form, letters and letter codes) or builds a file response itself must
have its cases here, so a new download without them fails `test_every_download_has_its_cases`,
and every case must answer with the headers."""

import datetime
import inspect
from collections.abc import Callable, Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from roer.lifecycle import documents, letters
from roer.lifecycle.resident_life import survey_create
from roer.reports.models import ExportFile, ExportFormat, ExportName, FileStatus, PlanFile, ReportFile, ReportKind
from roer.residents.models import LetterBatch, ResidentSurvey
from tests.factories import ScanFactory
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

DOWNLOAD_MODULES = ("roer.web.reports", "roer.web.resident_printing")
# What a view that answers with a file has in its source.
# stored_pdf_response: a PDF a worker made, served by roer/web/stored_pdfs.py
FILE_RESPONSE_MARKS = (
    "FileResponse",
    "StreamingHttpResponse",
    "Content-Disposition",
    "as_attachment",
    "stored_pdf_response",
)


def _url_patterns(patterns, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:  # type: ignore[no-untyped-def]
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _url_patterns(entry.url_patterns, entry.namespace or namespace)
        elif entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def _answers_with_a_file(callback: Callable[..., object]) -> bool:
    view = getattr(callback, "view_class", None) or inspect.unwrap(callback)  # a class-based view: its class
    if view.__module__ in DOWNLOAD_MODULES:
        return True
    if not view.__module__.startswith("roer."):
        return False
    return any(mark in inspect.getsource(view) for mark in FILE_RESPONSE_MARKS)


def download_url_names() -> set[str]:
    return {
        name for name, pattern in _url_patterns(get_resolver().url_patterns) if _answers_with_a_file(pattern.callback)
    }


Case = Callable[..., Iterator[tuple[int, object]]]


def _report(client, scan, alice) -> Iterator[tuple[int, object]]:  # type: ignore[no-untyped-def]
    for kind in ReportKind.values:
        yield 200, client.get(reverse("reports:report", args=[scan.code, kind]))


def _pdf(client, scan, alice) -> Iterator[tuple[int, object]]:  # type: ignore[no-untyped-def]
    url = reverse("reports:pdf", args=[scan.code, "summary"])
    yield 202, client.get(url)  # being made: this page must not be kept in place of the PDF
    run_tasks(skip=())
    yield 200, client.get(url)  # served from storage
    ReportFile.objects.filter(scan=scan, kind="summary").update(
        status=FileStatus.FAILED, error=ReportFile.UNAVAILABLE, ready_at=timezone.now()
    )
    yield 503, client.get(url)


def _plan_pdf(client, scan, alice) -> Iterator[tuple[int, object]]:  # type: ignore[no-untyped-def]
    url = reverse("plans:pdf", args=[scan.organisation.code])
    yield 202, client.get(url)  # being made
    run_tasks(skip=())
    yield 200, client.get(url)  # served from storage
    PlanFile.objects.filter(organisation=scan.organisation).update(
        status=FileStatus.FAILED, error=PlanFile.UNAVAILABLE, ready_at=timezone.now()
    )
    yield 503, client.get(url)


def _figures(client, scan, alice) -> Iterator[tuple[int, object]]:  # type: ignore[no-untyped-def]
    for extension in ("json", "csv"):
        yield 200, client.get(reverse("reports:figures", args=[scan.code, extension]))


def _export(client, scan, alice) -> Iterator[tuple[int, object]]:  # type: ignore[no-untyped-def]
    for name in ExportName.values:
        for extension in ExportFormat.values:
            yield 200, client.get(reverse("reports:export", args=[scan.code, name, extension]))


def _export_status(client, scan, alice, settings) -> Iterator[tuple[int, object]]:  # type: ignore[no-untyped-def]
    settings.ROER_EXPORT_INLINE_MAX = 5  # the scan has 13 respondents: made by a worker, with a status page
    yield 200, client.get(reverse("reports:export", args=[scan.code, "respondents", "csv"]))


def _export_download(client, scan, alice) -> Iterator[tuple[int, object]]:  # type: ignore[no-untyped-def]
    for name in ExportName.values:
        for extension in ExportFormat.values:
            documents.export_request(scan=scan, name=name, extension=extension, language="nl", requested_by=alice)
    run_tasks()
    for stored in ExportFile.objects.filter(scan=scan, status=FileStatus.READY):
        yield 200, client.get(reverse("reports:export_download", args=[scan.code, stored.code]))


def _foreword(client, scan, alice) -> Iterator[tuple[int, object]]:  # type: ignore[no-untyped-def]
    url = reverse("reports:foreword", args=[scan.code])
    yield 405, client.get(url)
    yield 302, client.post(url, {"foreword": "Voor het MT", "kind": "full"})


def _resident_survey(scan, alice) -> ResidentSurvey:  # type: ignore[no-untyped-def]
    """A residents' survey beside a second, open scan of the same organisation (the closed scan takes none)."""
    existing = ResidentSurvey.objects.filter(scan__organisation=scan.organisation).first()
    if existing is not None:
        return existing
    beside = ScanFactory(organisation=scan.organisation, instrument_version=scan.instrument_version)
    today = timezone.localdate()
    return survey_create(scan=beside, opens_on=today, closes_on=today + datetime.timedelta(days=20), user=alice)


def _resident_print(name: str) -> Case:
    def case(client, scan, alice) -> Iterator[tuple[int, object]]:  # type: ignore[no-untyped-def]
        survey = _resident_survey(scan, alice)
        for language in ("nl", "en"):
            yield 200, client.get(reverse(f"residents:{name}", args=[survey.scan.code]), {"lang": language})

    case.__name__ = f"_resident_{name}"
    return case


def _resident_letters(client, scan, alice) -> Iterator[tuple[int, object]]:  # type: ignore[no-untyped-def]
    survey = _resident_survey(scan, alice)
    url = reverse("residents:letters", args=[survey.scan.code])
    yield 302, client.post(url, {"size": "3"})
    yield 200, client.get(url)  # the page lists the batch and links its files


def _resident_batch_file(name: str) -> Case:
    def case(client, scan, alice) -> Iterator[tuple[int, object]]:  # type: ignore[no-untyped-def]
        survey = _resident_survey(scan, alice)
        client.post(reverse("residents:letters", args=[survey.scan.code]), {"size": "3"})
        batch = LetterBatch.objects.filter(survey=survey).latest("pk")
        letters.make_letters.call(batch.pk)
        yield 200, client.get(reverse(f"residents:{name}", args=[survey.scan.code, batch.pk]))

    case.__name__ = f"_resident_{name}"
    return case


def _portfolio_report(client, scan, alice) -> Iterator[tuple[int, object]]:  # type: ignore[no-untyped-def]
    from roer.organisations.models import Role
    from tests.factories import MembershipFactory, OrganisationFactory

    url = reverse("portfolio:report_csv")
    yield 403, client.get(url)  # the scan manager of one organisation has no portfolio
    MembershipFactory(user=alice, organisation=OrganisationFactory(), role=Role.ADVISEUR)
    yield 200, client.get(url)


def _audit_csv(client, scan, alice) -> Iterator[tuple[int, object]]:  # type: ignore[no-untyped-def]
    from tests.conftest import client_for
    from tests.factories import UserFactory

    administrator = client_for(UserFactory(email="platform@roer.example", is_superuser=True))
    url = reverse("platform:audit_csv")
    yield 200, administrator.get(url)
    yield 200, administrator.get(url, {"dialect": "excel-nl"})
    yield 400, administrator.get(url, {"since": "morgen"})  # the log's page with the filter's error


def _benchmark_export(client, scan, alice) -> Iterator[tuple[int, object]]:  # type: ignore[no-untyped-def]
    from tests.conftest import client_for
    from tests.factories import UserFactory

    administrator = client_for(UserFactory(email="platform@roer.example", is_superuser=True))
    yield 200, administrator.get(reverse("platform:benchmark_export"))


# Files meant for everyone: open data, which caches and proxies may keep (tested below).
PUBLIC_FILES = {"open_data_benchmark_csv": "the benchmark as open data"}

CASES: dict[str, list[Case]] = {
    "reports:report": [_report],
    "reports:pdf": [_pdf],
    "plans:pdf": [_plan_pdf],
    "reports:figures": [_figures],
    "reports:export": [_export, _export_status],
    "reports:export_download": [_export_download],
    "reports:foreword": [_foreword],
    "residents:poster_pdf": [_resident_print("poster_pdf")],
    "residents:poster_svg": [_resident_print("poster_svg")],
    "residents:qr_svg": [_resident_print("qr_svg")],
    "residents:paper_pdf": [_resident_print("paper_pdf")],
    "residents:letters": [_resident_letters],
    # The letters and their codes: a file of codes anyone could answer with, which belongs in no cache.
    "residents:letters_file": [_resident_batch_file("letters_file")],
    "residents:letters_codes": [_resident_batch_file("letters_codes")],
    "portfolio:report_csv": [_portfolio_report],
    "platform:audit_csv": [_audit_csv],
    "platform:benchmark_export": [_benchmark_export],
}


def test_every_download_has_its_cases():
    assert download_url_names() == set(CASES) | set(PUBLIC_FILES)


def test_open_data_carries_no_session_and_is_the_same_for_everyone(client, alice_client):
    for name in PUBLIC_FILES:
        anonymous, member = client.get(reverse(name)), alice_client.get(reverse(name))
        assert anonymous.status_code == member.status_code == 200
        assert anonymous.content == member.content
        assert "private" not in anonymous.get("Cache-Control", "")
        assert not anonymous.cookies


@pytest.fixture
def pdfs_rendered_quickly(monkeypatch):
    monkeypatch.setattr(documents, "render_pdf", lambda html: b"%PDF-1.7 stand-in")


@pytest.mark.parametrize("url_name", sorted(CASES))
def test_every_download_is_never_cached_and_private(
    url_name, alice, alice_client, closed, settings, pdfs_rendered_quickly
):
    for case in CASES[url_name]:
        arguments = {"settings": settings} if "settings" in inspect.signature(case).parameters else {}
        answers = list(case(alice_client, closed, alice, **arguments))
        assert answers, case.__name__
        for status, response in answers:
            assert response.status_code == status, (case.__name__, status)
            cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
            assert {"no-store", "no-cache", "private", "max-age=0"} <= cache_control, (case.__name__, status)
