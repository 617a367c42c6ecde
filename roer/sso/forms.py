"""The e-mail step of logging in with an organisation's account, and the platform administrator's form
for an organisation's identity provider."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from roer.organisations.models import Organisation
from roer.sso.discovery import acceptable_url
from roer.sso.models import IdentityProvider

_DOMAIN = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


class SsoStartForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The address you use at work: it tells Roer which organisation's log-in service to use."),
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
    )


class ProviderForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    issuer = forms.URLField(
        label=_("Issuer URL"),
        max_length=300,
        assume_scheme="https",
        # A text field that says it holds an address: the style sheet styles no type="url".
        widget=forms.TextInput(attrs={"inputmode": "url", "spellcheck": "false", "autocomplete": "off"}),
        help_text=_(
            "Exactly as the provider names itself (the issuer in its /.well-known/openid-configuration), "
            "for example https://login.microsoftonline.com/<tenant>/v2.0 or https://sso.example.nl/realms/name."
        ),
    )
    client_id = forms.CharField(label=_("Client ID"), max_length=255)
    client_secret = forms.CharField(
        label=_("Client secret"),
        max_length=1000,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    domains = forms.CharField(
        label=_("E-mail domains"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line, for example alfa.nl. Only addresses in these domains can log in through this "
            "provider, and a domain can belong to one provider only."
        ),
    )
    manager_claim = forms.CharField(
        label=_("Claim for scan managers"),
        required=False,
        max_length=100,
        help_text=_("For example groups or roles. Leave empty: everyone who logs in for the first time is a reader."),
    )
    manager_value = forms.CharField(
        label=_("Value for scan managers"),
        required=False,
        max_length=200,
        help_text=_("A new member whose claim holds this value starts as scan manager; everyone else as reader."),
    )
    enabled = forms.BooleanField(label=_("Enabled: members can log in with this provider"), required=False)

    def __init__(self, *args: Any, provider: IdentityProvider | None = None, **kwargs: Any) -> None:
        self.provider = provider
        if provider is not None:
            kwargs.setdefault(
                "initial",
                {
                    "issuer": provider.issuer,
                    "client_id": provider.client_id,
                    "domains": "\n".join(provider.domains.values_list("domain", flat=True)),
                    "manager_claim": provider.manager_claim,
                    "manager_value": provider.manager_value,
                    "enabled": provider.enabled,
                },
            )
        else:
            kwargs.setdefault("initial", {"enabled": True})
        super().__init__(*args, **kwargs)
        if provider is None:
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("Organisation"), queryset=self.organisations_without_provider()
            )
        else:
            del self.fields["organisation"]
            self.fields["client_secret"].required = False
            self.fields["client_secret"].help_text = _(
                "The saved secret is not shown. Leave this empty to keep it; enter a new one to replace it."
            )

    @staticmethod
    def organisations_without_provider() -> QuerySet[Organisation]:
        return Organisation.objects.filter(identity_provider__isnull=True).order_by("name")

    def clean_issuer(self) -> str:
        issuer = str(self.cleaned_data["issuer"]).strip()
        if not acceptable_url(issuer) or "?" in issuer:
            raise forms.ValidationError(
                _("Enter an https address without a query (http only for a provider on this machine).")
            )
        return issuer

    def clean_domains(self) -> list[str]:
        domains = []
        for entry in re.split(r"[\s,;]+", self.cleaned_data["domains"].strip().lower()):
            domain = entry.removeprefix("@")
            if not _DOMAIN.match(domain):
                raise forms.ValidationError(_("%(entry)s is not an e-mail domain.") % {"entry": entry})
            if domain not in domains:
                domains.append(domain)
        return domains

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if bool(cleaned.get("manager_claim")) != bool(cleaned.get("manager_value")):
            self.add_error("manager_value", _("Give both the claim and its value, or neither."))
        return cleaned
