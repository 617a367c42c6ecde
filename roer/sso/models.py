"""An organisation's identity provider (OpenID Connect) and the e-mail domains it speaks for.

A provider asserts who someone is, so only platform administrators set one up. An e-mail domain belongs
to at most one provider in the whole installation (a unique row per domain, so two providers can never
both claim it, however they are saved), and a provider only ever logs in addresses of its own domains.
The client secret is stored encrypted (roer/sso/secrets.py) and never shown again after it is saved.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from roer.organisations.models import Organisation


class IdentityProvider(models.Model):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="identity_provider", verbose_name=_("organisation")
    )
    issuer = models.URLField(
        _("issuer"),
        max_length=300,
        help_text=_("The provider's issuer URL; its configuration is read from /.well-known/openid-configuration."),
    )
    client_id = models.CharField(_("client ID"), max_length=255)
    client_secret_encrypted = models.TextField(_("client secret (encrypted)"), editable=False)
    # The claim mapping: a member whose claim `manager_claim` holds `manager_value` (a string, or a list
    # such as groups or roles) starts as scan manager; everyone else starts as reader.
    manager_claim = models.CharField(_("claim for scan managers"), max_length=100, blank=True)
    manager_value = models.CharField(_("value for scan managers"), max_length=200, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.issuer})"


class ProviderDomain(models.Model):
    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.CASCADE, related_name="domains", verbose_name=_("identity provider")
    )
    domain = models.CharField(_("e-mail domain"), max_length=253, unique=True)

    class Meta:
        verbose_name = _("e-mail domain")
        verbose_name_plural = _("e-mail domains")
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class ProviderLink(models.Model):
    """Which Roer account a provider's subject (the ID token's `sub`) is: made at the first log-in through
    the provider, and from then on the link, not the e-mail address, decides who logs in. One account per
    subject and one subject per account, for each provider."""

    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.CASCADE, related_name="links", verbose_name=_("identity provider")
    )
    subject = models.CharField(_("subject (sub)"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_links", verbose_name=_("user")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("single sign-on link")
        verbose_name_plural = _("single sign-on links")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="sso_link_unique_subject"),
            models.UniqueConstraint(fields=["provider", "user"], name="sso_link_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id}: {self.subject} → {self.user_id}"
