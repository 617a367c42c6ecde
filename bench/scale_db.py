"""The database side of `bench.scale` (beside bench/load_roer_db.py), run in the servers' environment.

`python -m bench.scale_db seed OUT.json COUNT EMAIL` adds to the load scan's organisation a second scan,
open today, with COUNT invitees who have not been invited yet, and a scan manager with that e-mail address
for the password-reset check; writes the invitees' addresses and ids to OUT.json.

`python -m bench.scale_db invite SCAN BASE_URL` asks for the round of invitations of that scan, as the
scan page's button does (the round is a task for the workers).
"""

from __future__ import annotations

import datetime
import json
import os
import secrets
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roer.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from roer.accounts.models import User  # noqa: E402
from roer.lifecycle.mailing import mailing_request  # noqa: E402
from roer.organisations.models import Membership, Role  # noqa: E402
from roer.scans.models import Invitation, MailingKind, RespondentGroup, Scan, instrument_groups  # noqa: E402


def seed(out: Path, count: int, manager_email: str) -> None:
    load_scan = Scan.objects.order_by("pk").first()
    assert load_scan is not None, "bench.load_roer_db seed first"
    today = timezone.localdate()
    with transaction.atomic():
        scan = Scan.objects.create(
            organisation=load_scan.organisation,
            instrument_version=load_scan.instrument_version,
            title="Uitnodigingsproef",
            opens_on=today - datetime.timedelta(days=1),
            closes_on=today + datetime.timedelta(days=30),
        )
        [group] = RespondentGroup.objects.bulk_create(instrument_groups(scan, ["medewerkers"]))
        Invitation.objects.bulk_create(
            [Invitation(scan=scan, group=group, email=f"invitee{number}@belasting.example") for number in range(count)],
            batch_size=1000,
        )
        # A usable password, or Django's reset form would never write to this account.
        manager = User.objects.create_user(manager_email, password=secrets.token_urlsafe(16))
        Membership.objects.create(user=manager, organisation=scan.organisation, role=Role.BEHEERDER)
    invitees = dict(Invitation.objects.filter(scan=scan).values_list("email", "pk"))
    out.write_text(json.dumps({"scan": scan.pk, "invitees": invitees, "manager": manager_email}), encoding="utf-8")


def invite(scan_id: int, base_url: str) -> None:
    scan = Scan.objects.get(pk=scan_id)
    mailing = mailing_request(scan=scan, kind=MailingKind.INVITATIONS, requested_by=None, base_url=base_url)
    print(json.dumps({"mailing": mailing.pk}))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "seed":
        seed(Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else:
        invite(int(sys.argv[2]), sys.argv[3])
