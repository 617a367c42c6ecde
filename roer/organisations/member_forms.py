"""Forms of the members page: an invitation, a consultant's access, a member's new role. What the
address may be, and whether it has access already, is the services' to say (roer.lifecycle.members)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from roer.organisations.models import Role

_EMAIL_ERRORS = {"invalid": _("Enter a valid e-mail address, such as name@example.org.")}
_ROLE_ERRORS = {"invalid_choice": _("Choose scan manager or reader.")}
_MEMBER_ROLES = [(Role.BEHEERDER.value, Role.BEHEERDER.label), (Role.LEZER.value, Role.LEZER.label)]


class MemberInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254, error_messages=_EMAIL_ERRORS)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=_MEMBER_ROLES,
        initial=Role.LEZER,
        error_messages=_ROLE_ERRORS,
        help_text=_("A scan manager runs scans and manages the members; a reader reads results and the plan."),
    )


class ConsultantGrantForm(forms.Form):
    email = forms.EmailField(
        label=_("Consultant's e-mail address"),
        max_length=254,
        error_messages=_EMAIL_ERRORS,
        help_text=_("A consultant runs scans and the action plan, but does not manage members or consultants."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=_MEMBER_ROLES, error_messages=_ROLE_ERRORS)
