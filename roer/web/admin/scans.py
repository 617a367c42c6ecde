"""Scans and invitations in the admin, through the same rules as the scan pages.

A scan is created on its organisation's page, not here. Its title, dates, retention and thresholds can
be changed here through `roer.lifecycle.editing.scan_update`, which freezes a closed scan's dates and
thresholds and never lowers a threshold people answered under; its groups and state are shown only.
Invitations are added on the invitee page; here they can only be looked at and, while unsent, removed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from roer.lib.errors import DomainError
from roer.lifecycle import editing
from roer.scans.forms import MAX_THRESHOLD, MIN_THRESHOLD
from roer.scans.models import Invitation, RespondentGroup, Scan
from roer.scans.services import anonymity_problems
from roer.web.admin.scoping import OrganisationScoped, ReadOnly

EDITABLE = ["title", "opens_on", "closes_on", "retention_days"]


class RespondentGroupInline(admin.TabularInline[RespondentGroup, Scan]):
    model = RespondentGroup
    fields = ["kind", "threshold"]
    readonly_fields = ["kind", "threshold"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ScanAdminForm(forms.ModelForm[Scan]):
    """The scan's own fields plus one threshold per group, checked as the scan's edit page checks them."""

    class Meta:
        model = Scan
        fields = EDITABLE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = sorted(self.instance.groups.all(), key=lambda group: group.sort_key)
        closed = self.instance.is_closed
        for group in self.groups:
            self.fields[f"threshold_{group.kind}"] = forms.IntegerField(
                label=_("Anonymity threshold for %(group)s") % {"group": group.get_kind_display()},
                min_value=MIN_THRESHOLD,
                max_value=MAX_THRESHOLD,
                initial=group.threshold,
                disabled=closed,
            )
        if closed:
            for name in ("opens_on", "closes_on"):
                self.fields[name].disabled = True

    def thresholds(self) -> dict[str, int]:
        return {group.kind: self.cleaned_data[f"threshold_{group.kind}"] for group in self.groups}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        stored = Scan.objects.get(pk=self.instance.pk)
        problems = anonymity_problems(
            stored,
            self.groups,
            opens_on=cleaned["opens_on"],
            closes_on=cleaned["closes_on"],
            thresholds=self.thresholds(),
        )
        for field, problem in problems.items():
            self.add_error(field, problem)
        return cleaned


@admin.register(Scan)
class ScanAdmin(OrganisationScoped[Scan]):
    form = ScanAdminForm
    list_display = ["title", "organisation", "state", "opens_on", "closes_on"]
    list_filter = ["state", ("organisation", admin.RelatedOnlyFieldListFilter)]
    allowed_lookups = ("state", "organisation")
    search_fields = ["title", "organisation__name"]
    readonly_fields = ["code", "organisation", "instrument_version", "state", "closed_at", "created_at", "created_by"]
    list_select_related = ["organisation"]
    inlines = [RespondentGroupInline]

    def get_fields(self, request: HttpRequest, obj: Scan | None = None) -> Any:
        groups = sorted(obj.groups.all(), key=lambda group: group.sort_key) if obj else []
        return [*self.readonly_fields, *EDITABLE, *(f"threshold_{group.kind}" for group in groups)]

    def get_form(self, request: HttpRequest, obj: Scan | None = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["fields"] = EDITABLE  # the threshold fields are the form's own
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request: HttpRequest, obj: Scan, form: ScanAdminForm, change: bool) -> None:
        try:
            editing.scan_update(
                scan=obj,
                title=form.cleaned_data["title"],
                opens_on=form.cleaned_data["opens_on"],
                closes_on=form.cleaned_data["closes_on"],
                thresholds=form.thresholds(),
                retention_days=form.cleaned_data["retention_days"],
            )
        except (ValidationError, DomainError) as refused:  # changed by someone else since the form was checked
            self.message_user(request, str(refused), messages.ERROR)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        """Only counts, not every invitation, link and draft by name (each person's number of links would
        tell how often they were reminded); whether it may go is `scan_delete`'s rule."""
        _objects, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return [str(obj) for obj in objs], counts, set(), protected

    def delete_model(self, request: HttpRequest, obj: Scan) -> None:
        try:
            editing.scan_delete(scan=obj)
        except DomainError as refused:
            self.message_user(request, refused.message, messages.ERROR)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Scan]) -> None:
        for scan in queryset:
            self.delete_model(request, scan)


@admin.register(Invitation)
class InvitationAdmin(ReadOnly[Invitation]):
    """Invitations hold personal data (e-mail addresses); who answered what is not stored anywhere.

    Whether a person answered, and how often they were reminded, is not shown, filtered, searched or
    accepted in the address: beside the answer dates it would tell when each person answered."""

    organisation_path = "scan__organisation"
    list_display = ["email", "scan", "group", "sent_at"]
    list_filter = [("scan__organisation", admin.RelatedOnlyFieldListFilter)]
    allowed_lookups = ("scan__organisation",)
    search_fields = ["email"]
    list_select_related = ["scan", "group"]
    fields = ("email", "scan", "group", "language", "created_at", "sent_at")
    readonly_fields = fields

    def has_delete_permission(self, request: HttpRequest, obj: Invitation | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.sent_at is None)

    def delete_model(self, request: HttpRequest, obj: Invitation) -> None:
        try:
            editing.invitation_remove(invitation=obj)
        except DomainError as refused:
            self.message_user(request, refused.message, messages.ERROR)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        for invitation in queryset:
            self.delete_model(request, invitation)
