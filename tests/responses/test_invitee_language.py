"""An invitee is addressed in the invitation's language until they choose another, from the first page to
the thank-you page and on every later visit of the link; without a choice or an invitation language
(Roer's own pages), the browser's Accept-Language decides."""

from __future__ import annotations

import pytest

from roer.responses.questionnaire import pages_for
from tests.conftest import link_for
from tests.factories import InvitationFactory
from tests.groups import GroupKind
from tests.helpers import constant, page_data, post_page

pytestmark = pytest.mark.django_db


def test_an_english_invitee_is_thanked_in_english_and_so_on_a_later_visit(client, scan, instrument_version):
    invitation = InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS), language="en")
    path = link_for(invitation)
    pages = pages_for(instrument_version.parsed, "others")
    for page in pages:
        action = "submit" if page.number == len(pages) else "next"
        response = post_page(
            client, path, page, len(pages), page_data(page, instrument_version.parsed, constant(4), action)
        )
    assert 'lang="en"' in response.content.decode()  # the thank-you page right after the last page
    later = client.get(path)
    assert later.status_code == 200
    page = later.content.decode()
    assert 'lang="en"' in page
    assert "Thank you" in page


def test_a_first_visit_follows_the_browsers_language_and_the_switch_overrides_it(client):
    from django.conf import settings

    english = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9,nl;q=0.5")
    assert 'lang="en"' in english.content.decode()
    assert "Accept-Language" in english["Vary"]
    assert 'lang="nl"' in client.get("/login/", HTTP_ACCEPT_LANGUAGE="nl-NL,nl;q=0.9").content.decode()
    assert 'lang="nl"' in client.get("/login/", HTTP_ACCEPT_LANGUAGE="fr-FR").content.decode()  # Dutch, the default
    assert 'lang="nl"' in client.get("/login/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    assert 'lang="nl"' in client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()


def test_an_invitation_in_dutch_speaks_dutch_to_a_browser_set_to_english(client, scan):
    invitation = InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS), language="nl")
    page = client.get(link_for(invitation), HTTP_ACCEPT_LANGUAGE="en-GB", follow=True).content.decode()
    assert 'lang="nl"' in page
