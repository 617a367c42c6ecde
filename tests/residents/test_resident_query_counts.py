"""Query counts of the residents' pages, pinned, at two sizes: they must not grow with the number of
residents, letters or bursts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roer.residents.answers import code_hash, new_letter_code
from roer.residents.models import Burst, LetterBatch, LetterCode, ResidentResponse
from tests.residents.conftest import resident_client
from tests.residents.test_resident_survey import answers_form
from tests.test_query_counts import queries

pytestmark = pytest.mark.django_db


def grow(survey, residents: int) -> None:  # type: ignore[no-untyped-def]
    module = survey.scan.instrument_version.parsed.residents
    ResidentResponse.objects.bulk_create(
        ResidentResponse(
            survey=survey,
            channel="open",
            submitted_on=survey.opens_on,
            packed_answers=bytes(len(module.answer_codes())),
        )
        for _ in range(residents)
    )
    batch = LetterBatch.objects.create(survey=survey, size=residents, status=LetterBatch.Status.READY)
    LetterCode.objects.bulk_create(
        LetterCode(survey=survey, batch=batch, code_hash=code_hash(new_letter_code())) for _ in range(residents)
    )
    Burst.objects.bulk_create(
        Burst(
            survey=survey,
            window_start=survey.created_at,
            window_end=survey.created_at,
            network=f"n{number}",
            responses=1,
        )
        for number in range(residents // 10)
    )


@pytest.mark.parametrize("residents", [10, 200])
def test_the_residents_pages_take_the_same_queries_at_any_size(residents, survey, alice_client):  # type: ignore[no-untyped-def]
    grow(survey, residents)
    slug, code = survey.slug, survey.scan.code
    resident = resident_client()
    counts = {
        "open_link": queries(resident, reverse("resident_survey:open_link", args=[slug])),
        "letter": queries(resident, reverse("resident_survey:letter", args=[slug])),
        "thanks": queries(resident, reverse("resident_survey:thanks", args=[slug])),
        "detail": queries(alice_client, reverse("residents:detail", args=[code])),
        "setup": queries(alice_client, reverse("residents:setup", args=[code])),
        "paper_entry": queries(alice_client, reverse("residents:paper_entry", args=[code])),
    }
    assert counts == {"open_link": 1, "letter": 1, "thanks": 1, "detail": 9, "setup": 5, "paper_entry": 6}


def test_a_resident_submit_takes_few_queries(survey, module):  # type: ignore[no-untyped-def]
    client = resident_client()
    url = reverse("resident_survey:open_link", args=[survey.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.post(url, answers_form(module)).status_code == 302
    assert len(captured) == 6
