from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from roer.instruments.groups import Group
from roer.instruments.models import InstrumentVersion
from roer.scans import mail_texts
from roer.scans.models import MailingKind, RespondentGroup, Scan, default_threshold

MIN_THRESHOLD = 3
MAX_THRESHOLD = 100


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _threshold_field(label: str, initial: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Anonymity threshold for %(group)s") % {"group": label},
        min_value=MIN_THRESHOLD,
        max_value=MAX_THRESHOLD,
        initial=initial,
        error_messages={
            "min_value": _("A threshold below %(limit_value)s would make answers traceable to a person."),
            "max_value": _("A threshold above %(limit_value)s hides nearly every result."),
            "invalid": _("Enter a whole number."),
        },
    )


class _ScanDatesMixin(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("For example: Digital leadership scan 2026."))
    retention_days = forms.IntegerField(
        label=_("Keep personal data for (days after closing)"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=_("Then the invitees' e-mail addresses and unsent answers are deleted; results stay."),
        error_messages={"invalid": _("Enter a whole number of days.")},
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(
        label=_("Closes on"), widget=DateInput(), help_text=_("The last day on which answers are accepted.")
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opens_on: datetime.date | None = cleaned.get("opens_on")
        closes_on: datetime.date | None = cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The closing date cannot be before the opening date."))
        return cleaned


class ScanCreateForm(_ScanDatesMixin):
    instrument_version = forms.ModelChoiceField(
        label=_("Instrument"),
        queryset=InstrumentVersion.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the instruments listed.")},
    )

    def __init__(
        self, *args: Any, versions: QuerySet[InstrumentVersion], chosen: str | int | None = None, **kwargs: Any
    ) -> None:
        """versions: the published versions the organisation may use (roer.instruments.selectors); no other
        is offered, and a draft or another organisation's instrument is refused when posted.

        chosen: the version picked before the rest of the form is filled in (?instrument= on the page); the
        groups offered are that version's own, so it is chosen first, apart from the rest of the form."""
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["retention_days"].initial = settings.ROER_RETENTION_DAYS
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = today + datetime.timedelta(days=21)
        self.versions = list(versions)
        self.version = self._version_for(self.data.get("instrument_version") if self.is_bound else chosen)
        field = self.fields["instrument_version"]
        field.queryset = versions  # type: ignore[attr-defined]
        field.initial = self.version
        field.widget = forms.HiddenInput()
        self.instrument_groups: tuple[Group, ...] = self.version.parsed.respondent_groups() if self.version else ()
        for group in self.instrument_groups:
            label = group.name.get(translation.get_language() or "nl")
            self.fields[f"include_{group.code}"] = forms.BooleanField(label=label, required=False, initial=True)
            self.fields[f"threshold_{group.code}"] = _threshold_field(label, default_threshold(group))

    def _version_for(self, chosen: object) -> InstrumentVersion | None:
        """The version asked for when it is one of those offered, else the newest loaded."""
        by_pk = {version.pk: version for version in self.versions}
        try:  # spelt as the instrument field reads it (" 5", "05" and "+5" are all version 5)
            asked = int(str(chosen).strip()) if chosen is not None else None
        except ValueError:
            asked = None
        if asked in by_pk:
            return by_pk[asked]
        return max(self.versions, key=lambda version: (version.loaded_at, version.pk), default=None)

    @property
    def choosing_instrument(self) -> bool:
        """More than one version is offered: the page lets the user pick one first."""
        return len(self.versions) > 1

    def group_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"include_{group.code}"], self[f"threshold_{group.code}"]) for group in self.instrument_groups]

    def clean_closes_on(self) -> datetime.date:
        closes_on: datetime.date = self.cleaned_data["closes_on"]
        if closes_on < timezone.localdate():
            raise ValidationError(_("The closing date of a new scan cannot lie in the past."))
        return closes_on

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for group in self.instrument_groups:
            # a group left out needs no threshold: what was typed beside it is dropped, not refused
            if not cleaned.get(f"include_{group.code}"):
                self.errors.pop(f"threshold_{group.code}", None)
        if not any(cleaned.get(f"include_{group.code}") for group in self.instrument_groups):
            raise ValidationError(_("Choose at least one group of respondents."))
        return cleaned

    def thresholds(self) -> dict[str, int]:
        """Group code: threshold, for the chosen version's groups that were ticked."""
        return {
            group.code: self.cleaned_data[f"threshold_{group.code}"]
            for group in self.instrument_groups
            if self.cleaned_data.get(f"include_{group.code}")
        }


class ScanEditForm(_ScanDatesMixin):
    def __init__(self, *args: Any, scan: Scan, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": scan.title,
                "opens_on": scan.opens_on,
                "closes_on": scan.closes_on,
                "retention_days": scan.retention_days,
            },
        )
        super().__init__(*args, **kwargs)
        self.groups = sorted(scan.groups.all(), key=lambda group: group.sort_key)
        for group in self.groups:
            field = _threshold_field(group.label, group.threshold)
            self.fields[f"threshold_{group.kind}"] = field
        # Shown read-only here; scans.services.scan_update refuses the change whatever is posted.
        self.closed = scan.is_closed
        if self.closed:
            for name in ("opens_on", "closes_on", *(f"threshold_{group.kind}" for group in self.groups)):
                self.fields[name].disabled = True
        elif scan.is_open:
            self.fields["opens_on"].disabled = True
            self.fields["opens_on"].help_text = _("The scan has opened, so its opening date stays as it was.")

    def threshold_rows(self) -> list[tuple[RespondentGroup, forms.BoundField]]:
        return [(group, self[f"threshold_{group.kind}"]) for group in self.groups]

    def thresholds(self) -> dict[str, int]:
        return {group.kind: self.cleaned_data[f"threshold_{group.kind}"] for group in self.groups}


def _a_year_later(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


class ScanCopyForm(_ScanDatesMixin):
    """A copy of a scan for its next round: a new title and new dates; groups and thresholds stay."""

    retention_days = None  # type: ignore[assignment]  # the copy keeps the scan's own
    with_invitees = forms.BooleanField(
        label=_("Invite the same people"),
        required=False,
        initial=True,
        help_text=_("Their addresses are copied; nobody receives anything until you send the invitations."),
    )

    def __init__(self, *args: Any, scan: Scan, **kwargs: Any) -> None:
        today = timezone.localdate()
        opens_on = max(_a_year_later(scan.opens_on), today)
        length = max(scan.closes_on - scan.opens_on, datetime.timedelta(days=0))
        kwargs.setdefault("initial", {"title": scan.title, "opens_on": opens_on, "closes_on": opens_on + length})
        super().__init__(*args, **kwargs)

    def clean_closes_on(self) -> datetime.date:
        closes_on: datetime.date = self.cleaned_data["closes_on"]
        if closes_on < timezone.localdate():
            raise ValidationError(_("The closing date of a new scan cannot lie in the past."))
        return closes_on


class _InviteeTargetForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Group"),
        queryset=RespondentGroup.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of this scan's groups.")},
    )
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES, initial="nl")

    def __init__(self, *args: Any, scan: Scan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = scan.groups.all()
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["group"].label_from_instance = lambda group: group.label  # type: ignore[attr-defined]


class PasteInviteesForm(_InviteeTargetForm):
    addresses = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocomplete": "off"}),
        max_length=1_000_000,
        help_text=_("One per line, or separated by commas or semicolons. Copying from a mail program works too."),
    )


class UploadInviteesForm(_InviteeTargetForm):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "A column headed email (or e-mailadres); optional columns groep and taal. "
            "Rows without a group go to the group chosen here."
        ),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > settings.ROER_MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)s MB.") % {"limit": settings.ROER_MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        data: bytes = upload.read()
        return data


class MailingPlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to send"), choices=MailingKind.choices, initial=MailingKind.REMINDERS)
    send_on = forms.DateField(
        label=_("On"),
        widget=DateInput(),
        help_text=_("Sent in the morning of that day, to everyone it applies to at that moment."),
        error_messages={"invalid": _("Enter a date, for example 2026-03-16.")},
    )


class MailTextsForm(forms.ModelForm):  # type: ignore[type-arg]
    """A scan's own invitation and reminder: see roer.scans.mail_texts for the placeholders."""

    class Meta:
        model = Scan
        fields = [
            "mail_sender_name",
            "mail_signatory",
            "invitation_subject",
            "invitation_text",
            "reminder_subject",
            "reminder_text",
        ]
        widgets = {
            "invitation_text": forms.Textarea(attrs={"rows": 12}),
            "reminder_text": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in MailingKind:
            subject_field, text_field = mail_texts.fields_of(kind)
            self.fields[subject_field].widget.attrs["placeholder"] = mail_texts.DEFAULT_SUBJECTS[kind]
            self.fields[text_field].widget.attrs["placeholder"] = mail_texts.DEFAULT_TEXTS[kind]

    def _one_line(self, name: str) -> str:
        value: str = self.cleaned_data[name]
        mail_texts.one_line_check(value)
        return value.strip()

    def clean_mail_sender_name(self) -> str:
        return self._one_line("mail_sender_name")

    def clean_mail_signatory(self) -> str:
        return self._one_line("mail_signatory")

    def _subject(self, name: str) -> str:
        value: str = self.cleaned_data[name]
        mail_texts.subject_check(value)
        return value.strip()

    def clean_invitation_subject(self) -> str:
        return self._subject("invitation_subject")

    def clean_reminder_subject(self) -> str:
        return self._subject("reminder_subject")

    def _text(self, name: str) -> str:
        value: str = self.cleaned_data[name]
        mail_texts.text_check(value)
        return value.strip()

    def clean_invitation_text(self) -> str:
        return self._text("invitation_text")

    def clean_reminder_text(self) -> str:
        return self._text("reminder_text")
