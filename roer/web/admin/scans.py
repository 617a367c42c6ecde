"""Scans and invitations in the admin, through the same rules as the scan pages.

A scan is created on its organisation's page, not here. Its title, dates, retention and thresholds can
be changed here through `roer.lifecycle.editing.scan_update`, which freezes a closed scan's dates and
thresholds and never lowers a threshold people answered under; its groups and state are shown only.
Invitations are added on the invitee page; here they can only be looked at and, while unsent, removed.
"""

from __future__ import annotations

import uuid
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
from roer.web.admin.scoping import OrganisationScoped, ReadOnly, is_superuser, staff_user

EDITABLE = ["title", "opens_on", "closes_on", "retention_days"]


def scans_for(request: HttpRequest) -> QuerySet[Scan]:
    """The scans a staff member may see here: every scan for a platform administrator, else those of
    their own organisations (as `OrganisationScoped`)."""
    if is_superuser(request):
        return Scan.objects.all()
    return Scan.objects.filter(organisation__memberships__user=staff_user(request)).distinct()


class RespondentGroupInline(admin.TabularInline[RespondentGroup, Scan]):
    model = RespondentGroup
    fields = ["label", "kind", "perspective", "threshold"]
    readonly_fields = ["label", "kind", "perspective", "threshold"]
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
                label=_("Anonymity threshold for %(group)s") % {"group": group.label},
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
            editing.scan_delete(scan=obj, user=staff_user(request))
        except DomainError as refused:
            self.message_user(request, refused.message, messages.ERROR)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Scan]) -> None:
        for scan in queryset:
            self.delete_model(request, scan)


def scan_label(scan: Scan) -> str:
    """A scan as a choice: many organisations run a scan with the instrument's name as its title, so the
    title alone ("Digitaal leiderschap", forty times) tells none apart."""
    return f"{scan.organisation.name} – {scan.title} ({scan.opens_on:%d-%m-%Y})"


def group_label(group: RespondentGroup) -> str:
    return f"{group.scan.organisation.name} – {group.scan.title} – {group.label}"


class ScanChoiceField(forms.ModelChoiceField[Scan]):
    def label_from_instance(self, obj: Scan) -> str:
        return scan_label(obj)


class GroupChoiceField(forms.ModelChoiceField[RespondentGroup]):
    def label_from_instance(self, obj: RespondentGroup) -> str:
        return group_label(obj)


class ScanFilter(admin.SimpleListFilter):
    """The invitations of one scan, chosen among the scans of the visitor's own organisations."""

    title = _("scan")
    parameter_name = "scan"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        visible = model_admin.get_queryset(request).values("scan")
        scans = (
            Scan.objects.filter(pk__in=visible)
            .select_related("organisation")
            .order_by("organisation__name", "-opens_on", "title")
        )
        return [(str(scan.code), scan_label(scan)) for scan in scans]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if not value:
            return queryset
        try:
            code = uuid.UUID(value)
        except ValueError:
            return queryset.none()  # not a scan's code: nothing, rather than everything
        return queryset.filter(scan__code=code)


@admin.register(Invitation)
class InvitationAdmin(ReadOnly[Invitation]):
    """Invitations hold personal data (e-mail addresses); who answered what is not stored anywhere.

    Whether a person answered, and how often they were reminded, is not shown, filtered, searched or
    accepted in the address: beside the answer dates it would tell when each person answered. A scan
    and a group are shown with their organisation (and a group with its scan), and a choice of them is
    limited to the visitor's organisations and, for a group, to the invitation's scan."""

    organisation_path = "scan__organisation"
    list_display = ["email", "scan_name", "group", "sent_at"]
    list_filter = [("scan__organisation", admin.RelatedOnlyFieldListFilter), ScanFilter]
    allowed_lookups = ("scan__organisation",)
    search_fields = ["email"]
    list_select_related = ["scan__organisation", "group"]
    fields = ("email", "scan_name", "group", "language", "created_at", "sent_at")
    readonly_fields = fields

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        if lookup == ScanFilter.parameter_name:
            return True  # the filter's own parameter, a scan's code, which ScanFilter checks
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description=_("scan"), ordering="scan__title")
    def scan_name(self, obj: Invitation) -> str:
        return scan_label(obj.scan)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """Should a form ever choose an invitation's scan or group (this page only shows them)."""
        if db_field.name == "scan":
            kwargs["form_class"] = ScanChoiceField
            kwargs["queryset"] = (
                scans_for(request).select_related("organisation").order_by("organisation__name", "title")
            )
        elif db_field.name == "group":
            groups = RespondentGroup.objects.filter(scan__in=scans_for(request)).select_related("scan__organisation")
            kwargs["form_class"] = GroupChoiceField
            kwargs["queryset"] = groups.order_by("scan__organisation__name", "scan__title", "kind")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj: Invitation | None = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        group = form.base_fields.get("group")
        if obj is not None and group is not None:
            group.queryset = group.queryset.filter(scan=obj.scan_id)  # type: ignore[attr-defined]  # its own scan's
        return form

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
