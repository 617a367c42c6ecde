"""The organisation's look: a colour refused below WCAG AA, a logo re-encoded whatever was uploaded, and
both on the questionnaire and in the reports."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from roer.audit.models import AuditAction, AuditEvent
from roer.lib.contrast import contrast_with_white
from roer.lifecycle.mailing import scan_email
from roer.organisations.models import OrganisationLogo
from roer.reports.documents import report_fingerprint
from tests.conftest import link_for
from tests.factories import InvitationFactory
from tests.helpers import closed_scan_with
from tests.tasks import run_tasks


def image_file(size=(1200, 400), image_format="PNG", name="logo.png", mode="RGB", **save):  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    Image.new(mode, size, 1 if mode == "1" else (200, 30, 30)).save(out, format=image_format, **save)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def look_url(organisation) -> str:  # type: ignore[no-untyped-def]
    return f"/organisations/{organisation.code}/look/"


def post_look(client, organisation, **data):  # type: ignore[no-untyped-def]
    return client.post(look_url(organisation), {"primary_colour": "", **data})


def test_a_scan_manager_sets_colour_and_logo_and_both_are_served(alice_client, client, organisation):
    response = post_look(alice_client, organisation, primary_colour="#1D4F91", logo=image_file())
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.primary_colour == "#1d4f91"
    css = client.get(f"/organisations/{organisation.code}/look.css")
    assert css["Content-Type"] == "text/css; charset=utf-8"
    # 30 % darker for the hover shade: 0x1d * 0.7 = 20.3 -> 0x14, 0x4f * 0.7 = 55.3 -> 0x37, 0x91 * 0.7 = 101.5 -> 0x66
    assert css.content.decode() == ":root { --primary: #1d4f91; --primary-dark: #143766; }\n"
    logo = client.get(f"/organisations/{organisation.code}/logo.png")
    assert logo["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(logo.content)) as served:
        assert served.format == "PNG"
        assert served.size == (600, 200)  # 1200 x 400 fitted into 600 x 200
    event = AuditEvent.objects.get(action=AuditAction.LOOK_CHANGED)
    assert event.organisation == organisation
    assert "#1d4f91" in event.subject


@pytest.mark.parametrize(
    ("colour", "accepted"),
    [
        ("#767676", True),  # 4.54:1, the lightest grey that passes
        ("#777777", False),  # 4.48:1
        ("#ffcc00", False),  # yellow: 1.6:1
        ("1d4f91", True),  # the # may be left out
    ],
)
def test_the_colour_must_reach_aa_contrast_with_white(alice_client, organisation, colour, accepted):
    response = post_look(alice_client, organisation, primary_colour=colour)
    organisation.refresh_from_db()
    assert (response.status_code == 302) is accepted
    assert (organisation.primary_colour != "") is accepted


def test_a_refused_colour_names_its_contrast_and_the_rule_in_dutch(alice_client, organisation):
    # 4.478:1, cut off rather than rounded (a 4.497 must not read as the 4.50 it fails to reach)
    assert 4.47 < contrast_with_white("#777777") < 4.48
    page = post_look(alice_client, organisation, primary_colour="#777777").content.decode()
    assert "#777777 heeft een contrast van 4,47:1 met wit" in page
    assert "4,5:1" in page


def test_a_colour_in_another_notation_is_a_clear_error(alice_client, organisation):
    page = post_look(alice_client, organisation, primary_colour="blauw").content.decode()
    assert "zes hexadecimale cijfers" in page


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("logo.png", b"not an image at all", content_type="image/png"),
        SimpleUploadedFile(
            "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml"
        ),
    ],
    ids=["text", "svg-with-script"],
)
def test_what_is_not_a_raster_image_is_refused_and_nothing_is_kept(alice_client, organisation, upload):
    response = post_look(alice_client, organisation, logo=upload)
    assert response.status_code == 200
    assert "afbeelding" in response.content.decode() or "PNG, JPEG, GIF of WebP" in response.content.decode()
    assert not OrganisationLogo.objects.exists()


@pytest.mark.parametrize("size", [(10_000, 10_000), (7_000, 7_000)], ids=["beyond-pillows-limit", "beyond-roers"])
def test_an_image_that_would_decompress_into_a_huge_bitmap_is_refused(alice_client, organisation, size):
    # 100 and 49 million pixels (Pillow itself only warns below 179 million), a few kilobytes as a PNG
    bomb = image_file(size=size, mode="1")
    assert bomb.size < 2 * 1024 * 1024
    response = post_look(alice_client, organisation, logo=bomb)
    assert response.status_code == 200
    assert not OrganisationLogo.objects.exists()


def test_the_stored_logo_is_a_new_png_without_metadata_or_appended_bytes(alice_client, client, organisation):
    exif = Image.Exif()
    exif[0x8825] = {2: (52.0, 5.0, 0.0)}  # a GPS position
    exif[0x010E] = "secret description"
    photo = image_file(size=(300, 300), image_format="JPEG", name="logo.jpg", exif=exif.tobytes())
    appended = SimpleUploadedFile("logo.jpg", photo.read() + b"<html><script>alert(1)</script>", "image/jpeg")
    assert post_look(alice_client, organisation, logo=appended).status_code == 302
    served = client.get(f"/organisations/{organisation.code}/logo.png").content
    assert served.startswith(b"\x89PNG")
    assert b"script" not in served
    assert b"secret" not in served
    with Image.open(io.BytesIO(served)) as image:
        assert image.size == (200, 200)  # fitted to the height of 200
        assert not image.getexif()


def test_the_logo_can_be_removed(alice_client, client, organisation):
    post_look(alice_client, organisation, logo=image_file())
    assert post_look(alice_client, organisation, remove_logo="on").status_code == 302
    organisation.refresh_from_db()
    assert organisation.logo_updated_at is None
    assert client.get(f"/organisations/{organisation.code}/logo.png").status_code == 404


def test_a_reader_cannot_change_the_look(bob_client, organisation):
    assert post_look(bob_client, organisation, primary_colour="#1d4f91").status_code == 403
    organisation.refresh_from_db()
    assert organisation.primary_colour == ""
    assert not AuditEvent.objects.filter(action=AuditAction.LOOK_CHANGED).exists()


def test_another_organisations_manager_cannot_change_the_look(charlie_client, organisation):
    assert post_look(charlie_client, organisation, primary_colour="#1d4f91").status_code == 404


def test_unknown_organisations_have_no_look(db, client):
    code = "00000000-0000-0000-0000-000000000000"
    assert client.get(f"/organisations/{code}/look.css").status_code == 404
    assert client.get(f"/organisations/{code}/logo.png").status_code == 404


def test_the_questionnaire_shows_the_organisations_look(alice_client, client, organisation, scan):
    link = link_for(InvitationFactory(scan=scan))
    plain = client.get(link, follow=True).content.decode()
    assert "look.css" not in plain
    assert "logo.png" not in plain
    post_look(alice_client, organisation, primary_colour="#1d4f91", logo=image_file())
    page = client.get(link, follow=True).content.decode()
    assert f"/organisations/{organisation.code}/look.css?v=1d4f91" in page
    assert f"/organisations/{organisation.code}/logo.png?v=" in page
    assert f'alt="Logo van {organisation.name}"' in page


def test_the_report_pdf_carries_the_logo_and_a_new_look_gives_a_new_pdf(
    alice_client, bob_client, organisation, instrument_version
):
    closed = closed_scan_with(organisation, instrument_version, {"directie": [4, 4, 4], "medewerkers": [3] * 5})
    before = report_fingerprint(closed, "summary", "nl")
    post_look(alice_client, organisation, primary_colour="#1d4f91", logo=image_file())
    organisation.refresh_from_db()
    closed.organisation = organisation
    assert report_fingerprint(closed, "summary", "nl") != before
    run_tasks(skip=())
    response = bob_client.get(f"/scans/{closed.code}/report/summary.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert len(reader.pages) == 1  # the logo keeps the summary on one page
    assert len(reader.pages[0].images) == 1
    web = bob_client.get(f"/scans/{closed.code}/report/summary/").content.decode()
    assert f"/organisations/{organisation.code}/look.css" in web


def test_the_invitation_mail_carries_the_colour_and_the_logo_that_the_link_serves(alice_client, client, scan):
    organisation = scan.organisation
    post_look(alice_client, organisation, primary_colour="#1d4f91", logo=image_file())
    scan.refresh_from_db()
    message = scan_email(
        scan=scan, kind="invitations", to="a@alfa.example", language="nl", link="https://roer.alfa.nl/a/x/", group=None
    ).build()
    html = message.alternatives[0].content
    assert "border-top: 6px solid #1d4f91" in html
    assert "background: #1d4f91; color: #ffffff" in html
    logo_url = re.search(r'<img src="([^"]+)" alt="Gemeente Alfa"', html).group(1)
    assert logo_url.startswith(f"https://roer.alfa.nl/organisations/{organisation.code}/logo.png?v=")
    assert client.get(logo_url.removeprefix("https://roer.alfa.nl"))["Content-Type"] == "image/png"
    assert "#1d4f91" not in message.body  # the text part stays plain text
    post_look(alice_client, organisation, primary_colour="", remove_logo="on")
    scan.refresh_from_db()
    plain = (
        scan_email(
            scan=scan,
            kind="reminders",
            to="a@alfa.example",
            language="nl",
            link="https://roer.alfa.nl/a/x/",
            group=None,
        )
        .build()
        .alternatives[0]
        .content
    )
    assert "<img" not in plain
    assert "#14507a" in plain  # Roer's own colour
