"""The organisation's action plan: every key reads it, a write key adds and changes actions through the
plan's own services (which check the owner and the due date, and audit each change)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from roer.accounts.models import User
from roer.api import schemas
from roer.api.auth import key_of
from roer.api.errors import ApiProblem, forbidden_write, not_found
from roer.api.keys import audit_write
from roer.api.models import ApiKey
from roer.api.scans import READ, WRITE, Page
from roer.instruments.models import InstrumentVersion
from roer.instruments.schema import InstrumentDefinition
from roer.organisations.models import Membership, Organisation
from roer.plans import selectors, services
from roer.plans.models import Action
from roer.scans.models import Scan

router = Router(tags=["plan"])

_NOT_NULL = ("title", "description", "dimension_code", "investment", "due_on", "status")


def _action_out(action: Action) -> dict[str, Any]:
    return {
        "id": action.pk,
        "title": action.title,
        "description": action.description,
        "instrument_code": action.instrument_code,
        "dimension_code": action.dimension_code,
        "investment": action.investment,
        "status": action.status,
        "due_on": action.due_on,
        "owner_email": action.owner.email if action.owner else None,
        "budget_euros": action.budget_euros,
        "baseline_scan": action.baseline_scan.code if action.baseline_scan else None,
        "created_at": action.created_at,
        "updated_at": action.updated_at,
    }


def _field(location: str, message: str) -> ApiProblem:
    return ApiProblem(
        422,
        _("The request is not valid; see errors for each field."),
        errors=[{"location": location, "message": message}],
    )


def _writer(request: HttpRequest) -> tuple[ApiKey, User]:
    key = key_of(request)
    if not key.can_write:
        raise forbidden_write()
    assert key.created_by is not None  # noqa: S101 - key_for_token lets no key without its maker through
    return key, key.created_by


def _definition(latest: Scan | None) -> InstrumentDefinition:
    """The instrument the plan speaks of, as on the plan's pages: the latest published scan's, or else
    the newest loaded one."""
    if latest is not None:
        return latest.instrument_version.parsed
    version = InstrumentVersion.objects.order_by("-number").first()
    if version is None:
        raise ApiProblem(409, _("No instrument has been loaded yet."))
    return version.parsed


def _dimension_checked(definition: InstrumentDefinition, code: str) -> str:
    if code not in {dimension.code for _pillar, dimension in definition.dimensions()}:
        choices = ", ".join(dimension.code for _pillar, dimension in definition.dimensions())
        raise _field(
            "body.dimension_code", _("Choose one of the instrument's dimensions: %(codes)s.") % {"codes": choices}
        )
    return code


def _owner(organisation: Organisation, email: str | None) -> User | None:
    """A member of the organisation by e-mail address; the same refusal whether or not the address is
    anyone's in Roer."""
    if not email:
        return None
    membership = (
        Membership.objects.filter(organisation=organisation, user__email__iexact=email.strip())
        .select_related("user")
        .first()
    )
    if membership is None:
        raise _field(
            "body.owner_email", _("No member of %(name)s has this e-mail address.") % {"name": organisation.name}
        )
    return membership.user


def _action_of(organisation: Organisation, action_id: int) -> Action:
    action = selectors.actions_of(organisation).filter(pk=action_id).first()
    if action is None:
        raise not_found(_("This organisation's plan has no action with this number."))
    return action


@router.get("/plan/actions", response={200: schemas.ActionList, **READ})
def plan_actions(request: HttpRequest, page: Query[Page]) -> dict[str, Any]:
    """The organisation's actions, by due date."""
    actions = selectors.actions_of(key_of(request).organisation).order_by("due_on", "pk")
    items = actions[page.offset : page.offset + page.limit]
    return {"count": actions.count(), "items": [_action_out(action) for action in items]}


@router.post("/plan/actions", response={201: schemas.ActionOut, **WRITE})
def plan_action_create(request: HttpRequest, body: schemas.ActionIn) -> Status[dict[str, Any]]:
    """Add an action, planned after the organisation's latest scan with published figures."""
    key, user = _writer(request)
    organisation = key.organisation
    latest = selectors.latest_published(organisation)
    definition = _definition(latest)
    owner = _owner(organisation, body.owner_email)
    try:
        with transaction.atomic():
            action = services.action_create(
                organisation=organisation,
                user=user,
                instrument_code=definition.code,
                baseline_scan=latest,
                today=timezone.localdate(),
                dimension_code=_dimension_checked(definition, body.dimension_code),
                investment=body.investment,
                title=body.title.strip(),
                description=body.description.strip(),
                due_on=body.due_on,
                owner=owner,
                budget_euros=body.budget_euros,
            )
            audit_write(key, f"action added: {action.title}")
    except services.PlanError as refused:
        raise ApiProblem(422, refused.message) from refused
    return Status(201, _action_out(_action_of(organisation, action.pk)))


@router.patch("/plan/actions/{action_id}", response={200: schemas.ActionOut, **WRITE})
def plan_action_change(request: HttpRequest, action_id: int, body: schemas.ActionPatch) -> dict[str, Any]:
    """Change an action's planned fields or status; fields left out stay as they are."""
    key, user = _writer(request)
    organisation = key.organisation
    action = _action_of(organisation, action_id)
    sent = body.model_dump(exclude_unset=True)
    for name in _NOT_NULL:
        if name in sent and sent[name] is None:
            raise _field(f"body.{name}", _("This field may not be null."))
    changes: dict[str, object] = {name: value for name, value in sent.items() if name != "owner_email"}
    if "owner_email" in sent:
        changes["owner"] = _owner(organisation, sent["owner_email"])
    if "dimension_code" in changes:
        _dimension_checked(_definition(selectors.latest_published(organisation)), str(changes["dimension_code"]))
    for name in ("title", "description"):
        if name in changes:
            changes[name] = str(changes[name]).strip()
    if changes.get("title") == "":
        raise _field("body.title", _("This field may not be empty."))
    if not changes:
        return _action_out(action)
    try:
        with transaction.atomic():
            changed = services.action_change(action=action, user=user, today=timezone.localdate(), **changes)
            audit_write(key, f"action changed: {changed.title}")
    except services.PlanError as refused:
        raise ApiProblem(422, refused.message) from refused
    return _action_out(_action_of(organisation, action.pk))
