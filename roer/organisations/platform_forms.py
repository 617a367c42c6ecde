"""Forms of the platform administration: an organisation as the platform sets it up, and the searches of
its lists. Whether a name is taken, or a municipality lacks its inhabitants, the model's own validation
says (roer.lifecycle.platform calls full_clean)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from roer.organisations.models import Organisation, OrganisationKind


class PlatformOrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    inhabitants = forms.IntegerField(
        label=_("Inhabitants"),
        required=False,
        min_value=1,
        max_value=20_000_000,
        help_text=_("Required for a municipality: it sets the CBS size class used for comparisons."),
    )

    @classmethod
    def for_organisation(
        cls, organisation: Organisation, data: Mapping[str, Any] | None = None
    ) -> PlatformOrganisationForm:
        initial = {"name": organisation.name, "kind": organisation.kind, "inhabitants": organisation.inhabitants}
        return cls(data, initial=initial)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)

    def term(self) -> str:
        return self.cleaned_data["q"].strip() if self.is_valid() else ""
