"""Making, finding and revoking API keys.

A key belongs to an organisation and is made by one of its scan managers; it works only as long as that
person is still a scan manager there (or a platform administrator), so that a key never outlives the
rights of whoever made it. Making and revoking are audited; so is every change made with a key.
"""

from __future__ import annotations

import datetime
import hmac
import re
import secrets
import string
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from roer.accounts.models import User
from roer.api.models import ApiKey, ApiKeyScope
from roer.audit.models import AuditAction, AuditEvent
from roer.audit.services import audit_record
from roer.lib.errors import DomainError
from roer.lib.tokens import TOKEN_BYTES, hash_token
from roer.organisations.models import Membership, Organisation, Role

KEY_START = "roer"
PREFIX_LENGTH = 8
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits
# roer_<8 lower-case letters or digits>_<43 characters of URL-safe base64>
_KEY_SHAPE = re.compile(rf"^{KEY_START}_([a-z0-9]{{{PREFIX_LENGTH}}})_([A-Za-z0-9_-]{{43}})$")
MAX_ACTIVE_KEYS = 20
# last_used_at is written at most this often per key, so that reading is not a write per request
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class ApiKeyError(DomainError):
    default_message = gettext_lazy("This API key cannot be made.")


@dataclass(frozen=True)
class NewKey:
    key: ApiKey
    token: str  # the full key, shown once and never stored


def _new_prefix() -> str:
    return "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))


def keys_of(organisation: Organisation) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(organisation=organisation).select_related("created_by")


@transaction.atomic
def key_create(*, organisation: Organisation, user: User, name: str, scope: str) -> NewKey:
    name = " ".join(name.split())
    if not name:
        raise ApiKeyError(_("Give the key a name, for example the system that will use it."))
    if scope not in ApiKeyScope.values:
        raise ApiKeyError(_("Choose read or read and write."))
    active = ApiKey.objects.filter(organisation=organisation, revoked_at__isnull=True)
    if active.count() >= MAX_ACTIVE_KEYS:
        raise ApiKeyError(
            _("An organisation has at most %(count)s keys in use; revoke one you no longer need.")
            % {"count": MAX_ACTIVE_KEYS}
        )
    prefix = _new_prefix()
    while ApiKey.objects.filter(prefix=prefix).exists():  # pragma: no cover - 36**8 prefixes
        prefix = _new_prefix()
    secret = secrets.token_urlsafe(TOKEN_BYTES)
    key = ApiKey.objects.create(
        organisation=organisation,
        name=name[:100],
        prefix=prefix,
        secret_hash=hash_token(secret),
        scope=scope,
        created_by=user,
    )
    audit_record(
        user=user,
        organisation=organisation,
        action=AuditAction.API_KEY_CREATED,
        subject=f"{key.name} ({key.prefix}, {key.scope})",
    )
    return NewKey(key, f"{KEY_START}_{prefix}_{secret}")


@transaction.atomic
def key_revoke(*, key: ApiKey, user: User) -> ApiKey:
    """Revoke at once: the next request with the key gets 401. Revoking twice changes nothing."""
    locked = ApiKey.objects.select_for_update().get(pk=key.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit_record(
            user=user,
            organisation=locked.organisation,
            action=AuditAction.API_KEY_REVOKED,
            subject=f"{locked.name} ({locked.prefix})",
        )
    return locked


def _creator_may_manage() -> Exists:
    return Exists(
        Membership.objects.filter(
            organisation=OuterRef("organisation"), user=OuterRef("created_by"), role=Role.BEHEERDER
        )
    )


def key_for_token(token: str) -> ApiKey | None:
    """The active key this token is, in one query; None for a malformed, unknown or revoked key, and for
    a key whose maker is no longer a scan manager of its organisation. The secret is compared in
    constant time."""
    match = _KEY_SHAPE.match(token.strip())
    if match is None:
        return None
    prefix, secret = match.groups()
    key = (
        ApiKey.objects.select_related("organisation", "created_by")
        .annotate(creator_manages=_creator_may_manage())
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if key is None or not hmac.compare_digest(key.secret_hash, hash_token(secret)):
        return None
    creator = key.created_by
    if creator is None or not creator.is_active:
        return None
    if not (key.creator_manages or creator.is_superuser):
        return None
    return key


def key_used(key: ApiKey) -> None:
    """Note when the key was last used (to the minute: most requests write nothing)."""
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now


def audit_write(key: ApiKey, subject: str) -> AuditEvent:
    """A change made with the key, in the audit log under its maker and the key's name."""
    assert key.created_by is not None  # noqa: S101 - key_for_token lets no key without its maker through
    return audit_record(
        user=key.created_by,
        organisation=key.organisation,
        action=AuditAction.API_WRITE,
        subject=f"{key.name} ({key.prefix}): {subject}",
    )


def audit_read(key: ApiKey, action: AuditAction, subject: str) -> AuditEvent:
    """A read the product audits (the figures file), made with the key."""
    assert key.created_by is not None  # noqa: S101 - as above
    return audit_record(
        user=key.created_by,
        organisation=key.organisation,
        action=action,
        subject=f"{key.name} ({key.prefix}): {subject}",
    )
