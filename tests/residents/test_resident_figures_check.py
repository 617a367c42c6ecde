"""check_figures also recomputes residents' figures: a lost resident's answer is caught."""

import pytest
from django.core.management import CommandError, call_command

from roer.lifecycle.resident_life import store_resident_figures, survey_close
from roer.residents.models import ResidentResponse
from tests.residents.conftest import resident_client
from tests.residents.test_resident_survey import answers_form, open_link

pytestmark = pytest.mark.django_db


def test_a_lost_residents_answer_is_caught(survey, module, capsys):  # type: ignore[no-untyped-def]
    for number in range(3):
        resident_client(f"192.0.2.{number}").post(open_link(survey), answers_form(module))
    survey_close(survey=survey)
    assert store_resident_figures.call(survey.pk)
    call_command("check_figures")
    assert "1 residents' survey(s)" in capsys.readouterr().out
    ResidentResponse.objects.first().delete()
    with pytest.raises(CommandError):
        call_command("check_figures")
    assert "residents' survey" in capsys.readouterr().err
