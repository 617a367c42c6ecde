"""The action plan on one A4 page as a PDF: made by a worker once per state of the plan, served from
storage to the organisation's members only, and made again when an action changes."""

import datetime
import io
import os

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from roer.audit.models import AuditAction, AuditEvent
from roer.lifecycle import documents
from roer.plans import services
from roer.plans.models import Action, ActionStatus, FocusDimension, ProgressNote
from roer.reports.models import FileStatus, PlanFile
from roer.reports.plan import PLAN_ROWS, plan_fingerprint
from tests.helpers import closed_scan_with
from tests.tasks import queued, run_tasks

pytestmark = pytest.mark.django_db

LONG_WORD = "Informatiebeveiligingsbewustwordingsprogrammaontwikkelingstraject" * 3
OVERRIDE = "Omgekeerd \u202ewoord"  # a right-to-left override, typed or pasted into a title


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_pages(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def _url(organisation) -> str:  # type: ignore[no-untyped-def]
    return f"/organisations/{organisation.code}/plan.pdf"


@pytest.fixture
def published(organisation, instrument_version):  # type: ignore[no-untyped-def]
    scan = closed_scan_with(organisation, instrument_version, {"directie": [4, 4, 4], "medewerkers": [3] * 6})
    codes = [dimension.code for _pillar, dimension in instrument_version.parsed.dimensions()]
    for position, code in enumerate(codes[:2]):
        FocusDimension.objects.create(scan=scan, dimension_code=code, position=position)
    return scan


def add_action(organisation, alice, scan, title, **extra):  # type: ignore[no-untyped-def]
    codes = [dimension.code for _pillar, dimension in scan.instrument_version.parsed.dimensions()]
    values = {
        "dimension_code": codes[0],
        "investment": "kennis",
        "due_on": timezone.localdate() + datetime.timedelta(days=30),
        "owner": alice,
        "budget_euros": 12000,
        "baseline_scan": scan,
        **extra,
    }
    return services.action_create(
        organisation=organisation,
        user=alice,
        instrument_code=scan.instrument_version.parsed.code,
        title=title,
        today=timezone.localdate(),
        **values,
    )


@pytest.fixture
def plan(organisation, alice, bob, published):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    first = add_action(organisation, alice, published, "Masterclass data voor de directie")
    add_action(
        organisation,
        alice,
        published,
        "Regiegroep informatievoorziening",
        investment="relaties",
        owner=bob,
        due_on=today - datetime.timedelta(days=3),
    )
    done = add_action(organisation, alice, published, "Leerkring digitale ethiek", investment="medewerkers")
    services.action_status_set(action=done, user=alice, status=ActionStatus.DONE)
    services.note_add(action=first, user=alice, text="Eerste sessie gehouden", written_on=today, today=today)
    return first


def in_english(client):  # type: ignore[no-untyped-def]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def downloaded(client, organisation) -> bytes:  # type: ignore[no-untyped-def]
    response = client.get(_url(organisation))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def test_the_plan_is_one_a4_page_with_its_actions_focus_and_balance(bob_client, organisation, plan):
    waiting = in_english(bob_client).get(_url(organisation))
    assert waiting.status_code == 202  # a worker makes it
    assert "The PDF is being prepared" in waiting.content.decode()
    run_tasks(skip=())
    content = downloaded(bob_client, organisation)
    assert pdf_pages(content) == 1
    page = PdfReader(io.BytesIO(content)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4
    text = pdf_text(content)
    for title in ("Masterclass data voor de directie", "Regiegroep informatievoorziening", "Leerkring digitale ethiek"):
        assert title in text
    assert "Action plan" in text
    assert "Gemeente Alfa" in text
    assert "16 March 2026" in text  # the day of the plan
    assert "overdue" in text  # the overdue action is marked
    assert "Balance of the investments" in text
    assert "1 progress note, last on 16 Mar 2026" in text
    assert "the directors chose to focus on" in text


def test_a_full_plan_with_long_words_still_fits_on_one_page(alice, alice_client, organisation, published):
    for number in range(PLAN_ROWS + 4):
        add_action(organisation, alice, published, f"{number}: {LONG_WORD}"[:300], baseline_scan=None)
    add_action(organisation, alice, published, OVERRIDE)
    documents.plan_request(organisation, "en")
    run_tasks(skip=())
    content = downloaded(in_english(alice_client), organisation)
    assert pdf_pages(content) == 1
    assert "5 more actions are in the plan in Roer" in pdf_text(content)


def test_a_right_to_left_override_in_a_title_stays_inside_it(alice, alice_client, organisation, published):
    published.title = f"Scan {OVERRIDE}"
    published.save(update_fields=["title"])
    add_action(organisation, alice, published, OVERRIDE)
    documents.plan_request(organisation, "en")
    run_tasks(skip=())
    text = pdf_text(downloaded(in_english(alice_client), organisation))
    assert "the directors chose to focus on" in text  # the words after the scan's title read as written


def test_a_changed_action_gives_a_new_pdf_and_the_old_one_is_gone(alice, bob_client, organisation, plan, monkeypatch):
    rendered: list[str] = []
    monkeypatch.setattr(documents, "render_pdf", lambda html: rendered.append(html) or b"%PDF-1.7 stand-in")
    bob_client.get(_url(organisation))
    run_tasks(skip=())
    old = PlanFile.objects.get(organisation=organisation)
    before = plan_fingerprint(organisation, "nl")
    services.action_status_set(action=plan, user=alice, status=ActionStatus.IN_PROGRESS)
    assert plan_fingerprint(organisation, "nl") != before
    assert bob_client.get(_url(organisation)).status_code == 202  # not the PDF of the plan as it was
    run_tasks(skip=())
    assert bob_client.get(_url(organisation)).status_code == 200
    assert len([html for html in rendered if "report--plan" in html]) == 2
    assert not PlanFile.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.REPORT_DOWNLOADED, subject="plan.pdf").count() == 1


@pytest.mark.parametrize(
    "change",
    [
        lambda action: Action.objects.filter(pk=action.pk).update(budget_euros=1),
        lambda action: Action.objects.filter(pk=action.pk).update(due_on=action.due_on + datetime.timedelta(days=1)),
        lambda action: action.owner.__class__.objects.filter(pk=action.owner_id).update(full_name="Alice A."),
        lambda action: ProgressNote.objects.create(action=action, written_on=action.due_on, text="x"),
        lambda action: action.baseline_scan.figures.save(),  # figures computed again: the re-measure may move
    ],
)
def test_the_fingerprint_follows_everything_the_page_shows(organisation, plan, change):
    before = plan_fingerprint(organisation, "nl")
    change(plan)
    assert plan_fingerprint(organisation, "nl") != before


def test_the_fingerprint_does_not_follow_a_reminder(organisation, plan):
    before = plan_fingerprint(organisation, "nl")
    Action.objects.filter(pk=plan.pk).update(reminded_for=plan.due_on)
    assert plan_fingerprint(organisation, "nl") == before


def test_running_the_task_twice_leaves_one_file(organisation, plan, monkeypatch):
    monkeypatch.setattr(documents, "render_pdf", lambda html: b"%PDF-1.7 stand-in")
    stored = documents.plan_request(organisation, "nl")
    assert documents.render_plan.call(stored.pk) is True
    PlanFile.objects.filter(pk=stored.pk).update(status=FileStatus.PENDING)  # the queue runs it once more
    assert documents.render_plan.call(stored.pk) is True
    stored.refresh_from_db()
    assert PlanFile.objects.filter(organisation=organisation).count() == 1
    folder = os.path.dirname(stored.file.storage.path(stored.file.name))
    assert os.listdir(folder) == [os.path.basename(stored.file.name)]


def test_asking_twice_queues_it_once(bob_client, organisation, plan):
    for _ in range(2):
        assert bob_client.get(_url(organisation)).status_code == 202
    assert len(queued("render_plan")) == 1


@pytest.mark.parametrize("actions", [1, 6])
def test_a_stored_plan_is_served_with_the_same_queries_whatever_its_size(
    alice, bob_client, organisation, published, monkeypatch, actions
):
    monkeypatch.setattr(documents, "render_pdf", lambda html: b"%PDF-1.7 stand-in")
    for number in range(actions):
        action = add_action(organisation, alice, published, f"Actie {number}")
        ProgressNote.objects.create(action=action, written_on=timezone.localdate(), text="x")
    bob_client.get(_url(organisation))
    run_tasks(skip=())
    bob_client.get(_url(organisation))
    with CaptureQueriesContext(connection) as captured:
        assert bob_client.get(_url(organisation)).status_code == 200
    assert len(captured) == 11, [query["sql"] for query in captured]


def test_only_members_get_the_plan(bob_client, charlie_client, client, organisation, plan):
    assert charlie_client.get(_url(organisation)).status_code == 404
    assert client.get(_url(organisation)).status_code == 302
    assert bob_client.get(_url(organisation)).status_code == 202
    assert PlanFile.objects.count() == 1  # the outsider queued nothing


def test_a_server_without_pdf_libraries_says_so(bob_client, organisation, plan, monkeypatch):
    def missing(html: str) -> bytes:
        raise documents.PdfUnavailableError("libpango not found")

    monkeypatch.setattr(documents, "render_pdf", missing)
    bob_client.get(_url(organisation))
    run_tasks(skip=())
    response = bob_client.get(_url(organisation))
    assert response.status_code == 503
    assert "kan op deze server niet worden gemaakt" in response.content.decode()


def test_a_stored_plan_whose_file_has_gone_is_made_again(bob_client, organisation, plan, monkeypatch):
    monkeypatch.setattr(documents, "render_pdf", lambda html: b"%PDF-1.7 stand-in")
    bob_client.get(_url(organisation))
    run_tasks(skip=())
    stored = PlanFile.objects.get(organisation=organisation)
    stored.file.storage.delete(stored.file.name)
    assert bob_client.get(_url(organisation)).status_code == 202
    run_tasks(skip=())
    assert bob_client.get(_url(organisation)).status_code == 200
