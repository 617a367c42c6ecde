from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
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
