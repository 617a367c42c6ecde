"""The platform administrators' own work in the product: organisations created and changed, user accounts
blocked and unblocked. Every change is audited as a platform event (no organisation, except for the
organisation a change is about).

A blocked account cannot log in, and its sessions are deleted at once, so that whoever is logged in with it
is logged out on their next request. The platform always keeps an active platform administrator, and no
one blocks themselves: blocking locks the rows of every active platform administrator and counts them
inside that lock, so that two administrators blocking each other at the same moment cannot both succeed.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from roer.accounts.models import User
from roer.audit.models import AuditAction
from roer.audit.services import audit_record
from roer.instruments.loader import read_instrument_bytes
from roer.instruments.models import InstrumentVersion
from roer.instruments.services import instrument_draft_discard, instrument_version_load, instrument_version_publish
from roer.lib.errors import DomainError
from roer.lifecycle.members import member_invite
from roer.lifecycle.organisations import organisation_update
from roer.organisations.models import Membership, Organisation, OrganisationKind, Role

logger = logging.getLogger("roer.platform")

# What a platform administrator sets of an organisation here (its look and benchmark choice are its own).
ORGANISATION_FIELDS = ("name", "kind", "inhabitants")


class OwnAccountError(DomainError):
    default_message = gettext_lazy("You cannot block your own account.")


class LastPlatformAdminError(DomainError):
    default_message = gettext_lazy(
        "The platform needs at least one active platform administrator. Make someone else one first."
    )


@transaction.atomic
def organisation_create(
    *, user: User, name: str, kind: str, inhabitants: int | None, first_manager: str = "", base_url: str = ""
) -> Organisation:
    """The organisation, and (with an address) its first scan manager invited: from then on the
    organisation runs itself, its scan managers inviting everyone else."""
    organisation = Organisation(name=name, kind=kind, inhabitants=inhabitants)
    organisation.full_clean()
    organisation.save()
    audit_record(user=user, organisation=organisation, action=AuditAction.ORGANISATION_CREATED, subject=name)
    if first_manager:
        manager_invite(organisation=organisation, email=first_manager, user=user, base_url=base_url)
    return organisation


def manager_invite(*, organisation: Organisation, email: str, user: User, base_url: str) -> Membership:
    """A scan manager for an organisation, invited by a platform administrator: its first, or a new one
    when none is left (its members' page is its own scan managers' from then on)."""
    return member_invite(
        organisation=organisation, email=email, role=Role.BEHEERDER, invited_by=user, base_url=base_url
    )


def _shown(field: str, value: object) -> str:
    """A value as the audit log shows it: a kind by its name, nothing as a dash."""
    if value is None or value == "":
        return "–"
    if field == "kind":
        return str(OrganisationKind(str(value)).label)
    return str(value)


def organisation_change(
    *, user: User, organisation: Organisation, name: str, kind: str, inhabitants: int | None
) -> Organisation:
    """Change what the platform sets of an organisation; nothing changes (and nothing is audited) when the
    values are the same. `organisation_update` renders its scans' pages and reports anew."""
    before = {field: getattr(organisation, field) for field in ORGANISATION_FIELDS}
    after = {"name": name, "kind": kind, "inhabitants": inhabitants}
    changed = [field for field in ORGANISATION_FIELDS if before[field] != after[field]]
    if not changed:
        return organisation
    with transaction.atomic():
        for field in changed:
            setattr(organisation, field, after[field])
        organisation_update(organisation=organisation, fields=changed)
        subject = ", ".join(
            _("%(field)s: %(before)s → %(after)s")
            % {
                "field": getattr(Organisation._meta.get_field(field), "verbose_name", field),
                "before": _shown(field, before[field]),
                "after": _shown(field, after[field]),
            }
            for field in changed
        )
        audit_record(user=user, organisation=organisation, action=AuditAction.ORGANISATION_CHANGED, subject=subject)
    return organisation


def _sessions_end(user: User) -> int:
    """Delete every unexpired session of the user (sessions live at most SESSION_COOKIE_AGE, so few)."""
    mine = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    deleted, _kinds = Session.objects.filter(session_key__in=mine).delete()
    return deleted


@transaction.atomic
def user_block(*, by: User, user: User) -> User:
    if user.pk == by.pk:
        raise OwnAccountError
    admins = list(User.objects.select_for_update().filter(is_superuser=True, is_active=True).order_by("pk"))
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not locked.is_active:
        return locked
    if locked.is_superuser and not any(admin.pk != locked.pk for admin in admins):
        raise LastPlatformAdminError
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    sessions = _sessions_end(locked)
    audit_record(user=by, organisation=None, action=AuditAction.USER_DEACTIVATED, subject=locked.email)
    logger.info("blocked user %s, ended %d sessions", locked.pk, sessions)
    return locked


@transaction.atomic
def user_unblock(*, by: User, user: User) -> User:
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.is_active:
        return locked
    locked.is_active = True
    locked.save(update_fields=["is_active"])
    audit_record(user=by, organisation=None, action=AuditAction.USER_REACTIVATED, subject=locked.email)
    return locked


# Instrument versions uploaded in the product: a draft first, published after its preview and differences
# have been read, for every organisation or for those chosen.


@transaction.atomic
def instrument_upload(*, user: User, content: bytes, source_name: str) -> InstrumentVersion:
    """The file as a new draft version; InstrumentFileError with every problem (file and line) otherwise.
    The same content as a stored version is that version, unchanged."""
    definition, text = read_instrument_bytes(content, source_name=source_name)
    result = instrument_version_load(definition=definition, source_text=text, source_name=source_name, publish=False)
    if result.created:
        subject = f"{definition.code} {_('version')} {definition.version} ({source_name})"
        audit_record(user=user, organisation=None, action=AuditAction.INSTRUMENT_UPLOADED, subject=subject)
    return result.version


@transaction.atomic
def instrument_publish(
    *, user: User, version: InstrumentVersion, organisations: list[Organisation] | None
) -> InstrumentVersion:
    """Publish the version (or change who may use it): None for every organisation."""
    published = instrument_version_publish(
        version=version, organisation_ids=None if organisations is None else [o.pk for o in organisations]
    )
    who = _("every organisation") if organisations is None else ", ".join(o.name for o in organisations)
    subject = f"{published.instrument.code} {_('version')} {published.number}: {who}"[:300]
    audit_record(user=user, organisation=None, action=AuditAction.INSTRUMENT_PUBLISHED, subject=subject)
    return published


@transaction.atomic
def instrument_discard(*, user: User, version: InstrumentVersion) -> None:
    subject = f"{version.instrument.code} {_('version')} {version.number} ({version.source_name})"
    instrument_draft_discard(version=version)
    audit_record(user=user, organisation=None, action=AuditAction.INSTRUMENT_DISCARDED, subject=subject)
