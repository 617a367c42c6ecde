"""Large numbers carry the thousands separator of the page's language."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_the_inhabitants_are_written_with_a_thousands_separator(organisation, alice_client):
    organisation.inhabitants = 162_400
    organisation.save(update_fields=["inhabitants"])
    assert "162.400 inwoners" in alice_client.get(f"/organisations/{organisation.code}/").content.decode()
    alice_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "162,400 inhabitants" in alice_client.get(f"/organisations/{organisation.code}/").content.decode()
