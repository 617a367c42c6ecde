"""A consultant's portfolio: the organisations whose scans a user runs, and the form that sets up one scan for
several of them at once (issue 15).

A client is an organisation where the user may run scans (consultant or scan manager; a platform
administrator: every organisation). Organisations where the user only reads never appear here, so no form
built on `Portfolio.clients` can offer them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from roer.instruments.selectors import usable_by_all, usable_by_any
from roer.organisations.access import is_platform_admin
from roer.organisations.models import MANAGING_ROLES, Membership, Organisation, Role
from roer.scans.forms import ScanCreateForm
from roer.scans.models import Scan

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from roer.accounts.models import User


def portfolio_shown(roles: Iterable[str]) -> bool:
    """Whether a user with these roles has a portfolio: a consultant anywhere, or the scan manager of more
    than one organisation (for one organisation the organisation's own page says it all)."""
    managing = [role for role in roles if role in MANAGING_ROLES]
    return Role.ADVISEUR in managing or len(managing) > 1


@dataclass(frozen=True)
class Portfolio:
    clients: tuple[Organisation, ...]  # by name
    roles: dict[int, str]  # organisation id -> the user's role there

    @property
    def shown(self) -> bool:
        return portfolio_shown(self.roles.values())


def portfolio_of(user: User | AnonymousUser) -> Portfolio:
    """The organisations whose scans the user runs, in one query."""
    if not user.is_authenticated or not user.is_active:
        return Portfolio((), {})
    if is_platform_admin(user):
        everything = tuple(Organisation.objects.order_by("name"))
        return Portfolio(everything, dict.fromkeys((organisation.pk for organisation in everything), Role.BEHEERDER))
    memberships = list(
        Membership.objects.filter(user=user, role__in=MANAGING_ROLES)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return Portfolio(
        tuple(membership.organisation for membership in memberships),
        {membership.organisation_id: membership.role for membership in memberships},
    )


def scans_of_clients(clients: Sequence[Organisation]) -> list[Scan]:
    """Every scan of the clients, newest first, with its groups: two queries however many there are."""
    return list(
        Scan.objects.filter(organisation__in=clients)
        .select_related("instrument_version__instrument")
        .prefetch_related("groups")
        .order_by("organisation__name", "-opens_on", "-created_at")
    )


class SourceScanForm(forms.Form):
    """Which existing scan a new one takes its groups and thresholds from (sent by GET)."""

    source = forms.ModelChoiceField(
        label=_("Take groups and thresholds from"),
        queryset=Scan.objects.none(),
        to_field_name="code",
        error_messages={"invalid_choice": _("Choose one of the scans listed.")},
    )

    def __init__(self, *args: Any, clients: Sequence[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["source"]
        field.queryset = (  # type: ignore[attr-defined]
            Scan.objects.filter(organisation__in=clients)
            .select_related("organisation")
            .order_by("organisation__name", "-opens_on", "-created_at")
        )
        field.label_from_instance = lambda scan: f"{scan.organisation.name}: {scan.title}"  # type: ignore[attr-defined]


class PortfolioScanForm(ScanCreateForm):
    """The fields and rules of a new scan (ScanCreateForm), for several clients at once."""

    clients = forms.ModelMultipleChoiceField(
        label=_("Clients"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each client gets its own scan, with the same title, dates, groups and thresholds."),
        error_messages={
            "required": _("Choose at least one client."),
            "invalid_choice": _("Choose only organisations whose scans you run."),
            "invalid_pk_value": _("Choose only organisations whose scans you run."),
        },
    )

    def __init__(self, *args: Any, clients: Sequence[Organisation], source: Scan | None = None, **kwargs: Any) -> None:
        # any client's instrument is offered; clean() refuses one that a chosen client may not use
        super().__init__(*args, versions=usable_by_any([client.pk for client in clients]), **kwargs)
        self.fields["clients"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[client.pk for client in clients]
        ).order_by("name")
        if source is not None:
            thresholds = {group.kind: group.threshold for group in source.groups.all()}
            for group in self.instrument_groups:
                self.fields[f"include_{group.code}"].initial = group.code in thresholds
                if group.code in thresholds:
                    self.fields[f"threshold_{group.code}"].initial = thresholds[group.code]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        version, clients = cleaned.get("instrument_version"), cleaned.get("clients")
        if version is not None and clients:
            allowed = set(usable_by_all([client.pk for client in clients]).values_list("pk", flat=True))
            if version.pk not in allowed:
                self.add_error(
                    "instrument_version",
                    _("Not every client you chose may use this instrument: choose another one or fewer clients."),
                )
        return cleaned

    def chosen_clients(self) -> list[Organisation]:
        return list(self.cleaned_data["clients"])
