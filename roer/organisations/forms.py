"""The organisation's look, as a scan manager sets it."""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from roer.lib.contrast import AA_NORMAL_TEXT, contrast_with_white, normalise_hex
from roer.organisations.look import LOGO_MAX_BYTES, normalised_logo


class LookForm(forms.Form):
    primary_colour = forms.CharField(
        label=_("Primary colour"),
        required=False,
        max_length=7,
        help_text=_(
            "A hexadecimal colour such as #1d4f91, used for the header, buttons and links; empty for Roer's "
            "own colour. White text on it and the colour as text on white must reach a contrast of 4.5:1."
        ),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG, GIF or WebP, at most 2 MB; shown at most 600 by 200 pixels."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    def clean_primary_colour(self) -> str:
        value = str(self.cleaned_data.get("primary_colour") or "").strip()
        if not value:
            return ""
        try:
            colour = normalise_hex(value if value.startswith("#") else f"#{value}")
        except ValueError:
            raise ValidationError(
                _("Give the colour as # and six hexadecimal digits, such as #1d4f91."), code="format"
            ) from None
        ratio = contrast_with_white(colour)
        if ratio < AA_NORMAL_TEXT:
            raise ValidationError(
                _(
                    "%(colour)s has a contrast of %(ratio)s:1 with white; WCAG AA asks for at least 4.5:1. "
                    "Choose a darker colour."
                ),
                code="contrast",
                # cut off, not rounded: 4.497 must not read as the 4.50 it fails to reach
                params={"colour": colour, "ratio": number_format(math.floor(ratio * 100) / 100, 2)},
            )
        return colour

    def clean_logo(self) -> tuple[bytes, int, int] | None:
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise ValidationError(_("The logo is larger than 2 MB. Upload a smaller image."), code="too_large")
        return normalised_logo(upload.read())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("logo") and cleaned.get("remove_logo"):
            raise ValidationError(_("Upload a new logo or remove the logo, not both."), code="both")
        return cleaned
