from django.http import HttpRequest

from roer.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request a `login_required` view receives: its user is always a logged-in User."""

    user: User
