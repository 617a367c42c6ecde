"""A method an address does not take is refused in JSON, like every other error of the API."""

from __future__ import annotations

import pytest

from tests.api.conftest import API

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["put", "delete"])
def test_a_method_the_address_does_not_take_is_a_json_405_with_allow(writer, scan, method):
    response = getattr(writer.client, method)(f"{API}/scans/{scan.code}/invitations", headers=writer.headers)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response["Allow"] == "POST"
    assert response.json() == {"detail": f"Dit adres neemt geen {method.upper()} aan."}
