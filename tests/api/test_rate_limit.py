"""The limit per key: beyond it 429 with Retry-After and a JSON message; other keys go on."""

from __future__ import annotations

import pytest

from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_beyond_the_limit_is_429_with_retry_after(settings, read_key, write_key):
    settings.ROER_API_RATE = "3/m"
    reader = ApiClient(read_key.token)
    assert [reader.get("/organisation").status_code for _ in range(3)] == [200, 200, 200]
    response = reader.get("/organisation")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["detail"]
    assert ApiClient(write_key.token).get("/organisation").status_code == 200  # counted per key
    english = ApiClient(read_key.token, language="en").get("/organisation")
    assert english.json()["detail"].startswith("Too many requests")


def test_the_default_is_120_a_minute(read_key):
    reader = ApiClient(read_key.token)
    statuses = [reader.get("/organisation").status_code for _ in range(121)]
    assert statuses[:120] == [200] * 120
    assert statuses[120] == 429


def test_last_use_is_noted_to_the_minute(read_key):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reader = ApiClient(read_key.token)
    reader.get("/organisation")
    read_key.key.refresh_from_db()
    assert read_key.key.last_used_at is not None
    with CaptureQueriesContext(connection) as captured:
        reader.get("/organisation")
    assert not [query for query in captured if query["sql"].startswith("UPDATE")]
