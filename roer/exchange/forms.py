from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TrustForm(forms.Form):
    name = forms.CharField(label=_("Name of the installation"), max_length=200)
    public_key = forms.CharField(
        label=_("Its public key"),
        max_length=100,
        help_text=_("As its platform administrator's page shows it: ed25519: followed by 44 characters."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Benchmark file (JSON)"))
