"""One scan for several clients: each exactly as the single scan form makes it, all or none, and only for
organisations whose scans the user runs."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from roer.lifecycle.portfolio import scans_create_for_clients
from roer.organisations.models import Role
from roer.scans import services
from roer.scans.models import RespondentGroup, Scan, ScanState, instrument_groups
from tests.factories import OrganisationFactory, ScanFactory
from tests.groups import GroupKind
from tests.portfolio.conftest import client_of, english_client_for

pytestmark = pytest.mark.django_db


def _form(instrument_version, *clients, **changes):  # type: ignore[no-untyped-def]
    data = {
        "clients": [str(client.pk) for client in clients],
        "instrument_version": str(instrument_version.pk),
        "title": "Scan digitaal leiderschap 2026",
        "opens_on": "2026-04-01",
        "closes_on": "2026-04-22",
        "retention_days": "90",
        "include_directie": "on",
        "threshold_directie": "3",
        "include_medewerkers": "on",
        "threshold_medewerkers": "7",
        "threshold_management": "5",
        "threshold_informatievoorziening": "5",
    }
    data.update(changes)
    return data


def test_a_scan_is_created_for_every_chosen_client_as_the_single_form_makes_it(anne, instrument_version):
    one, two = client_of(anne, "Gemeente Een"), client_of(anne, "Gemeente Twee", role=Role.BEHEERDER)
    client_of(anne, "Gemeente Drie")  # not chosen
    client = english_client_for(anne)
    response = client.post("/portfolio/scans/new/", _form(instrument_version, one, two))
    assert response.status_code == 302
    assert response.url == "/portfolio/scans/created/"
    scans = list(Scan.objects.order_by("organisation__name"))
    assert [scan.organisation for scan in scans] == [one, two]
    for scan in scans:
        assert scan.title == "Scan digitaal leiderschap 2026"
        assert (str(scan.opens_on), str(scan.closes_on)) == ("2026-04-01", "2026-04-22")
        assert scan.state == ScanState.PLANNED
        assert scan.retention_days == 90
        assert scan.created_by == anne
        assert dict(scan.groups.values_list("kind", "threshold")) == {"directie": 3, "medewerkers": 7}
    page = client.get(response.url).content.decode()
    for scan in scans:
        assert f'href="/scans/{scan.code}/invitees/"' in page
    assert "Gemeente Drie" not in page


def test_an_organisation_where_the_user_only_reads_is_neither_offered_nor_accepted(anne, instrument_version):
    mine = client_of(anne, "Gemeente Een")
    read_only = client_of(anne, "Gemeente Lezen", role=Role.LEZER)
    stranger = OrganisationFactory(name="Gemeente Vreemd")
    client = english_client_for(anne)
    form = client.get("/portfolio/scans/new/").content.decode()
    assert "Gemeente Een" in form
    assert "Gemeente Lezen" not in form
    assert "Gemeente Vreemd" not in form
    for other in (read_only, stranger):
        response = client.post("/portfolio/scans/new/", _form(instrument_version, mine, other))
        assert response.status_code == 200
        assert "Choose only organisations whose scans you run." in response.content.decode()
    assert not Scan.objects.exists()


def test_a_reader_of_two_organisations_cannot_create_scans_for_them(instrument_version, db):
    from tests.factories import UserFactory

    reader = UserFactory()
    first = client_of(reader, "Gemeente Een", role=Role.LEZER)
    second = client_of(reader, "Gemeente Twee", role=Role.LEZER)
    client = english_client_for(reader)
    assert client.get("/portfolio/scans/new/").status_code == 403
    assert client.post("/portfolio/scans/new/", _form(instrument_version, first, second)).status_code == 403
    assert not Scan.objects.exists()


def test_access_withdrawn_for_one_client_creates_nothing_for_any(anne, instrument_version):
    one = client_of(anne, "Gemeente Een")
    two = client_of(anne, "Gemeente Twee")
    two.memberships.filter(user=anne).update(role=Role.LEZER)  # between the form and the save
    with pytest.raises(PermissionDenied):
        scans_create_for_clients(
            user=anne,
            organisations=[one, two],
            instrument_version=instrument_version,
            title="Scan",
            opens_on=ScanFactory.build().opens_on,
            closes_on=ScanFactory.build().closes_on,
            thresholds={GroupKind.MEDEWERKERS: 5},
        )
    assert not Scan.objects.filter(organisation=one).exists()  # made first, rolled back


def test_when_one_client_fails_no_scan_is_created_and_the_form_says_which(anne, instrument_version, monkeypatch):
    one, two, three = (client_of(anne, f"Gemeente {name}") for name in ("Een", "Twee", "Drie"))
    real = services.scan_create

    def failing_for_two(**kwargs):  # type: ignore[no-untyped-def]
        if kwargs["organisation"] == two:
            raise ValidationError({"title": "refused"})
        return real(**kwargs)

    monkeypatch.setattr(services, "scan_create", failing_for_two)
    response = english_client_for(anne).post("/portfolio/scans/new/", _form(instrument_version, one, two, three))
    assert response.status_code == 200
    assert "because the one for Gemeente Twee could not be: refused" in response.content.decode()
    assert not Scan.objects.exists()  # Gemeente Drie (first by name) and Een were made, then rolled back


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"clients": []}, "Choose at least one client."),
        ({"closes_on": "2026-03-20", "opens_on": "2026-03-25"}, "The closing date cannot be before the opening date."),
        (
            {"closes_on": "2026-03-01", "opens_on": "2026-02-01"},
            "The closing date of a new scan cannot lie in the past.",
        ),
        ({"threshold_medewerkers": "2"}, "A threshold below 3 would make answers traceable to a person."),
        ({"include_directie": "", "include_medewerkers": ""}, "Choose at least one group of respondents."),
        ({"clients": ["x"]}, "Choose only organisations whose scans you run."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_created(anne, instrument_version, changes, message):
    one = client_of(anne, "Gemeente Een")
    response = english_client_for(anne).post("/portfolio/scans/new/", _form(instrument_version, one, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Scan.objects.exists()


def test_groups_and_thresholds_can_be_taken_from_an_existing_scan(anne, instrument_version):
    one = client_of(anne, "Gemeente Een")
    source = ScanFactory(organisation=one, instrument_version=instrument_version, title="Vorig jaar", groups=[])
    RespondentGroup.objects.bulk_create(instrument_groups(source, ["management"], {"management": 8}))
    page = english_client_for(anne).get(f"/portfolio/scans/new/?source={source.code}").content.decode()
    assert "The groups and thresholds below are those of “Vorig jaar” (Gemeente Een)." in page
    assert 'name="threshold_management" value="8"' in page
    assert 'name="include_management" id="id_include_management" checked' in page
    assert 'name="include_medewerkers" id="id_include_medewerkers" checked' not in page


def test_a_scan_of_an_organisation_without_membership_cannot_be_the_source(anne, instrument_version):
    client_of(anne, "Gemeente Een")
    secret = ScanFactory(
        organisation=OrganisationFactory(name="Gemeente Vreemd"),
        instrument_version=instrument_version,
        title="Geheim",
        groups=[],
    )
    RespondentGroup.objects.bulk_create(instrument_groups(secret, ["management"], {"management": 9}))
    for source in (secret.code, "not-a-code"):
        page = english_client_for(anne).get(f"/portfolio/scans/new/?source={source}").content.decode()
        assert "Geheim" not in page
        assert "Gemeente Vreemd" not in page
        assert 'value="9"' not in page
        assert "Choose one of the scans listed." in page or "valid UUID" in page
