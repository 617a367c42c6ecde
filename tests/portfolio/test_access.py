"""Who reaches the portfolio's pages: a visitor is sent to log in; the scan manager of one organisation
(owner), a reader (colleague) and the manager of another organisation (outsider) get the page that says there
is no portfolio; a consultant gets the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from roer.scans.models import Scan
from tests.conftest import client_for
from tests.portfolio.conftest import client_of

pytestmark = pytest.mark.django_db

NAMES = ["portfolio:board", "portfolio:report", "portfolio:report_csv", "portfolio:scans_new", "portfolio:created"]


@pytest.mark.parametrize("name", NAMES)
def test_a_visitor_is_sent_to_log_in(name, client):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith("/login/")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("who", ["alice", "bob", "charlie"])
def test_owner_colleague_and_outsider_have_no_portfolio(name, who, request):  # type: ignore[no-untyped-def]
    response = client_for(request.getfixturevalue(who)).get(reverse(name))
    assert response.status_code == 403
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", NAMES)
def test_a_consultant_reaches_every_page(name, anne):
    client_of(anne, "Gemeente Een")
    assert client_for(anne).get(reverse(name)).status_code == 200


def test_the_list_of_created_scans_shows_only_scans_the_user_runs(anne, charlie, other_scan, scan):
    client_of(anne, "Gemeente Een")
    client = client_for(anne)
    session = client.session
    session["roer_portfolio_created"] = [str(scan.code), str(other_scan.code)]  # neither is hers
    session.save()
    page = client.get(reverse("portfolio:created")).content.decode()
    assert str(scan.code) not in page
    assert str(other_scan.code) not in page
    assert Scan.objects.count() == 2


def test_creating_is_post_only_with_csrf(anne, instrument_version):
    from django.test import Client

    client_of(anne, "Gemeente Een")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(anne)
    assert strict.post(reverse("portfolio:scans_new"), {}).status_code == 403
    assert not Scan.objects.exists()
