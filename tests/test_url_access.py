"""Every URL that takes an identifier, tried by its owner (a scan manager of the organisation), a colleague
(a reader of the same organisation) and an outsider (a scan manager of another organisation). A meta-test
walks the URLconf and fails when a pattern with an identifier has no entry here."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from roer.api.keys import key_create
from roer.learning.models import Case, SharingOffer
from roer.lifecycle.resident_life import survey_create
from roer.organisations.models import Role
from roer.plans.models import Action
from roer.residents.models import Burst
from tests.conftest import client_for
from tests.factories import InvitationFactory, MembershipFactory
from tests.groups import GroupKind
from tests.helpers import closed_scan_with
from tests.tasks import run_tasks


@dataclass(frozen=True)
class Rule:
    method: str
    kwargs: str  # which objects the URL names: "organisation", "open_scan", "closed_scan", ...
    owner: int
    colleague: int
    outsider: int = 404
    extra: tuple[tuple[str, str], ...] = ()
    data: tuple[tuple[str, str], ...] = ()


READ, MANAGE = (200, 200), (200, 403)
ACCESS: dict[str, Rule] = {
    "organisations:detail": Rule("get", "organisation", *READ),
    "organisations:benchmark": Rule("post", "organisation", 302, 403, data=(("taking_part", "yes"),)),
    "organisations:look": Rule("get", "organisation", *MANAGE),
    "scans:create": Rule("get", "organisation", *MANAGE),
    "scans:detail": Rule("get", "open_scan", *READ),
    "scans:edit": Rule("get", "open_scan", *MANAGE),
    "scans:invitees": Rule("get", "open_scan", *MANAGE),
    "scans:invitation_remove": Rule("get", "invitation", *MANAGE),  # POST: tests/scans/test_cancel_copy_remove.py
    "scans:send_invitations": Rule("post", "open_scan", 302, 403),
    "scans:send_reminders": Rule("post", "open_scan", 302, 403),
    "scans:close": Rule("get", "open_scan", *MANAGE),
    "scans:delete": Rule("get", "open_scan", *MANAGE),
    "scans:cancel": Rule("get", "open_scan", *MANAGE),
    "scans:copy": Rule("get", "open_scan", *MANAGE),
    "scans:mailing_plan": Rule("post", "open_scan", 302, 403, data=(("kind", "reminders"), ("send_on", "2026-03-20"))),
    "scans:mailing_cancel": Rule("post", "planned_mailing", 302, 403),
    "scans:mail_texts": Rule("get", "open_scan", *MANAGE),
    "scans:open_answers": Rule("get", "closed_scan", *MANAGE),
    "scans:open_answer_decide": Rule("post", "closed_scan", 302, 403, data=(("handle", "x"), ("decision", "hide"))),
    "scans:open_answers_publish": Rule("post", "closed_scan", 302, 403),
    "results:scan": Rule("get", "closed_scan", *READ),
    "session:present": Rule("get", "closed_scan", *READ),
    "session:guide": Rule("get", "closed_scan", *READ),
    "session:focus": Rule("get", "closed_scan", *READ),  # POST: tests/session/test_pages.py
    "reports:report": Rule("get", "closed_scan", *READ, extra=(("kind", "summary"),)),
    "reports:pdf": Rule("get", "closed_scan", 202, 202, extra=(("kind", "summary"),)),  # being rendered
    "reports:export_download": Rule("get", "export", *MANAGE),
    "reports:figures": Rule("get", "closed_scan", *READ, extra=(("extension", "json"),)),
    "reports:foreword": Rule("post", "closed_scan", 302, 403, data=(("foreword", "Hallo"),)),
    "reports:export": Rule("get", "closed_scan", *MANAGE, extra=(("name", "scores"), ("extension", "csv"))),
    "residents:detail": Rule("get", "survey", *MANAGE),
    "residents:setup": Rule("get", "survey", *MANAGE),
    "residents:paper_entry": Rule("get", "survey", *MANAGE),
    "residents:close": Rule("get", "survey", *MANAGE),
    "residents:burst": Rule("post", "burst", 302, 403, data=(("decision", "excluded"),)),
    "residents:poster_pdf": Rule("get", "survey", *MANAGE),
    "residents:poster_svg": Rule("get", "survey", *MANAGE),
    "residents:qr_svg": Rule("get", "survey", *MANAGE),
    "residents:paper_pdf": Rule("get", "survey", *MANAGE),
    "residents:letters": Rule("get", "survey", *MANAGE),
    "plans:board": Rule("get", "organisation", *READ),
    "plans:action_new": Rule("get", "organisation", *MANAGE),
    "plans:pdf": Rule("get", "organisation", 202, 202),  # being rendered
    "plans:action": Rule("get", "action", *READ),
    "plans:action_edit": Rule("get", "action", *MANAGE),
    "plans:action_delete": Rule("get", "action", *MANAGE),
    # the colleague is not the action's owner: only scan managers and the owner update it
    "plans:action_status": Rule("post", "action", 302, 403, data=(("status", "done"),)),
    "plans:action_note": Rule("post", "action", 302, 403, data=(("written_on", "2026-03-01"), ("text", "Gedaan"))),
    "learning:organisation": Rule("get", "organisation", *READ),
    "learning:offer_create": Rule("post", "organisation", 400, 403, data=(("dimension", "koers"),)),  # no contact
    # the offer's contact person is the owner: only they agree; scan managers and the contact withdraw
    "learning:offer_consent": Rule("post", "offer", 302, 403),
    "learning:offer_withdraw": Rule("post", "offer", 302, 403),
    "learning:case_create": Rule("get", "organisation", *MANAGE),
    "learning:case": Rule("get", "draft_case", *READ),  # unpublished: members only
    "learning:case_edit": Rule("get", "draft_case", *MANAGE),
    "learning:case_moderate": Rule("post", "draft_case", 403, 403, data=(("decision", "publish"),)),  # admin only
    "members:list": Rule("get", "organisation", *READ),
    "members:invite": Rule(
        "post", "organisation", 302, 403, data=(("invite-email", "eva@alfa.example"), ("invite-role", "lezer"))
    ),
    "members:consultant_grant": Rule("post", "organisation", 302, 403, data=(("consultant-email", "d@b.example"),)),
    "members:role": Rule("post", "member", 302, 403, data=(("role", "beheerder"),)),
    "members:remove": Rule("get", "member", *MANAGE),
    "members:consultant_revoke": Rule("get", "consultant", *MANAGE),
    # the organisation's API keys: its own scan managers only
    "api_keys:list": Rule("get", "organisation", *MANAGE),
    "api_keys:revoke": Rule("get", "api_key", *MANAGE),
    # platform administrators only: everyone else, the organisation's own scan managers too, finds nothing
    "platform:organisation_edit": Rule("get", "organisation", 404, 404),
    "platform:user_block": Rule("post", "platform_user", 404, 404),
    "platform:user_unblock": Rule("post", "platform_user", 404, 404),
    "platform:sso_edit": Rule("get", "sso_provider", 404, 404),
    "platform:instrument": Rule("get", "instrument_version", 404, 404),
}
# Patterns whose identifier is not an organisation's object, with the tests that cover them.
EXEMPT = {
    "responses:start": "a respondent's own link: tests/responses/test_answering.py and tests/test_security.py",
    "responses:page": "a respondent's own link: test_answering.py, test_a_respondents_link_never_reaches_another_scan",
    "password_reset_confirm": "Django's signed reset link, tested by Django itself",
    "set_password": "a new member's signed link, checked by Django: tests/members/test_pages.py",
    "organisations:logo": "public, as on the organisation's website: tests/organisations/test_look.py",
    "organisations:look_css": "public, as on the organisation's website: tests/organisations/test_look.py",
    "resident_survey:open_link": "public: every resident may answer; tests/residents/test_resident_survey.py",
    "resident_survey:letter": "public, with a letter's code; tests/residents/test_resident_survey.py",
    "resident_survey:thanks": "public, the same for everyone; tests/residents/test_resident_survey.py",
    "residents:letters_file": "a batch's files: owner, reader and outsider in tests/residents/test_printing.py",
    "residents:letters_codes": "a batch's codes: owner, reader and outsider in tests/residents/test_printing.py",
    **{
        f"api:{name}": "the REST API takes an API key, no session: own, other organisation's and revoked keys "
        "in tests/api/test_auth.py"
        for name in (
            "scan_detail",
            "scan_groups",
            "scan_response_rates",
            "scan_figures",
            "scan_invitations_add",
            "plan_action_change",
        )
    },
}


def patterns(resolver: URLResolver | None = None, namespace: str = "", prefix: str = ""):  # type: ignore[no-untyped-def]
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the administration site: staff only, see tests/test_admin.py
            name = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns(entry, name, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern)


def test_every_url_with_an_identifier_has_an_access_rule():
    with_identifier = {name for name, route in patterns() if "<" in route}
    assert with_identifier, "the URLconf walk found nothing"
    missing = with_identifier - set(ACCESS) - set(EXEMPT)
    assert missing == set(), f"add owner/colleague/outsider rules for: {sorted(missing)}"
    assert set(ACCESS) <= with_identifier, "rules for URLs that no longer exist"


@pytest.fixture
def objects(organisation, scan, instrument_version, alice):
    from roer.lifecycle.documents import export_request
    from roer.lifecycle.mailing import mailing_plan
    from roer.scans.models import MailingKind

    invitation = InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS), sent_at=None)
    closed = closed_scan_with(organisation, instrument_version, {"medewerkers": [3] * 5})
    planned = mailing_plan(
        scan=scan, kind=MailingKind.REMINDERS, send_on=scan.closes_on, requested_by=alice, base_url=""
    )
    export = export_request(scan=closed, name="scores", extension="csv", language="nl", requested_by=alice)
    survey = survey_create(scan=scan, opens_on=scan.opens_on, closes_on=scan.closes_on, user=alice)
    burst = Burst.objects.create(
        survey=survey, window_start=survey.created_at, window_end=survey.created_at, network="x", responses=10
    )
    action = Action.objects.create(
        organisation=organisation,
        instrument_code="digitaal_leiderschap",
        dimension_code="kennis",
        investment="kennis",
        title="Leertraject",
        due_on=scan.closes_on,
    )
    offer = SharingOffer.objects.create(organisation=organisation, dimension_code="koers", contact=alice)
    draft = Case.objects.create(
        organisation=organisation,
        title="Concept",
        what_they_did="x",
        what_it_brought="y",
        dimension_codes=["koers"],
        investment="kennis",
        contact_name="Alice",
        contact_email="alice@alfa.example",
    )
    member = MembershipFactory(organisation=organisation, role=Role.LEZER)
    consultant = MembershipFactory(organisation=organisation, role=Role.ADVISEUR)
    api_key = key_create(organisation=organisation, user=alice, name="Koppeling", scope="read").key
    from roer.sso.models import IdentityProvider

    sso_provider = IdentityProvider.objects.create(
        organisation=organisation, issuer="https://sso.alfa.example", client_id="roer"
    )
    run_tasks()
    return {
        "member": {"organisation_code": organisation.code, "membership_id": member.pk},
        "consultant": {"organisation_code": organisation.code, "membership_id": consultant.pk},
        "offer": {"offer_id": offer.pk},
        "draft_case": {"case_code": draft.code},
        "action": {"organisation_code": organisation.code, "action_id": action.pk},
        "organisation": {"organisation_code": organisation.code},
        "open_scan": {"scan_code": scan.code},
        "closed_scan": {"scan_code": closed.code},
        "invitation": {"scan_code": scan.code, "invitation_id": invitation.pk},
        "planned_mailing": {"scan_code": scan.code, "mailing_id": planned.pk},
        "export": {"scan_code": closed.code, "export_code": export.code},
        "survey": {"scan_code": scan.code},
        "burst": {"scan_code": scan.code, "burst_id": burst.pk},
        "platform_user": {"user_id": member.user_id},
        "api_key": {"organisation_code": organisation.code, "key_id": api_key.pk},
        "sso_provider": {"provider_id": sso_provider.pk},
        "instrument_version": {"version_id": scan.instrument_version_id},
    }


@pytest.mark.parametrize("name", sorted(ACCESS))
@pytest.mark.parametrize("who", ["owner", "colleague", "outsider"])
def test_owner_colleague_and_outsider(name, who, objects, alice, bob, charlie):
    rule = ACCESS[name]
    url = reverse(name, kwargs={**objects[rule.kwargs], **dict(rule.extra)})
    user = {"owner": alice, "colleague": bob, "outsider": charlie}[who]
    client = client_for(user)
    response = client.post(url, dict(rule.data)) if rule.method == "post" else client.get(url)
    assert response.status_code == getattr(rule, who), f"{who} on {url}"


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_an_anonymous_visitor_is_sent_to_log_in(name, objects, client):
    rule = ACCESS[name]
    url = reverse(name, kwargs={**objects[rule.kwargs], **dict(rule.extra)})
    response = client.post(url) if rule.method == "post" else client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/login/")


# The platform administration's pages, with an identifier or not: found by walking the URLconf, so that a
# new platform page is tried here without a rule of its own (tests/platform/test_access.py tries them too).
PLATFORM_KWARGS = {"organisation_code": "organisation", "user_id": "platform_user", "version_id": "instrument_version"}
PLATFORM_KWARGS["provider_id"] = "sso_provider"  # an identity provider (roer/sso)


def platform_urls(objects) -> list[str]:  # type: ignore[no-untyped-def]
    urls = []
    for name, route in patterns():
        if not name.startswith("platform:"):
            continue
        identifiers = re.findall(r"<(?:\w+:)?(\w+)>", route)
        kwargs = {key: objects[PLATFORM_KWARGS[key]][key] for key in identifiers}
        urls.append(reverse(name, kwargs=kwargs))
    return urls


def test_every_platform_url_is_for_platform_administrators_only(objects, alice, bob, charlie, client):
    from tests.factories import UserFactory

    urls = platform_urls(objects)
    assert len(urls) >= 11, urls
    for user in (alice, bob, charlie):  # a scan manager, a reader, another organisation's scan manager
        other = client_for(user)
        for url in urls:
            assert other.get(url).status_code == 404, (user.email, url)
            assert other.post(url).status_code == 404, (user.email, url)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/login/"), url
    administrator = client_for(UserFactory(email="beheer@roer.example", is_superuser=True))
    for url in urls:
        assert administrator.get(url).status_code == 200, url


def test_a_respondents_link_never_reaches_another_scan(client, scan, other_scan):
    from tests.conftest import link_for
    from tests.helpers import saved_draft

    mine = InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS))
    theirs = InvitationFactory(scan=other_scan, group=other_scan.groups.get(kind=GroupKind.MEDEWERKERS))
    saved_draft(theirs, link_for(theirs), {"ont_overzicht": 5}, page=3)
    path = link_for(mine)
    assert client.get(path).url == f"{path}1/"  # my own draft, not theirs
    assert "checked" not in client.get(f"{path}1/").content.decode()
