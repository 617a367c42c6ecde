"""Unguessable link tokens that are stored only as a hash.

A token is 32 random bytes (256 bits) from `secrets`. The database keeps its SHA-256, so a copy of the
database does not reveal working links. A fast hash is enough here: unlike a password, the token has full
entropy, so there is nothing to brute-force. Lookups go through the indexed hash, and a mismatch reveals
nothing about a valid token.
"""

from __future__ import annotations

import hashlib
import re
import secrets

TOKEN_BYTES = 32
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_token() -> tuple[str, str]:
    """A fresh token and the hash to store."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", errors="replace")).hexdigest()


def looks_like_token(value: str) -> bool:
    """Cheap shape check, so malformed links are refused before touching the database."""
    return bool(_TOKEN_SHAPE.match(value))
