"""Cancelling a scan nobody answered, deleting one (audited), copying one for its next round, confirming
the removal of an invitee, and the close page's dry run of what the results would hide."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from roer.audit.models import AuditAction, AuditEvent
from roer.instruments.models import InstrumentVersion
from roer.lib.tokens import new_token
from roer.lifecycle.answering import answers_submit
from roer.lifecycle.copying import scan_copy
from roer.lifecycle.mailing import mailing_plan
from roer.lifecycle.retention import scans_due
from roer.lifecycle.scan_life import ScanAnsweredError, ScanStateError, guarded, scan_cancel
from roer.results.closing import Outlook, close_preview
from roer.scans.models import Invitation, Mailing, MailingKind, Scan, ScanState
from tests.conftest import link_for
from tests.factories import InvitationFactory, ScanFactory
from tests.groups import GroupKind
from tests.helpers import answer_directly, saved_draft


def _answers(version, value: int = 3, *, dont_know: frozenset[str] = frozenset()):  # type: ignore[no-untyped-def]
    """Every scaled question answered with `value` (within each scale), "don't know" on the dimensions named."""
    definition = version.parsed
    given: dict[str, int | None] = {}
    for _pillar, dimension in definition.dimensions():
        for item in dimension.items:
            given[item.code] = None if dimension.code in dont_know else value
    if definition.developments:
        for development in definition.developments.items:
            given[development.knowledge_code] = 2
            given[development.impact_code] = 2
    for question in definition.reference_questions:
        given[question.code] = 2
    return given


def _respondents(scan, kind: GroupKind, count: int, **answers):  # type: ignore[no-untyped-def]
    group = scan.groups.get(kind=kind)
    for number in range(count):
        invitation = Invitation.objects.create(scan=scan, group=group, email=f"{kind}{number}@{scan.pk}.example")
        assert answer_directly(invitation, _answers(scan.instrument_version, **answers))


def _planned_scan(organisation, instrument_version):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return ScanFactory(
        organisation=organisation,
        instrument_version=instrument_version,
        opens_on=today + datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=20),
    )


@pytest.mark.django_db
class TestCancelling:
    def test_a_scan_nobody_answered_is_cancelled_with_its_planned_mails_and_an_audit_line(self, alice_client, scan):
        InvitationFactory(scan=scan, sent_at=None)
        mailing_plan(scan=scan, kind=MailingKind.REMINDERS, send_on=scan.closes_on, requested_by=None, base_url="")
        assert alice_client.get(f"/scans/{scan.code}/cancel/").status_code == 200
        assert alice_client.post(f"/scans/{scan.code}/cancel/").status_code == 302
        scan.refresh_from_db()
        assert scan.state == ScanState.CANCELLED
        assert scan.closed_on == timezone.localdate()
        assert not Mailing.objects.filter(scan=scan).exists()
        event = AuditEvent.objects.get(action=AuditAction.SCAN_CANCELLED)
        assert (event.user_email, event.organisation_id, event.subject) == (
            "alice@alfa.example",
            scan.organisation_id,
            scan.title,
        )
        page = alice_client.get(f"/scans/{scan.code}/")
        assert page.context["state"] == "cancelled"
        assert 'class="status status--cancelled"' in page.content.decode()
        assert f"/scans/{scan.code}/close/" not in page.content.decode()

    def test_a_planned_scan_can_be_cancelled_too(self, alice, organisation, instrument_version):
        planned = _planned_scan(organisation, instrument_version)
        assert scan_cancel(scan=planned, user=alice).state == ScanState.CANCELLED

    def test_a_scan_with_an_answer_is_not_cancelled(self, alice, alice_client, scan):
        answer_directly(InvitationFactory(scan=scan), _answers(scan.instrument_version))
        page = alice_client.get(f"/scans/{scan.code}/cancel/")
        assert page.context["answered"] is True
        assert b'method="post"' not in page.content.split(b"<main")[-1]
        alice_client.post(f"/scans/{scan.code}/cancel/")
        scan.refresh_from_db()
        assert scan.current_state is ScanState.OPEN
        with pytest.raises(ScanAnsweredError):
            scan_cancel(scan=scan, user=alice)
        assert not AuditEvent.objects.filter(action=AuditAction.SCAN_CANCELLED).exists()

    def test_a_saved_draft_counts_as_an_answer_in_progress(self, alice, scan):
        invitation = InvitationFactory(scan=scan)
        saved_draft(invitation, link_for(invitation), {"ken_tijd": 3})
        with pytest.raises(ScanAnsweredError):
            scan_cancel(scan=scan, user=alice)
        scan.refresh_from_db()
        assert scan.current_state is ScanState.OPEN

    def test_an_answer_stored_under_the_lock_just_before_the_cancel_wins(self, alice, scan):
        """The answer holds the scan's row while it is stored; the cancel that takes the row next must
        see it. Were the check made before taking the lock, this cancel would go through."""
        invitation = InvitationFactory(scan=scan)
        with guarded(scan, ScanState.OPEN, shared=True):
            token, _hash = new_token()
            assert answers_submit(
                invitation=invitation,
                token=token,
                answers=_answers(scan.instrument_version),
                cleared=set(),
                open_answers={},
                page=1,
            )
            with pytest.raises(ScanAnsweredError):
                scan_cancel(scan=scan, user=alice)
        scan.refresh_from_db()
        assert scan.current_state is ScanState.OPEN

    def test_an_answer_after_the_cancel_is_refused_with_the_cancelled_page(self, alice, client, scan):
        invitation = InvitationFactory(scan=scan)
        link = link_for(invitation)
        scan_cancel(scan=scan, user=alice)
        with pytest.raises(ScanStateError) as refused:
            answer_directly(invitation, _answers(scan.instrument_version))
        assert refused.value.state is ScanState.CANCELLED
        assert refused.value.message  # was a KeyError: a 500 for the respondent
        page = client.get(link, follow=True)
        assert page.status_code == 410
        assert page.context["state"] == "cancelled"
        posted = client.post(f"{link}1/", {"page": "1", "action": "next"})
        assert posted.status_code == 410
        assert posted.context["state"] == "cancelled"
        assert not scan.responses.exists()

    def test_a_cancelled_scan_is_not_edited_opened_mailed_or_closed(
        self, alice, alice_client, organisation, instrument_version
    ):
        planned = _planned_scan(organisation, instrument_version)
        scan_cancel(scan=planned, user=alice)
        base = f"/scans/{planned.code}/"
        assert alice_client.get(f"{base}edit/").status_code == 302
        edit = alice_client.post(
            f"{base}edit/",
            {"title": "New", "opens_on": planned.opens_on, "closes_on": planned.closes_on, "retention_days": 30},
        )
        assert edit.status_code == 302
        invitees = alice_client.post(
            f"{base}invitees/", {"source": "paste", "paste-addresses": "a@b.example", "paste-language": "nl"}
        )
        assert invitees.status_code == 302
        assert alice_client.post(f"{base}send/invitations/").status_code == 302
        plan = alice_client.post(f"{base}mailings/plan/", {"kind": "invitations", "send_on": "2026-03-25"})
        assert plan.status_code == 302
        assert alice_client.get(f"{base}close/").context["state"] == "cancelled"
        assert alice_client.post(f"{base}close/").status_code == 302
        results = alice_client.get(f"{base}results/")
        assert results.context["state"] == "cancelled"
        # the calendar does not open it either
        planned.refresh_from_db()
        assert planned.state_on(planned.opens_on + datetime.timedelta(days=1)) is ScanState.CANCELLED
        assert (planned.state, planned.title, planned.invitations.count()) == (ScanState.CANCELLED, planned.title, 0)
        assert not Mailing.objects.filter(scan=planned).exists()

    def test_a_reader_may_not_cancel_and_another_organisation_does_not_find_the_scan(
        self, bob_client, charlie_client, scan
    ):
        assert bob_client.get(f"/scans/{scan.code}/cancel/").status_code == 403
        assert bob_client.post(f"/scans/{scan.code}/cancel/").status_code == 403
        assert charlie_client.get(f"/scans/{scan.code}/cancel/").status_code == 404
        assert charlie_client.post(f"/scans/{scan.code}/cancel/").status_code == 404
        scan.refresh_from_db()
        assert scan.current_state is ScanState.OPEN

    def test_a_second_cancel_changes_nothing(self, alice, alice_client, scan):
        scan_cancel(scan=scan, user=alice)
        assert alice_client.post(f"/scans/{scan.code}/cancel/").status_code == 302
        assert AuditEvent.objects.filter(action=AuditAction.SCAN_CANCELLED).count() == 1

    def test_a_cancelled_scans_addresses_go_when_its_retention_period_ends(self, alice, scan):
        InvitationFactory(scan=scan)
        scan_cancel(scan=scan, user=alice)
        scan.refresh_from_db()
        due = timezone.localdate() + datetime.timedelta(days=scan.retention_days)
        assert scan not in scans_due(due - datetime.timedelta(days=1))
        assert scan in scans_due(due)


@pytest.mark.django_db
class TestDeleting:
    def test_a_deletion_is_audited(self, alice_client, scan):
        title = scan.title
        assert alice_client.post(f"/scans/{scan.code}/delete/").status_code == 302
        assert not Scan.objects.filter(pk=scan.pk).exists()
        event = AuditEvent.objects.get(action=AuditAction.SCAN_DELETED)
        assert event.user_email == "alice@alfa.example"
        assert title in event.subject

    def test_a_scan_with_answers_is_neither_deleted_nor_audited(self, alice_client, bob_client, charlie_client, scan):
        answer_directly(InvitationFactory(scan=scan), _answers(scan.instrument_version))
        assert alice_client.get(f"/scans/{scan.code}/delete/").context["answered"] is True
        alice_client.post(f"/scans/{scan.code}/delete/")
        assert bob_client.post(f"/scans/{scan.code}/delete/").status_code == 403
        assert charlie_client.post(f"/scans/{scan.code}/delete/").status_code == 404
        assert Scan.objects.filter(pk=scan.pk).exists()
        assert not AuditEvent.objects.filter(action=AuditAction.SCAN_DELETED).exists()

    def test_a_cancelled_scan_can_be_deleted(self, alice, alice_client, scan):
        scan_cancel(scan=scan, user=alice)
        assert alice_client.post(f"/scans/{scan.code}/delete/").status_code == 302
        assert not Scan.objects.filter(pk=scan.pk).exists()


def _copy_data(**changes: object) -> dict[str, object]:
    return {
        "title": "Scan Alfa 2027",
        "opens_on": "2027-03-01",
        "closes_on": "2027-03-21",
        "with_invitees": "on",
    } | changes


@pytest.mark.django_db
class TestCopying:
    def test_the_copy_keeps_groups_thresholds_and_invitees_unsent(self, alice_client, scan):
        scan.groups.filter(kind=GroupKind.MANAGEMENT).update(threshold=7)
        management = scan.groups.get(kind=GroupKind.MANAGEMENT)
        InvitationFactory(scan=scan, group=management, email="m@alfa.example", language="en")
        InvitationFactory(scan=scan, email="s@alfa.example")
        InvitationFactory(scan=scan, email=None)  # removed by the retention period: not copied
        answer_directly(InvitationFactory(scan=scan, email="done@alfa.example"), _answers(scan.instrument_version))
        assert alice_client.get(f"/scans/{scan.code}/").context["copy_form"] is not None
        response = alice_client.post(f"/scans/{scan.code}/copy/", _copy_data())
        copy = Scan.objects.exclude(pk=scan.pk).get()
        assert response.status_code == 302
        assert response["Location"] == f"/scans/{copy.code}/"
        assert (copy.title, copy.opens_on, copy.closes_on) == (
            "Scan Alfa 2027",
            datetime.date(2027, 3, 1),
            datetime.date(2027, 3, 21),
        )
        assert (copy.state, copy.organisation_id, copy.retention_days) == (
            ScanState.PLANNED,
            scan.organisation_id,
            scan.retention_days,
        )
        assert {(g.kind, g.threshold) for g in copy.groups.all()} == {(g.kind, g.threshold) for g in scan.groups.all()}
        copied = {(i.email, i.group.kind, i.language, i.sent_at, i.submitted) for i in copy.invitations.all()}
        assert copied == {
            ("m@alfa.example", "management", "en", None, False),
            ("s@alfa.example", "medewerkers", "nl", None, False),
            ("done@alfa.example", "medewerkers", "nl", None, False),
        }
        assert not copy.responses.exists()
        event = AuditEvent.objects.get(action=AuditAction.SCAN_COPIED)
        assert "Scan Alfa 2027" in event.subject

    def test_without_invitees_only_the_groups_are_copied(self, alice_client, scan):
        InvitationFactory(scan=scan)
        alice_client.post(f"/scans/{scan.code}/copy/", _copy_data(with_invitees=""))
        copy = Scan.objects.exclude(pk=scan.pk).get()
        assert copy.groups.count() == scan.groups.count()
        assert not copy.invitations.exists()

    def test_the_copy_uses_the_newest_version_of_the_instrument(self, alice, scan, instrument_version):
        newer = InstrumentVersion.objects.create(
            instrument=instrument_version.instrument,
            number=instrument_version.number + 1,
            content_hash="0" * 64,
            definition=instrument_version.definition,
            source_name=instrument_version.source_name,
            source_text=instrument_version.source_text,
            published_at=timezone.now(),
        )
        InstrumentVersion.objects.filter(pk=newer.pk).update(loaded_at=timezone.now() + datetime.timedelta(days=1))
        copy = scan_copy(
            scan=scan,
            user=alice,
            title="Next",
            opens_on=datetime.date(2027, 3, 1),
            closes_on=datetime.date(2027, 3, 2),
            with_invitees=False,
        )
        assert copy.instrument_version_id == newer.pk

    def test_bad_dates_are_a_form_error(self, alice_client, scan):
        reversed_dates = alice_client.post(f"/scans/{scan.code}/copy/", _copy_data(closes_on="2027-02-01"))
        past = alice_client.post(f"/scans/{scan.code}/copy/", _copy_data(opens_on="2020-01-01", closes_on="2020-02-01"))
        nonsense = alice_client.post(f"/scans/{scan.code}/copy/", _copy_data(opens_on="soon", title=""))
        for response in (reversed_dates, past, nonsense):
            assert response.status_code == 200
            assert response.context["form"].errors
        assert Scan.objects.count() == 1

    def test_only_the_organisations_managers_copy(self, bob_client, charlie_client, scan):
        assert bob_client.post(f"/scans/{scan.code}/copy/", _copy_data()).status_code == 403
        assert charlie_client.post(f"/scans/{scan.code}/copy/", _copy_data()).status_code == 404
        assert charlie_client.get(f"/scans/{scan.code}/copy/").status_code == 404
        assert Scan.objects.count() == 1


@pytest.mark.django_db
class TestRemovingAnInvitee:
    def test_the_link_asks_first_naming_the_address_and_group(self, alice_client, scan):
        invitation = InvitationFactory(scan=scan, sent_at=None, email="typo@alfa.exmaple")
        address = f"/scans/{scan.code}/invitees/{invitation.pk}/remove/"
        assert address in alice_client.get(f"/scans/{scan.code}/invitees/").content.decode()
        page = alice_client.get(address)
        assert page.status_code == 200
        text = page.content.decode()
        assert "typo@alfa.exmaple" in text
        assert str(invitation.group) in text
        assert Invitation.objects.filter(pk=invitation.pk).exists()
        assert alice_client.post(address).status_code == 302
        assert not Invitation.objects.filter(pk=invitation.pk).exists()

    def test_a_sent_invitation_is_not_offered_for_removal(self, alice_client, scan):
        invitation = InvitationFactory(scan=scan)
        address = f"/scans/{scan.code}/invitees/{invitation.pk}/remove/"
        assert b'method="post"' not in alice_client.get(address).content.split(b"<main")[-1]
        alice_client.post(address)
        assert Invitation.objects.filter(pk=invitation.pk).exists()

    def test_others_cannot_remove(self, bob_client, charlie_client, scan, other_scan):
        invitation = InvitationFactory(scan=scan, sent_at=None)
        address = f"/scans/{scan.code}/invitees/{invitation.pk}/remove/"
        assert bob_client.post(address).status_code == 403
        assert charlie_client.post(address).status_code == 404
        assert charlie_client.get(address).status_code == 404
        # another scan's address with this invitation's number
        elsewhere = f"/scans/{other_scan.code}/invitees/{invitation.pk}/remove/"
        assert charlie_client.post(elsewhere).status_code == 404
        assert Invitation.objects.filter(pk=invitation.pk).exists()


@pytest.mark.django_db
class TestTheClosePreview:
    def test_a_group_at_its_threshold_is_hidden_when_a_smaller_group_could_be_subtracted(
        self, alice_client, organisation, instrument_version
    ):
        """Directors 3 (threshold 3), management 3 (threshold 3), staff 2 (threshold 5). Staff: 2 < 5,
        hidden. All others: 3 + 2 = 5 answers, threshold max(3, 5) = 5, shown. All others minus management
        would give staff's 2 answers (0 < 2 < 5): management, the only group of others shown, is hidden too;
        then what is hidden together is 5, which is safe. The directors' own view is shown."""
        scan = ScanFactory(
            organisation=organisation,
            instrument_version=instrument_version,
            groups=[GroupKind.DIRECTIE, GroupKind.MANAGEMENT, GroupKind.MEDEWERKERS],
        )
        scan.groups.filter(kind=GroupKind.DIRECTIE).update(threshold=3)
        scan.groups.filter(kind=GroupKind.MANAGEMENT).update(threshold=3)
        scan.groups.filter(kind=GroupKind.MEDEWERKERS).update(threshold=5)
        _respondents(scan, GroupKind.DIRECTIE, 3)
        _respondents(scan, GroupKind.MANAGEMENT, 3)
        _respondents(scan, GroupKind.MEDEWERKERS, 2)
        preview = close_preview(Scan.objects.get(pk=scan.pk))
        assert [(line.group.kind, line.responses, line.outlook) for line in preview.groups] == [
            ("directie", 3, Outlook.SHOWN),
            ("management", 3, Outlook.COMPLEMENTARY),
            ("medewerkers", 2, Outlook.TOO_FEW),
        ]
        assert preview.others is Outlook.SHOWN
        assert not preview.directors_only
        page = alice_client.get(f"/scans/{scan.code}/close/")
        assert page.context["preview"] == preview
        assert 'id="preview-title"' in page.content.decode()
        assert Scan.objects.get(pk=scan.pk).state != ScanState.CLOSED  # a dry run
        assert Scan.objects.get(pk=scan.pk).closed_at is None

    def test_dont_know_answers_do_not_count(self, organisation, instrument_version):
        scan = ScanFactory(
            organisation=organisation, instrument_version=instrument_version, groups=[GroupKind.DIRECTIE]
        )
        scan.groups.update(threshold=3)
        first_dimension = next(iter(instrument_version.parsed.dimensions()))[1].code
        _respondents(scan, GroupKind.DIRECTIE, 3, dont_know=frozenset({first_dimension}))
        preview = close_preview(Scan.objects.get(pk=scan.pk))
        assert [line.outlook for line in preview.groups] == [Outlook.PARTLY_DONT_KNOW]

    def test_a_scan_of_the_directors_alone_is_warned_about(self, alice_client, organisation, instrument_version):
        scan = ScanFactory(
            organisation=organisation, instrument_version=instrument_version, groups=[GroupKind.DIRECTIE]
        )
        page = alice_client.get(f"/scans/{scan.code}/close/")
        preview = page.context["preview"]
        assert preview.directors_only
        assert preview.others is None
        assert [(line.responses, line.outlook) for line in preview.groups] == [(0, Outlook.TOO_FEW)]
        assert 'role="note"' in page.content.decode()

    def test_the_preview_names_no_dimension(self, alice_client, scan):
        _respondents(scan, GroupKind.MEDEWERKERS, 2)
        text = alice_client.get(f"/scans/{scan.code}/close/").content.decode()
        section = text.split('id="preview-title"')[1].split("</section>")[0]
        for _pillar, dimension in scan.instrument_version.parsed.dimensions():
            assert dimension.name.get("nl") not in section
