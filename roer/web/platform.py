"""The platform administration in the product (issue 15): organisations, user accounts, the audit log,
retention and instrument versions, for platform administrators only. Everyone else gets 404, so that the
pages do not reveal that they exist; /admin/ stays as a superuser's fallback.

The writes are roer.lifecycle.platform's services; a block or unblock is a POST after a confirmation page."""

from __future__ import annotations

import difflib
import functools
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from roer.accounts.http import AuthenticatedHttpRequest
from roer.accounts.models import User
from roer.audit.forms import AuditFilterForm
from roer.audit.models import AuditAction, AuditEvent
from roer.instruments.loader import InstrumentFileError, instrument_warnings
from roer.instruments.models import InstrumentVersion
from roer.instruments.schema import InstrumentDefinition, Perspective
from roer.instruments.selectors import previous_version
from roer.lib.addresses import site_url
from roer.lib.errors import DomainError
from roer.lifecycle import platform as services
from roer.lifecycle.retention import scans_due
from roer.organisations.access import platform_admin_required
from roer.organisations.models import Membership, Organisation, Role
from roer.organisations.platform_forms import (
    ManagerInviteForm,
    PlatformNewOrganisationForm,
    PlatformOrganisationForm,
    SearchForm,
)
from roer.reports.writers import CSV_DIALECTS, PLAIN, CsvDialect, csv_row
from roer.responses.questionnaire import pages_for
from roer.scans.models import Scan, ScanState
from roer.web.instrument_forms import InstrumentPublishForm, InstrumentUploadForm

PER_PAGE = 50


def _page(request: AuthenticatedHttpRequest, items: QuerySet[Any]) -> Page[Any]:
    return Paginator(items, PER_PAGE).get_page(request.GET.get("page"))


def _query(**values: str) -> str:
    """The list's own query string for the pagination links, ending in & (or empty)."""
    kept = {name: value for name, value in values.items() if value}
    return urlencode(kept) + "&" if kept else ""


@platform_admin_required
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {
        "organisations": Organisation.objects.count(),
        "users": User.objects.filter(is_active=True).count(),
        "blocked": User.objects.filter(is_active=False).count(),
        "versions": InstrumentVersion.objects.count(),
        "due": len(scans_due()),
    }
    return render(request, "platform/overview.html", context)


@platform_admin_required
def organisations(request: AuthenticatedHttpRequest) -> HttpResponse:
    search = SearchForm(request.GET)
    term = search.term()
    found = Organisation.objects.annotate(scan_count=Count("scans", distinct=True)).order_by("name")
    if term:
        found = found.filter(name__icontains=term)
    context = {"search": search, "page": _page(request, found), "query": _query(q=term)}
    return render(request, "platform/organisations.html", context)


def _organisation_form_page(
    request: AuthenticatedHttpRequest,
    form: PlatformOrganisationForm,
    organisation: Organisation | None,
    manager_form: ManagerInviteForm | None = None,
) -> HttpResponse:
    status = 400 if form.errors or (manager_form and manager_form.errors) else 200
    managers = (
        Membership.objects.filter(organisation=organisation, role=Role.BEHEERDER)
        .select_related("user")
        .order_by("user__email")
        if organisation is not None
        else Membership.objects.none()
    )
    context = {"form": form, "organisation": organisation, "manager_form": manager_form, "managers": managers}
    return render(request, "platform/organisation_form.html", context, status=status)


def _save(form: PlatformOrganisationForm, save: Callable[..., Organisation]) -> Organisation | None:
    try:
        return save(
            name=form.cleaned_data["name"].strip(),
            kind=form.cleaned_data["kind"],
            inhabitants=form.cleaned_data["inhabitants"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None


@platform_admin_required
def organisation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PlatformNewOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        create = functools.partial(
            services.organisation_create,
            user=request.user,
            first_manager=form.cleaned_data["first_manager"],
            base_url=site_url(request),
        )
        created = _save(form, create)
        if created is not None:
            messages.success(request, _("%(name)s has been created.") % {"name": created.name})
            manager = Membership.objects.filter(organisation=created).select_related("user").first()
            if manager is not None:
                messages.success(
                    request,
                    _("%(email)s is its scan manager and gets an e-mail to choose a password.")
                    % {"email": manager.user.email},
                )
            return redirect("platform:organisations")
    return _organisation_form_page(request, form, None)


def _manager_invited(
    request: AuthenticatedHttpRequest, organisation: Organisation, form: ManagerInviteForm
) -> HttpResponse | None:
    if not form.is_valid():
        return None
    try:
        membership = services.manager_invite(
            organisation=organisation, email=form.cleaned_data["email"], user=request.user, base_url=site_url(request)
        )
    except DomainError as error:
        form.add_error("email", str(error))
        return None
    messages.success(
        request,
        _("%(email)s is a scan manager of %(name)s now.") % {"email": membership.user.email, "name": organisation.name},
    )
    return redirect("platform:organisation_edit", organisation_code=organisation.code)


@platform_admin_required
def organisation_edit(request: AuthenticatedHttpRequest, organisation_code: Any) -> HttpResponse:
    organisation = Organisation.objects.filter(code=organisation_code).first()
    if organisation is None:
        raise Http404
    inviting = request.method == "POST" and request.POST.get("action") == "invite_manager"
    manager_form = ManagerInviteForm(request.POST if inviting else None)
    if inviting and (invited := _manager_invited(request, organisation, manager_form)) is not None:
        return invited
    form = PlatformOrganisationForm.for_organisation(organisation, None if inviting else request.POST or None)
    if request.method == "POST" and not inviting and form.is_valid():
        change = functools.partial(services.organisation_change, user=request.user, organisation=organisation)
        changed = _save(form, change)
        if changed is not None:
            messages.success(request, _("%(name)s has been saved.") % {"name": changed.name})
            return redirect("platform:organisations")
        organisation.refresh_from_db()
    return _organisation_form_page(request, form, organisation, manager_form)


@platform_admin_required
def users(request: AuthenticatedHttpRequest) -> HttpResponse:
    search = SearchForm(request.GET)
    term = search.term()
    memberships = Membership.objects.select_related("organisation").order_by("organisation__name")
    found = User.objects.prefetch_related(Prefetch("memberships", queryset=memberships)).order_by("email")
    if term:
        found = found.filter(Q(email__icontains=term) | Q(full_name__icontains=term))
    context = {"search": search, "page": _page(request, found), "query": _query(q=term)}
    return render(request, "platform/users.html", context)


def _user(user_id: int) -> User:
    found = User.objects.filter(pk=user_id).first()
    if found is None:
        raise Http404
    return found


def _block_page(request: AuthenticatedHttpRequest, user_id: int, *, block: bool) -> HttpResponse:
    target = _user(user_id)
    if request.method == "POST":
        try:
            if block:
                services.user_block(by=request.user, user=target)
                messages.success(request, _("%(email)s is blocked and logged out.") % {"email": target.email})
            else:
                services.user_unblock(by=request.user, user=target)
                messages.success(request, _("%(email)s can log in again.") % {"email": target.email})
        except DomainError as error:
            messages.error(request, error.message)
        return redirect(f"{reverse('platform:users')}?{urlencode({'q': target.email})}")
    return render(request, "platform/user_block.html", {"target": target, "blocking": block})


@platform_admin_required
def user_block(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    return _block_page(request, user_id, block=True)


@platform_admin_required
def user_unblock(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    return _block_page(request, user_id, block=False)


def _audit_events(form: AuditFilterForm) -> QuerySet[AuditEvent]:
    return form.filtered(AuditEvent.objects.select_related("organisation").order_by("-at", "-pk"))


@platform_admin_required
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    events = _audit_events(form)
    query = _query(**{name: request.GET.get(name, "") for name in form.fields})
    context = {"form": form, "page": _page(request, events), "query": query, "csv_query": query.rstrip("&")}
    return render(request, "platform/audit_log.html", context, status=400 if form.errors else 200)


def _audit_lines(events: QuerySet[AuditEvent], dialect: CsvDialect) -> Iterator[str]:
    if dialect.bom:
        yield "\ufeff"  # a byte-order mark, so Excel reads the file as UTF-8
    yield csv_row([_("When"), _("E-mail address"), _("Organisation"), _("Action"), _("What")], dialect)
    labels = dict(AuditAction.choices)
    for event in events.iterator(chunk_size=2000):
        yield csv_row(
            [
                timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
                event.user_email,
                event.organisation.name if event.organisation else "",
                str(labels.get(event.action, event.action)),
                event.subject,
            ],
            dialect,
        )


@platform_admin_required
def audit_log_csv(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered log as CSV (roer.reports.writers: no cell runs as a formula), plain or, with
    ?dialect=excel-nl, for Excel with Dutch settings; bad filters get the log's page with their errors."""
    dialect = CSV_DIALECTS.get(request.GET.get("dialect", PLAIN.name))
    if dialect is None:
        raise Http404
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "page": _page(request, AuditEvent.objects.none()), "query": "", "csv_query": ""}
        return render(request, "platform/audit_log.html", context, status=400)
    lines = _audit_lines(_audit_events(form), dialect)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    filename = "audit-log.csv" if dialect is PLAIN else f"audit-log-{dialect.name}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@platform_admin_required
def retention(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every closed or cancelled scan with the day its personal data goes (roer.lifecycle.retention's rule,
    from the scan's own `personal_data_due_on`), or went; the anonymous answers and results stay. The
    scans whose data is still there first, the longest closed first."""
    ended = Scan.objects.closed() | Scan.objects.filter(state=ScanState.CANCELLED)
    listed = ended.select_related("organisation").order_by(
        F("personal_data_removed_at").asc(nulls_first=True), "closed_at", "pk"
    )
    due = {scan.pk for scan in scans_due()}
    page = _page(request, listed)
    rows = [(scan, scan.pk in due) for scan in page]
    return render(request, "platform/retention.html", {"page": page, "rows": rows, "query": ""})


@platform_admin_required
def instrument_versions(request: AuthenticatedHttpRequest) -> HttpResponse:
    versions = (
        InstrumentVersion.objects.select_related("instrument")
        .defer("definition", "source_text")
        .annotate(scan_count=Count("scans"))
        .order_by("instrument__code", "-number")
    )
    return render(request, "platform/instrument_versions.html", {"versions": versions})


# Instrument versions: upload a draft, read its preview, warnings and differences, publish it.

_DIFF_LINES = 3000  # a longer difference is cut off, with a notice: the file itself is on the page


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "remove", "hunk" (a file name or a line range) or "same"
    text: str


def _difference(previous: InstrumentVersion | None, version: InstrumentVersion) -> list[DiffLine]:
    if previous is None:
        return []
    lines = difflib.unified_diff(
        previous.source_text.splitlines(),
        version.source_text.splitlines(),
        fromfile=f"{previous.source_name} ({_('version')} {previous.number})",
        tofile=f"{version.source_name} ({_('version')} {version.number})",
        lineterm="",
        n=2,
    )

    def kind(line: str) -> str:
        if line.startswith(("+++ ", "--- ")):
            return "hunk"  # the two files' names
        return {"+": "add", "-": "remove", "@": "hunk"}.get(line[:1], "same")

    return [DiffLine(kind(line), line) for line in itertools.islice(lines, _DIFF_LINES)]


@dataclass(frozen=True)
class PreviewPage:
    title: str
    questions: list[str]
    open_questions: list[str]


def _names_of(definition: InstrumentDefinition, perspective: Perspective, language: str) -> str:
    """The groups of one perspective, as the file names them: who sees this version of the questionnaire."""
    return ", ".join(
        group.name.get(language) for group in definition.respondent_groups() if group.perspective == perspective
    )


def _preview(definition: InstrumentDefinition, perspective: Perspective, language: str) -> list[PreviewPage]:
    """The questionnaire's pages for one perspective, as texts in the page's language."""
    pages = []
    for page in pages_for(definition, perspective):
        questions = [question.text.get(language) for question in page.scaled]
        questions += [
            f"{development.name.get(language)}: {development.knowledge.text.get(language)} / "
            f"{development.impact.text.get(language)}"
            for development in page.developments
        ]
        pages.append(
            PreviewPage(page.title_in(language), questions, [question.text.get(language) for question in page.open])
        )
    return pages


def _version(version_id: int) -> InstrumentVersion:
    found = InstrumentVersion.objects.select_related("instrument").filter(pk=version_id).first()
    if found is None:
        raise Http404
    return found


@platform_admin_required
def instrument_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = InstrumentUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            version = services.instrument_upload(
                user=request.user, content=upload.read(), source_name=Path(upload.name).name[:255]
            )
        except InstrumentFileError as error:
            problems = error.lines()
        else:
            return redirect("platform:instrument", version_id=version.pk)
    return render(
        request, "platform/instrument_upload.html", {"form": form, "problems": problems, "invalid": bool(problems)}
    )


@platform_admin_required
def instrument_version(request: AuthenticatedHttpRequest, version_id: int) -> HttpResponse:
    version = _version(version_id)
    language = get_language() or "nl"
    definition = version.parsed
    chosen = list(version.organisations.order_by("name"))
    audience = InstrumentPublishForm.EVERY if version.for_every_organisation else InstrumentPublishForm.CHOSEN
    if request.method == "POST" and request.POST.get("action") == "discard":
        return _discarded(request, version)
    form = InstrumentPublishForm(request.POST or None, initial={"audience": audience, "organisations": chosen})
    if request.method == "POST" and form.is_valid():
        services.instrument_publish(user=request.user, version=version, organisations=form.chosen())
        messages.success(request, _("Version %(number)s is published.") % {"number": version.number})
        return redirect("platform:instrument", version_id=version.pk)
    previous = previous_version(version)
    context = {
        "version": version,
        "form": form,
        "invalid": bool(form.errors),
        "chosen": chosen,
        "warnings": InstrumentFileError(
            version.source_name, instrument_warnings(definition, version.source_text)
        ).lines(),
        "groups": [(group, group.name.get(language)) for group in definition.respondent_groups()],
        "previews": [
            (_names_of(definition, "self", language), _preview(definition, "self", language)),
            (_names_of(definition, "others", language), _preview(definition, "others", language)),
        ],
        "language": language,
        "previous": previous,
        "difference": _difference(previous, version),
        "cut_off": _DIFF_LINES,
        "scan_count": version.scans.count(),
    }
    return render(request, "platform/instrument_version.html", context)


def _discarded(request: AuthenticatedHttpRequest, version: InstrumentVersion) -> HttpResponse:
    try:
        services.instrument_discard(user=request.user, version=version)
    except InstrumentFileError:
        messages.error(request, _("A published version, or one a scan uses, is kept."))
        return redirect("platform:instrument", version_id=version.pk)
    messages.success(request, _("The draft has been discarded."))
    return redirect("platform:instruments")
