"""A hand-made or truncated POST never loses saved answers: a field the POST did not send is left alone,
and a page with an invalid value is shown again with a clear message, never a server error."""

import pytest

from roer.responses.questionnaire import pages_for
from tests.conftest import link_for
from tests.factories import InvitationFactory
from tests.groups import GroupKind
from tests.helpers import draft_of


@pytest.fixture
def director(scan):
    return InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.DIRECTIE))


@pytest.fixture
def closing_page(instrument_version):
    return pages_for(instrument_version.parsed, "self")[-1]


def test_an_over_long_answer_does_not_clear_an_open_answer_the_post_left_out(client, director, closing_page):
    path = link_for(director)
    kept, too_long = closing_page.open[0].code, closing_page.open[1].code
    saving = {kept: "Een opgeslagen antwoord", "page": str(closing_page.number), "action": "save"}
    assert client.post(f"{path}{closing_page.number}/", saving).status_code == 200

    hand_made = {too_long: "x" * 5001, "page": str(closing_page.number), "action": "save"}
    response = client.post(f"{path}{closing_page.number}/", hand_made)

    assert response.status_code == 200
    assert response.context["form"].errors[too_long]
    assert "error-summary" in response.content.decode()
    assert draft_of(director, path).open_answers[kept] == "Een opgeslagen antwoord"
    # The page shown again holds the saved answer, so saving it once more does not clear it either.
    assert "Een opgeslagen antwoord" in response.content.decode()


def test_an_invalid_post_does_not_clear_a_scaled_answer_the_post_left_out(client, director, closing_page):
    path = link_for(director)
    scaled = closing_page.scaled[0].code
    saving = {scaled: "4", "page": str(closing_page.number), "action": "save"}
    client.post(f"{path}{closing_page.number}/", saving)

    hand_made = {closing_page.open[0].code: "x" * 5001, "page": str(closing_page.number), "action": "save"}
    response = client.post(f"{path}{closing_page.number}/", hand_made)

    assert response.status_code == 200
    assert draft_of(director, path).answers[scaled] == 4


def test_an_open_answer_sent_empty_is_still_cleared(client, director, closing_page):
    path = link_for(director)
    code = closing_page.open[0].code
    client.post(
        f"{path}{closing_page.number}/", {code: "Eerst iets", "page": str(closing_page.number), "action": "save"}
    )
    client.post(f"{path}{closing_page.number}/", {code: "", "page": str(closing_page.number), "action": "save"})
    assert code not in draft_of(director, path).open_answers


@pytest.mark.parametrize(
    "bad_value",
    ["x" * 5001, "nul\x00teken", "y" * 100_000],
    ids=["over-long", "null-character", "very-long"],
)
def test_a_bad_open_answer_is_shown_again_with_a_message_and_never_a_server_error(
    client, director, closing_page, bad_value
):
    path = link_for(director)
    code = closing_page.open[0].code
    response = client.post(path, {code: bad_value, "page": str(closing_page.number), "action": "submit"})
    assert response.status_code in (200, 400)
    assert response.context["form"].errors[code]
