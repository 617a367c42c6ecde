"""mozilla-django-oidc's backend, with every setting taken from the organisation's provider instead of
Django's settings, and a stricter check of the ID token.

mozilla-django-oidc 5 checks the token's signature and nonce but not its issuer or audience, and reads
one provider from the settings. Here each log-in brings its provider (chosen by the e-mail domain at the
start and bound to the `state` in the session), and the token is accepted only when:

- it is signed with RS256 by a key in the provider's published JWKS (no "none", no HS256 with the client
  secret, no key that the token brings along);
- its issuer is the provider's issuer and its audience holds our client id (and, with several
  audiences, `azp` is our client id); it has not expired; its nonce is the one this browser was given.

The claims are the token's own; the userinfo endpoint is only asked for what the token lacks, and only
believed when it names the same `sub`. roer.sso.services.sso_log_in then refuses an unverified address or
one outside the provider's domains. The backend never answers a password log-in: `authenticate` only
takes the arguments of the callback (roer/sso/views.py).
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend  # type: ignore[import-untyped]

from roer.accounts.models import User
from roer.sso.discovery import ProviderConfiguration, ProviderUnreachableError, configuration, signing_keys
from roer.sso.models import IdentityProvider
from roer.sso.secrets import secret_decrypt
from roer.sso.services import SsoRefusedError, sso_log_in

logger = logging.getLogger("roer.sso")

ALGORITHM = "RS256"
# Seconds of difference between our clock and the provider's that a token's times may show.
LEEWAY_SECONDS = 60


class TokenRejectedError(SsoRefusedError):
    default_message = _(
        "The answer of your organisation's log-in service could not be verified. You have not been logged in."
    )


class ProviderBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Not mozilla-django-oidc's __init__: it reads one provider's endpoints from the settings.
        self.UserModel = get_user_model()
        self.OIDC_RP_SIGN_ALGO = ALGORITHM
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.provider: IdentityProvider | None = None
        self.config: ProviderConfiguration | None = None

    def configure(self, provider: IdentityProvider) -> None:
        """Take the endpoints, client id and secret of this provider."""
        self.provider = provider
        self.config = configuration(provider.issuer)
        secret = secret_decrypt(provider.client_secret_encrypted)
        if secret is None:
            logger.warning("The client secret of %s cannot be read: enter it again", provider)
            raise ProviderUnreachableError
        self.OIDC_OP_TOKEN_ENDPOINT = self.config.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = self.config.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = self.config.jwks_uri
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = secret

    def _configured(self) -> tuple[IdentityProvider, ProviderConfiguration]:
        if self.provider is None or self.config is None:
            raise SuspiciousOperation("The backend has no provider.")
        return self.provider, self.config

    def authenticate(
        self,
        request: HttpRequest | None,
        sso_provider: IdentityProvider | None = None,
        nonce: str | None = None,
        code_verifier: str | None = None,
    ) -> User | None:
        """The user of an authorization code returned to the callback; raises SsoRefusedError (with a
        message for the log-in page) or ProviderUnreachableError instead of returning None quietly."""
        if request is None or sso_provider is None:
            return None  # not a single sign-on: a password log-in, for instance
        if not nonce:
            raise TokenRejectedError
        self.configure(sso_provider)
        try:
            user = super().authenticate(request, nonce=nonce, code_verifier=code_verifier)
        except requests.RequestException as error:
            logger.warning("Single sign-on with %s failed at the token endpoint: %s", sso_provider, error)
            raise ProviderUnreachableError from None
        except (SuspiciousOperation, jwt.PyJWTError) as error:
            logger.warning("Single sign-on with %s refused: %s", sso_provider, error)
            raise TokenRejectedError from None
        if user is None:
            raise TokenRejectedError
        return user  # type: ignore[no-any-return]

    def retrieve_matching_jwk(self, token: str) -> jwt.PyJWK:
        """The provider's one RS256 signing key with the token's kid; the keys are fetched again once
        when the cached set lacks it."""
        _provider, config = self._configured()
        kid = jwt.get_unverified_header(token).get("kid")
        for fresh in (False, True):
            matches = [
                jwk
                for jwk in signing_keys(config, fresh=fresh)
                if jwk.get("kty") == "RSA"
                and jwk.get("use", "sig") == "sig"
                and jwk.get("alg", ALGORITHM) == ALGORITHM
                and (kid is None or jwk.get("kid") == kid)
            ]
            if len(matches) == 1:
                try:
                    return jwt.PyJWK(matches[0], algorithm=ALGORITHM)
                except jwt.PyJWTError as error:  # a malformed key in the JWKS (InvalidKeyError)
                    raise SuspiciousOperation(f"The provider's signing key cannot be used: {error}") from None
        raise SuspiciousOperation("No single signing key of the provider matches the token.")

    def verify_token(self, token: Any, **kwargs: Any) -> dict[str, Any]:
        """The claims of a genuine ID token of this provider for this client and this browser."""
        provider, _config = self._configured()
        if not isinstance(token, str) or not token:
            raise SuspiciousOperation("No ID token.")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise SuspiciousOperation("The ID token is not a JWT.") from None
        if header.get("alg") != ALGORITHM:
            raise SuspiciousOperation(f"The ID token is signed with {header.get('alg')!r}, not {ALGORITHM}.")
        key = self.retrieve_matching_jwk(token)
        try:
            payload: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=provider.client_id,
                issuer=provider.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"The ID token does not verify: {error}") from None
        audience = payload["aud"]
        if isinstance(audience, list) and len(audience) > 1 and payload.get("azp") != provider.client_id:
            raise SuspiciousOperation("The ID token is meant for several clients, and azp is not ours.")
        nonce = kwargs.get("nonce")
        if not nonce or payload.get("nonce") != nonce:
            raise SuspiciousOperation("The ID token's nonce is not this browser's.")
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The userinfo endpoint's claims (plain JSON only), for what the ID token itself lacks."""
        if not self.OIDC_OP_USER_ENDPOINT:
            return {}
        response = requests.get(
            self.OIDC_OP_USER_ENDPOINT,
            headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
            timeout=settings.OIDC_TIMEOUT,
            allow_redirects=False,
        )
        response.raise_for_status()
        if not response.headers.get("content-type", "").lower().startswith("application/json"):
            raise SuspiciousOperation("The userinfo endpoint did not answer with JSON.")
        claims = response.json()
        if not isinstance(claims, dict) or claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo endpoint names another subject than the ID token.")
        return claims

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        provider, _config = self._configured()
        claims = dict(payload)
        if "email" not in claims or "email_verified" not in claims:
            claims = {**self.get_userinfo(access_token, id_token, payload), **payload}
        return sso_log_in(provider, claims)

    def get_user(self, user_id: Any) -> User | None:
        # Django's own: an account blocked since it logged in is logged out (mozilla's skips is_active).
        return ModelBackend.get_user(self, user_id)
