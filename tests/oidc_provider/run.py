"""The test provider's runner (`python -m tests.oidc_provider.run setup|serve ...`), with
DJANGO_SETTINGS_MODULE=tests.oidc_provider.settings and OP_DATABASE / OP_SITE_URL in the environment.

setup --redirect-uri URI: migrate, make an RSA signing key (creatersakey), the users of USERS and the
confidential client "roer-test" (response type code, RS256, that redirect URI; PKCE is the provider's own).
serve --port PORT: Django's development server on 127.0.0.1, without the reloader.
"""

from __future__ import annotations

import argparse
import os

CLIENT_ID = "roer-test"
CLIENT_SECRET = "roer-test-secret-0123456789abcdefghij"
PASSWORD = "provider-pass-123"
# username: (e-mail address, staff); users whose name starts with "unverified" get email_verified false
USERS = {
    "eva": ("eva@alfa.example", False),
    "manager": ("manager@alfa.example", True),
    "bob": ("bob@alfa.example", False),
    "unverified": ("unverified@alfa.example", False),
    "intruder": ("charlie@bravo.example", False),
    "admin": ("beheer@alfa.example", False),
}


def setup(redirect_uri: str) -> None:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType

    call_command("migrate", verbosity=0)
    call_command("creatersakey")
    for username, (email, staff) in USERS.items():
        user = User.objects.create_user(username, email, PASSWORD, first_name=username.capitalize())
        user.is_staff = staff
        user.save()
    client = Client.objects.create(
        name="Roer",
        client_type="confidential",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        jwt_alg="RS256",
        require_consent=True,
        reuse_consent=False,
    )
    client.redirect_uris = [redirect_uri]
    client.scope = ["openid", "email", "profile"]
    client.save()
    client.response_types.add(ResponseType.objects.get(value="code"))


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("setup").add_argument("--redirect-uri", required=True)
    commands.add_parser("serve").add_argument("--port", required=True)
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")
    import django

    django.setup()
    if arguments.command == "setup":
        setup(arguments.redirect_uri)
    else:
        from django.core.management import call_command

        call_command("runserver", f"127.0.0.1:{arguments.port}", use_reloader=False, skip_checks=True)


if __name__ == "__main__":
    main()
