"""Issue 15's promise, walked through the product's own pages as a newcomer would, and never /admin/:
a platform administrator creates the organisation with its first scan manager; she chooses a password,
invites a director as a reader and grants a consultant, sets up and sends a scan, previews and closes
it; the director reads the results and the consultant finds the scan on the portfolio."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from roer.organisations.models import Organisation, Role
from roer.scans.models import Scan
from tests.factories import PASSWORD, UserFactory
from tests.groups import GroupKind
from tests.helpers import answer_all, constant
from tests.members.test_pages import NEW_PASSWORD
from tests.scans.test_scan_forms import create_data
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


class Visitor(Client):
    """A browser that remembers every address it asked for, to prove /admin/ was never among them."""

    visited: list[str]

    def request(self, **request):  # type: ignore[no-untyped-def, override]
        self.visited = [*getattr(self, "visited", []), request["PATH_INFO"]]
        return super().request(**request)


def set_password_and_log_in(email: str) -> Visitor:
    message = next(message for message in reversed(mail.outbox) if message.to == [email])
    path = re.search(r"https?://[^/\s]+(/account/set-password/[^/\s]+/[^/\s]+/)", message.body).group(1)  # type: ignore[union-attr]
    visitor = Visitor()
    form = visitor.get(path, follow=True)
    visitor.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert visitor.post("/login/", {"username": email, "password": NEW_PASSWORD}).status_code == 302
    return visitor


def test_a_newcomer_runs_the_whole_life_of_a_scan_without_the_admin(instrument_version):
    UserFactory(email="petra@roer.example", is_superuser=True, is_staff=True)
    petra = Visitor()
    assert petra.post("/login/", {"username": "petra@roer.example", "password": PASSWORD}).status_code == 302
    created = petra.post(
        "/platform/organisations/new/",
        {"name": "Gemeente Nieuwdorp", "kind": "gemeente", "inhabitants": "23400", "first_manager": "els@nieuwdorp.nl"},
    )
    assert created.status_code == 302
    organisation = Organisation.objects.get(name="Gemeente Nieuwdorp")
    run_tasks()

    # The first scan manager chooses her password, invites a director as a reader and grants a consultant.
    els = set_password_and_log_in("els@nieuwdorp.nl")
    members = f"/organisations/{organisation.code}/members/"
    invited = els.post(f"{members}invite/", {"invite-email": "dirk@nieuwdorp.nl", "invite-role": Role.LEZER})
    assert invited.status_code == 302
    granted = els.post(
        f"/organisations/{organisation.code}/consultants/grant/", {"consultant-email": "anne@bureau.example"}
    )
    assert granted.status_code == 302
    run_tasks()

    # ... sets up a scan for the directors and staff, with her own invitation text, and tries it on herself.
    new_scan = create_data(instrument_version, title="Digitaal leiderschap 2026", include_management="")
    assert els.post(f"/organisations/{organisation.code}/scans/new/", new_scan).status_code == 302
    scan = Scan.objects.get(organisation=organisation)
    groups = {group.kind: group for group in scan.groups.all()}
    assert set(groups) == {GroupKind.DIRECTIE, GroupKind.MEDEWERKERS}
    for kind, addresses in (
        (GroupKind.DIRECTIE, [f"d{n}@nieuwdorp.nl" for n in range(3)]),
        (GroupKind.MEDEWERKERS, [f"m{n}@nieuwdorp.nl" for n in range(7)]),
    ):
        pasted = els.post(
            f"/scans/{scan.code}/invitees/",
            {
                "source": "paste",
                "paste-addresses": "\n".join(addresses),
                "paste-group": groups[kind].pk,
                "paste-language": "nl",
            },
        )
        assert pasted.status_code == 302
    texts = {
        "mail_sender_name": "Gemeente Nieuwdorp",
        "mail_signatory": "E. de Boer, gemeentesecretaris",
        "invitation_subject": "Doe mee: {scan}",
        "invitation_text": "Beste collega,\n\nVul de scan in voor {sluitdatum}: {link}",
        "reminder_subject": "",
        "reminder_text": "",
    }
    assert els.post(f"/scans/{scan.code}/mail-texts/", {**texts, "action": "test_invitations"}).status_code == 302
    run_tasks()
    assert mail.outbox[-1].to == ["els@nieuwdorp.nl"]
    assert mail.outbox[-1].subject == "Doe mee: Digitaal leiderschap 2026"
    before = len(mail.outbox)
    assert els.post(f"/scans/{scan.code}/send/invitations/").status_code == 302
    run_tasks()
    sent = mail.outbox[before:]
    assert len(sent) == 10
    assert all("E. de Boer, gemeentesecretaris" in message.body for message in sent)

    # Everyone answers.
    definition = instrument_version.parsed
    links = {
        message.to[0]: re.search(r"https?://[^/\s]+(/a/[A-Za-z0-9_-]{43}/)", message.body).group(1)  # type: ignore[union-attr]
        for message in sent
    }
    for address in (f"d{n}@nieuwdorp.nl" for n in range(3)):
        answer_all(Client(), links[address], definition, "self", constant(4))
    for address in (f"m{n}@nieuwdorp.nl" for n in range(7)):
        answer_all(Client(), links[address], definition, "others", constant(3))

    # Before closing, she is told what the results would show; then she closes.
    preview = els.get(f"/scans/{scan.code}/close/").content.decode()
    assert "Wat de resultaten zouden tonen" in preview
    assert els.post(f"/scans/{scan.code}/close/").status_code == 302
    run_tasks()

    # The director, a reader, reads the results; the consultant finds the scan on the portfolio.
    dirk = set_password_and_log_in("dirk@nieuwdorp.nl")
    results = dirk.get(f"/scans/{scan.code}/results/")
    assert results.status_code == 200
    assert "Resultaten" in results.content.decode()
    assert dirk.get(f"/scans/{scan.code}/close/").status_code == 403  # a reader does not run scans
    anne = set_password_and_log_in("anne@bureau.example")
    portfolio = anne.get("/portfolio/").content.decode()
    assert "Gemeente Nieuwdorp" in portfolio
    assert "Digitaal leiderschap 2026" in portfolio

    for visitor in (petra, els, dirk, anne):
        assert not [path for path in visitor.visited if path.startswith("/admin/")]
