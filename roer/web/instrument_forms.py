"""The platform administrators' forms for instrument versions: an upload, and who may use a version."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from roer.instruments.loader import MAX_FILE_BYTES
from roer.organisations.models import Organisation


class InstrumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Instrument file (YAML)"),
        help_text=_("It is checked completely; every problem is listed with its line. Nothing is published yet."),
        error_messages={"required": _("Choose an instrument file.")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s kB."), params={"limit": MAX_FILE_BYTES // 1024}, code="too_large"
            )
        return upload


class InstrumentPublishForm(forms.Form):
    EVERY, CHOSEN = "every", "chosen"
    audience = forms.ChoiceField(
        label=_("Who may set up a scan with this version"),
        choices=[(EVERY, _("Every organisation")), (CHOSEN, _("Only the organisations chosen below"))],
        widget=forms.RadioSelect,
        initial=EVERY,
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose only organisations from the list.")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("audience") == self.CHOSEN and not cleaned.get("organisations"):
            self.add_error("organisations", _("Choose at least one organisation, or publish for every organisation."))
        return cleaned

    def chosen(self) -> list[Organisation] | None:
        """None for every organisation."""
        if self.cleaned_data["audience"] == self.EVERY:
            return None
        return list(self.cleaned_data["organisations"])
