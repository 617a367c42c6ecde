"""What the test provider says about its users: their e-mail address (confirmed, except for users whose
name begins with "unverified"), their name, and a groups claim ("roer-beheerders" for staff)."""

from __future__ import annotations

from typing import Any

MANAGERS_GROUP = "roer-beheerders"


def userinfo(claims: dict[str, Any], user: Any) -> dict[str, Any]:
    claims["email"] = user.email
    claims["email_verified"] = not user.username.startswith("unverified")
    claims["name"] = f"{user.first_name} {user.last_name}".strip() or user.username
    return claims


def groups_in_id_token(id_token: dict[str, Any], user: Any, **kwargs: Any) -> dict[str, Any]:
    id_token["groups"] = [MANAGERS_GROUP] if user.is_staff else ["medewerkers"]
    return id_token
