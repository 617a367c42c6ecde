from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from roer.instruments.schema import Scale
from roer.responses.questionnaire import DONT_KNOW, Page

MAX_OPEN_ANSWER = 5000


class PageForm(forms.Form):
    """The questions of one page. Every question may be skipped; an invalid value only loses itself."""

    def __init__(self, *args: Any, page: Page, scale: Scale, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page = page
        language = get_language() or "nl"
        choices = [(str(point), label.get(language)) for point, label in enumerate(scale.labels, start=1)]
        choices.append((DONT_KNOW, scale.dont_know.get(language)))
        for question in page.scaled:
            self.fields[question.code] = forms.ChoiceField(
                label=question.text.get(language),
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose one of the answers shown.")},
            )
        for question in page.open:
            self.fields[question.code] = forms.CharField(
                label=question.text.get(language),
                required=False,
                max_length=MAX_OPEN_ANSWER,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={
                    "max_length": _("Keep your answer under %(limit_value)d characters (it has %(show_value)d).")
                },
            )

    @staticmethod
    def initial_from(page: Page, answers: dict[str, int | None], open_answers: dict[str, str]) -> dict[str, str]:
        initial: dict[str, str] = {}
        for question in page.scaled:
            if question.code in answers:
                value = answers[question.code]
                initial[question.code] = DONT_KNOW if value is None else str(value)
        for question in page.open:
            if question.code in open_answers:
                initial[question.code] = open_answers[question.code]
        return initial

    def valid_answers(self) -> tuple[dict[str, int | None], set[str], dict[str, str]]:
        """The answers that passed validation, the scaled questions left blank, and the open answers.

        Called after is_valid(), whatever its outcome, so one bad value never discards the good ones.
        """
        cleaned = getattr(self, "cleaned_data", {})
        answers: dict[str, int | None] = {}
        blank: set[str] = set()
        for question in self.page.scaled:
            if question.code not in cleaned:
                continue
            value = cleaned[question.code]
            if value == "":
                blank.add(question.code)
            else:
                answers[question.code] = None if value == DONT_KNOW else int(value)
        open_answers = {
            question.code: cleaned[question.code].strip() for question in self.page.open if question.code in cleaned
        }
        return answers, blank, open_answers
