"""What people type reaches the PDF as they typed it: in any script, with emoji, in one typeface with
Roer's own words, and never turned around by a direction control."""

from __future__ import annotations

import io

from pypdf import PdfReader

from roer.responses.models import OpenAnswer, Response
from roer.responses.questionnaire import pages_for
from tests.conftest import link_for
from tests.factories import InvitationFactory
from tests.groups import GroupKind
from tests.helpers import closed_scan_with, constant, page_data, post_page, publish_open_answers
from tests.reports.test_report import downloaded_pdf

WORLD = "Meer uitleg 😀 👍 · 数字化 · مرحبا · שלום · हिन्दी"


def fonts_of(reader: PdfReader) -> set[str]:
    """The base names of every font the pages use, without the subset prefix ("ABCDEF+Noto-Sans")."""
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for key in fonts:
            names.add(str(fonts[key].get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def test_the_summary_and_its_running_footer_are_one_typeface(bob_client, closed):
    reader = PdfReader(io.BytesIO(b"".join(downloaded_pdf(bob_client, closed, "summary").streaming_content)))
    # the page number and running title are margin boxes, which inherit from html rather than body:
    # before, they were printed in the default serif face
    assert {name.split("-")[0] for name in fonts_of(reader)} == {"Noto"}
    assert not any("Serif" in name for name in fonts_of(reader))


def test_emoji_and_other_scripts_print_with_fonts_that_have_them(bob_client, organisation, instrument_version):
    scan = closed_scan_with(organisation, instrument_version, {"directie": [4] * 3, "medewerkers": [3] * 7})
    for response in Response.objects.filter(scan=scan, group__kind=GroupKind.MEDEWERKERS):
        OpenAnswer.objects.create(
            response=response, scan=scan, group=response.group, code="open_verbeteren", text=WORLD
        )
    publish_open_answers(scan)
    reader = PdfReader(io.BytesIO(b"".join(downloaded_pdf(bob_client, scan, "full").streaming_content)))
    fonts = fonts_of(reader)
    assert {"Noto-Color-Emoji", "Noto-Sans-Devanagari"} <= fonts
    assert any(name.startswith("Noto-Sans-CJK") for name in fonts)
    text = "".join(page.extract_text() for page in reader.pages)
    for word in ("😀", "数字化", "हिन्दी"):
        assert word in text


def test_a_right_to_left_override_typed_in_the_questionnaire_is_not_stored(client, scan):
    """U+202E would print "kaalb" for "blaak" in every report; the answer keeps its words, not the trick."""
    invitation = InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.DIRECTIE))
    path = link_for(invitation)
    client.get(path, follow=True)
    definition = scan.instrument_version.parsed
    pages = pages_for(definition, "self")
    for page in pages:
        action = "submit" if page.number == len(pages) else "next"
        data = page_data(page, definition, constant(4), action)
        data.update({question.code: "Graag \u202ekaalb\u202c en \u2067שלום\u2069 erbij" for question in page.open})
        assert post_page(client, path, page, len(pages), data).status_code == 200
    texts = set(OpenAnswer.objects.values_list("text", flat=True))
    assert texts == {"Graag kaalb en שלום erbij"}
