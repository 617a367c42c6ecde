"""The client secrets of identity providers, encrypted at rest.

The key is derived from SECRET_KEY (and SECRET_KEY_FALLBACKS, so that a rotated key still reads the
secrets saved before it): a copy of the database alone does not give away the secrets. A secret that no
key reads any more (SECRET_KEY replaced without a fallback) must be entered again on the provider's page.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

_SALT = "roer.sso.secrets"


def _fernet(secret_key: str) -> Fernet:
    digest = salted_hmac(_SALT, "client-secret", secret=secret_key, algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _keys() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(key) for key in keys])


def secret_encrypt(secret: str) -> str:
    return _keys().encrypt(secret.encode()).decode()


def secret_decrypt(encrypted: str) -> str | None:
    """The secret, or None when no key of this installation reads it."""
    try:
        return _keys().decrypt(encrypted.encode()).decode()
    except (InvalidToken, ValueError):
        return None
