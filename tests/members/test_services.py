"""The services behind the members page: invitations, roles, removals and consultants, each audited, and
an organisation that never loses its last scan manager."""

from __future__ import annotations

import pytest
from django.core import mail

from roer.accounts.models import User
from roer.audit.models import AuditAction, AuditEvent
from roer.lifecycle import members
from roer.lifecycle.members import (
    AlreadyMemberError,
    InvalidEmailError,
    LastManagerError,
    NotAMemberError,
    WrongRoleError,
    consultant_grant,
    consultant_revoke,
    member_invite,
    member_remove,
    member_role_change,
)
from roer.organisations.models import Membership, Role
from tests.factories import MembershipFactory, UserFactory
from tests.mailbox import SENT_INSIDE_A_TRANSACTION
from tests.tasks import queued, run_tasks

pytestmark = pytest.mark.django_db

BASE = "https://roer.example"


def _invite(organisation, alice, email="New.Person@Alfa.EXAMPLE", role=Role.LEZER):  # type: ignore[no-untyped-def]
    return member_invite(organisation=organisation, email=email, role=role, invited_by=alice, base_url=BASE)


def _actions(organisation) -> list[str]:  # type: ignore[no-untyped-def]
    return list(AuditEvent.objects.filter(organisation=organisation).order_by("pk").values_list("action", flat=True))


def test_a_new_address_becomes_a_user_without_a_password_and_a_member(organisation, alice):
    membership = _invite(organisation, alice)
    user = User.objects.get(email="new.person@alfa.example")
    assert membership.user == user
    assert not user.has_usable_password()
    assert (membership.role, membership.granted_by, membership.organisation) == (Role.LEZER, alice, organisation)
    assert _actions(organisation) == [AuditAction.MEMBER_INVITED]


def test_the_mail_is_a_background_task(organisation, alice):
    _invite(organisation, alice)
    assert mail.outbox == []
    assert len(queued("send_membership_mail")) == 1
    run_tasks()
    assert [message.to for message in mail.outbox] == [["new.person@alfa.example"]]
    assert "/account/set-password/" in mail.outbox[0].body


def test_inviting_twice_before_the_worker_runs_queues_one_task(organisation, alice):
    membership = _invite(organisation, alice)
    from roer.lifecycle.queue import enqueue_once

    enqueue_once(members.send_membership_mail, membership.pk, "nl", BASE)
    assert len(queued("send_membership_mail")) == 1


@pytest.mark.django_db(transaction=True)
def test_the_mail_is_sent_outside_any_transaction(organisation, alice, settings):
    """Sending inside a transaction would hold SQLite's write lock for a whole SMTP conversation."""
    settings.EMAIL_BACKEND = "tests.mailbox.RecordingMailbox"
    SENT_INSIDE_A_TRANSACTION.clear()
    membership = _invite(organisation, alice)
    members.send_membership_mail.call(membership.pk, "nl", BASE)
    assert SENT_INSIDE_A_TRANSACTION == [False]


def test_an_existing_user_gets_the_membership_and_a_notice_with_the_log_in_link(organisation, charlie, alice):
    _invite(organisation, alice, email="CHARLIE@bravo.example", role=Role.BEHEERDER)
    run_tasks()
    assert Membership.objects.get(user=charlie, organisation=organisation).role == Role.BEHEERDER
    body = mail.outbox[0].body
    assert f"{BASE}/login/" in body
    assert "set-password" not in body
    assert charlie.check_password("correct-horse-battery")  # untouched


def test_someone_who_already_has_access_is_refused(organisation, alice, bob):
    with pytest.raises(AlreadyMemberError):
        _invite(organisation, alice, email="BOB@alfa.example")
    assert Membership.objects.filter(organisation=organisation).count() == 2
    assert _actions(organisation) == []


@pytest.mark.parametrize("email", ["", "no-at-sign", "two@@example.org", "a b@example.org"])
def test_a_bad_address_is_refused_and_nothing_is_created(organisation, alice, email):
    with pytest.raises(InvalidEmailError):
        _invite(organisation, alice, email=email)
    assert User.objects.count() == 1


def test_an_invitation_as_consultant_is_not_a_member_role(organisation, alice):
    with pytest.raises(WrongRoleError):
        _invite(organisation, alice, role=Role.ADVISEUR)


def test_a_membership_removed_before_the_task_runs_gets_no_mail(organisation, alice):
    membership = _invite(organisation, alice)
    member_remove(membership=membership, removed_by=alice)
    run_tasks()
    assert mail.outbox == []


def test_a_role_change_is_audited(organisation, alice, bob):
    membership = Membership.objects.get(user=bob, organisation=organisation)
    member_role_change(membership=membership, role=Role.BEHEERDER, changed_by=alice)
    membership.refresh_from_db()
    assert membership.role == Role.BEHEERDER
    event = AuditEvent.objects.get(action=AuditAction.MEMBER_ROLE_CHANGED)
    assert (event.user, event.organisation, event.subject) == (
        alice,
        organisation,
        "bob@alfa.example: lezer → beheerder",
    )


def test_the_last_scan_manager_cannot_be_demoted_or_removed(organisation, alice, bob):
    own = Membership.objects.get(user=alice, organisation=organisation)
    with pytest.raises(LastManagerError):
        member_role_change(membership=own, role=Role.LEZER, changed_by=alice)
    with pytest.raises(LastManagerError):
        member_remove(membership=own, removed_by=alice)
    own.refresh_from_db()
    assert own.role == Role.BEHEERDER
    assert _actions(organisation) == []


def test_one_of_two_scan_managers_may_leave(organisation, alice, bob):
    member_role_change(membership=Membership.objects.get(user=bob), role=Role.BEHEERDER, changed_by=alice)
    member_remove(membership=Membership.objects.get(user=alice, organisation=organisation), removed_by=alice)
    assert list(Membership.objects.filter(organisation=organisation).values_list("user__email", "role")) == [
        ("bob@alfa.example", Role.BEHEERDER)
    ]
    assert _actions(organisation) == [AuditAction.MEMBER_ROLE_CHANGED, AuditAction.MEMBER_REMOVED]
    assert User.objects.filter(pk=alice.pk).exists()  # the account stays


def test_the_count_of_scan_managers_is_taken_inside_the_lock(organisation, alice, bob, monkeypatch):
    """Two scan managers remove each other at once: the second waits for the first's lock and must see,
    once it has the lock, that it would remove the last one. The other removal is committed just as
    this one takes the lock; a check made before the lock would let both through."""
    member_role_change(membership=Membership.objects.get(user=bob), role=Role.BEHEERDER, changed_by=alice)
    alices = Membership.objects.get(user=alice, organisation=organisation)
    bobs = Membership.objects.get(user=bob, organisation=organisation)
    real_lock = members.locked_memberships
    locked = []

    def the_other_removal_commits_first(organisation):  # type: ignore[no-untyped-def]
        if not locked:
            Membership.objects.filter(pk=alices.pk).delete()
        locked.append(organisation)
        return real_lock(organisation)

    monkeypatch.setattr(members, "locked_memberships", the_other_removal_commits_first)
    with pytest.raises(LastManagerError):
        member_remove(membership=bobs, removed_by=bob)
    assert Membership.objects.filter(pk=bobs.pk).exists()
    assert locked == [organisation]


def test_the_lock_is_taken_with_select_for_update_inside_a_transaction(organisation, alice, bob, monkeypatch):
    from django.db import connection

    seen = []
    real_lock = members.locked_memberships

    def spy(organisation):  # type: ignore[no-untyped-def]
        seen.append(connection.in_atomic_block)
        return real_lock(organisation)

    monkeypatch.setattr(members, "locked_memberships", spy)
    member_remove(membership=Membership.objects.get(user=bob), removed_by=alice)
    assert seen == [True]
    assert real_lock.__code__.co_names.count("select_for_update") == 1


def test_a_membership_removed_meanwhile_is_not_found(organisation, alice, bob):
    membership = Membership.objects.get(user=bob)
    Membership.objects.filter(pk=membership.pk).delete()
    with pytest.raises(NotAMemberError):
        member_remove(membership=membership, removed_by=alice)
    with pytest.raises(NotAMemberError):
        member_role_change(membership=membership, role=Role.BEHEERDER, changed_by=alice)


def test_a_consultant_is_granted_and_revoked_and_both_are_audited(organisation, alice):
    membership = consultant_grant(
        organisation=organisation, email="adviseur@bureau.example", granted_by=alice, base_url=BASE
    )
    assert membership.role == Role.ADVISEUR
    run_tasks()
    assert "/account/set-password/" in mail.outbox[0].body
    with pytest.raises(WrongRoleError):
        member_role_change(membership=membership, role=Role.BEHEERDER, changed_by=alice)
    with pytest.raises(WrongRoleError):
        member_remove(membership=membership, removed_by=alice)
    consultant_revoke(membership=membership, revoked_by=alice)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert _actions(organisation) == [AuditAction.CONSULTANT_GRANTED, AuditAction.CONSULTANT_REVOKED]


def test_a_member_is_not_revoked_as_a_consultant(organisation, alice, bob):
    with pytest.raises(WrongRoleError):
        consultant_revoke(membership=Membership.objects.get(user=bob), revoked_by=alice)


def test_a_blocked_account_gets_no_mail(organisation, alice):
    blocked = UserFactory(email="blocked@alfa.example", is_active=False)
    _invite(organisation, alice, email=blocked.email)
    run_tasks()
    assert mail.outbox == []


def test_a_consultant_of_another_organisation_can_be_granted_here_too(organisation, other_organisation, alice):
    consultant = MembershipFactory(organisation=other_organisation, role=Role.ADVISEUR).user
    consultant_grant(organisation=organisation, email=consultant.email, granted_by=alice, base_url=BASE)
    assert consultant.memberships.count() == 2
