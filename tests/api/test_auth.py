"""Who gets in: a key of the organisation, in the Authorization header, and nothing else."""

from __future__ import annotations

import uuid

import pytest

from roer.api.keys import key_revoke
from roer.api.models import ApiKey
from roer.organisations.models import Membership, Role
from roer.scans.models import Invitation
from tests.api.conftest import ApiClient
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _unauthorised(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    return response.json()["detail"]


def test_no_key_is_401_in_dutch_and_in_english_when_asked(read_key):
    assert "Authorization: Bearer roer_" in _unauthorised(ApiClient(None).get("/organisation"))  # nl keeps it
    english = ApiClient(None, language="en").get("/organisation")
    assert _unauthorised(english).startswith("Send an API key")
    assert english["Content-Language"] == "en"
    assert ApiClient(None).get("/organisation")["Content-Language"] == "nl"


@pytest.mark.parametrize(
    "header",
    [
        "Token {token}",
        "Bearer",
        "Bearer ",
        "Basic {token}",
        "Bearer roer_abc",
        "Bearer {token}x",
        "Bearer {token_without_last}",
        "Bearer roer_{prefix}_" + "A" * 43,  # the right prefix, a wrong secret
        "Bearer \x00\x01",
        "Bearer " + "roer_" * 1000,
    ],
)
def test_a_malformed_or_wrong_key_is_401(read_key, header):
    client = ApiClient(None)
    client.headers["Authorization"] = header.format(
        token=read_key.token, token_without_last=read_key.token[:-1], prefix=read_key.key.prefix
    )
    _unauthorised(client.get("/organisation"))
    assert ApiClient(read_key.token).get("/organisation").status_code == 200  # the key itself still works


def test_a_revoked_key_is_401_at_once(read_key, alice):
    reader = ApiClient(read_key.token)
    assert reader.get("/organisation").status_code == 200
    key_revoke(key=read_key.key, user=alice)
    assert "revoked" in _unauthorised(ApiClient(read_key.token, "en").get("/organisation"))


def test_a_key_dies_with_its_makers_right_to_manage(read_key, alice, organisation):
    membership = Membership.objects.get(user=alice, organisation=organisation)
    membership.role = Role.LEZER
    membership.save()
    _unauthorised(ApiClient(read_key.token).get("/organisation"))
    membership.role = Role.BEHEERDER
    membership.save()
    assert ApiClient(read_key.token).get("/organisation").status_code == 200
    alice.is_active = False
    alice.save()
    _unauthorised(ApiClient(read_key.token).get("/organisation"))


def test_a_logged_in_browser_gets_nothing_without_a_key(alice_client, read_key):
    response = alice_client.get("/api/v1/organisation")
    assert response.status_code == 401


def test_only_the_hash_of_the_secret_is_stored(read_key):
    import hashlib

    prefix, secret = read_key.token.removeprefix("roer_").split("_", 1)
    stored = ApiKey.objects.get(pk=read_key.key.pk)
    assert stored.prefix == prefix
    assert len(prefix) == 8
    assert stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiKey.objects.filter(pk=stored.pk).values().get())
    assert len(secret) == 43  # 32 random bytes


def test_another_organisations_scan_is_not_found_as_if_it_did_not_exist(reader, writer, other_scan):
    theirs = reader.get(f"/scans/{other_scan.code}")
    nothing = reader.get(f"/scans/{uuid.uuid4()}")
    assert theirs.status_code == nothing.status_code == 404
    assert theirs.json() == nothing.json()
    for path in ("groups", "response-rates", "figures"):
        assert reader.get(f"/scans/{other_scan.code}/{path}").status_code == 404
    added = writer.post(
        f"/scans/{other_scan.code}/invitations", {"invitations": [{"email": "x@bravo.example", "group": "medewerkers"}]}
    )
    assert added.status_code == 404
    assert not Invitation.objects.filter(scan=other_scan).exists()
    assert other_scan.code not in {item["code"] for item in reader.get("/scans").json()["items"]}


def test_another_organisations_action_is_not_found(writer, other_organisation):
    from roer.plans.models import Action

    theirs = Action.objects.create(
        organisation=other_organisation,
        instrument_code="digitaal_leiderschap",
        dimension_code="kennis",
        investment="kennis",
        title="Van Bravo",
        due_on="2026-06-01",
    )
    response = writer.patch(f"/plan/actions/{theirs.pk}", {"title": "Overgenomen"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Van Bravo"


def test_a_read_key_may_not_write(reader, scan):
    response = reader.post(
        f"/scans/{scan.code}/invitations", {"invitations": [{"email": "new@alfa.example", "group": "medewerkers"}]}
    )
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not Invitation.objects.filter(scan=scan, email="new@alfa.example").exists()
    plan = reader.post(
        "/plan/actions",
        {"title": "X", "dimension_code": "kennis", "investment": "kennis", "due_on": "2026-06-01"},
    )
    assert plan.status_code == 403


def test_the_schema_is_public_and_names_the_bearer_scheme(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["version"] == "1"
    assert schema["components"]["securitySchemes"]["ApiKeyAuth"] == {"type": "http", "scheme": "bearer"}
    assert client.get("/api/v1/docs").status_code == 404  # no Swagger page from a CDN


def test_an_unknown_address_is_json_404(reader):
    response = reader.get("/nothing/here")
    assert response.status_code == 404
    assert "openapi.json" in response.json()["detail"]


def test_session_cookie_of_another_user_does_not_widen_a_key(other_key, alice, scan):
    client = client_for(alice)  # logged in as Alfa's scan manager, with Bravo's key
    response = client.get(f"/api/v1/scans/{scan.code}", headers={"Authorization": f"Bearer {other_key.token}"})
    assert response.status_code == 404
