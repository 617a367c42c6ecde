"""An organisation's action plan: the board for every member, planning for its scan managers, and
status and progress for an action's owner. Every view reaches the plan through the access funnel; an
action of another organisation is not found."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roer.accounts.http import AuthenticatedHttpRequest
from roer.instruments.models import InstrumentVersion
from roer.instruments.schema import InstrumentDefinition
from roer.lib.charts.shares import share_bars
from roer.lib.errors import DomainError
from roer.organisations.access import OrganisationAccess, get_organisation_for_user
from roer.plans import selectors, services
from roer.plans.forms import ActionForm, NoteForm, StatusForm
from roer.plans.models import Action, ActionStatus
from roer.results.presentation import label_of
from roer.scans.models import Scan


def _language() -> str:
    return (get_language() or "nl")[:2]


def _rights(request: AuthenticatedHttpRequest, access: OrganisationAccess) -> services.PlanRights:
    return services.PlanRights(request.user, access.role)


def _definition(scan: Scan | None) -> InstrumentDefinition:
    """The instrument the plan speaks of: the latest published scan's, or the newest loaded one."""
    if scan is not None:
        return scan.instrument_version.parsed
    version = InstrumentVersion.objects.order_by("-number").first()
    if version is None:
        raise Http404
    return version.parsed


@login_required
def board(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID) -> HttpResponse:
    access = get_organisation_for_user(request.user, organisation_code)
    organisation = access.organisation
    today = timezone.localdate()
    latest = selectors.latest_published(organisation)
    definition = _definition(latest)
    language = _language()
    planned = selectors.planned_actions(organisation, today)
    actions = [item.action for item in planned]
    balance = selectors.balance_of(actions)
    labels = _labels(definition, language)
    columns = [
        (
            status,
            [
                (item, labels.get(item.action.dimension_code, item.action.dimension_code))
                for item in planned
                if item.action.status == status
            ],
        )
        for status in ActionStatus
    ]
    suggestions = [
        (suggestion, labels[suggestion.dimension_code], suggestion.recommendation.text.get(language))
        for suggestion in (selectors.suggestions_for(latest, actions) if latest else [])
    ]
    context = {
        "organisation": organisation,
        "rights": _rights(request, access),
        "latest": latest,
        "focus": [label_of(definition, code, language) for code in selectors.focus_codes(latest)] if latest else [],
        "suggestions": suggestions,
        "columns": columns,
        "balance": balance,
        "balance_chart": share_bars([(row.label, row.actions) for row in balance]),
        "total": len(actions),
    }
    return render(request, "plans/board.html", context)


def _labels(definition: InstrumentDefinition, language: str) -> dict[str, str]:
    return {dimension.code: label_of(definition, dimension.code, language) for _p, dimension in definition.dimensions()}


def _form_context(access: OrganisationAccess, form: ActionForm, action: Action | None) -> dict[str, object]:
    return {"organisation": access.organisation, "form": form, "action": action}


@login_required
def action_new(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID) -> HttpResponse:
    access = get_organisation_for_user(request.user, organisation_code, manage=True)
    organisation = access.organisation
    latest = selectors.latest_published(organisation)
    definition = _definition(latest)
    initial = _suggested(request, definition, latest)
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        organisation=organisation,
        definition=definition,
        language=_language(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_create(
                organisation=organisation,
                user=request.user,
                instrument_code=definition.code,
                baseline_scan=latest,
                today=timezone.localdate(),
                **{name: data[name] for name in ActionForm.Meta.fields if name in data},
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The action is in the plan."))
            return redirect("plans:board", organisation.code)
    return render(
        request, "plans/action_form.html", _form_context(access, form, None), status=400 if form.errors else 200
    )


def _suggested(
    request: AuthenticatedHttpRequest, definition: InstrumentDefinition, latest: Scan | None
) -> dict[str, object]:
    """A suggestion taken over from the board: ?dimension=<code> fills in its recommendation."""
    code = request.GET.get("dimension", "")
    if latest is None or not code:
        return {}
    for suggestion in selectors.suggestions_for(latest, []):
        if suggestion.dimension_code == code:
            return {
                "dimension_code": code,
                "investment": suggestion.recommendation.investment.value,
                "title": suggestion.recommendation.text.get(_language()),
            }
    return {"dimension_code": code} if any(code == d.code for _p, d in definition.dimensions()) else {}


def _action(access: OrganisationAccess, action_id: int) -> Action:
    action = selectors.action_with_notes(access.organisation, action_id)
    if action is None:
        raise Http404
    return action


@login_required
def action_detail(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID, action_id: int) -> HttpResponse:
    access = get_organisation_for_user(request.user, organisation_code)
    action = _action(access, action_id)
    today = timezone.localdate()
    return _render_detail(request, access, action, NoteForm(today=today), StatusForm(initial={"status": action.status}))


def _render_detail(
    request: AuthenticatedHttpRequest,
    access: OrganisationAccess,
    action: Action,
    note_form: NoteForm,
    status_form: StatusForm,
    status: int = 200,
) -> HttpResponse:
    latest = selectors.latest_published(access.organisation)
    definition = _definition(latest)
    context = {
        "organisation": access.organisation,
        "action": action,
        "rights": _rights(request, access),
        "can_update": _rights(request, access).can_update(action),
        "remeasure": selectors.remeasures([action], access.organisation)[action.pk],
        "dimension": _labels(definition, _language()).get(action.dimension_code, action.dimension_code),
        "note_form": note_form,
        "status_form": status_form,
        "overdue": action.is_overdue(timezone.localdate()),
    }
    return render(request, "plans/action_detail.html", context, status=status)


def _updatable(
    request: AuthenticatedHttpRequest, organisation_code: uuid.UUID, action_id: int
) -> tuple[OrganisationAccess, Action]:
    access = get_organisation_for_user(request.user, organisation_code)
    action = _action(access, action_id)
    if not _rights(request, access).can_update(action):
        raise PermissionDenied
    return access, action


@login_required
@require_POST
def action_status(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID, action_id: int) -> HttpResponse:
    access, action = _updatable(request, organisation_code, action_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, access, action, NoteForm(today=timezone.localdate()), form, status=400)
    try:
        action = services.action_status_set(action=action, user=request.user, status=form.cleaned_data["status"])
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("plans:board", access.organisation.code)
    messages.success(request, _("Status saved: %(status)s.") % {"status": ActionStatus(action.status).label})
    return redirect("plans:action", access.organisation.code, action.pk)


@login_required
@require_POST
def action_note(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID, action_id: int) -> HttpResponse:
    access, action = _updatable(request, organisation_code, action_id)
    today = timezone.localdate()
    form = NoteForm(request.POST, today=today)
    if form.is_valid():
        try:
            services.note_add(action=action, user=request.user, today=today, **form.cleaned_data)
        except DomainError as error:
            form.add_error("written_on", str(error))
        else:
            messages.success(request, _("Progress recorded."))
            return redirect("plans:action", access.organisation.code, action.pk)
    status_form = StatusForm(initial={"status": action.status})
    return _render_detail(request, access, action, form, status_form, status=400)


@login_required
def action_edit(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID, action_id: int) -> HttpResponse:
    access = get_organisation_for_user(request.user, organisation_code, manage=True)
    action = _action(access, action_id)
    definition = _definition(selectors.latest_published(access.organisation))
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        instance=action,
        organisation=access.organisation,
        definition=definition,
        language=_language(),
    )
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in ActionForm.Meta.fields}
        try:  # the form wrote its values on `action` already; the service locks and reads the row anew
            services.action_change(action=action, user=request.user, today=timezone.localdate(), **changes)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The action is saved."))
            return redirect("plans:action", access.organisation.code, action.pk)
    return render(
        request, "plans/action_form.html", _form_context(access, form, action), status=400 if form.errors else 200
    )


@login_required
def action_delete(request: AuthenticatedHttpRequest, organisation_code: uuid.UUID, action_id: int) -> HttpResponse:
    access = get_organisation_for_user(request.user, organisation_code, manage=True)
    action = _action(access, action_id)
    if request.method == "POST":
        try:
            services.action_delete(action=action, user=request.user)
        except DomainError as error:  # removed by someone else a moment before
            messages.error(request, str(error))
        else:
            messages.success(request, _("The action is removed from the plan."))
        return redirect("plans:board", access.organisation.code)
    return render(request, "plans/action_delete.html", {"organisation": access.organisation, "action": action})
