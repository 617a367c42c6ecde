"""The residents' questionnaire as one form, in any language the residents' module carries.

Every question may be skipped; a value that is not valid loses only itself (the page comes back with
every valid answer kept). `website` is a honeypot: hidden from people (and from screen readers), filled
in by robots that fill in everything; a form with it filled in is thanked and not stored.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from roer.instruments.residents import ResidentsModule
from roer.lib.text import without_direction_controls
from roer.residents.answers import looks_like_code
from roer.residents.models import survey_dates_problem

DONT_KNOW = "dk"
MAX_OPEN_ANSWER = 2000
HONEYPOT = "website"


class ResidentForm(forms.Form):
    def __init__(self, *args: Any, module: ResidentsModule, language: str, with_code: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.module = module
        self.language = language
        text = self._text
        if with_code:
            self.fields["code"] = forms.CharField(
                label=text(module.interface.code_label),
                help_text=text(module.interface.code_help),
                max_length=20,
                error_messages={"required": _("Fill in the code from your letter.")},
                widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
            )
        labels = [(str(point), text(label)) for point, label in enumerate(module.scale.labels, start=1)]
        labels.append((DONT_KNOW, text(module.scale.dont_know)))
        for statement in module.statements:
            self.fields[statement.code] = forms.ChoiceField(
                label=text(statement.resident),
                choices=labels,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose one of the answers shown.")},
            )
        for choice in module.choices:
            options = [(option.code, text(option.text)) for option in choice.options]
            field_class = forms.MultipleChoiceField if choice.multiple else forms.ChoiceField
            widget = forms.CheckboxSelectMultiple if choice.multiple else forms.RadioSelect
            self.fields[choice.code] = field_class(
                label=text(choice.question),
                choices=options,
                required=False,
                widget=widget,
                error_messages={"invalid_choice": _("Choose one of the answers shown.")},
            )
        for question in module.open_questions:
            self.fields[question.code] = forms.CharField(
                label=text(question.question),
                required=False,
                max_length=MAX_OPEN_ANSWER,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={
                    "max_length": _("Keep your answer under %(limit_value)d characters (it has %(show_value)d).")
                },
            )
        self.fields[HONEYPOT] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

    def _text(self, text: Any) -> str:
        return str(text.get(self.language))

    def clean_code(self) -> str:
        code = str(self.cleaned_data.get("code", ""))
        if not looks_like_code(code):
            raise forms.ValidationError(
                _("This is not a code from our letters. A code has ten letters and digits, like AB3CD-EF4GH.")
            )
        return code

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())

    def question_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in {HONEYPOT, "code"}]

    def valid_answers(self) -> tuple[dict[str, int | None], dict[str, str]]:
        """The packed answers and open answers that passed validation (called whatever is_valid() said)."""
        cleaned = getattr(self, "cleaned_data", {})
        answers: dict[str, int | None] = {}
        for statement in self.module.statements:
            value = cleaned.get(statement.code)
            if value == DONT_KNOW:
                answers[statement.code] = None
            elif value:
                answers[statement.code] = int(value)
        for choice in self.module.choices:
            value = cleaned.get(choice.code)
            if not value:
                continue
            options = [option.code for option in choice.options]
            if choice.multiple:
                answers.update({f"{choice.code}__{code}": 1 for code in value})
            else:
                answers[choice.code] = options.index(value) + 1
        typed = ((question.code, str(cleaned.get(question.code) or "")) for question in self.module.open_questions)
        open_answers = {
            code: cleaned_text for code, text in typed if (cleaned_text := without_direction_controls(text).strip())
        }
        return answers, open_answers


class SurveyDatesForm(forms.Form):
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    closes_on = forms.DateField(
        label=_("Closes on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The last day on which residents can answer."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        problem = survey_dates_problem(opens_on, closes_on) if opens_on and closes_on else None
        if problem:
            self.add_error("closes_on", problem)
        return cleaned
