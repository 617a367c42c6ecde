"""A scan's own invitation and reminder: placeholders, safety of subject, sender and HTML, the page with its
preview and test mail, who may use it, and that empty fields keep Roer's own e-mail."""

import datetime
from email.utils import parseaddr

import pytest
from django.conf import settings as django_settings
from django.core import mail

from roer.audit.models import AuditAction, AuditEvent
from roer.lifecycle.editing import scan_mail_texts_set
from roer.lifecycle.mailing import mailing_request, scan_email, send_mailing
from roer.lifecycle.scan_life import ScanStateError
from roer.scans import mail_texts
from roer.scans.models import MailingKind, Scan
from tests.factories import InvitationFactory
from tests.groups import GroupKind
from tests.helpers import close, links_in_outbox
from tests.tasks import queued, run_tasks

pytestmark = pytest.mark.django_db

VALUES = mail_texts.MailValues(
    organisation="Gemeente Alfa",
    scan="Scan 2026",
    closes_on=datetime.date(2026, 3, 31),
    link="https://roer.example/a/abc/",
    signatory="J. de Vries, gemeentesecretaris",
)


def texts(**overrides: str) -> dict[str, str]:
    data = dict.fromkeys(
        (
            "mail_sender_name",
            "mail_signatory",
            "invitation_subject",
            "invitation_text",
            "reminder_subject",
            "reminder_text",
        ),
        "",
    )
    data.update(overrides)
    return data


def url(scan: Scan) -> str:
    return f"/scans/{scan.code}/mail-texts/"


def message_for(scan: Scan, kind: str = MailingKind.INVITATIONS, language: str = "nl"):  # type: ignore[no-untyped-def]
    return scan_email(
        scan=scan, kind=kind, to="p@x.nl", language=language, link=VALUES.link, group=scan.groups.first()
    ).build()


# The placeholder language


def test_placeholders_are_filled_in_in_english_and_dutch_names():
    text = "{organisation} / {organisatie}: {scan}, tot {sluitdatum}. {link}\n{ondertekenaar}"
    rendered = mail_texts.render_text(text, VALUES)
    assert rendered == (
        "Gemeente Alfa / Gemeente Alfa: Scan 2026, tot 31 maart 2026. https://roer.example/a/abc/\n"
        "J. de Vries, gemeentesecretaris"
    )


def test_a_text_without_link_or_signatory_gets_them_at_the_bottom():
    rendered = mail_texts.render_text("Doe mee!", VALUES)
    assert rendered == "Doe mee!\n\nhttps://roer.example/a/abc/\n\nJ. de Vries, gemeentesecretaris"


def test_unknown_placeholders_are_named_in_the_error():
    with pytest.raises(mail_texts.ValidationError) as refused:
        mail_texts.text_check("Hallo {naam}, {organsation} {link}")
    assert "{naam}, {organsation}" in str(refused.value)


def test_the_link_is_not_a_placeholder_of_the_subject():
    with pytest.raises(mail_texts.ValidationError):
        mail_texts.subject_check("Uw link: {link}")
    mail_texts.subject_check("Uw mening over {organisation} voor {sluitdatum}")


def test_html_in_the_text_is_escaped_in_the_html_part():
    html = mail_texts.render_html('<script>alert(1)</script> <a href="x">{link}</a>', VALUES)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '&lt;a href=&quot;x&quot;&gt;<a href="https://roer.example/a/abc/">' in html


# Through the page


def test_the_manager_saves_texts_and_the_preview_shows_them(alice_client, scan, alice):
    data = texts(
        mail_sender_name="Gemeente Alfa",
        mail_signatory="J. de Vries, gemeentesecretaris",
        invitation_subject="Uw mening over {organisation}",
        invitation_text="Beste collega,\n\nVul de scan {scan} in: {link}",
    )
    response = alice_client.post(url(scan), {**data, "action": "save"}, follow=True)
    page = response.content.decode()
    assert "De e-mailteksten zijn opgeslagen" in page or "The e-mail texts have been saved" in page
    scan.refresh_from_db()
    assert scan.invitation_subject == "Uw mening over {organisation}"
    assert "Uw mening over Gemeente Alfa" in page
    assert "Vul de scan Scan Alfa 2026 in: http://testserver/a/voorbeeld/" in page
    assert "J. de Vries, gemeentesecretaris" in page
    event = AuditEvent.objects.get(action=AuditAction.MAIL_TEXT_CHANGED)
    assert event.user == alice
    assert "invitation_text" in event.subject


def test_saving_the_same_texts_again_records_nothing(alice_client, scan):
    alice_client.post(url(scan), texts(invitation_subject="Hallo"))
    alice_client.post(url(scan), texts(invitation_subject="Hallo"))
    assert AuditEvent.objects.filter(action=AuditAction.MAIL_TEXT_CHANGED).count() == 1


def test_a_preview_shows_the_unsaved_text_and_saves_nothing(alice_client, scan):
    data = texts(reminder_text="Nog even: {link}")
    page = alice_client.post(url(scan), {**data, "action": "preview"}).content.decode()
    assert "Nog even: http://testserver/a/voorbeeld/" in page
    scan.refresh_from_db()
    assert scan.reminder_text == ""
    assert not AuditEvent.objects.filter(action=AuditAction.MAIL_TEXT_CHANGED).exists()


def test_html_in_the_texts_is_escaped_in_the_preview(alice_client, scan):
    data = texts(
        mail_sender_name="<i>Alfa</i>",
        invitation_subject="<b>Hallo</b>",
        invitation_text="<script>alert(1)</script> {link}",
        mail_signatory="<img src=x onerror=alert(2)>",
    )
    alice_client.post(url(scan), data)
    page = alice_client.get(url(scan)).content.decode()  # saved, so every manager's page shows it
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert "<b>Hallo" not in page
    assert "<i>Alfa" not in page


def test_an_unknown_placeholder_is_a_form_error_in_dutch(alice_client, scan):
    response = alice_client.post(url(scan), texts(invitation_text="Hallo {naam}, {link}"))
    assert response.status_code == 200
    assert "{naam}" in response.context["form"].errors["invitation_text"][0]
    scan.refresh_from_db()
    assert scan.invitation_text == ""


def test_an_unknown_placeholder_is_a_form_error_in_english(alice_client, scan):
    alice_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = alice_client.post(url(scan), texts(reminder_subject="Hi {name}"))
    error = response.context["form"].errors["reminder_subject"][0]
    assert error.startswith("Unknown placeholder {name}. You can use: {closes_on}, {organisation}, {scan}.")


def test_a_text_without_the_link_is_refused(alice_client, scan):
    response = alice_client.post(url(scan), texts(invitation_text="Vul de scan in, graag."))
    assert "invitation_text" in response.context["form"].errors


@pytest.mark.parametrize("subject", ["Hallo\r\nBcc: iedereen@x.nl", "Hallo\nBcc: iedereen@x.nl", "Hallo\rX"])
def test_a_subject_with_a_line_break_is_refused(alice_client, scan, subject):
    response = alice_client.post(url(scan), texts(invitation_subject=subject))
    assert response.status_code == 200
    assert "invitation_subject" in response.context["form"].errors
    scan.refresh_from_db()
    assert scan.invitation_subject == ""


def test_a_sender_name_with_a_line_break_is_refused(alice_client, scan):
    response = alice_client.post(url(scan), texts(mail_sender_name="Alfa\r\nReply-To: boef@x.nl"))
    assert "mail_sender_name" in response.context["form"].errors


def test_the_service_refuses_a_line_break_too(scan, alice):
    with pytest.raises(mail_texts.ValidationError):
        scan_mail_texts_set(scan=scan, user=alice, texts=texts(reminder_subject="a\nb"))


# The message itself


def test_the_sender_name_is_a_display_name_beside_the_installations_address(scan, settings):
    settings.DEFAULT_FROM_EMAIL = "Roer <roer@roer.example>"
    scan.mail_sender_name = 'Gemeente Dijkstad <boef@kwaad.example>, "x"'
    message = message_for(scan)
    name, address = parseaddr(message.message()["From"])
    assert address == "roer@roer.example"
    assert "Gemeente Dijkstad" in name
    assert "boef@kwaad.example" not in message.message()["From"].split("<")[-1]


def test_a_sender_name_with_accents_is_encoded(scan, settings):
    settings.DEFAULT_FROM_EMAIL = "roer@roer.example"
    scan.mail_sender_name = "Gemeente Súdwest-Fryslân"
    header = message_for(scan).message()["From"]
    assert parseaddr(str(header))[1] == "roer@roer.example"


def test_empty_fields_send_roers_own_text_from_the_installation(scan, settings):
    settings.DEFAULT_FROM_EMAIL = "Roer <roer@roer.example>"
    message = message_for(scan)
    assert message.from_email == "Roer <roer@roer.example>"
    assert message.subject == "Uw mening over digitaal leiderschap bij Gemeente Alfa"
    assert VALUES.link in message.body
    assert "Scan Alfa 2026" in message.body
    assert "J. de Vries" not in message.body
    english = message_for(scan, language="en")
    assert english.subject == "Your view on digital leadership at Gemeente Alfa"
    assert english.body.rstrip().endswith("Please do not forward this link; it is yours alone.")


def test_a_signatory_is_added_at_the_bottom_of_roers_own_text(scan):
    scan.mail_signatory = "J. de Vries, gemeentesecretaris"
    message = message_for(scan, language="en")
    assert message.body.rstrip().endswith("it is yours alone.\n\nJ. de Vries, gemeentesecretaris")
    assert "<p>J. de Vries, gemeentesecretaris</p>" in message.alternatives[0].content
    scan.mail_signatory = "<b>J.</b>"
    assert "<p>&lt;b&gt;J.&lt;/b&gt;</p>" in message_for(scan).alternatives[0].content


def test_the_scans_texts_go_to_every_invitee_with_a_working_link(scan, alice):
    staff = scan.groups.get(kind=GroupKind.MEDEWERKERS)
    InvitationFactory(scan=scan, group=staff, sent_at=None, email="nl@x.nl", language="nl")
    InvitationFactory(scan=scan, group=staff, sent_at=None, email="en@x.nl", language="en")
    scan_mail_texts_set(
        scan=scan,
        user=alice,
        texts=texts(
            mail_sender_name="Gemeente Alfa",
            invitation_subject="Doe mee met {scan}",
            invitation_text="Beste collega,\n\n<b>Graag</b> voor {sluitdatum}: {link}",
        ),
    )
    mailing = mailing_request(scan=scan, kind=MailingKind.INVITATIONS, requested_by=alice, base_url="https://r.nl")
    assert send_mailing.call(mailing.pk) == 2
    assert {message.subject for message in mail.outbox} == {"Doe mee met Scan Alfa 2026"}
    by_language = {message.to[0]: message for message in mail.outbox}
    assert "voor 5 april 2026:" in by_language["nl@x.nl"].body
    assert "voor 5 April 2026:" in by_language["en@x.nl"].body  # the month in the invitee's language
    html = by_language["nl@x.nl"].alternatives[0].content
    assert "&lt;b&gt;Graag&lt;/b&gt;" in html
    links = links_in_outbox()
    assert set(links) == {"nl@x.nl", "en@x.nl"}
    assert f'href="https://r.nl{links["nl@x.nl"]}"' in html
    assert parseaddr(by_language["nl@x.nl"].from_email)[0] == "Gemeente Alfa"


# The test mail


def test_a_test_mail_goes_only_to_the_manager_themself(alice_client, scan, alice):
    staff = scan.groups.get(kind=GroupKind.MEDEWERKERS)
    InvitationFactory(scan=scan, group=staff, sent_at=None, email="p@x.nl")
    data = texts(reminder_text="Nog even, {signatory}: {link}", mail_signatory="Alice")
    response = alice_client.post(url(scan), {**data, "action": "test_reminders"}, follow=True)
    assert alice.email in response.content.decode()
    assert mail.outbox == []  # queued, not sent inside the request
    assert len(queued("send_sample_mail")) == 1
    run_tasks()
    assert [message.to for message in mail.outbox] == [["alice@alfa.example"]]
    assert mail.outbox[0].body == "Nog even, Alice: http://testserver/a/voorbeeld/\n"
    assert AuditEvent.objects.filter(action=AuditAction.TEST_MAIL_SENT, user=alice).count() == 1
    assert scan.invitations.get().sent_at is None


def test_a_test_mail_asked_for_twice_is_queued_once(alice_client, scan):
    alice_client.post(url(scan), {**texts(), "action": "test_invitations"})
    alice_client.post(url(scan), {**texts(), "action": "test_invitations"})
    assert len(queued("send_sample_mail")) == 1
    run_tasks()
    assert len(mail.outbox) == 1


def test_the_page_previews_roers_own_text_while_the_fields_are_empty(alice_client, scan):
    page = alice_client.get(url(scan)).content.decode()
    assert "Uw mening over digitaal leiderschap bij Gemeente Alfa" in page
    assert "http://testserver/a/voorbeeld/" in page


def test_a_test_mail_to_someone_no_longer_managing_is_not_sent(alice_client, scan, alice):
    alice_client.post(url(scan), {**texts(), "action": "test_invitations"})
    alice.memberships.all().delete()
    run_tasks()
    assert mail.outbox == []


# Who may, and when


def test_a_reader_may_not_see_or_change_the_texts(bob_client, scan):
    assert bob_client.get(url(scan)).status_code == 403
    assert bob_client.post(url(scan), texts(invitation_subject="Hallo")).status_code == 403
    assert bob_client.post(url(scan), {**texts(), "action": "test_invitations"}).status_code == 403
    scan.refresh_from_db()
    assert scan.invitation_subject == ""
    assert queued("send_sample_mail") == []


def test_another_organisations_manager_gets_a_404(charlie_client, scan):
    assert charlie_client.get(url(scan)).status_code == 404
    assert charlie_client.post(url(scan), {**texts(), "action": "test_invitations"}).status_code == 404
    assert queued("send_sample_mail") == []


def test_a_closed_scan_refuses_edits_and_test_mails(alice_client, scan, alice):
    close(scan)
    assert alice_client.get(url(scan)).status_code == 200
    response = alice_client.post(url(scan), {**texts(invitation_subject="Te laat"), "action": "test_invitations"})
    assert response.status_code == 302
    scan.refresh_from_db()
    assert scan.invitation_subject == ""
    assert queued("send_sample_mail") == []
    with pytest.raises(ScanStateError):
        scan_mail_texts_set(scan=scan, user=alice, texts=texts(invitation_subject="Te laat"))


def test_a_planned_scan_may_be_edited(alice_client, scan):
    Scan.objects.filter(pk=scan.pk).update(opens_on=scan.opens_on + datetime.timedelta(days=5), state="planned")
    response = alice_client.post(url(scan), texts(invitation_subject="Binnenkort"))
    assert response.status_code == 302
    scan.refresh_from_db()
    assert scan.invitation_subject == "Binnenkort"


def test_the_scan_page_links_to_the_texts(alice_client, scan):
    assert url(scan) in alice_client.get(f"/scans/{scan.code}/").content.decode()


def test_a_text_that_is_too_long_is_a_form_error(alice_client, scan):
    response = alice_client.post(url(scan), texts(reminder_text="{link} " + "x" * 3000))
    assert response.status_code == 200
    assert "reminder_text" in response.context["form"].errors


def test_a_reminder_uses_the_reminder_texts_and_an_invitation_the_invitation_texts(scan):
    scan.invitation_subject, scan.reminder_subject = "Uitnodiging {scan}", "Herinnering {scan}"
    scan.reminder_text = "Nog niet gedaan? {link}"
    assert message_for(scan, MailingKind.INVITATIONS).subject == "Uitnodiging Scan Alfa 2026"
    reminder = message_for(scan, MailingKind.REMINDERS)
    assert reminder.subject == "Herinnering Scan Alfa 2026"
    assert reminder.body == f"Nog niet gedaan? {VALUES.link}\n"
