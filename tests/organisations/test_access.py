"""Who may see what: a member of one organisation never reaches another's scans, a reader cannot change
anything, and an anonymous visitor is sent to log in."""

import pytest

from tests.factories import InvitationFactory
from tests.groups import GroupKind

READ_PAGES = ["/organisations/{org}/", "/scans/{scan}/", "/scans/{scan}/results/"]
MANAGE_PAGES = [
    "/organisations/{org}/scans/new/",
    "/scans/{scan}/edit/",
    "/scans/{scan}/invitees/",
    "/scans/{scan}/close/",
]
MANAGE_ACTIONS = [
    "/organisations/{org}/benchmark/",
    "/scans/{scan}/send/invitations/",
    "/scans/{scan}/send/reminders/",
    "/scans/{scan}/close/",
    "/scans/{scan}/invitees/{invitation}/remove/",
]


def fill(path, scan, invitation):
    return path.format(org=scan.organisation.code, scan=scan.code, invitation=invitation.pk)


@pytest.fixture
def unsent_invitation(scan):
    return InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS), sent_at=None)


@pytest.mark.parametrize("path", READ_PAGES + MANAGE_PAGES)
def test_an_outsider_gets_404_on_every_page_of_another_organisations_scan(
    charlie_client, scan, unsent_invitation, path
):
    assert charlie_client.get(fill(path, scan, unsent_invitation)).status_code == 404


@pytest.mark.parametrize("path", MANAGE_ACTIONS)
def test_an_outsider_gets_404_on_every_action_and_nothing_changes(charlie_client, scan, unsent_invitation, path):
    assert charlie_client.post(fill(path, scan, unsent_invitation)).status_code == 404
    scan.refresh_from_db()
    assert scan.closed_at is None
    assert scan.invitations.filter(pk=unsent_invitation.pk).exists()


@pytest.mark.parametrize("path", READ_PAGES + MANAGE_PAGES + MANAGE_ACTIONS)
def test_an_anonymous_visitor_is_sent_to_log_in(client, scan, unsent_invitation, path):
    url = fill(path, scan, unsent_invitation)
    response = client.post(url) if path in MANAGE_ACTIONS else client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/login/?next=")


@pytest.mark.parametrize("path", READ_PAGES)
def test_a_reader_reads_their_own_organisation(bob_client, scan, unsent_invitation, path):
    assert bob_client.get(fill(path, scan, unsent_invitation)).status_code == 200


@pytest.mark.parametrize("path", MANAGE_PAGES)
def test_a_reader_cannot_open_pages_that_create_or_change_scans(bob_client, scan, unsent_invitation, path):
    response = bob_client.get(fill(path, scan, unsent_invitation))
    assert response.status_code == 403
    assert "Geen toestemming" in response.content.decode()


@pytest.mark.parametrize("path", MANAGE_ACTIONS)
def test_a_reader_cannot_perform_actions_and_nothing_changes(bob_client, scan, unsent_invitation, path):
    assert bob_client.post(fill(path, scan, unsent_invitation)).status_code == 403
    scan.refresh_from_db()
    assert scan.closed_at is None
    assert scan.invitations.filter(pk=unsent_invitation.pk).exists()


def test_a_reader_cannot_create_a_scan_by_posting(bob_client, organisation, instrument_version):
    response = bob_client.post(f"/organisations/{organisation.code}/scans/new/", {"title": "Sneaky"})
    assert response.status_code == 403
    assert not organisation.scans.exists()


def test_an_invitation_of_another_scan_cannot_be_removed_through_ones_own_scan(alice_client, scan, other_scan):
    foreign = InvitationFactory(scan=other_scan, group=other_scan.groups.get(kind=GroupKind.MEDEWERKERS), sent_at=None)
    response = alice_client.post(f"/scans/{scan.code}/invitees/{foreign.pk}/remove/")
    assert response.status_code == 404
    assert other_scan.invitations.filter(pk=foreign.pk).exists()


def test_the_dashboard_lists_only_ones_own_organisations(alice_client, charlie, organisation, other_organisation):
    page = alice_client.get("/").content.decode()
    assert organisation.name in page
    assert other_organisation.name not in page


def test_a_platform_administrator_reaches_every_organisation(scan, django_user_model):
    from tests.conftest import client_for

    admin = django_user_model.objects.create_superuser("root@roer.example", "x" * 12)
    client = client_for(admin)
    assert client.get(f"/scans/{scan.code}/").status_code == 200
    assert client.get(f"/scans/{scan.code}/edit/").status_code == 200


def test_an_inactive_member_is_logged_out_and_sent_to_log_in(alice_client, alice, scan):
    alice.is_active = False
    alice.save()
    response = alice_client.get(f"/scans/{scan.code}/")
    assert response.status_code == 302


def test_a_malformed_code_in_the_url_is_a_plain_404(alice_client):
    assert alice_client.get("/scans/not-a-uuid/").status_code == 404
    assert alice_client.get("/scans/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_organisation_page_has_one_title_and_one_benchmark_section(alice_client, organisation):
    page = alice_client.get(f"/organisations/{organisation.code}/").content.decode()
    assert f"<title>{organisation.name} · Roer</title>" in page
    assert page.count('id="benchmark-title"') == 1
