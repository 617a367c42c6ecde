"""The platform administration in the product (issue 15): organisations, user accounts, the audit log,
retention and instrument versions, for platform administrators only. Everyone else gets 404, so that the
pages do not reveal that they exist; /admin/ stays as a superuser's fallback.

The writes are roer.lifecycle.platform's services; a block or unblock is a POST after a confirmation page."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from roer.accounts.http import AuthenticatedHttpRequest
from roer.accounts.models import User
from roer.audit.forms import AuditFilterForm
from roer.audit.models import AuditAction, AuditEvent
from roer.instruments.models import InstrumentVersion
from roer.lib.errors import DomainError
from roer.lifecycle import platform as services
from roer.lifecycle.retention import scans_due
from roer.organisations.access import is_platform_admin
from roer.organisations.models import Membership, Organisation
from roer.organisations.platform_forms import PlatformOrganisationForm, SearchForm
from roer.reports.writers import CSV_DIALECTS, PLAIN, CsvDialect, csv_row
from roer.scans.models import Scan, ScanState

PER_PAGE = 50

View = Callable[..., HttpResponseBase]


def platform_admin_required(view: View) -> View:
    """Logged in (else the log-in page), and a platform administrator (else 404)."""

    @functools.wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_platform_admin(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return never_cache(login_required(wrapped))


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
    request: AuthenticatedHttpRequest, form: PlatformOrganisationForm, organisation: Organisation | None
) -> HttpResponse:
    status = 400 if form.errors else 200
    return render(
        request, "platform/organisation_form.html", {"form": form, "organisation": organisation}, status=status
    )


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
    form = PlatformOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = _save(form, functools.partial(services.organisation_create, user=request.user))
        if created is not None:
            messages.success(request, _("%(name)s has been created.") % {"name": created.name})
            return redirect("platform:organisations")
    return _organisation_form_page(request, form, None)


@platform_admin_required
def organisation_edit(request: AuthenticatedHttpRequest, organisation_code: Any) -> HttpResponse:
    organisation = Organisation.objects.filter(code=organisation_code).first()
    if organisation is None:
        raise Http404
    form = PlatformOrganisationForm.for_organisation(organisation, request.POST or None)
    if request.method == "POST" and form.is_valid():
        change = functools.partial(services.organisation_change, user=request.user, organisation=organisation)
        changed = _save(form, change)
        if changed is not None:
            messages.success(request, _("%(name)s has been saved.") % {"name": changed.name})
            return redirect("platform:organisations")
        organisation.refresh_from_db()
    return _organisation_form_page(request, form, organisation)


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
