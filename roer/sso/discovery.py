"""What Roer reads from an identity provider: its configuration and its signing keys.

Both are fetched by the server (never by the browser), without following redirects, and cached for an
hour; the keys are fetched again at once when a token names a key that is not in the cached set (the
provider rotated its keys). Every address must be https, except a provider on this machine (127.0.0.1,
localhost), which is how the tests run one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from roer.lib.errors import DomainError

CACHE_SECONDS = 60 * 60
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class ProviderUnreachableError(DomainError):
    default_message = _(
        "Your organisation's log-in service could not be reached or gave an answer Roer cannot use. "
        "Please try again later, or log in with your password."
    )


def acceptable_url(url: str) -> bool:
    """https, or http to this machine; no user name or password in it, no fragment."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.username or parts.password or parts.fragment or not parts.hostname:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK)


@dataclass(frozen=True)
class ProviderConfiguration:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None


def _get_json(url: str) -> Any:
    if not acceptable_url(url):
        raise ProviderUnreachableError
    try:
        response = requests.get(
            url, timeout=settings.OIDC_TIMEOUT, allow_redirects=False, headers={"Accept": "application/json"}
        )
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError):
        raise ProviderUnreachableError from None


def _key(kind: str, url: str) -> str:
    return f"roer-sso-{kind}:{hashlib.sha256(url.encode()).hexdigest()}"


def _parse_configuration(issuer: str, document: Any) -> ProviderConfiguration:
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        # The specification: the document's issuer is exactly the one asked for.
        raise ProviderUnreachableError
    endpoints = {}
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        value = document.get(name)
        if not isinstance(value, str) or not acceptable_url(value):
            raise ProviderUnreachableError
        endpoints[name] = value
    userinfo = document.get("userinfo_endpoint")
    if not (isinstance(userinfo, str) and acceptable_url(userinfo)):
        userinfo = None
    return ProviderConfiguration(issuer=issuer, userinfo_endpoint=userinfo, **endpoints)


def configuration(issuer: str, *, fresh: bool = False) -> ProviderConfiguration:
    """The provider's endpoints from {issuer}/.well-known/openid-configuration."""
    key = _key("configuration", issuer)
    document = None if fresh else cache.get(key)
    if document is None:
        document = _get_json(issuer.rstrip("/") + "/.well-known/openid-configuration")
        parsed = _parse_configuration(issuer, document)
        cache.set(key, document, CACHE_SECONDS)
        return parsed
    return _parse_configuration(issuer, document)


def signing_keys(config: ProviderConfiguration, *, fresh: bool = False) -> list[dict[str, Any]]:
    """The provider's published keys (JWKS)."""
    key = _key("jwks", config.jwks_uri)
    keys = None if fresh else cache.get(key)
    if keys is None:
        document = _get_json(config.jwks_uri)
        keys = document.get("keys") if isinstance(document, dict) else None
        if not isinstance(keys, list) or not all(isinstance(jwk, dict) for jwk in keys):
            raise ProviderUnreachableError
        cache.set(key, keys, CACHE_SECONDS)
    return keys
