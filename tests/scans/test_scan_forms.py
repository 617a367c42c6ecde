"""Creating and editing a scan through the browser forms, including every kind of bad input."""

import datetime

import pytest
from django.utils import timezone

from roer.scans.models import Scan
from tests.helpers import close

pytestmark = pytest.mark.django_db


def create_data(version, **overrides):
    today = timezone.localdate()
    data = {
        "instrument_version": version.pk,
        "title": "Scan 2026",
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=14)).isoformat(),
        "include_directie": "on",
        "threshold_directie": "3",
        "include_management": "on",
        "threshold_management": "5",
        "threshold_informatievoorziening": "5",
        "include_medewerkers": "on",
        "threshold_medewerkers": "7",
    }
    data.update(overrides)
    return data


def test_the_form_offers_all_groups_with_their_default_thresholds(alice_client, organisation, instrument_version):
    response = alice_client.get(f"/organisations/{organisation.code}/scans/new/")
    form = response.context["form"]
    assert form["threshold_directie"].initial == 3
    assert form["threshold_medewerkers"].initial == 5
    assert form["instrument_version"].initial == instrument_version


def test_a_scan_is_created_with_the_chosen_groups(alice_client, alice, organisation, instrument_version):
    response = alice_client.post(f"/organisations/{organisation.code}/scans/new/", create_data(instrument_version))
    scan = Scan.objects.get()
    assert response.status_code == 302
    assert scan.created_by == alice
    assert dict(scan.groups.values_list("kind", "threshold")) == {"directie": 3, "management": 5, "medewerkers": 7}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"threshold_medewerkers": "2"}, "threshold_medewerkers", "herleiden"),
        ({"threshold_directie": "abc"}, "threshold_directie", "geheel getal"),
        ({"title": ""}, "title", "verplicht"),
        ({"title": "x" * 201}, "title", "200"),
        ({"opens_on": "31-02-2026"}, "opens_on", "geldige datum"),
        ({"closes_on": "2000-01-01"}, "closes_on", "verleden"),
        ({"instrument_version": "999999"}, "instrument_version", "genoemde instrumenten"),
    ],
)
def test_bad_input_gets_a_specific_message_and_keeps_what_was_typed(
    alice_client, organisation, instrument_version, overrides, field, message
):
    data = create_data(instrument_version, **overrides)
    response = alice_client.post(f"/organisations/{organisation.code}/scans/new/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert not Scan.objects.exists()
    # what was valid comes back filled in
    if field != "title":
        assert form["title"].value() == "Scan 2026"
    assert 'class="error-summary"' in response.content.decode()


def test_closing_before_opening_is_refused(alice_client, organisation, instrument_version):
    today = timezone.localdate()
    data = create_data(
        instrument_version,
        opens_on=(today + datetime.timedelta(days=10)).isoformat(),
        closes_on=(today + datetime.timedelta(days=5)).isoformat(),
    )
    response = alice_client.post(f"/organisations/{organisation.code}/scans/new/", data)
    assert "vóór de openingsdatum" in " ".join(response.context["form"].errors["closes_on"])


def test_a_scan_needs_at_least_one_group(alice_client, organisation, instrument_version):
    data = create_data(instrument_version)
    for kind in ("directie", "management", "medewerkers"):
        data.pop(f"include_{kind}")
    response = alice_client.post(f"/organisations/{organisation.code}/scans/new/", data)
    assert response.status_code == 200
    assert "minimaal één respondentgroep" in " ".join(response.context["form"].non_field_errors())


def test_editing_changes_title_dates_and_thresholds(alice_client, scan):
    response = alice_client.post(
        f"/scans/{scan.code}/edit/",
        {
            "title": "Nieuwe titel",
            "opens_on": scan.opens_on.isoformat(),
            "closes_on": scan.closes_on.isoformat(),
            "threshold_directie": "4",
            "threshold_management": "6",
            "threshold_informatievoorziening": "5",
            "threshold_medewerkers": "10",
        },
    )
    assert response.status_code == 302
    scan.refresh_from_db()
    assert scan.title == "Nieuwe titel"
    assert scan.groups.get(kind="medewerkers").threshold == 10


def test_editing_refuses_a_threshold_below_three(alice_client, scan):
    response = alice_client.post(
        f"/scans/{scan.code}/edit/",
        {
            "title": scan.title,
            "opens_on": scan.opens_on.isoformat(),
            "closes_on": scan.closes_on.isoformat(),
            "threshold_directie": "1",
            "threshold_management": "5",
            "threshold_informatievoorziening": "5",
            "threshold_medewerkers": "5",
        },
    )
    assert response.status_code == 200
    assert scan.groups.get(kind="directie").threshold == 3


def test_closing_asks_for_confirmation_first(alice_client, scan):
    page = alice_client.get(f"/scans/{scan.code}/close/")
    assert page.status_code == 200
    assert "ongedaan" in page.content.decode()
    scan.refresh_from_db()
    assert scan.closed_at is None
    assert alice_client.post(f"/scans/{scan.code}/close/").status_code == 302
    scan.refresh_from_db()
    assert scan.state == "closed"
    assert scan.closed_at is not None


def edit_data(scan, **overrides):
    data = {
        "title": scan.title,
        "opens_on": scan.opens_on.isoformat(),
        "closes_on": scan.closes_on.isoformat(),
        **{f"threshold_{group.kind}": str(group.threshold) for group in scan.groups.all()},
    }
    data.update(overrides)
    return data


def test_a_closed_scan_cannot_be_reopened_or_get_other_thresholds(alice_client, scan):
    """Two sets of figures for the same answers could be subtracted from each other."""
    close(scan)
    page = alice_client.get(f"/scans/{scan.code}/edit/").content.decode()
    assert "Deze scan is gesloten. De data en anonimiteitsdrempels blijven zoals ze waren" in page
    later = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = alice_client.post(
        f"/scans/{scan.code}/edit/",
        edit_data(scan, title="Nieuwe titel", closes_on=later, threshold_management="11"),
    )
    assert response.status_code == 302  # the title is saved; the posted dates and thresholds are ignored
    scan.refresh_from_db()
    assert scan.title == "Nieuwe titel"
    assert scan.closes_on != datetime.date.fromisoformat(later)
    assert scan.groups.get(kind="management").threshold == 5


def test_the_service_refuses_to_change_a_scan_closed_by_date_whatever_the_caller(scan):
    """Its closing date has passed, and no clock job has stored the closed state yet."""
    from django.core.exceptions import ValidationError

    from roer.lifecycle.editing import scan_update

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    scan.opens_on, scan.closes_on = yesterday - datetime.timedelta(days=10), yesterday
    scan.save()
    with pytest.raises(ValidationError) as raised:
        scan_update(
            scan=scan,
            title=scan.title,
            opens_on=scan.opens_on,
            closes_on=yesterday + datetime.timedelta(days=30),
            thresholds={"management": 11},
        )
    assert set(raised.value.message_dict) == {"closes_on", "threshold_management"}
    scan.refresh_from_db()
    assert scan.closes_on == yesterday
    assert scan.groups.get(kind="management").threshold == 5


def test_the_closing_date_of_an_open_scan_cannot_move_into_the_past(alice_client, scan):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = alice_client.post(
        f"/scans/{scan.code}/edit/", edit_data(scan, title="Kept", closes_on=yesterday.isoformat())
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "De sluitingsdatum kan niet in het verleden liggen." in page
    assert 'value="Kept"' in page  # what was typed stays in the form
    scan.refresh_from_db()
    assert scan.is_open
    assert scan.title == "Scan Alfa 2026"


def test_once_someone_answered_a_threshold_can_be_raised_but_not_lowered(alice_client, scan):
    from roer.scans.models import Invitation

    Invitation.objects.create(scan=scan, group=scan.groups.get(kind="medewerkers"), submitted=True)
    response = alice_client.post(f"/scans/{scan.code}/edit/", edit_data(scan, threshold_medewerkers="4"))
    assert response.status_code == 200
    assert "Er is al geantwoord onder een drempel van 5: die kan omhoog, niet omlaag." in response.content.decode()
    assert scan.groups.get(kind="medewerkers").threshold == 5
    response = alice_client.post(f"/scans/{scan.code}/edit/", edit_data(scan, threshold_medewerkers="8"))
    assert response.status_code == 302
    assert scan.groups.get(kind="medewerkers").threshold == 8


def test_an_open_scan_keeps_its_opening_date(alice_client, scan):
    """Moving it later would make a scan that has taken answers 'not yet open' on paper."""
    later = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    response = alice_client.post(f"/scans/{scan.code}/edit/", edit_data(scan, opens_on=later, title="Nieuw"))
    assert response.status_code == 302  # the title is saved; the posted opening date is ignored
    scan.refresh_from_db()
    assert (scan.title, scan.opens_on) == ("Nieuw", timezone.localdate() - datetime.timedelta(days=1))
    from django.core.exceptions import ValidationError

    from roer.lifecycle.editing import scan_update

    with pytest.raises(ValidationError) as refused:
        scan_update(
            scan=scan,
            title=scan.title,
            opens_on=datetime.date.fromisoformat(later),
            closes_on=scan.closes_on,
            thresholds={},
        )
    assert set(refused.value.message_dict) == {"opens_on"}


def test_a_group_left_out_needs_no_valid_threshold(alice_client, organisation, instrument_version):
    data = create_data(instrument_version, include_management="", threshold_management="abc")
    response = alice_client.post(f"/organisations/{organisation.code}/scans/new/", data)
    assert response.status_code == 302
    scan = Scan.objects.get(organisation=organisation)
    assert [group.kind for group in scan.groups.all()] == ["directie", "medewerkers"]
