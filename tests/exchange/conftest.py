from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable


@pytest.fixture(autouse=True)
def _own_signing_key(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """This (the importing) installation's key in the test's own directory."""
    settings.ROER_BENCHMARK_KEY_FILE = tmp_path / "this-installation.pem"
    settings.ROER_INSTALLATION_NAME = "Roer Zuid"


@pytest.fixture
def petra(db):  # type: ignore[no-untyped-def]
    return UserFactory(email="petra@roer.example", is_superuser=True, is_staff=True)


@pytest.fixture
def petra_client(petra):  # type: ignore[no-untyped-def]
    from django.conf import settings

    from tests.conftest import client_for

    client = client_for(petra)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@dataclass(frozen=True)
class OtherInstallation:
    """Another Roer installation: its own SQLite database and var directory (so its own signing key),
    driven only through its commands."""

    directory: Path
    public_key: str  # as `export_benchmark --public-key` prints it
    older: bytes  # its first export
    newer: bytes  # its second, a moment later

    @property
    def private_key(self) -> Ed25519PrivateKey:
        """Its private key, read from its var directory: only to make files it could have signed."""
        key = serialization.load_pem_private_key((self.directory / "benchmark-signing-key.pem").read_bytes(), None)
        assert isinstance(key, Ed25519PrivateKey)
        return key


def _run(directory: Path, *arguments: str) -> str:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_URL", "ROER_", "DJANGO_"))
    }
    environment.update(
        DATABASE_URL=f"sqlite:///{directory / 'other.sqlite3'}",
        ROER_VAR_DIR=str(directory),
        ROER_INSTALLATION_NAME="Roer Noord",
        DJANGO_SETTINGS_MODULE="roer.settings",
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [PYTHON, *arguments], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="session")
def other_installation(tmp_path_factory) -> OtherInstallation:  # type: ignore[no-untyped-def]
    directory = tmp_path_factory.mktemp("roer-noord")
    _run(directory, "manage.py", "migrate", "--verbosity", "0")
    _run(directory, "-m", "tests.exchange.other_installation")
    _run(directory, "manage.py", "export_benchmark", "--output", str(directory / "older.json"))
    _run(directory, "manage.py", "export_benchmark", "--output", str(directory / "newer.json"))
    public_key = _run(directory, "manage.py", "export_benchmark", "--public-key").strip()
    return OtherInstallation(
        directory, public_key, (directory / "older.json").read_bytes(), (directory / "newer.json").read_bytes()
    )
