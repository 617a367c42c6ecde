from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from roer.api.models import ApiKey, ApiKeyScope


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=ApiKey._meta.get_field("name").max_length,
        help_text=_("What the key is for, for example “Dashboard of the information manager”."),
        error_messages={"required": _("Give the key a name, for example the system that will use it.")},
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=ApiKeyScope.choices,
        initial=ApiKeyScope.READ,
        widget=forms.RadioSelect,
        help_text=_(
            "Read: scans, response rates, published figures and the plan. "
            "Read and write: also add invitees and actions."
        ),
        error_messages={
            "required": _("Choose read or read and write."),
            "invalid_choice": _("Choose read or read and write."),
        },
    )
