"""A consultant, Anne, with clients of her own; organisations she has no membership of must stay invisible."""

from __future__ import annotations

import pytest

from roer.organisations.models import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def anne(db):  # type: ignore[no-untyped-def]
    return UserFactory(email="anne@adviseur.example")


def client_of(user, name: str, role: str = Role.ADVISEUR):  # type: ignore[no-untyped-def]
    """A new organisation where `user` has `role`."""
    organisation = OrganisationFactory(name=name)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return organisation


def english_client_for(user):  # type: ignore[no-untyped-def]
    """A logged-in client that asks for the English pages, so the tests read the English source strings."""
    from django.conf import settings

    from tests.conftest import client_for

    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
