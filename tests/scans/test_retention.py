"""Retention and data protection: personal data goes when its time is up, results stay reproducible, and an
organisation's data can be exported whole and deleted whole."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from roer.audit.models import AuditEvent
from roer.lifecycle.retention import personal_data_purge
from roer.organisations.models import Organisation
from roer.responses.models import Response, ResponseDraft
from roer.results.selectors import scan_results
from roer.scans.models import AccessToken, Invitation, Scan
from tests.conftest import link_for
from tests.factories import InvitationFactory
from tests.groups import GroupKind
from tests.helpers import closed_scan_with, saved_draft, stored_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_scan(organisation, instrument_version):
    """Closed 100 days ago, kept for the default 90 days, with one invitee who never finished."""
    scan = closed_scan_with(
        organisation,
        instrument_version,
        {"medewerkers": [3] * 6},
        closes_on=timezone.localdate() - datetime.timedelta(days=100),
    )
    unfinished = InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS), email="late@x.example")
    saved_draft(unfinished, link_for(unfinished), {"ken_tijd": 4})
    return scan


def test_personal_data_is_removed_after_the_retention_period_and_results_stay_the_same(old_scan, capsys):
    before = scan_results(old_scan)
    call_command("purge_personal_data")
    assert "7 e-mail address(es) removed" in capsys.readouterr().out
    assert not Invitation.objects.filter(scan=old_scan, email__isnull=False).exists()
    assert not AccessToken.objects.filter(invitation__scan=old_scan).exists()
    assert not ResponseDraft.objects.filter(invitation__scan=old_scan).exists()
    assert Invitation.objects.filter(scan=old_scan).count() == 7  # counts stay, so response rates stay
    old_scan.refresh_from_db()
    assert old_scan.personal_data_removed_at is not None
    after = scan_results(old_scan)
    assert after.scores == before.scores
    assert [rate.rate for rate in after.rates] == [rate.rate for rate in before.rates]
    assert Response.objects.filter(scan=old_scan).count() == 6


def test_running_the_purge_again_removes_nothing_more(old_scan, capsys):
    call_command("purge_personal_data")
    call_command("purge_personal_data")
    assert "0 scan(s), 0 e-mail address(es) removed." in capsys.readouterr().out


def test_a_scan_within_its_retention_period_keeps_its_invitees(organisation, instrument_version):
    recent = closed_scan_with(organisation, instrument_version, {"medewerkers": [3] * 5})
    assert personal_data_purge() == []
    assert Invitation.objects.filter(scan=recent, email__isnull=False).count() == 5


def test_a_shorter_retention_period_set_on_the_scan_counts(organisation, instrument_version):
    scan = closed_scan_with(
        organisation,
        instrument_version,
        {"medewerkers": [3] * 5},
        closes_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    scan.retention_days = 7
    scan.save()
    [removed] = personal_data_purge()
    assert removed.scan == scan


def test_a_dry_run_only_reports(old_scan, capsys):
    call_command("purge_personal_data", "--dry-run")
    assert "would remove 7" in capsys.readouterr().out
    assert Invitation.objects.filter(scan=old_scan, email__isnull=False).count() == 7


def test_an_open_scan_is_never_purged(scan):
    InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS))
    assert personal_data_purge() == []


def test_a_response_cannot_be_joined_to_an_invitation_on_any_column(organisation, instrument_version):
    scan = closed_scan_with(organisation, instrument_version, {"medewerkers": [1, 2, 3, 4, 5]})
    invitation_values = {
        value
        for row in Invitation.objects.filter(scan=scan).values()
        for key, value in row.items()
        if key not in ("scan_id", "group_id", "language", "submitted")
    }
    invitation_values |= set(AccessToken.objects.values_list("token_hash", flat=True))
    invitation_values |= set(AccessToken.objects.values_list("id", flat=True))
    for row in Response.objects.filter(scan=scan).values():
        for key, value in row.items():
            if key in ("scan_id", "group_id", "instrument_version_id"):
                continue  # shared by everyone in the group, by design
            assert value not in invitation_values, f"Response.{key} matches an invitation value"
        assert isinstance(row["submitted_on"], datetime.date)
        assert not isinstance(row["submitted_on"], datetime.datetime)


def test_an_organisation_is_exported_whole(organisation, instrument_version, tmp_path, capsys):
    scan = closed_scan_with(organisation, instrument_version, {"medewerkers": [3] * 5})
    output = tmp_path / "export.json"
    call_command("export_organisation", str(organisation.code), str(output))
    records = json.loads(output.read_text(encoding="utf-8"))
    models = {record["model"] for record in records}
    assert {
        "organisations.organisation",
        "scans.scan",
        "scans.invitation",
        "responses.response",
    } <= models
    assert "scans.accesstoken" not in models
    assert sum(1 for r in records if r["model"] == "responses.response") == 5
    assert str(scan.code) in output.read_text(encoding="utf-8")


def test_an_organisation_is_deleted_whole_and_others_are_untouched(
    organisation, other_organisation, instrument_version, capsys
):
    closed_scan_with(organisation, instrument_version, {"medewerkers": [3] * 5})
    kept = closed_scan_with(other_organisation, instrument_version, {"medewerkers": [4] * 5})
    AuditEvent.objects.create(user_email="a@b.c", organisation=organisation, action="export_downloaded", subject="x")
    with pytest.raises(Exception, match="--yes"):
        call_command("delete_organisation", str(organisation.code))
    call_command("delete_organisation", str(organisation.code), "--yes")
    assert not Organisation.objects.filter(pk=organisation.pk).exists()
    assert set(Scan.objects.values_list("pk", flat=True)) == {kept.pk}
    assert Response.objects.count() == 5
    assert all(stored_answers(response) for response in Response.objects.filter(scan=kept))
    assert not AuditEvent.objects.exists()
