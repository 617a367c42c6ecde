"""The members page through the HTTP client: Alice manages organisation Alfa, Bob reads it, Charlie manages
Bravo and must reach nothing of Alfa's; a consultant of Alfa runs scans but does not manage members."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from roer.accounts.models import User
from roer.audit.models import AuditAction, AuditEvent
from roer.organisations.models import Membership, Role
from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-new-pass-phrase-42"


def _in_english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.content.decode())


def _members(organisation) -> str:  # type: ignore[no-untyped-def]
    return f"/organisations/{organisation.code}/members/"


def _set_password_path() -> str:
    match = re.search(r"https?://[^/\s]+(/account/set-password/[^/\s]+/[^/\s]+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


@pytest.fixture
def consultant(organisation):  # type: ignore[no-untyped-def]
    return MembershipFactory(
        user=UserFactory(email="dana@bureau.example"), organisation=organisation, role=Role.ADVISEUR
    ).user


def test_a_new_member_follows_the_link_chooses_a_password_logs_in_and_sees_the_organisation(
    alice_client, organisation, client
):
    response = alice_client.post(
        f"{_members(organisation)}invite/", {"invite-email": " Eva@Alfa.example ", "invite-role": Role.LEZER}
    )
    assert response.status_code == 302
    assert mail.outbox == []  # sent by the worker, after the request
    run_tasks()
    assert mail.outbox[0].to == ["eva@alfa.example"]
    assert "Gemeente Alfa" in mail.outbox[0].subject
    link = _set_password_path()

    page = client.get(link, follow=True)
    assert page.status_code == 200
    assert page.context["validlink"] is True
    assert "eva@alfa.example" in _text(page)
    saved = client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert saved.redirect_chain[-1][0] == "/account/set-password/done/"
    assert 'href="/login/"' in saved.content.decode()

    logged_in = client.post("/login/", {"username": "eva@alfa.example", "password": NEW_PASSWORD})
    assert logged_in.status_code == 302
    dashboard = _text(client.get("/"))
    assert "Gemeente Alfa" in dashboard
    assert "Lezer" in dashboard  # the role, in Dutch


def test_the_link_works_once(alice_client, organisation, client):
    alice_client.post(f"{_members(organisation)}invite/", {"invite-email": "eva@alfa.example", "invite-role": "lezer"})
    run_tasks()
    link = _set_password_path()
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = Client()
    second = _in_english(again).get(link, follow=True)
    assert second.context["validlink"] is False
    assert "This link has been used already or has expired" in _text(second)
    taken = again.post(link, {"new_password1": "something-else-99x", "new_password2": "something-else-99x"})
    assert taken.context["validlink"] is False
    assert User.objects.get(email="eva@alfa.example").check_password(NEW_PASSWORD)


def test_a_tampered_link_is_refused(alice_client, organisation, client):
    alice_client.post(f"{_members(organisation)}invite/", {"invite-email": "eva@alfa.example", "invite-role": "lezer"})
    run_tasks()
    link = _set_password_path()
    wrong = link[:-3] + ("aa/" if not link.endswith("aa/") else "bb/")
    assert client.get(wrong, follow=True).context["validlink"] is False


def test_an_existing_user_is_told_to_log_in_as_always(alice_client, organisation, charlie):
    alice_client.post(f"{_members(organisation)}invite/", {"invite-email": charlie.email, "invite-role": "beheerder"})
    run_tasks()
    assert "/login/" in mail.outbox[0].body
    assert "set-password" not in mail.outbox[0].body
    assert Membership.objects.get(user=charlie, organisation=organisation).role == Role.BEHEERDER


def test_every_member_sees_the_list_with_role_granted_by_and_since(bob_client, organisation, alice, bob, consultant):
    Membership.objects.filter(user=consultant).update(granted_by=alice)
    page = _text(_in_english(bob_client).get(_members(organisation)))
    assert "alice@alfa.example" in page
    assert "bob@alfa.example" in page
    assert "dana@bureau.example" in page
    assert "Scan manager" in page
    assert "Reader" in page
    assert "16 Mar 2026" in page
    assert str(alice) in page  # who granted the consultant access
    assert "Invite" not in page
    assert "/remove/" not in page
    assert "/revoke/" not in page


def test_the_manager_sees_the_forms(alice_client, organisation, bob):
    page = _text(alice_client.get(_members(organisation)))
    assert 'action="/organisations/' in page
    assert f"/members/{Membership.objects.get(user=bob).pk}/remove/" in page


def test_the_organisation_page_links_to_the_members_page(alice_client, bob_client, organisation):
    assert _members(organisation) in alice_client.get(f"/organisations/{organisation.code}/").content.decode()
    assert _members(organisation) in bob_client.get(f"/organisations/{organisation.code}/").content.decode()


def _attempts(organisation, target):  # type: ignore[no-untyped-def]
    base = _members(organisation)
    consultants = f"/organisations/{organisation.code}/consultants/"
    return [
        (f"{base}invite/", {"invite-email": "x@example.org", "invite-role": "beheerder"}),
        (f"{base}{target.pk}/role/", {"role": "beheerder"}),
        (f"{base}{target.pk}/remove/", {}),
        (f"{consultants}grant/", {"consultant-email": "x@example.org"}),
    ]


@pytest.mark.parametrize(("who", "status"), [("reader", 403), ("consultant", 403), ("outsider", 404)])
def test_only_the_organisations_scan_managers_change_anything(
    who, status, organisation, alice, bob, charlie, consultant
):
    user = {"reader": bob, "consultant": consultant, "outsider": charlie}[who]
    target = Membership.objects.get(user=bob if who != "reader" else alice)
    client = client_for(user)
    for url, data in _attempts(organisation, target):
        assert client.post(url, data).status_code == status, url
    assert client.get(f"{_members(organisation)}{target.pk}/remove/").status_code == status
    revoke = f"/organisations/{organisation.code}/consultants/{Membership.objects.get(user=consultant).pk}/revoke/"
    assert client.get(revoke).status_code == status
    assert client.post(revoke).status_code == status
    assert not User.objects.filter(email="x@example.org").exists()
    assert Membership.objects.filter(organisation=organisation).count() == 3
    assert Membership.objects.get(user=bob, organisation=organisation).role == Role.LEZER
    assert not AuditEvent.objects.exists()


def test_a_manager_of_another_organisation_cannot_reach_a_membership_of_this_one_through_their_own(
    charlie_client, other_organisation, bob
):
    theirs = Membership.objects.get(user=bob)
    url = f"/organisations/{other_organisation.code}/members/{theirs.pk}/remove/"
    assert charlie_client.get(url).status_code == 404
    assert charlie_client.post(url).status_code == 404
    assert (
        charlie_client.post(
            f"/organisations/{other_organisation.code}/members/{theirs.pk}/role/", {"role": "beheerder"}
        ).status_code
        == 404
    )
    assert Membership.objects.filter(pk=theirs.pk).exists()


def test_a_member_is_not_revoked_through_the_consultants_address_nor_a_consultant_removed_as_member(
    alice_client, organisation, bob, consultant
):
    bobs, danas = Membership.objects.get(user=bob), Membership.objects.get(user=consultant)
    assert alice_client.post(f"/organisations/{organisation.code}/consultants/{bobs.pk}/revoke/").status_code == 404
    assert alice_client.post(f"{_members(organisation)}{danas.pk}/remove/").status_code == 404
    assert alice_client.post(f"{_members(organisation)}{danas.pk}/role/", {"role": "beheerder"}).status_code == 404


def test_removing_asks_first_then_removes_and_audits(alice_client, organisation, bob):
    url = f"{_members(organisation)}{Membership.objects.get(user=bob).pk}/remove/"
    confirm = _text(_in_english(alice_client).get(url))
    assert "Take away the access of bob@alfa.example to Gemeente Alfa?" in confirm
    assert Membership.objects.filter(user=bob).exists()
    response = alice_client.post(url, follow=True)
    assert "bob@alfa.example no longer has access." in _text(response)
    assert not Membership.objects.filter(user=bob).exists()
    assert AuditEvent.objects.get().action == AuditAction.MEMBER_REMOVED
    assert client_for(bob).get(f"/organisations/{organisation.code}/").status_code == 404


def test_a_role_change_through_the_page(alice_client, organisation, bob):
    url = f"{_members(organisation)}{Membership.objects.get(user=bob).pk}/role/"
    response = _in_english(alice_client).post(url, {"role": "beheerder"}, follow=True)
    assert "bob@alfa.example is Scan manager now." in _text(response)
    assert Membership.objects.get(user=bob).role == Role.BEHEERDER
    assert AuditEvent.objects.get().action == AuditAction.MEMBER_ROLE_CHANGED


def test_an_unknown_role_is_refused_with_a_message(alice_client, organisation, bob):
    url = f"{_members(organisation)}{Membership.objects.get(user=bob).pk}/role/"
    response = _in_english(alice_client).post(url, {"role": "adviseur"}, follow=True)
    assert "Choose scan manager or reader." in _text(response)
    assert Membership.objects.get(user=bob).role == Role.LEZER


def test_the_last_scan_manager_is_told_why_they_cannot_leave_or_step_down(alice_client, organisation, alice, bob):
    own = Membership.objects.get(user=alice, organisation=organisation)
    client = _in_english(alice_client)
    removed = _text(client.post(f"{_members(organisation)}{own.pk}/remove/", follow=True))
    assert "The organisation needs at least one scan manager. Make another member scan manager first." in removed
    demoted = _text(client.post(f"{_members(organisation)}{own.pk}/role/", {"role": "lezer"}, follow=True))
    assert "The organisation needs at least one scan manager." in demoted
    own.refresh_from_db()
    assert own.role == Role.BEHEERDER
    assert not AuditEvent.objects.exists()


def test_the_last_manager_message_is_translated_through_gettext(alice_client, organisation, alice):
    """Dutch is the default: the message goes through gettext in the request's language (the lead adds
    the Dutch text; the catalogue's fallback is the English source)."""
    from django.utils import translation

    from roer.lifecycle.members import LastManagerError

    with translation.override("nl"):
        dutch = str(LastManagerError().message)
    own = Membership.objects.get(user=alice, organisation=organisation)
    page = _text(alice_client.post(f"{_members(organisation)}{own.pk}/remove/", follow=True))
    assert dutch in page
    assert '<html lang="nl"' in page


def test_a_manager_may_leave_when_another_remains_and_lands_on_their_dashboard(alice_client, organisation, alice, bob):
    Membership.objects.filter(user=bob).update(role=Role.BEHEERDER)
    own = Membership.objects.get(user=alice, organisation=organisation)
    response = alice_client.post(f"{_members(organisation)}{own.pk}/remove/")
    assert response.url == "/"
    assert not Membership.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize("email", ["", "not-an-address", "a@b@c.example", "x" * 250 + "@example.org"])
def test_a_bad_address_is_a_form_error_in_the_page(alice_client, organisation, email):
    response = _in_english(alice_client).post(
        f"{_members(organisation)}invite/", {"invite-email": email, "invite-role": "lezer"}
    )
    assert response.status_code == 400
    page = _text(response)
    assert "Please check the following" in page
    assert "<title>Error:" in page
    assert User.objects.count() == 1


def test_a_bad_role_is_a_form_error(alice_client, organisation):
    response = _in_english(alice_client).post(
        f"{_members(organisation)}invite/", {"invite-email": "eva@alfa.example", "invite-role": "adviseur"}
    )
    assert response.status_code == 400
    assert "Choose scan manager or reader." in _text(response)


def test_someone_who_has_access_already_is_a_form_error(alice_client, organisation, bob, consultant):
    client = _in_english(alice_client)
    for url, data in [
        (f"{_members(organisation)}invite/", {"invite-email": "BOB@alfa.example", "invite-role": "lezer"}),
        (f"/organisations/{organisation.code}/consultants/grant/", {"consultant-email": "dana@bureau.example"}),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400
        assert "This person already has access to the organisation." in _text(response)
    assert Membership.objects.filter(organisation=organisation).count() == 3


def test_a_consultant_is_granted_and_revoked_through_the_page(alice_client, organisation, client):
    grant = f"/organisations/{organisation.code}/consultants/grant/"
    response = alice_client.post(grant, {"consultant-email": "Adviseur@Bureau.example"})
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="adviseur@bureau.example")
    assert membership.role == Role.ADVISEUR
    run_tasks()
    link = _set_password_path()
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert client.post("/login/", {"username": "adviseur@bureau.example", "password": NEW_PASSWORD}).status_code == 302
    assert client.get(f"/organisations/{organisation.code}/scans/new/").status_code == 200  # runs scans
    assert (
        client.post(
            f"{_members(organisation)}invite/", {"invite-email": "x@y.example", "invite-role": "lezer"}
        ).status_code
        == 403
    )

    revoke = f"/organisations/{organisation.code}/consultants/{membership.pk}/revoke/"
    assert "adviseur@bureau.example" in alice_client.get(revoke).content.decode()
    assert alice_client.post(revoke).status_code == 302
    assert client.get(f"/organisations/{organisation.code}/").status_code == 404
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        AuditAction.CONSULTANT_GRANTED,
        AuditAction.CONSULTANT_REVOKED,
    ]


def test_a_platform_administrator_manages_members_without_a_membership(organisation, alice):
    admin = UserFactory(email="root@roer.example", is_superuser=True, is_staff=True)
    response = client_for(admin).post(
        f"{_members(organisation)}invite/", {"invite-email": "eva@alfa.example", "invite-role": "beheerder"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(user__email="eva@alfa.example").granted_by == admin


def test_the_actions_are_post_only_and_need_log_in(client, alice_client, organisation, bob):
    assert alice_client.get(f"{_members(organisation)}invite/").status_code == 405
    assert alice_client.get(f"/organisations/{organisation.code}/consultants/grant/").status_code == 405
    assert alice_client.get(f"{_members(organisation)}{Membership.objects.get(user=bob).pk}/role/").status_code == 405
    assert client.get(_members(organisation)).url.startswith("/login/")


def test_an_invitation_mail_in_english_when_the_manager_works_in_english(alice_client, organisation):
    _in_english(alice_client).post(
        f"{_members(organisation)}invite/", {"invite-email": "eva@alfa.example", "invite-role": "lezer"}
    )
    run_tasks()
    message = mail.outbox[0]
    assert message.subject == "Roer: your access to Gemeente Alfa"
    assert "has given you access to Gemeente Alfa in Roer, as Reader." in message.body
    assert "Choose your password with this link" in message.body
    html = message.alternatives[0][0]
    assert 'lang="en"' in html
    assert "/account/set-password/" in html


def test_an_invitation_mail_in_dutch_by_default(alice_client, organisation):
    alice_client.post(
        f"{_members(organisation)}invite/", {"invite-email": "eva@alfa.example", "invite-role": "beheerder"}
    )
    run_tasks()
    message = mail.outbox[0]
    assert "Beheerder" in message.body  # the role's Dutch name
    assert 'lang="nl"' in message.alternatives[0][0]
