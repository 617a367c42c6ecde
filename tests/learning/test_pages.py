"""The learning pages through the HTTP client, with Alice (scan manager of Alfa), Bob (reader of Alfa),
Charlie (scan manager of Bravo) and the platform administrator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from roer.learning.models import Case, CaseStatus, SharingOffer
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.learning.helpers import case_of, sharing

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(db):  # type: ignore[no-untyped-def]
    return client_for(UserFactory(email="admin@roer.example", is_superuser=True, is_staff=True))


def learning_url(organisation):  # type: ignore[no-untyped-def]
    return reverse("learning:organisation", args=[organisation.code])


def test_a_scan_manager_offers_and_only_the_contact_person_agrees(
    alice_client, bob_client, organisation, bob, instrument_version
):
    response = alice_client.post(
        reverse("learning:offer_create", args=[organisation.code]),
        {"dimension": "koers", "contact": bob.pk, "note": "Vraag naar onze koersdag"},
    )
    assert response.status_code == 302
    offer = SharingOffer.objects.get(organisation=organisation)
    assert "Akkoord: ik mag benaderd worden" not in alice_client.get(learning_url(organisation)).content.decode()
    assert alice_client.post(reverse("learning:offer_consent", args=[offer.pk])).status_code == 403
    assert "Akkoord: ik mag benaderd worden" in bob_client.get(learning_url(organisation)).content.decode()
    assert bob_client.post(reverse("learning:offer_consent", args=[offer.pk])).status_code == 302
    offer.refresh_from_db()
    assert offer.is_consented


def test_a_reader_cannot_offer_and_an_outsider_sees_nothing(bob_client, charlie_client, organisation, bob):
    offer = sharing(organisation, "koers", contact=bob)
    assert bob_client.post(reverse("learning:offer_create", args=[organisation.code]), {}).status_code == 403
    assert charlie_client.get(learning_url(organisation)).status_code == 404
    assert charlie_client.post(reverse("learning:offer_consent", args=[offer.pk])).status_code == 404
    assert charlie_client.post(reverse("learning:offer_withdraw", args=[offer.pk])).status_code == 404


def test_the_contact_person_withdraws_their_own_offer(bob_client, organisation, bob):
    offer = sharing(organisation, "koers", contact=bob)
    assert bob_client.post(reverse("learning:offer_withdraw", args=[offer.pk])).status_code == 302
    offer.refresh_from_db()
    assert not offer.is_active
    assert bob_client.post(reverse("learning:offer_withdraw", args=[offer.pk])).status_code == 404


def test_a_page_without_sharing_explains_how_to_opt_in(bob_client, organisation):
    html = bob_client.get(learning_url(organisation)).content.decode()
    assert "worden alleen getoond aan organisaties die zelf ook hun ervaring delen" in " ".join(html.split())


def test_an_invalid_offer_comes_back_with_its_error(alice_client, organisation, instrument_version):
    response = alice_client.post(reverse("learning:offer_create", args=[organisation.code]), {"dimension": "koers"})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()


def test_a_scan_manager_writes_and_submits_a_case(alice_client, bob_client, organisation, instrument_version):
    url = reverse("learning:case_create", args=[organisation.code])
    assert alice_client.get(url).status_code == 200
    assert bob_client.get(url).status_code == 403
    response = alice_client.post(
        url,
        {
            "title": "Koersdag met het college",
            "what_they_did": "Een dag over de digitale koers.",
            "what_it_brought": "Een gedeelde agenda.",
            "dimension_codes": ["koers"],
            "investment": "relaties",
            "contact_name": "Alice",
            "contact_email": "alice@alfa.example",
            "language": "nl",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(organisation=organisation)
    assert case.status == CaseStatus.SUBMITTED
    assert bob_client.get(reverse("learning:case", args=[case.code])).status_code == 200


@pytest.mark.parametrize("status", [CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.REJECTED])
def test_an_outsider_never_reaches_an_unpublished_case(charlie_client, organisation, status):
    case = case_of(organisation, status=status, title="Nog niet openbaar")
    assert charlie_client.get(reverse("learning:case", args=[case.code])).status_code == 404
    assert charlie_client.get(reverse("learning:case_edit", args=[case.code])).status_code == 404
    assert "Nog niet openbaar" not in charlie_client.get(reverse("learning:cases")).content.decode()


def test_a_published_case_is_read_by_everyone_and_changed_by_nobody(charlie_client, alice_client, organisation):
    case = case_of(organisation, title="Openbaar")
    assert charlie_client.get(reverse("learning:case", args=[case.code])).status_code == 200
    assert "Openbaar" in charlie_client.get(reverse("learning:cases"), {"q": "datateam"}).content.decode()
    assert charlie_client.get(reverse("learning:case_edit", args=[case.code])).status_code == 404
    assert alice_client.get(reverse("learning:case_edit", args=[case.code])).status_code == 302


def test_only_the_platform_administrator_moderates(alice_client, charlie_client, admin_client, organisation):
    case = case_of(organisation, status=CaseStatus.SUBMITTED, title="Wacht")
    moderate = reverse("learning:case_moderate", args=[case.code])
    assert alice_client.get(reverse("learning:moderation")).status_code == 403
    assert charlie_client.get(reverse("learning:moderation")).status_code == 403
    assert alice_client.post(moderate, {"decision": "publish"}).status_code == 403
    assert charlie_client.post(moderate, {"decision": "publish"}).status_code == 404
    assert "Wacht" in admin_client.get(reverse("learning:moderation")).content.decode()
    assert admin_client.post(moderate, {"decision": "reject", "note": "Noem de kosten."}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.REJECTED
    assert "Noem de kosten." in alice_client.get(reverse("learning:case", args=[case.code])).content.decode()


def test_the_organisation_page_links_to_learning(bob_client, organisation):
    html = bob_client.get(reverse("organisations:detail", args=[organisation.code])).content.decode()
    assert learning_url(organisation) in html


def test_a_contact_address_longer_than_an_address_can_be_is_refused_in_words(alice_client, organisation):
    """311 characters: more than the 254 an e-mail address may have; it once got past the form and gave a 500."""
    address = "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "nl"
    response = alice_client.post(
        reverse("learning:case_create", args=[organisation.code]),
        {
            "title": "Een praktijkvoorbeeld",
            "what_they_did": "Wat we deden.",
            "what_it_brought": "Wat het opleverde.",
            "dimension_codes": ["koers"],
            "investment": "kennis",
            "contact_name": "Iemand",
            "contact_email": address,
            "language": "nl",
        },
    )
    assert response.status_code == 400
    assert 'value="Een praktijkvoorbeeld"' in response.content.decode()


def test_a_moderators_note_that_is_too_long_comes_back_as_typed_with_the_reason(admin_client, organisation):
    case = case_of(organisation, status=CaseStatus.SUBMITTED)
    note = "Graag de kosten noemen. " * 100  # 2,400 characters
    response = admin_client.post(
        reverse("learning:case_moderate", args=[case.code]), {"decision": "reject", "note": note}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Houd de notitie op 2000 tekens of minder." in html
    assert note.strip() in html
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
