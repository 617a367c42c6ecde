from django import forms
from django.utils.translation import gettext_lazy as _


class ForewordForm(forms.Form):
    foreword = forms.CharField(
        label=_("Foreword"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Optional: a few sentences for the directors' table, printed above the key messages."),
        error_messages={"max_length": _("Keep the foreword under %(limit_value)d characters (it has %(show_value)d).")},
    )
