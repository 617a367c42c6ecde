"""A new organisation runs itself from its first scan manager on, invited by a platform administrator
when it is created (or later, when none is left), without /admin/."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from roer.audit.models import AuditAction, AuditEvent
from roer.organisations.models import Membership, Organisation, Role
from tests.members.test_pages import NEW_PASSWORD, _set_password_path
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


def test_the_first_scan_manager_is_invited_with_the_organisation_and_runs_it(petra_client, petra):
    response = petra_client.post(
        "/platform/organisations/new/",
        {"name": "Gemeente Nieuwdorp", "kind": "gemeente", "inhabitants": "23400", "first_manager": "Els@Nieuwdorp.nl"},
        follow=True,
    )
    assert "els@nieuwdorp.nl is its scan manager and gets an e-mail to choose a password." in response.content.decode()
    organisation = Organisation.objects.get(name="Gemeente Nieuwdorp")
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user.email, membership.role, membership.granted_by) == (
        "els@nieuwdorp.nl",
        Role.BEHEERDER,
        petra,
    )
    invited = AuditEvent.objects.get(action=AuditAction.MEMBER_INVITED)
    assert (invited.user, invited.organisation) == (petra, organisation)
    run_tasks()
    assert mail.outbox[0].to == ["els@nieuwdorp.nl"]
    els = Client()
    page = els.get(_set_password_path(), follow=True)
    els.post(page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert els.post("/login/", {"username": "els@nieuwdorp.nl", "password": NEW_PASSWORD}).status_code == 302
    # she manages the organisation's members herself
    assert els.get(f"/organisations/{organisation.code}/members/").status_code == 200


def test_without_an_address_the_organisation_is_created_alone(petra_client):
    petra_client.post("/platform/organisations/new/", {"name": "Waterschap Delta", "kind": "waterschap"})
    assert not Membership.objects.exists()


def test_a_bad_address_keeps_everything_typed_and_creates_nothing(petra_client):
    response = petra_client.post(
        "/platform/organisations/new/",
        {"name": "Gemeente Nieuwdorp", "kind": "gemeente", "inhabitants": "23400", "first_manager": "els@nieuwdorp"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid e-mail address, such as name@example.org." in page
    assert 'value="Gemeente Nieuwdorp"' in page
    assert not Organisation.objects.filter(name="Gemeente Nieuwdorp").exists()


def test_an_organisation_without_scan_managers_gets_one_from_its_page(petra_client, organisation, alice):
    Membership.objects.filter(organisation=organisation).delete()
    url = f"/platform/organisations/{organisation.code}/"
    assert "This organisation has no scan manager" in petra_client.get(url).content.decode()
    response = petra_client.post(url, {"action": "invite_manager", "email": "nieuw@alfa.example"}, follow=True)
    assert "nieuw@alfa.example is a scan manager of Gemeente Alfa now." in response.content.decode()
    assert Membership.objects.get(organisation=organisation).role == Role.BEHEERDER
    again = petra_client.post(url, {"action": "invite_manager", "email": "nieuw@alfa.example"})
    assert again.status_code == 400
    assert "This person already has access to the organisation." in again.content.decode()
    organisation.refresh_from_db()
    assert organisation.name == "Gemeente Alfa"  # the organisation's own form was not submitted with it
