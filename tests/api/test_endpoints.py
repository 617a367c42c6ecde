"""Each operation against numbers worked out by hand, and against what the product itself shows."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from roer.audit.models import AuditAction, AuditEvent
from roer.plans.models import Action
from roer.reports.figures_file import figures_document
from roer.results.selectors import scan_results
from tests.factories import InvitationFactory, MembershipFactory, ScanFactory, UserFactory
from tests.groups import GroupKind
from tests.helpers import closed_scan_with

pytestmark = pytest.mark.django_db


def test_the_organisation_is_the_keys_own(reader, organisation):
    body = reader.get("/organisation").json()
    assert body["code"] == str(organisation.code)
    assert body["name"] == "Gemeente Alfa"
    assert set(body) == {"code", "name", "kind", "kind_label", "inhabitants", "size_class", "benchmark_opt_in"}


def test_scans_are_listed_newest_first_with_counts_and_paged(
    reader, organisation, instrument_version, scan, other_scan
):
    older = ScanFactory(
        organisation=organisation,
        instrument_version=instrument_version,
        title="Vorig jaar",
        opens_on=timezone.localdate() - datetime.timedelta(days=400),
        closes_on=timezone.localdate() - datetime.timedelta(days=380),
    )
    medewerkers = scan.groups.get(kind=GroupKind.MEDEWERKERS)
    for number in range(3):
        InvitationFactory(scan=scan, group=medewerkers, email=f"m{number}@alfa.example")
    body = reader.get("/scans").json()
    assert body["count"] == 2
    assert [item["title"] for item in body["items"]] == ["Scan Alfa 2026", "Vorig jaar"]
    first = body["items"][0]
    assert first["invited"] == 3
    assert first["responded"] == 0
    assert first["state"] == "open"
    assert first["has_figures"] is False
    assert first["instrument"]["version"] == instrument_version.number
    assert body["items"][1]["code"] == str(older.code)
    page = reader.get("/scans", limit=1, offset=1).json()
    assert page["count"] == 2
    assert [item["title"] for item in page["items"]] == ["Vorig jaar"]
    assert reader.get("/scans", limit=0).status_code == 422
    assert reader.get("/scans", limit=201).status_code == 422
    assert reader.get(f"/scans/{scan.code}").json() == first


def test_groups_with_their_thresholds(reader, scan):
    groups = reader.get(f"/scans/{scan.code}/groups").json()
    assert [(group["kind"], group["threshold"], group["perspective"]) for group in groups] == [
        ("directie", 3, "self"),
        ("management", 5, "others"),
        ("informatievoorziening", 5, "others"),
        ("medewerkers", 5, "others"),
    ]
    assert groups[0]["label"] == "Directie (zelfbeoordeling)" or groups[0]["label"].startswith("Directors")


def test_response_rates_as_the_scan_page_shows_them(reader, scan):
    medewerkers = scan.groups.get(kind=GroupKind.MEDEWERKERS)
    directie = scan.groups.get(kind=GroupKind.DIRECTIE)
    for number in range(4):
        InvitationFactory(scan=scan, group=medewerkers, email=f"m{number}@alfa.example", submitted=number == 0)
    InvitationFactory(scan=scan, group=directie, email="d@alfa.example", sent_at=None)
    body = reader.get(f"/scans/{scan.code}/response-rates").json()
    by_kind = {group["kind"]: group for group in body["groups"]}
    assert by_kind["medewerkers"]["invited"] == 4
    assert by_kind["directie"]["invited"] == 1
    assert by_kind["management"]["rate"] is None
    assert body["total_invited"] == 5
    assert body["not_sent"] == 1  # the director's invitation
    assert body["waiting"] == 3  # sent, not answered
    # the same numbers as on the scan's page
    from roer.results.selectors import response_rates

    rates = response_rates(scan, sorted(scan.groups.all(), key=lambda group: group.sort_key))
    assert [(rate.invited, rate.responded) for rate in rates] == [
        (group["invited"], group["responded"]) for group in body["groups"]
    ]


def test_figures_are_the_figures_file_and_nothing_hidden(reader, organisation, instrument_version):
    closed = closed_scan_with(
        organisation, instrument_version, {"directie": [4, 4, 4], "medewerkers": [3] * 5, "management": [2, 2]}
    )
    response = reader.get(f"/scans/{closed.code}/figures")
    assert response.status_code == 200
    body = response.json()
    expected = json.loads(json.dumps(figures_document(scan_results(closed))))
    for cell in body["cells"]:  # the file leaves out what does not apply; the API says null
        for name in ("agreeing", "reverse"):
            if cell[name] is None:
                del cell[name]
    assert body == expected
    # by hand: every director gave 4, every staff member 3: a dimension scores (v - 1) / 4 * 100
    dimension = next(cell for cell in body["cells"] if cell["family"] == "dimension" and cell["group"] == "directie")
    assert (dimension["n"], dimension["sum"], dimension["sum_of_squares"]) == (3, 225, 3 * 75**2)
    # all others together: five staff at 50 and two managers at 25
    others = next(
        cell
        for cell in body["cells"]
        if cell["family"] == "dimension" and cell["group"] == "all_others" and cell["code"] == dimension["code"]
    )
    assert (others["n"], others["sum"], others["sum_of_squares"]) == (7, 5 * 50 + 2 * 25, 5 * 50**2 + 2 * 25**2)
    # two managers are below their threshold of five: hidden, with a reason and no number; and so is staff,
    # which all others minus staff would give away (the complementary rule)
    assert {cell["group"] for cell in body["cells"]} == {"directie", "all_others"}
    reasons = {(cell["group"], cell["reason"]) for cell in body["hidden"] if cell["family"] == "dimension"}
    assert reasons == {("management", "below_threshold"), ("medewerkers", "complementary")}
    assert all(set(cell) == {"group", "family", "code", "reason"} for cell in body["hidden"])
    assert "@" not in response.content.decode()  # no invitee, no respondent
    event = AuditEvent.objects.get(action=AuditAction.EXPORT_DOWNLOADED)
    assert "Dashboard" in event.subject
    assert "figures" in event.subject


def test_figures_wait_for_the_scan_to_close(reader, scan):
    response = reader.get(f"/scans/{scan.code}/figures")
    assert response.status_code == 409
    assert response.json()["detail"]


def test_the_plan_is_read_added_to_and_changed(reader, writer, organisation, instrument_version, alice):
    published = closed_scan_with(organisation, instrument_version, {"directie": [4, 4, 4], "medewerkers": [3] * 5})
    owner = MembershipFactory(organisation=organisation, user=UserFactory(email="owner@alfa.example")).user
    created = writer.post(
        "/plan/actions",
        {
            "title": "Leertraject data",
            "dimension_code": "kennis",
            "investment": "kennis",
            "due_on": "2026-09-01",
            "owner_email": "OWNER@alfa.example",
            "budget_euros": 5000,
        },
    )
    assert created.status_code == 201, created.json()
    action = Action.objects.get()
    assert action.owner == owner
    assert action.baseline_scan == published
    assert action.created_by == alice
    body = created.json()
    assert body["id"] == action.pk
    assert body["baseline_scan"] == str(published.code)
    assert body["owner_email"] == "owner@alfa.example"
    assert body["status"] == "planned"
    listed = reader.get("/plan/actions").json()
    assert listed["count"] == 1
    assert listed["items"][0] == body
    changed = writer.patch(f"/plan/actions/{action.pk}", {"status": "in_progress", "owner_email": ""})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["status"] == "in_progress"
    assert changed.json()["owner_email"] is None
    writes = AuditEvent.objects.filter(action=AuditAction.API_WRITE).order_by("at", "pk")
    assert [event.subject for event in writes] == [
        f"Personeelssysteem ({writer_prefix(writer)}): action added: Leertraject data",
        f"Personeelssysteem ({writer_prefix(writer)}): action changed: Leertraject data",
    ]
    assert AuditEvent.objects.filter(action=AuditAction.ACTION_CREATED, user=alice).count() == 1


def writer_prefix(client) -> str:  # type: ignore[no-untyped-def]
    return client.headers["Authorization"].split("_")[1]


@pytest.mark.parametrize(
    ("data", "location"),
    [
        ({"dimension_code": "nope"}, "body.dimension_code"),
        ({"owner_email": "charlie@bravo.example"}, "body.owner_email"),
        ({"owner_email": "nobody@nowhere.example"}, "body.owner_email"),
        ({"investment": "geld"}, "body.investment"),
        ({"due_on": "31-12-2026"}, "body.due_on"),
        ({"budget_euros": -1}, "body.budget_euros"),
        ({"colour": "red"}, "body.colour"),
    ],
)
def test_a_bad_action_is_422_with_the_field(writer, instrument_version, charlie, data, location):
    good = {"title": "X", "dimension_code": "kennis", "investment": "kennis", "due_on": "2026-09-01"}
    response = writer.post("/plan/actions", {**good, **data})
    assert response.status_code == 422, response.json()
    assert location in [error["location"] for error in response.json()["errors"]]
    assert not Action.objects.exists()


def test_a_due_date_far_away_is_refused_with_the_plans_own_message(writer, instrument_version):
    response = writer.post(
        "/plan/actions", {"title": "X", "dimension_code": "kennis", "investment": "kennis", "due_on": "2099-01-01"}
    )
    assert response.status_code == 422
    assert "vijf" in response.json()["detail"] or "five" in response.json()["detail"]


def test_a_null_for_a_required_field_is_422(writer, organisation, instrument_version):
    action = Action.objects.create(
        organisation=organisation,
        instrument_code="digitaal_leiderschap",
        dimension_code="kennis",
        investment="kennis",
        title="Leertraject",
        due_on="2026-06-01",
    )
    response = writer.patch(f"/plan/actions/{action.pk}", {"title": None})
    assert response.status_code == 422
    assert writer.patch(f"/plan/actions/{action.pk}", {}).status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.API_WRITE).exists()


def test_broken_json_is_a_clear_400(writer, scan):
    response = writer.client.post(
        f"/api/v1/scans/{scan.code}/invitations", "{not json", content_type="application/json", headers=writer.headers
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_text_with_a_nul_character_is_refused_before_the_database(writer, organisation):
    action = Action.objects.create(
        organisation=organisation,
        instrument_code="digitaal_leiderschap",
        dimension_code="kennis",
        investment="kennis",
        title="Leertraject",
        due_on="2026-06-01",
    )
    writer.headers["Accept-Language"] = "en"
    response = writer.patch(f"/plan/actions/{action.pk}", {"title": "Leer\x00traject"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"location": "body.title", "message": "Text may not contain a NUL character."}]
    action.refresh_from_db()
    assert action.title == "Leertraject"


def test_the_api_root_points_to_the_schema(client):
    response = client.get("/api/v1/")
    assert response.status_code == 404
    assert "openapi.json" in response.json()["detail"]


def test_a_body_over_the_upload_limit_is_413(writer, scan, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    many = [{"email": f"p{number}@alfa.example", "group": "medewerkers"} for number in range(1000)]
    response = writer.post(f"/scans/{scan.code}/invitations", {"invitations": many})
    assert response.status_code == 413
    assert response.json()["detail"]
