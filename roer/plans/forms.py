"""Forms of the action plan. Choices are offered from the organisation's own data: its members as
owners, the dimensions of its instrument; anything else is refused with a message."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from roer.accounts.models import User
from roer.instruments.schema import InstrumentDefinition
from roer.organisations.models import Organisation
from roer.plans.models import Action, ActionStatus, InvestmentKind, ProgressNote

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        """Name and e-mail address: two colleagues may share a name."""
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


def members_of(organisation: Organisation) -> MemberChoiceField:
    return MemberChoiceField(
        label=_("Owner"),
        queryset=User.objects.filter(memberships__organisation=organisation).order_by("email"),
        required=False,
        empty_label=_("Nobody yet"),
        help_text=_("A member of the organisation who keeps the action going and records its progress."),
        error_messages={"invalid_choice": _("Choose one of the members shown.")},
    )


class ActionForm(forms.ModelForm):  # type: ignore[type-arg]
    dimension_code = forms.ChoiceField(
        label=_("Dimension"), error_messages={"invalid_choice": _("Choose one of the dimensions shown.")}
    )

    class Meta:
        model = Action
        fields = ["title", "description", "dimension_code", "investment", "owner", "due_on", "budget_euros", "status"]
        widgets = {
            "title": forms.TextInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "due_on": _DATE,
            "budget_euros": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "investment": forms.RadioSelect,
        }
        help_texts = {
            "title": _("What will be done, in one sentence."),
            "investment": _(
                "The source article: digital leadership asks for investment in knowledge, staff and relations."
            ),
            "budget_euros": _("Optional: whole euros."),
        }
        error_messages = {
            "title": {
                "required": _("Say what will be done."),
                "max_length": _("Keep the action to %(limit_value)d characters."),
            },
            "due_on": {"required": _("Choose a due date."), "invalid": _("Fill in a date, for example 2027-03-31.")},
            "investment": {"required": _("Choose the investment this action is.")},
            "budget_euros": {"invalid": _("Fill in the budget as a whole number of euros.")},
        }

    def __init__(
        self, *args: Any, organisation: Organisation, definition: InstrumentDefinition, language: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = members_of(organisation)
        dimensions = self.fields["dimension_code"]
        assert isinstance(dimensions, forms.ChoiceField)  # noqa: S101 - declared above
        dimensions.choices = [
            (dimension.code, dimension.name.get(language)) for _pillar, dimension in definition.dimensions()
        ]
        investment = self.fields["investment"]
        assert isinstance(investment, forms.ChoiceField)  # noqa: S101 - a TextChoices field
        investment.choices = InvestmentKind.choices
        if self.instance.pk is None:
            del self.fields["status"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ActionStatus.choices,
        error_messages={"invalid_choice": _("Choose one of the statuses shown.")},
    )


class NoteForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ProgressNote
        fields = ["written_on", "text"]
        widgets = {"written_on": _DATE, "text": forms.Textarea(attrs={"rows": 3})}
        labels = {"text": _("What happened")}
        error_messages = {
            "text": {
                "required": _("Say what happened."),
                "max_length": _("Keep the note to %(limit_value)d characters."),
            },
            "written_on": {"required": _("Choose the date."), "invalid": _("Fill in a date, for example 2027-03-31.")},
        }

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["written_on"].initial = today
