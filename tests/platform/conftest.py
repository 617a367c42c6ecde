"""Petra, a platform administrator; Alice (scan manager), Bob (reader) and Charlie (another organisation's
scan manager) from tests/conftest.py, and Dirk, a consultant of Alfa: none of them may see the platform."""

from __future__ import annotations

import pytest

from roer.organisations.models import Role
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def petra(db):  # type: ignore[no-untyped-def]
    return UserFactory(email="petra@roer.example", is_superuser=True, is_staff=True)


@pytest.fixture
def petra_client(petra):  # type: ignore[no-untyped-def]
    from django.conf import settings

    from tests.conftest import client_for

    client = client_for(petra)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the tests read the English source strings
    return client


@pytest.fixture
def dirk(organisation):  # type: ignore[no-untyped-def]
    return MembershipFactory(
        user=UserFactory(email="dirk@adviseur.example"), organisation=organisation, role=Role.ADVISEUR
    ).user
