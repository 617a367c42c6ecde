from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from roer.accounts.http import AuthenticatedHttpRequest
from roer.instruments.selectors import usable_versions
from roer.lib.addresses import site_url
from roer.lib.errors import DomainError
from roer.lifecycle import copying, editing, mailing
from roer.lifecycle.scan_life import NOT_CLOSED, ScanStateError
from roer.lifecycle.scan_life import scan_cancel as cancel_scan
from roer.lifecycle.scan_life import scan_close as close_scan
from roer.organisations.access import get_organisation_for_user
from roer.results.closing import close_preview
from roer.results.selectors import response_rates
from roer.scans import services
from roer.scans.forms import (
    MailingPlanForm,
    PasteInviteesForm,
    ScanCopyForm,
    ScanCreateForm,
    ScanEditForm,
    UploadInviteesForm,
)
from roer.scans.invitees import ParsedInvitees, decode_upload, parse_csv, parse_pasted
from roer.scans.models import MailingKind, ScanState
from roer.scans.selectors import (
    get_invitation_in_scan,
    get_mailing_in_scan,
    get_scan_for_user,
    group_words,
    invitation_counts,
    mailings_of,
)


@login_required
def scan_create(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID) -> HttpResponse:
    organisation = get_organisation_for_user(request.user, organisation_code, manage=True).organisation
    form = ScanCreateForm(
        request.POST or None, versions=usable_versions(organisation.pk), chosen=request.GET.get("instrument")
    )
    if request.method == "POST" and form.is_valid():
        try:
            scan = services.scan_create(
                organisation=organisation,
                created_by=request.user,
                instrument_version=form.cleaned_data["instrument_version"],
                title=form.cleaned_data["title"],
                opens_on=form.cleaned_data["opens_on"],
                closes_on=form.cleaned_data["closes_on"],
                thresholds=form.thresholds(),
                retention_days=form.cleaned_data["retention_days"],
            )
        except ValidationError as refused:  # checked again by the service, whatever the form let through
            form.add_error(None, refused)
        else:
            messages.success(request, _("The scan has been created. Add the people you want to invite."))
            return redirect("scans:invitees", scan.code)
    return render(request, "scans/scan_form.html", {"form": form, "organisation": organisation})


@login_required
def scan_detail(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    access = get_scan_for_user(request.user, scan_code)
    scan = access.scan
    groups = sorted(scan.groups.all(), key=lambda group: group.sort_key)
    context = {
        "scan": scan,
        "organisation": scan.organisation,
        "can_manage": access.can_manage,
        "rates": response_rates(scan, groups),
        "state": scan.current_state.value,
    }
    if access.can_manage:
        context.update(invitation_counts(scan))
        rounds = mailings_of(scan)
        context["mailings"] = rounds
        context["active_mailing"] = next((round_ for round_ in rounds if round_.is_active), None)
        context["plan_form"] = MailingPlanForm()
        context["copy_form"] = ScanCopyForm(scan=scan)
    return render(request, "scans/scan_detail.html", context)


@login_required
def scan_edit(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    scan = get_scan_for_user(request.user, scan_code, manage=True).scan
    if scan.current_state is ScanState.CANCELLED:
        messages.error(request, _("This scan has been cancelled; it cannot be changed any more."))
        return redirect("scans:detail", scan.code)
    form = ScanEditForm(request.POST or None, scan=scan)
    if request.method == "POST" and form.is_valid():
        try:
            editing.scan_update(
                scan=scan,
                title=form.cleaned_data["title"],
                opens_on=form.cleaned_data["opens_on"],
                closes_on=form.cleaned_data["closes_on"],
                thresholds=form.thresholds(),
                retention_days=form.cleaned_data["retention_days"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except ScanStateError as refused:
            messages.error(request, refused.message)
            return redirect("scans:detail", scan.code)
        else:
            messages.success(request, _("The scan has been saved."))
            return redirect("scans:detail", scan.code)
    return render(request, "scans/scan_edit.html", {"form": form, "scan": scan, "organisation": scan.organisation})


@login_required
def scan_delete(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    """GET asks for confirmation; POST deletes a scan that nobody has answered."""
    scan = get_scan_for_user(request.user, scan_code, manage=True).scan
    if request.method != "POST":
        context = {"scan": scan, "organisation": scan.organisation, "answered": scan.responses.exists()}
        return render(request, "scans/scan_delete.html", context)
    try:
        editing.scan_delete(scan=scan, user=request.user)
    except DomainError as refused:
        messages.error(request, refused.message)
        return redirect("scans:detail", scan.code)
    messages.success(request, _("The scan “%(title)s” has been deleted.") % {"title": scan.title})
    return redirect("organisations:detail", scan.organisation.code)


@login_required
def scan_cancel(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    """GET asks for confirmation; POST cancels a planned or open scan that nobody has started answering."""
    scan = get_scan_for_user(request.user, scan_code, manage=True).scan
    if request.method != "POST":
        context = {
            "scan": scan,
            "organisation": scan.organisation,
            "state": scan.current_state.value,
            "answered": scan.invitations.filter(submitted=True).exists() or scan.responses.exists(),
        }
        return render(request, "scans/scan_cancel.html", context)
    try:
        cancel_scan(scan=scan, user=request.user)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The scan has been cancelled. Its links now say so."))
    return redirect("scans:detail", scan.code)


@login_required
def scan_copy(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    """A new planned scan with this one's groups and thresholds (and, if chosen, its invitees)."""
    scan = get_scan_for_user(request.user, scan_code, manage=True).scan
    form = ScanCopyForm(request.POST or None, scan=scan)
    if request.method == "POST" and form.is_valid():
        try:
            copy = copying.scan_copy(
                scan=scan,
                user=request.user,
                title=form.cleaned_data["title"],
                opens_on=form.cleaned_data["opens_on"],
                closes_on=form.cleaned_data["closes_on"],
                with_invitees=form.cleaned_data["with_invitees"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The copy has been made. Check its invitees before you send anything."))
            return redirect("scans:detail", copy.code)
    return render(request, "scans/scan_copy.html", {"form": form, "scan": scan, "organisation": scan.organisation})


def _report_added(request: AuthenticatedHttpRequest, added: services.InviteesAdded, parsed: ParsedInvitees) -> None:
    parts = [ngettext("%(count)d person added.", "%(count)d people added.", added.added) % {"count": added.added}]
    if parsed.duplicates:
        parts.append(
            ngettext("%(count)d duplicate merged.", "%(count)d duplicates merged.", parsed.duplicates)
            % {"count": parsed.duplicates}
        )
    if added.already_invited:
        parts.append(
            ngettext("%(count)d was already invited.", "%(count)d were already invited.", added.already_invited)
            % {"count": added.already_invited}
        )
    level = messages.SUCCESS if added.added else messages.INFO
    messages.add_message(request, level, " ".join(parts))


def _closed_for_invitees(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    messages.error(request, _("This scan is closed; no one can be added any more."))
    return redirect("scans:detail", scan_code)


@login_required
def scan_invitees(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    scan = get_scan_for_user(request.user, scan_code, manage=True).scan
    source = request.POST.get("source")
    paste_form = PasteInviteesForm(request.POST if source == "paste" else None, scan=scan, prefix="paste")
    upload_form = UploadInviteesForm(
        request.POST if source == "upload" else None,
        request.FILES if source == "upload" else None,
        scan=scan,
        prefix="upload",
    )
    problems = []
    if request.method == "POST" and scan.current_state not in NOT_CLOSED:
        return _closed_for_invitees(request, scan.code)
    form = paste_form if source == "paste" else upload_form if source == "upload" else None
    if request.method == "POST" and form is not None and form.is_valid():
        words = group_words(scan)
        parsed: ParsedInvitees | None
        if form is paste_form:
            parsed = parse_pasted(form.cleaned_data["addresses"], groups=words)
        else:
            text = decode_upload(form.cleaned_data["file"])
            if text is None:
                form.add_error("file", _("This is not a CSV text file. Save the spreadsheet as CSV and try again."))
                parsed = None
            else:
                parsed = parse_csv(text, groups=words)
        if parsed is not None:
            try:
                added = editing.invitees_add(
                    scan=scan,
                    invitees=parsed.invitees,
                    default_group=form.cleaned_data["group"],
                    default_language=form.cleaned_data["language"],
                )
            except ScanStateError:
                return _closed_for_invitees(request, scan.code)
            problems = sorted(parsed.problems + added.problems, key=lambda problem: problem.line)
            _report_added(request, added, parsed)
            if not problems:
                return redirect("scans:detail", scan.code)
            if form is paste_form:
                # Keep only the lines that need fixing, so the valid ones are not added twice.
                bad_lines = sorted({problem.line for problem in problems})
                lines = form.cleaned_data["addresses"].splitlines()
                kept = "\n".join(lines[number - 1] for number in bad_lines if number <= len(lines))
                paste_form = PasteInviteesForm(
                    initial={
                        "addresses": kept,
                        "group": form.cleaned_data["group"],
                        "language": form.cleaned_data["language"],
                    },
                    scan=scan,
                    prefix="paste",
                )
    page = Paginator(scan.invitations.select_related("group").order_by("email"), 100).get_page(request.GET.get("page"))
    named = scan.instrument_version.parsed.respondent_groups()
    context = {
        "scan": scan,
        "organisation": scan.organisation,
        "invitations": page,
        "paste_form": paste_form,
        "upload_form": upload_form,
        "problems": problems,
        "source": source,
        # The example file names groups of this scan's own instrument: its first and its last.
        "example_groups": (named[0].code, named[-1].code),
    }
    return render(request, "scans/invitees.html", context)


@login_required
def invitation_remove(request: AuthenticatedHttpRequest, scan_code: uuid.UUID, invitation_id: int) -> HttpResponse:
    """GET asks for confirmation, naming the address and its group; POST removes the invitation."""
    scan = get_scan_for_user(request.user, scan_code, manage=True).scan
    invitation = get_invitation_in_scan(scan, invitation_id)
    if request.method != "POST":
        context = {"scan": scan, "organisation": scan.organisation, "invitation": invitation}
        return render(request, "scans/invitation_remove.html", context)
    try:
        editing.invitation_remove(invitation=invitation)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("%(email)s has been removed.") % {"email": invitation.email})
    return redirect("scans:detail", scan.code)


@login_required
@require_POST
def scan_send(request: AuthenticatedHttpRequest, scan_code: uuid.UUID, kind: str) -> HttpResponse:
    """Queue a round of invitations or reminders; a worker sends it and the scan page shows how far it is."""
    scan = get_scan_for_user(request.user, scan_code, manage=True).scan
    round_kind = MailingKind.REMINDERS if kind == "reminders" else MailingKind.INVITATIONS
    try:
        queued = mailing.mailing_request(
            scan=scan, kind=round_kind, requested_by=request.user, base_url=site_url(request)
        )
    except ScanStateError:
        messages.error(request, _("E-mails can only be sent while the scan is open."))
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        if round_kind == MailingKind.REMINDERS:
            text = ngettext(
                "%(count)d reminder is being sent.", "%(count)d reminders are being sent.", queued.total
            ) % {"count": queued.total}
        else:
            text = ngettext(
                "%(count)d invitation is being sent.", "%(count)d invitations are being sent.", queued.total
            ) % {"count": queued.total}
        messages.success(request, text)
    return redirect("scans:detail", scan.code)


@login_required
@require_POST
def mailing_plan(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    scan = get_scan_for_user(request.user, scan_code, manage=True).scan
    form = MailingPlanForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return redirect("scans:detail", scan.code)
    try:
        mailing.mailing_plan(
            scan=scan,
            kind=form.cleaned_data["kind"],
            send_on=form.cleaned_data["send_on"],
            requested_by=request.user,
            base_url=site_url(request),
        )
    except ScanStateError:
        messages.error(request, _("This scan is closed; nothing can be planned any more."))
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Planned. It is sent on the chosen day to everyone it applies to then."))
    return redirect("scans:detail", scan.code)


@login_required
@require_POST
def mailing_cancel(request: AuthenticatedHttpRequest, scan_code: uuid.UUID, mailing_id: int) -> HttpResponse:
    scan = get_scan_for_user(request.user, scan_code, manage=True).scan
    planned = get_mailing_in_scan(scan, mailing_id)
    try:
        mailing.mailing_cancel(mailing=planned)
    except ScanStateError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The planned e-mails have been cancelled."))
    return redirect("scans:detail", scan.code)


@login_required
def scan_close(request: AuthenticatedHttpRequest, scan_code: uuid.UUID) -> HttpResponse:
    """GET asks for confirmation; POST closes. Closing cannot be undone."""
    scan = get_scan_for_user(request.user, scan_code, manage=True).scan
    if request.method != "POST":
        state = scan.current_state
        context = {"scan": scan, "organisation": scan.organisation, "state": state.value}
        if state in NOT_CLOSED:
            context["counts"] = invitation_counts(scan)
            context["preview"] = close_preview(scan)
        return render(request, "scans/scan_close.html", context)
    try:
        close_scan(scan=scan)
    except ScanStateError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The scan has been closed."))
    return redirect("scans:detail", scan.code)
