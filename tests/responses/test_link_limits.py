"""The limit on unknown answer links stops guessing, never a real link: a town hall's colleagues share one
address, and one colleague's mistyped links must not give everybody else's valid link a 429."""

import pytest

from roer.responses.questionnaire import pages_for
from tests.conftest import link_for
from tests.factories import InvitationFactory
from tests.groups import GroupKind
from tests.helpers import constant, draft_of, page_data

TOWN_HALL = "192.0.2.50"


@pytest.fixture
def colleague(scan):
    return InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS))


def _mistype_links(client, count: int) -> None:
    for number in range(count):
        assert client.get(f"/a/{'x' * 40}{number:03d}/", REMOTE_ADDR=TOWN_HALL).status_code == 404


def test_a_valid_link_is_served_from_an_address_over_the_bad_link_limit(client, colleague, settings):
    settings.ROER_BAD_LINKS = "20/10m"
    _mistype_links(client, 21)
    assert client.get(f"/a/{'y' * 43}/", REMOTE_ADDR=TOWN_HALL).status_code == 429  # guessing is still stopped
    path = link_for(colleague)
    assert client.get(path, REMOTE_ADDR=TOWN_HALL).status_code == 302
    assert client.get(f"{path}1/", REMOTE_ADDR=TOWN_HALL).status_code == 200


def test_a_valid_link_still_saves_from_an_address_over_the_bad_link_limit(client, colleague, instrument_version):
    _mistype_links(client, 21)
    path = link_for(colleague)
    first = pages_for(instrument_version.parsed, "others")[0]
    response = client.post(f"{path}2/", page_data(first, instrument_version.parsed, constant(4)), REMOTE_ADDR=TOWN_HALL)
    assert response.status_code == 200
    assert len(draft_of(colleague, path).answers) == len(first.scaled)


def test_a_known_but_closed_or_submitted_link_says_so_rather_than_429(client, colleague):
    path = link_for(colleague)
    colleague.submitted = True
    colleague.save(update_fields=["submitted"])
    _mistype_links(client, 21)
    response = client.get(path, REMOTE_ADDR=TOWN_HALL)
    assert response.status_code == 200
    assert "Bedankt" in response.content.decode()


def test_valid_links_do_not_count_towards_the_limit(client, colleague, settings):
    settings.ROER_BAD_LINKS = "3/10m"
    path = link_for(colleague)
    for _ in range(10):
        assert client.get(path, REMOTE_ADDR=TOWN_HALL).status_code == 302
    assert client.get(f"/a/{'x' * 43}/", REMOTE_ADDR=TOWN_HALL).status_code == 404
