"""Forms of the learning pages; they check input only, the rules live in roer.learning.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from roer.accounts.models import User
from roer.learning.models import CaseLanguage
from roer.plans.models import InvestmentKind


def _choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared on the form
    field.choices = choices


class MemberField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name or obj.email} ({obj.email})"


class OfferForm(forms.Form):
    dimension = forms.ChoiceField(label=_("Dimension"))
    contact = MemberField(
        label=_("Contact person"),
        queryset=User.objects.none(),
        help_text=_(
            "A member of this organisation. They are asked to agree on their own page before anyone sees them."
        ),
    )
    note = forms.CharField(
        label=_("What you can tell others"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, dimensions: list[tuple[str, str]], members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "dimension", dimensions)
        contact = self.fields["contact"]
        assert isinstance(contact, MemberField)  # noqa: S101 - declared above
        contact.queryset = members


class CaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    what_they_did = forms.CharField(label=_("What we did"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))
    what_it_brought = forms.CharField(
        label=_("What it brought"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    dimension_codes = forms.MultipleChoiceField(
        label=_("Dimensions"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose one or more dimensions.")},
    )
    investment = forms.ChoiceField(label=_("Investment"), choices=InvestmentKind.choices, widget=forms.RadioSelect)
    contact_name = forms.CharField(label=_("Contact name"), max_length=200)
    contact_email = forms.EmailField(label=_("Contact e-mail"), max_length=254)  # as the model and RFC 5321
    language = forms.ChoiceField(label=_("Language of the case"), choices=CaseLanguage.choices)

    def __init__(self, *args: Any, dimensions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "dimension_codes", dimensions)


class CaseSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    dimension = forms.ChoiceField(label=_("Dimension"), required=False)
    investment = forms.ChoiceField(
        label=_("Investment"), required=False, choices=[("", _("All investments")), *InvestmentKind.choices]
    )

    def __init__(self, *args: Any, dimensions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "dimension", [("", _("All dimensions")), *dimensions])


class RejectForm(forms.Form):
    note = forms.CharField(
        label=_("What should change"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Say what the organisation should change before it can be published."),
            "max_length": _("Keep the note to %(limit_value)d characters."),
        },
    )
