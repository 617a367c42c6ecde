"""The public pages about Roer: the method page rendered from docs/scoring.md, the accessibility statement
and the privacy statement, linked from every page's footer, the questionnaire and the reports."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from roer.reports.rendering import report_html
from roer.web.pages import rendered_document
from tests.conftest import link_for
from tests.factories import InvitationFactory
from tests.groups import GroupKind
from tests.helpers import closed_scan_with

pytestmark = pytest.mark.django_db

SCORING = Path(django_settings.BASE_DIR) / "docs" / "scoring.md"


def body(client, url: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("url", ["/method/", "/accessibility/", "/privacy/"])
def test_the_pages_are_public(client, url):
    page = body(client, url)
    assert page.count("<h1") == 1


def test_the_method_page_is_docs_scoring_md_with_ids_and_contents(client):
    page = body(client, "/method/")
    # every second-level heading of the document is in the contents and on the page with that id
    titles = re.findall(r"^## (.+)$", SCORING.read_text(encoding="utf-8"), re.MULTILINE)
    assert "Worked example" in titles
    contents = page[page.index('class="page-toc"') : page.index("</nav>", page.index('class="page-toc"'))]
    anchors = re.findall(r'href="#([^"]+)"', contents)
    assert len(anchors) == len(titles)
    for anchor in anchors:
        assert f'id="{anchor}"' in page
    assert 'id="worked-example"' in page
    assert "<table" in page  # the worked example's table, as a table
    assert 'style="' not in page  # the content security policy allows no inline style


def test_the_method_page_says_its_document_is_english_on_a_dutch_page_and_not_on_an_english_one(client):
    dutch = body(client, "/method/")
    assert '<div lang="en">' in dutch
    assert 'class="notice"' in dutch
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = body(client, "/method/")
    assert 'class="notice"' not in english


def test_a_translated_document_is_used_when_there_is_one(client, settings, tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "scoring.md").write_text("# How\n\n## One\n\nEnglish text.\n", encoding="utf-8")
    (tmp_path / "docs" / "scoring.nl.md").write_text("# Hoe\n\n## Een\n\nNederlandse tekst.\n", encoding="utf-8")
    settings.BASE_DIR = tmp_path
    page = body(client, "/method/")
    assert "Nederlandse tekst." in page
    assert '<div lang="nl">' in page
    assert 'class="notice"' not in page


def test_raw_html_and_script_links_in_the_document_are_escaped(tmp_path):
    document = tmp_path / "hostile.md"
    document.write_text(
        '# T\n\n<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n'
        "[click](javascript:alert(3)) and [other doc](anonymity.md) and [site](https://example.org)\n",
        encoding="utf-8",
    )
    html = str(rendered_document(document, "en").html)
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "<img" not in html
    assert "javascript:" not in html.replace("[click](javascript:alert(3))", "")
    assert 'href="anonymity.md"' not in html  # a repository file is not served: its text stays, unlinked
    assert "other doc" in html
    assert 'href="https://example.org"' in html


def test_headings_get_unique_ids_and_move_one_level_down(tmp_path):
    document = tmp_path / "doc.md"
    document.write_text("# Title\n\n## Same\n\n## Same\n\n### *Deep* `code`\n", encoding="utf-8")
    rendered = rendered_document(document, "en")
    html = str(rendered.html)
    assert rendered.title == "Title"
    assert '<h2 id="title">' in html  # the page's own h1 comes first
    assert '<h3 id="same">' in html
    assert '<h3 id="same-2">' in html
    assert '<h4 id="deep-code">' in html
    assert [heading.anchor for heading in rendered.headings] == ["same", "same-2"]


def test_the_rendering_is_cached_until_the_file_changes(tmp_path, monkeypatch):
    document = tmp_path / "doc.md"
    document.write_text("# A\n\nfirst\n", encoding="utf-8")
    os.utime(document, ns=(1_000_000_000, 1_000_000_000))
    assert "first" in rendered_document(document, "en").html
    reads = []
    original = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda self, **kw: reads.append(self) or original(self, **kw))
    assert "first" in rendered_document(document, "en").html
    assert reads == []  # same modification time: not read again
    document.write_text("# A\n\nsecond\n", encoding="utf-8")
    os.utime(document, ns=(2_000_000_000, 2_000_000_000))
    assert "second" in rendered_document(document, "en").html
    assert reads == [document]


def test_the_accessibility_statement_names_the_configured_contact(client, settings):
    settings.ROER_ACCESSIBILITY_CONTACT = "Team digitaal <toegankelijk@gemeente.example>"
    page = body(client, "/accessibility/")
    assert 'href="mailto:toegankelijk@gemeente.example"' in page
    for anchor in ("status", "measured", "limitations", "contact", "date"):
        assert f'id="{anchor}"' in page
    assert "WCAG 2.1" in page
    assert "EN 301 549" in page
    assert "/admin/" in page
    assert "2026" in page  # the date of the statement


def test_a_bare_address_as_contact_is_used_as_it_is(client, settings):
    settings.ROER_ACCESSIBILITY_CONTACT = "privacy@gemeente.example"
    assert 'href="mailto:privacy@gemeente.example"' in body(client, "/privacy/")


def test_the_privacy_statement_takes_its_figures_from_the_settings(client, settings):
    settings.ROER_RETENTION_DAYS = 45
    settings.ROER_DEFAULT_THRESHOLD = 6
    settings.ROER_MIN_THRESHOLD = 4
    settings.ROER_OPEN_ANSWER_THRESHOLD = 9
    settings.ROER_RESIDENT_THRESHOLD = 12
    settings.ROER_EXPORT_RETENTION_HOURS = 36
    page = body(client, "/privacy/")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    for figure in ("45", "6", "4", "9", "12", "36"):
        assert re.search(rf"\b{figure}\b", text), figure
    assert not re.search(r"\b90\b", text)  # not the default retention, written down somewhere
    for anchor in ("controller", "invitees", "thresholds", "residents", "tracking", "rights", "contact"):
        assert f'id="{anchor}"' in page


def test_every_base_page_links_the_three_pages_in_its_footer(client, scan):
    invitation = InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS))
    for url in ("/login/", "/privacy/", f"{link_for(invitation)}1/"):
        page = body(client, url)
        footer = page[page.index('class="site-footer"') :]
        for target in ("/method/", "/privacy/", "/accessibility/"):
            assert f'href="{target}"' in footer, (url, target)


def test_the_questionnaire_start_page_links_the_privacy_statement(client, scan):
    invitation = InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS))
    path = link_for(invitation)
    first = body(client, f"{path}1/")
    main = first[first.index('id="main"') : first.index('class="site-footer"')]
    assert 'href="/privacy/"' in main
    second = body(client, f"{path}2/")
    assert 'href="/privacy/"' not in second[second.index('id="main"') : second.index('class="site-footer"')]


def test_the_report_links_the_method_page_and_the_pdf_with_the_whole_address(
    settings, alice_client, organisation, instrument_version
):
    settings.ROER_BASE_URL = "https://roer.gemeente.example"
    scan = closed_scan_with(organisation, instrument_version, {"directie": [5, 5, 5], "medewerkers": [2] * 5})
    for kind in ("summary", "full"):
        page = body(alice_client, f"/scans/{scan.code}/report/{kind}/")
        pdf = report_html(scan, kind, "nl", for_pdf=True)
        assert "docs/scoring.md" not in page + pdf
        assert 'href="/method/"' in page
        assert 'href="https://roer.gemeente.example/method/"' in pdf
