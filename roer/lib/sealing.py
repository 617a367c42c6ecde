"""Sealing a respondent's draft with their own link, so that nobody can read it from the database.

The key comes from the link's token (HKDF-SHA256), which the server never stores: only the respondent's
e-mail holds it. AES-GCM encrypts and authenticates; the associated data binds the sealed bytes to the
invitation, so they cannot be moved to another one. Without the link, a copy of the database (or of the
old pages SQLite's write-ahead log and PostgreSQL's dead rows keep) holds only ciphertext.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_SALT = b"roer draft v1"
_NONCE_BYTES = 12


def _key(token: str, context: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=context.encode()).derive(token.encode())


def seal(token: str, context: str, data: bytes) -> bytes:
    """A fresh nonce and the authenticated ciphertext of `data`."""
    nonce = os.urandom(_NONCE_BYTES)
    return nonce + AESGCM(_key(token, context)).encrypt(nonce, data, context.encode())


def unseal(token: str, context: str, sealed: bytes) -> bytes | None:
    """The data, or None when this token (or context) did not seal it."""
    if len(sealed) <= _NONCE_BYTES:
        return None
    nonce, ciphertext = sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:]
    try:
        return AESGCM(_key(token, context)).decrypt(nonce, ciphertext, context.encode())
    except InvalidTag:
        return None
