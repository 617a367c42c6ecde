"""The ID token check of roer/sso/backend.py, attacked with tokens made here: signed with another key, with
no signature, with the client secret (HS256), for another issuer or client, expired, replayed with
another nonce. The keys come from the real test provider's JWKS; the genuine key is read from its database
so that every refusal below differs from an accepted token in one thing only."""

from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory

from roer.sso.backend import ProviderBackend, TokenRejectedError
from tests.oidc_provider import run as provider_run

pytestmark = [pytest.mark.real_clock, pytest.mark.django_db(transaction=True)]

NONCE = "the-nonce-this-browser-was-given"


@pytest.fixture
def backend(alfa_provider) -> ProviderBackend:  # type: ignore[no-untyped-def]
    backend = ProviderBackend()
    backend.configure(alfa_provider)
    return backend


@pytest.fixture
def sign(openid_provider):  # type: ignore[no-untyped-def]
    key, kid = openid_provider.signing_key()

    def make(*, key: object = key, kid: str | None = kid, algorithm: str = "RS256", **changes: object) -> str:
        now = int(time.time())
        claims = {
            "iss": openid_provider.issuer,
            "aud": provider_run.CLIENT_ID,
            "sub": "42",
            "iat": now,
            "exp": now + 600,
            "nonce": NONCE,
            "email": "eva@alfa.example",
            "email_verified": True,
            **changes,
        }
        claims = {name: value for name, value in claims.items() if value is not None}
        headers = {"kid": kid} if kid else {}
        return jwt.encode(claims, key, algorithm=algorithm, headers=headers)  # type: ignore[arg-type]

    return make


def other_key() -> bytes:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def test_a_genuine_token_is_accepted(backend, sign):
    assert backend.verify_token(sign(), nonce=NONCE)["email"] == "eva@alfa.example"


def refused(backend, token: str, nonce: str | None = NONCE) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SuspiciousOperation):
        backend.verify_token(token, nonce=nonce)


def test_a_token_signed_with_another_key_under_the_providers_kid_is_refused(backend, sign):
    refused(backend, sign(key=other_key()))


def test_a_token_naming_a_key_the_provider_does_not_publish_is_refused(backend, sign):
    refused(backend, sign(key=other_key(), kid="attacker-key"))


def test_an_unsigned_token_is_refused(backend, sign):
    refused(backend, sign(key=None, algorithm="none"))


def test_a_token_signed_with_the_client_secret_is_refused(backend, sign):
    refused(backend, sign(key=provider_run.CLIENT_SECRET, algorithm="HS256"))


def test_a_token_with_the_key_in_its_header_is_refused(backend, sign):
    """A token carrying its own key (jwk in the header) is checked against the provider's keys only."""
    attacker = other_key()
    public = serialization.load_pem_private_key(attacker, password=None).public_key()
    from jwt.algorithms import RSAAlgorithm

    jwk = RSAAlgorithm.to_jwk(public, as_dict=True)  # type: ignore[arg-type]
    token = jwt.encode({"iss": "x"}, attacker, algorithm="RS256", headers={"jwk": jwk, "kid": "attacker"})
    refused(backend, token)


@pytest.mark.parametrize(
    "changes",
    [
        {"iss": "http://127.0.0.1:1/openid"},
        {"aud": "another-client"},
        {"aud": [provider_run.CLIENT_ID, "another-client"]},  # several audiences and no azp
        {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},
        {"nonce": "another-browsers-nonce"},
        {"nonce": None},
        {"sub": None},
        {"iss": None},
    ],
    ids=["issuer", "audience", "audiences-without-azp", "expired", "nonce", "no-nonce", "no-sub", "no-issuer"],
)
def test_a_token_for_someone_or_something_else_is_refused(backend, sign, changes):
    refused(backend, sign(**changes))


def test_no_nonce_of_our_own_refuses_every_token(backend, sign):
    refused(backend, sign(nonce=None), nonce=None)


def test_a_forged_token_from_the_token_endpoint_refuses_the_log_in(backend, sign, monkeypatch, alfa_provider):
    forged = sign(key=other_key())
    monkeypatch.setattr(ProviderBackend, "get_token", lambda self, payload: {"id_token": forged, "access_token": "x"})
    request = RequestFactory().get("/login/sso/callback/", {"code": "c", "state": "s"})
    with pytest.raises(TokenRejectedError):
        ProviderBackend().authenticate(request, sso_provider=alfa_provider, nonce=NONCE, code_verifier="v" * 64)


def test_a_forged_token_in_the_real_flow_ends_on_the_log_in_page(sso_flow, sign, monkeypatch, alfa_provider):
    forged = sign(key=other_key())
    monkeypatch.setattr(ProviderBackend, "get_token", lambda self, payload: {"id_token": forged, "access_token": "x"})
    flow = sso_flow("eva")
    assert flow.response.headers["Location"] == "/login/"
    assert "could not be verified" in flow.landing().text


def test_a_malformed_key_in_the_providers_jwks_refuses_the_token(backend, sign, monkeypatch, openid_provider):
    _key, kid = openid_provider.signing_key()
    broken = [{"kty": "RSA", "kid": kid, "n": "AQAB"}]  # no "e": PyJWK raises InvalidKeyError
    monkeypatch.setattr("roer.sso.backend.signing_keys", lambda config, fresh=False: broken)
    refused(backend, sign())


def test_a_malformed_key_in_the_real_flow_ends_on_the_log_in_page(
    sso_flow, monkeypatch, alfa_provider, openid_provider
):
    _key, kid = openid_provider.signing_key()
    broken = [{"kty": "RSA", "kid": kid, "n": "AQAB"}]
    monkeypatch.setattr("roer.sso.backend.signing_keys", lambda config, fresh=False: broken)
    flow = sso_flow("eva")
    assert flow.response.headers["Location"] == "/login/"
    assert "could not be verified" in flow.landing().text


@pytest.mark.parametrize(
    "answer", [[], ["id_token"], "a string", None, 42], ids=["list", "list2", "str", "null", "int"]
)
def test_a_token_endpoint_answering_something_else_than_an_object_ends_on_the_log_in_page(
    sso_flow, monkeypatch, alfa_provider, answer
):
    # mozilla-django-oidc's get_token returns the token endpoint's JSON as it is; a list breaks it inside.
    monkeypatch.setattr(ProviderBackend, "get_token", lambda self, payload: answer)
    flow = sso_flow("eva")
    assert flow.response.status_code == 302
    assert flow.response.headers["Location"] == "/login/"
    assert "could not be reached or gave an answer Roer cannot use" in flow.landing().text
    assert flow.session.get(flow.callback.split("/login/")[0] + "/account/", allow_redirects=False).status_code == 302
