"""An instrument version uploaded in the product: its problems with file and line, a draft nobody can use,
its preview and its difference from the version before, then published for every organisation or for
those chosen, and nothing else."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from roer.audit.models import AuditAction, AuditEvent
from roer.instruments.loader import DEFAULT_INSTRUMENT
from roer.instruments.models import InstrumentVersion
from roer.lifecycle.copying import newest_version
from roer.scans.models import Scan
from tests.conftest import client_for
from tests.scans.test_scan_forms import create_data

pytestmark = pytest.mark.django_db

OLD = "Ik weet welke digitale ontwikkelingen belangrijk zijn voor onze organisatie."
NEW = "Ik weet welke digitale ontwikkelingen ertoe doen voor onze gemeente."


def version_3() -> bytes:
    text = DEFAULT_INSTRUMENT.read_text(encoding="utf-8")
    assert "\nversion: 2\n" in text
    assert OLD in text
    return text.replace("\nversion: 2\n", "\nversion: 3\n", 1).replace(OLD, NEW, 1).encode("utf-8")


def upload(client, content: bytes, name: str = "digitaal-leiderschap-v3.yaml"):  # type: ignore[no-untyped-def]
    return client.post("/platform/instruments/upload/", {"file": SimpleUploadedFile(name, content)})


def offered(client, organisation) -> set[int]:  # type: ignore[no-untyped-def]
    """The versions the new-scan page offers: in its instrument chooser, or the one it sets up with."""
    page = client.get(f"/organisations/{organisation.code}/scans/new/").content.decode()
    select = re.search(r'<select name="instrument".*?</select>', page, flags=re.S)
    if select is not None:
        return {int(pk) for pk in re.findall(r'<option value="(\d+)"', select.group(0))}
    only = re.search(r'<input type="hidden" name="instrument_version" value="(\d+)"', page)
    return {int(only.group(1))} if only else set()


@pytest.fixture
def draft(petra_client, instrument_version) -> InstrumentVersion:  # type: ignore[no-untyped-def]
    response = upload(petra_client, version_3())
    assert response.status_code == 302
    return InstrumentVersion.objects.get(number=3)


def test_a_file_with_mistakes_is_refused_with_each_line_and_nothing_is_stored(petra_client, instrument_version):
    broken = version_3().replace(b"\nversion: 3\n", b"\nversion: drie\n", 1)
    response = upload(petra_client, broken)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file was not loaded: 1 problem" in page
    line = broken.decode().splitlines().index("version: drie") + 1
    assert f"digitaal-leiderschap-v3.yaml, line {line} (version)" in page
    assert InstrumentVersion.objects.count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.INSTRUMENT_UPLOADED).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe not text", "the file is not UTF-8 text"),
        (b"code: [unclosed", "digitaal-leiderschap-v3.yaml"),
        (b"", "The submitted file is empty."),
    ],
    ids=["not-utf8", "not-yaml", "empty"],
)
def test_what_is_not_an_instrument_file_gets_a_clear_message(petra_client, instrument_version, content, message):
    response = upload(petra_client, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert InstrumentVersion.objects.count() == 1


def test_an_upload_is_a_draft_with_its_preview_and_its_difference(petra_client, petra, draft, instrument_version):
    assert draft.published_at is None
    page = petra_client.get(f"/platform/instruments/{draft.pk}/").content.decode()
    assert "draft: no scan can use it yet" in page
    assert "What changed since version 2" in page
    assert f"<del>-              nl: {OLD}</del>" in page
    assert f"<ins>+              nl: {NEW}</ins>" in page
    assert page.count("<ins>") == 2  # the version number and the one sentence: nothing else moved
    # the preview in the page's language (English here): the English text did not change
    assert "I know which digital developments matter for our organisation." in page
    event = AuditEvent.objects.get(action=AuditAction.INSTRUMENT_UPLOADED)
    assert (event.user, event.organisation) == (petra, None)


def test_the_same_file_again_is_the_same_draft(petra_client, draft):
    assert upload(petra_client, version_3()).url == f"/platform/instruments/{draft.pk}/"
    assert InstrumentVersion.objects.filter(number=3).count() == 1


def test_a_draft_cannot_be_used_for_a_scan_not_even_by_posting_its_number(
    alice_client, organisation, instrument_version, draft
):
    assert offered(alice_client, organisation) == {instrument_version.pk}
    response = alice_client.post(f"/organisations/{organisation.code}/scans/new/", create_data(draft))
    assert response.status_code == 200
    assert "Kies een van de genoemde instrumenten." in response.content.decode()
    assert not Scan.objects.exists()


def test_published_for_one_organisation_it_is_that_organisations_alone(
    petra_client, alice_client, charlie, organisation, other_organisation, instrument_version, draft, scan, other_scan
):
    response = petra_client.post(
        f"/platform/instruments/{draft.pk}/", {"audience": "chosen", "organisations": [organisation.pk]}
    )
    assert response.status_code == 302
    assert offered(alice_client, organisation) == {instrument_version.pk, draft.pk}
    charlie_client = client_for(charlie)
    assert offered(charlie_client, other_organisation) == {instrument_version.pk}
    refused = charlie_client.post(f"/organisations/{other_organisation.code}/scans/new/", create_data(draft))
    assert refused.status_code == 200
    assert not Scan.objects.filter(instrument_version=draft).exists()
    # copied for next year: Alfa's scan moves to version 3, the other organisation's stays on 2
    assert newest_version(scan) == draft
    assert newest_version(other_scan) == instrument_version
    event = AuditEvent.objects.get(action=AuditAction.INSTRUMENT_PUBLISHED)
    assert event.subject.endswith(f": {organisation.name}")


def test_published_for_every_organisation_everyone_may_use_it(
    petra_client, charlie, other_organisation, instrument_version, draft
):
    petra_client.post(f"/platform/instruments/{draft.pk}/", {"audience": "every"})
    draft.refresh_from_db()
    assert draft.published_at is not None
    assert offered(client_for(charlie), other_organisation) == {instrument_version.pk, draft.pk}


def test_chosen_without_an_organisation_is_a_clear_error(petra_client, draft):
    response = petra_client.post(f"/platform/instruments/{draft.pk}/", {"audience": "chosen"})
    assert response.status_code == 200
    assert "Choose at least one organisation, or publish for every organisation." in response.content.decode()
    draft.refresh_from_db()
    assert draft.published_at is None


def test_a_draft_can_be_discarded_a_published_version_cannot(petra_client, draft, instrument_version):
    kept = petra_client.post(f"/platform/instruments/{instrument_version.pk}/", {"action": "discard"}, follow=True)
    assert "A published version, or one a scan uses, is kept." in kept.content.decode()
    assert InstrumentVersion.objects.filter(pk=instrument_version.pk).exists()
    petra_client.post(f"/platform/instruments/{draft.pk}/", {"action": "discard"})
    assert not InstrumentVersion.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.INSTRUMENT_DISCARDED).count() == 1


def test_nobody_but_a_platform_administrator_uploads_or_publishes(alice_client, bob_client, draft):
    for client in (alice_client, bob_client):
        assert upload(client, version_3()).status_code == 404
        assert client.post(f"/platform/instruments/{draft.pk}/", {"audience": "every"}).status_code == 404
    draft.refresh_from_db()
    assert draft.published_at is None


def test_a_version_loaded_before_publication_existed_stays_usable(alice_client, organisation, instrument_version):
    assert instrument_version.published_at is not None  # the command line publishes what it loads
    assert offered(alice_client, organisation) == {instrument_version.pk}
    assert datetime.datetime.now(datetime.UTC) >= instrument_version.published_at


@pytest.mark.parametrize("organisations", [1, 20])
def test_the_upload_and_version_pages_do_not_grow_with_the_organisations(petra_client, draft, organisations):
    from tests.factories import OrganisationFactory
    from tests.test_query_counts import queries

    chosen = OrganisationFactory.create_batch(organisations)
    petra_client.post(f"/platform/instruments/{draft.pk}/", {"audience": "chosen", "organisations": [chosen[0].pk]})
    assert queries(petra_client, "/platform/instruments/upload/") == 2
    assert queries(petra_client, f"/platform/instruments/{draft.pk}/") == 7


def test_an_upload_never_changes_a_stored_version_not_even_its_guide(petra_client, instrument_version):
    """The command line may improve a version's conversation guide in place; an upload may not."""
    text = DEFAULT_INSTRUMENT.read_text(encoding="utf-8")
    question = "Whom do we ask to tell us honestly what could be better here?"
    assert question in text
    changed = text.replace(question, "Whom do we ask for an honest word?", 1).encode("utf-8")
    before = InstrumentVersion.objects.values_list("definition", "source_text").get(pk=instrument_version.pk)
    response = upload(petra_client, changed, name="digitaal-leiderschap-v2.yaml")
    assert response.status_code == 200
    assert "an upload never changes a stored version" in response.content.decode()
    after = InstrumentVersion.objects.values_list("definition", "source_text").get(pk=instrument_version.pk)
    assert after == before
    assert not AuditEvent.objects.filter(action=AuditAction.INSTRUMENT_UPLOADED).exists()


@pytest.mark.parametrize("nested", [b"[" * 5000, b"{b: " * 3000, b"- " * 3000], ids=["brackets", "maps", "dashes"])
def test_a_file_nested_thousands_deep_is_refused_not_a_crash(petra_client, instrument_version, nested):
    response = upload(petra_client, nested)
    assert response.status_code == 200
    assert "nested far deeper than an instrument file is" in response.content.decode()
