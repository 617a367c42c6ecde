"""Ed25519 signatures over benchmark files.

The signed bytes are the payload as canonical JSON: keys sorted, no spaces, UTF-8, floats as Python
writes them (the shortest text that reads back as the same float). The file carries the payload as an
object beside the signature, so it stays readable; whoever checks it encodes the payload again the same
way, numbers as the file wrote them, so any change to a value, a key or the structure breaks the
signature (only whitespace between the JSON's parts may differ).

This installation's private key is read from `ROER_BENCHMARK_KEY_FILE` (PKCS#8 PEM); when that file does
not exist it is made on first use, readable by its owner only (mode 0600). A public key is written
`ed25519:` and the 32 raw bytes in base64; its fingerprint is the first 16 hex digits of their SHA-256.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import os
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

PREFIX = "ed25519:"


class InvalidPublicKey(ValueError):
    """A public key that is not an Ed25519 key in Roer's notation."""


class RawFloat(float):
    """A number as read from a file, with the text it was written as: the canonical form of a file read
    back uses that text, so a changed digit that happens to read as the same float still breaks the
    signature."""

    text: str

    @classmethod
    def parse(cls, text: str) -> RawFloat:
        number = cls(text)
        number.text = text
        return number


def loads(content: bytes) -> Any:
    """A file's JSON, its numbers with fractions as RawFloat (raises ValueError or UnicodeDecodeError)."""
    return json.loads(content.decode("utf-8"), parse_float=RawFloat.parse)


def _canonical(value: Any) -> str:
    if isinstance(value, dict):
        items = sorted(value.items())
        return "{" + ",".join(f"{_canonical(str(key))}:{_canonical(item)}" for key, item in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_canonical(item) for item in value) + "]"
    if isinstance(value, RawFloat):
        return value.text
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("no infinite or missing numbers in a signed file")
        return repr(value)
    if value is None or isinstance(value, bool | int | str):
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"{type(value).__name__} cannot be signed")


def canonical(payload: Any) -> bytes:
    """The signed bytes: JSON with keys sorted and no spaces; a float as Python writes it (the shortest
    text that reads back as the same float), or as the file wrote it when read back with `loads`."""
    return _canonical(payload).encode()


def _key_path() -> Path:
    return Path(settings.ROER_BENCHMARK_KEY_FILE)


def private_key() -> Ed25519PrivateKey:
    """This installation's signing key, made and stored (0600) on first use."""
    path = _key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it a moment ago: read that one
        else:
            with os.fdopen(descriptor, "wb") as file:
                file.write(pem)
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise InvalidPublicKey(f"{path} holds no Ed25519 private key")
    return loaded


def public_key_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return PREFIX + base64.b64encode(raw).decode()


def own_public_key() -> str:
    return public_key_text(private_key().public_key())


def parse_public_key(text: str) -> Ed25519PublicKey:
    """An `ed25519:<base64>` key (the prefix may be left out); InvalidPublicKey for anything else."""
    value = text.strip()
    if value.startswith(PREFIX):
        value = value[len(PREFIX) :]
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as error:
        raise InvalidPublicKey("not base64") from error
    if len(raw) != 32:
        raise InvalidPublicKey("an Ed25519 public key has 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def fingerprint(text: str) -> str:
    key = parse_public_key(text)
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def normalised(text: str) -> str:
    return public_key_text(parse_public_key(text))


def sign(payload: Any, key: Ed25519PrivateKey | None = None) -> str:
    signer = key or private_key()
    return base64.b64encode(signer.sign(canonical(payload))).decode()


def verify(payload: Any, signature: str, public_key: str) -> bool:
    """Whether `signature` (base64) is the key's signature over the payload's canonical JSON."""
    try:
        raw = base64.b64decode(signature, validate=True)
        parse_public_key(public_key).verify(raw, canonical(payload))
    except (binascii.Error, ValueError, TypeError, InvalidSignature):
        return False
    return True
