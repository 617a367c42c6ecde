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


class PlatformNewOrganisationForm(PlatformOrganisationForm):
    first_manager = forms.EmailField(
        label=_("E-mail address of its first scan manager"),
        required=False,
        help_text=_("They get an e-mail with a link to choose a password, and invite everyone else themselves."),
        error_messages={"invalid": _("Enter a valid e-mail address, such as name@example.org.")},
    )


class ManagerInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        error_messages={
            "required": _("Enter the e-mail address of the new scan manager."),
            "invalid": _("Enter a valid e-mail address, such as name@example.org."),
        },
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)

    def term(self) -> str:
        return self.cleaned_data["q"].strip() if self.is_valid() else ""
