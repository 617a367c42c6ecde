from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm, PasswordResetForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm

from roer.accounts.models import User


class UserCreationForm(BaseUserCreationForm[User]):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserChangeForm(DjangoUserChangeForm[User]):
    class Meta:
        model = User
        fields = "__all__"


class LoginForm(AuthenticationForm):
    """Log in with an e-mail address; the address is matched case-insensitively."""

    def clean_username(self) -> str:
        return str(self.cleaned_data.get("username", "")).strip().lower()


class LinkedPasswordResetForm(PasswordResetForm):
    """Reset links point at ROER_BASE_URL, never at the Host the request came with: ALLOWED_HOSTS ignores
    the port, so a stranger could otherwise have a genuine link sent to a port of their choosing."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        base = urlsplit(settings.ROER_BASE_URL)
        kwargs["domain_override"] = base.netloc
        kwargs["use_https"] = base.scheme == "https"
        super().save(*args, **kwargs)
