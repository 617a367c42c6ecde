"""The filters of the platform's audit log: a plain form, so that bad input (a date that is no date, an
action that does not exist) is an error shown beside the field rather than a failure."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from roer.audit.models import AuditAction, AuditEvent
from roer.organisations.models import Organisation

_DATE_ERRORS = {"invalid": _("Enter a date such as 2026-03-16.")}


class AuditFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.only("pk", "name", "code"),
        required=False,
        to_field_name="code",
        empty_label=_("All organisations"),
    )
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", _("All actions")), *AuditAction.choices], required=False
    )
    email = forms.CharField(label=_("E-mail address (or part of it)"), max_length=254, required=False)
    since = forms.DateField(
        label=_("From"), required=False, error_messages=_DATE_ERRORS, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, error_messages=_DATE_ERRORS, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned

    def filtered(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        """The events that match the filters; none while a filter is wrong (its error says why)."""
        if not self.is_valid():
            return events.none()
        data = self.cleaned_data
        if data["organisation"] is not None:
            events = events.filter(organisation=data["organisation"])
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["email"].strip():
            events = events.filter(user_email__icontains=data["email"].strip())
        if data["since"]:
            events = events.filter(at__date__gte=data["since"])
        if data["until"]:
            events = events.filter(at__date__lte=data["until"])
        return events
