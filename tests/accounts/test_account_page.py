"""The account page, reached from the user's name in the header: who Roer knows, their organisations with
their role, and the way to change the password (which was linked from nowhere)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_the_name_in_the_header_leads_to_the_account_page_and_on_to_the_password(alice_client, charlie):
    dashboard = alice_client.get("/").content.decode()
    assert 'href="/account/"' in dashboard
    with CaptureQueriesContext(connection) as captured:
        page = alice_client.get("/account/").content.decode()
    assert len(captured) == 3  # session, user, memberships with their organisations
    assert "<h1>Uw account</h1>" in page
    assert "Gemeente Alfa</a> · Beheerder" in page
    assert "Gemeente Bravo" not in page  # Charlie's organisation
    assert 'href="/password/change/"' in page
    assert alice_client.get("/password/change/").status_code == 200


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/account/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")
