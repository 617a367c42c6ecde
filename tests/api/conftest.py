from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from roer.api.keys import NewKey, key_create
from roer.api.models import ApiKeyScope

API = "/api/v1"


class ApiClient:
    """A Django test client that sends one key with every request."""

    def __init__(self, token: str | None, language: str | None = None) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if token is not None:
            self.headers["Authorization"] = f"Bearer {token}"
        if language:
            self.headers["Accept-Language"] = language

    def get(self, path: str, **params: Any):  # type: ignore[no-untyped-def]
        return self.client.get(f"{API}{path}", params, headers=self.headers)

    def post(self, path: str, data: Any):  # type: ignore[no-untyped-def]
        return self.client.post(f"{API}{path}", data, content_type="application/json", headers=self.headers)

    def patch(self, path: str, data: Any):  # type: ignore[no-untyped-def]
        return self.client.patch(f"{API}{path}", data, content_type="application/json", headers=self.headers)


@pytest.fixture
def read_key(organisation, alice) -> NewKey:  # type: ignore[no-untyped-def]
    return key_create(organisation=organisation, user=alice, name="Dashboard", scope=ApiKeyScope.READ)


@pytest.fixture
def write_key(organisation, alice) -> NewKey:  # type: ignore[no-untyped-def]
    return key_create(organisation=organisation, user=alice, name="Personeelssysteem", scope=ApiKeyScope.WRITE)


@pytest.fixture
def other_key(other_organisation, charlie) -> NewKey:  # type: ignore[no-untyped-def]
    return key_create(organisation=other_organisation, user=charlie, name="Bravo", scope=ApiKeyScope.WRITE)


@pytest.fixture
def reader(read_key) -> ApiClient:  # type: ignore[no-untyped-def]
    return ApiClient(read_key.token)


@pytest.fixture
def writer(write_key) -> ApiClient:  # type: ignore[no-untyped-def]
    return ApiClient(write_key.token)
