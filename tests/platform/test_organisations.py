"""Organisations created and changed by a platform administrator, audited."""

from __future__ import annotations

import pytest

from roer.audit.models import AuditAction, AuditEvent
from roer.organisations.models import Organisation, OrganisationKind
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_an_administrator_creates_an_organisation_and_it_is_audited(petra_client, petra):
    response = petra_client.post(
        "/platform/organisations/new/", {"name": "Waterschap Delta", "kind": OrganisationKind.WATERSCHAP}
    )
    assert response.status_code == 302
    created = Organisation.objects.get(name="Waterschap Delta")
    assert created.kind == OrganisationKind.WATERSCHAP
    assert created.inhabitants is None
    event = AuditEvent.objects.get(action=AuditAction.ORGANISATION_CREATED)
    assert (event.user, event.organisation, event.subject) == (petra, created, "Waterschap Delta")


def test_a_municipality_needs_its_inhabitants(petra_client):
    response = petra_client.post("/platform/organisations/new/", {"name": "Gemeente Nul", "kind": "gemeente"})
    assert response.status_code == 400
    assert b"A municipality needs its number of inhabitants." in response.content
    assert not Organisation.objects.filter(name="Gemeente Nul").exists()
    assert not AuditEvent.objects.exists()


def test_a_taken_name_is_a_form_error(petra_client, organisation):
    response = petra_client.post(
        "/platform/organisations/new/", {"name": organisation.name, "kind": "gemeente", "inhabitants": "10"}
    )
    assert response.status_code == 400
    assert Organisation.objects.filter(name=organisation.name).count() == 1


@pytest.mark.parametrize("inhabitants", ["veel", "0", "-3", "99999999999"])
def test_bad_numbers_are_form_errors(petra_client, inhabitants):
    response = petra_client.post(
        "/platform/organisations/new/", {"name": "Gemeente X", "kind": "gemeente", "inhabitants": inhabitants}
    )
    assert response.status_code == 400
    assert not Organisation.objects.filter(name="Gemeente X").exists()


def test_an_administrator_renames_an_organisation_and_its_scans_are_rendered_anew(petra_client, organisation, scan):
    revision = scan.revision
    response = petra_client.post(
        f"/platform/organisations/{organisation.code}/",
        {"name": "Gemeente Alfa-Beta", "kind": "gemeente", "inhabitants": str(organisation.inhabitants)},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    scan.refresh_from_db()
    assert organisation.name == "Gemeente Alfa-Beta"
    assert scan.revision == revision + 1
    event = AuditEvent.objects.get(action=AuditAction.ORGANISATION_CHANGED)
    assert event.organisation == organisation
    assert "Gemeente Alfa → Gemeente Alfa-Beta" in event.subject


def test_saving_without_a_change_audits_nothing(petra_client, organisation):
    petra_client.post(
        f"/platform/organisations/{organisation.code}/",
        {"name": organisation.name, "kind": organisation.kind, "inhabitants": str(organisation.inhabitants)},
    )
    assert not AuditEvent.objects.exists()


def test_renaming_to_a_taken_name_changes_nothing(petra_client, organisation, other_organisation):
    response = petra_client.post(
        f"/platform/organisations/{organisation.code}/",
        {"name": other_organisation.name, "kind": "gemeente", "inhabitants": "100"},
    )
    assert response.status_code == 400
    organisation.refresh_from_db()
    assert organisation.name == "Gemeente Alfa"
    assert not AuditEvent.objects.exists()


def test_the_list_searches_and_pages(petra_client):
    for number in range(55):
        OrganisationFactory(name=f"Provincie {number:02d}", kind="provincie", inhabitants=None)
    OrganisationFactory(name="Gemeente Zeta")
    first = petra_client.get("/platform/organisations/?q=provincie")
    assert first.context["page"].paginator.count == 55
    assert len(first.context["page"].object_list) == 50
    assert b"Gemeente Zeta" not in first.content
    assert b"?q=provincie&amp;page=2" in first.content
    second = petra_client.get("/platform/organisations/?q=provincie&page=2")
    assert len(second.context["page"].object_list) == 5
    assert petra_client.get("/platform/organisations/?page=abc").status_code == 200


def test_a_change_of_kind_is_audited_by_its_names(petra_client):
    waterschap = OrganisationFactory(name="Waterschap Oost", kind=OrganisationKind.WATERSCHAP, inhabitants=None)
    petra_client.post(
        f"/platform/organisations/{waterschap.code}/",
        {"name": "Waterschap Oost", "kind": "provincie", "inhabitants": ""},
    )
    event = AuditEvent.objects.get(action=AuditAction.ORGANISATION_CHANGED)
    assert event.subject == "kind: Water authority → Province"  # in the administrator's language
