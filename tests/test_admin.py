"""The administration site: a platform administrator's fallback that follows every rule the pages follow,
shows nothing the product hides, and shows a staff member only their own organisations."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from roer.scans.models import Invitation, Scan
from tests.conftest import client_for
from tests.factories import InvitationFactory, UserFactory
from tests.groups import GroupKind
from tests.helpers import answer_directly, close

pytestmark = pytest.mark.django_db

# Models a platform administrator may add here; everything else is made in the product (or by a worker).
ADDABLE = {"accounts.user", "organisations.organisation", "auth.group"}


@pytest.fixture
def root(django_user_model):
    return client_for(django_user_model.objects.create_superuser("root@roer.example", "x" * 12))


def change_url(obj) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_admin_list_renders_and_only_some_models_can_be_added(root, scan, model):
    opts = model._meta
    assert root.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    add = root.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code == (200 if opts.label_lower in ADDABLE else 403)


def test_a_non_staff_member_cannot_reach_the_admin(alice_client):
    assert alice_client.get("/admin/").status_code == 302


def scan_form(scan, **changes):  # type: ignore[no-untyped-def]
    data = {
        "title": scan.title,
        "opens_on": scan.opens_on.isoformat(),
        "closes_on": scan.closes_on.isoformat(),
        "retention_days": str(scan.retention_days),
        **{f"threshold_{group.kind}": str(group.threshold) for group in scan.groups.all()},
        # the read-only groups inline still sends its management form
        "groups-TOTAL_FORMS": "0",
        "groups-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_a_closed_scans_dates_and_thresholds_cannot_be_changed_in_the_admin(root, scan):
    close(scan)
    later = (scan.closes_on + datetime.timedelta(days=30)).isoformat()
    response = root.post(change_url(scan), scan_form(scan, title="Nieuw", closes_on=later, threshold_management="3"))
    assert response.status_code == 302
    scan.refresh_from_db()
    assert scan.title == "Nieuw"  # the title may change
    assert scan.closes_on != datetime.date.fromisoformat(later)
    assert scan.groups.get(kind="management").threshold == 5
    assert scan.state == "figures_ready"  # and it is not reopened


def test_the_admin_refuses_to_lower_a_threshold_people_answered_under(root, scan):
    answer_directly(InvitationFactory(scan=scan, group=scan.groups.get(kind="medewerkers")), {"ken_tijd": 3})
    response = root.post(change_url(scan), scan_form(scan, threshold_medewerkers="3"))
    assert response.status_code == 200
    assert "die kan omhoog, niet omlaag" in response.content.decode()
    assert scan.groups.get(kind="medewerkers").threshold == 5


def test_the_admin_saves_an_open_scan_through_the_service(root, scan):
    before = scan.revision
    assert (
        root.post(change_url(scan), scan_form(scan, title="Via beheer", threshold_medewerkers="7")).status_code == 302
    )
    scan.refresh_from_db()
    assert (scan.title, scan.groups.get(kind="medewerkers").threshold) == ("Via beheer", 7)
    assert scan.revision == before + 1  # so questionnaire pages show the new title


@pytest.mark.parametrize(
    "lookup", ["submitted__exact=1", "submitted=1", "reminder_count__gte=1", "reminded_at__isnull=False"]
)
def test_the_invitation_list_takes_no_lookup_on_what_the_product_hides(root, scan, lookup):
    InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS), submitted=True)
    response = root.get(reverse("admin:scans_invitation_changelist") + "?" + lookup)
    assert response.status_code == 400


def test_the_invitation_pages_do_not_show_who_answered_or_was_reminded(root, scan):
    invitation = InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS), submitted=True)
    Invitation.objects.filter(pk=invitation.pk).update(reminder_count=2)
    for url in (reverse("admin:scans_invitation_changelist"), change_url(invitation)):
        page = root.get(url).content.decode().lower()
        assert "beantwoord" not in page
        assert "answered" not in page
        assert "herinnering" not in page
        assert "reminder" not in page
    allowed = reverse("admin:scans_invitation_changelist") + f"?scan__organisation__id__exact={scan.organisation.pk}"
    assert root.get(allowed).status_code == 200


def test_a_sent_invitation_cannot_be_deleted_in_the_admin_but_an_unsent_one_can(root, scan):
    group = scan.groups.get(kind=GroupKind.MEDEWERKERS)
    sent, unsent = InvitationFactory(scan=scan, group=group), InvitationFactory(scan=scan, group=group, sent_at=None)
    delete = reverse("admin:scans_invitation_delete", args=[sent.pk])
    assert root.post(delete, {"post": "yes"}).status_code == 403
    assert root.post(reverse("admin:scans_invitation_delete", args=[unsent.pk]), {"post": "yes"}).status_code == 302
    assert list(Invitation.objects.values_list("pk", flat=True)) == [sent.pk]


def test_a_scan_with_answers_is_not_deleted_from_the_admin(root, scan):
    answer_directly(InvitationFactory(scan=scan, group=scan.groups.first()), {"ken_tijd": 3})
    root.post(reverse("admin:scans_scan_delete", args=[scan.pk]), {"post": "yes"})
    assert Scan.objects.filter(pk=scan.pk).exists()


@pytest.fixture
def staff_of_alfa(organisation):  # type: ignore[no-untyped-def]
    """A staff member without superuser rights, allowed to view everything, and a member of Alfa only."""
    from tests.factories import MembershipFactory

    user = UserFactory(email="staff@alfa.example", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    MembershipFactory(user=user, organisation=organisation)
    return client_for(user)


def test_a_staff_member_sees_nothing_of_organisations_they_do_not_belong_to(staff_of_alfa, scan, other_scan, charlie):
    mine = InvitationFactory(scan=scan, group=scan.groups.first(), email="mine@alfa.example")
    theirs = InvitationFactory(scan=other_scan, group=other_scan.groups.first(), email="theirs@bravo.example")
    pages = {
        "organisations_organisation": ("Gemeente Alfa", "Gemeente Bravo"),
        "scans_scan": ("Scan Alfa 2026", "Scan Bravo 2026"),
        "scans_invitation": (mine.email, theirs.email),
        "accounts_user": ("staff@alfa.example", charlie.email),
    }
    for name, (seen, unseen) in pages.items():
        page = staff_of_alfa.get(reverse(f"admin:{name}_changelist")).content.decode()
        assert seen in page, name
        assert unseen not in page, name
    assert staff_of_alfa.get(change_url(other_scan)).status_code == 302  # "doesn't exist", back to the list
    assert staff_of_alfa.get(change_url(theirs)).status_code == 302
    assert staff_of_alfa.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).status_code == 403


def test_renaming_an_organisation_in_the_admin_reaches_its_questionnaire_pages(root, scan, organisation):
    before = scan.revision
    data = {
        "name": "Gemeente Alfa-Omega",
        "kind": organisation.kind,
        "inhabitants": str(organisation.inhabitants),
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    assert root.post(change_url(organisation), data).status_code == 302
    scan.refresh_from_db()
    assert scan.revision == before + 1


@pytest.mark.parametrize("name", ["scans_scan", "scans_invitation", "audit_auditevent"])
def test_a_staff_members_filters_name_no_other_organisation(staff_of_alfa, scan, other_scan, name):
    InvitationFactory(scan=scan, group=scan.groups.first())
    InvitationFactory(scan=other_scan, group=other_scan.groups.first())
    page = staff_of_alfa.get(reverse(f"admin:{name}_changelist")).content.decode()
    assert "Gemeente Bravo" not in page


@pytest.fixture
def staff_with_rights(organisation):  # type: ignore[no-untyped-def]
    """A staff member of Alfa who may change organisations, memberships and users."""
    from tests.factories import MembershipFactory

    user = UserFactory(email="rights@alfa.example", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=[
                "view_organisation",
                "change_organisation",
                "view_membership",
                "add_membership",
                "change_membership",
                "delete_membership",
                "view_user",
                "change_user",
            ]
        )
    )
    MembershipFactory(user=user, organisation=organisation)
    return client_for(user)


def inline_data(page, extra_rows):  # type: ignore[no-untyped-def]
    """The posted form of a change page with one inline: its fields as shown, plus `extra_rows`."""
    formset = page.context["inline_admin_formsets"][0].formset
    data = {f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()}
    rows = [
        {"id": form.instance.pk, **{name: form.initial.get(name) for name in ("user", "organisation", "role")}}
        for form in formset.initial_forms
    ] + extra_rows
    data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(rows))
    for index, row in enumerate(rows):
        data.update({f"{formset.prefix}-{index}-{key}": str(value) for key, value in row.items() if value is not None})
    return data


def test_a_staff_member_cannot_take_over_a_superuser_through_a_membership(
    staff_with_rights, organisation, django_user_model
):
    from roer.organisations.models import Membership

    superuser = django_user_model.objects.create_superuser("boss@roer.example", "x" * 12)
    url = change_url(organisation)
    page = staff_with_rights.get(url)
    data = {"name": organisation.name, "kind": organisation.kind, "inhabitants": str(organisation.inhabitants)}
    data.update(inline_data(page, [{"organisation": organisation.pk, "user": superuser.pk, "role": "lezer"}]))
    staff_with_rights.post(url, data)
    assert not Membership.objects.filter(user=superuser).exists()  # not a choice for this staff member
    changed = staff_with_rights.post(
        f"/admin/accounts/user/{superuser.pk}/password/",
        {"password1": "Overname-12345!", "password2": "Overname-12345!", "usable_password": "true"},
    )
    assert changed.status_code == 404  # not among the users this staff member can see at all
    superuser.refresh_from_db()
    assert not superuser.check_password("Overname-12345!")


def test_a_staff_member_cannot_touch_a_colleagues_membership_elsewhere(
    staff_with_rights, organisation, other_organisation
):
    from roer.organisations.models import Membership
    from tests.factories import MembershipFactory

    dave = UserFactory(email="dave@beide.example")
    MembershipFactory(user=dave, organisation=organisation)
    elsewhere = MembershipFactory(user=dave, organisation=other_organisation)
    page = staff_with_rights.get(change_url(dave))
    assert "Gemeente Bravo" not in page.content.decode()
    # dave also belongs to Bravo, so his page is read-only for a staff member of Alfa alone
    assert not page.context["has_change_permission"]
    posted = staff_with_rights.post(change_url(dave), {"email": dave.email, "full_name": "Overgenomen"})
    assert posted.status_code == 403
    dave.refresh_from_db()
    assert dave.full_name != "Overgenomen"
    assert Membership.objects.filter(pk=elsewhere.pk).exists()


def test_the_admin_deletes_an_organisation_whose_invitations_were_sent_and_lists_no_one_by_name(
    root, scan, organisation
):
    from roer.organisations.models import Organisation

    invitation = InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS))
    url = reverse("admin:organisations_organisation_delete", args=[organisation.pk])
    confirmation = root.get(url).content.decode()
    assert invitation.email not in confirmation
    assert "token for invitation" not in confirmation
    root.post(url, {"post": "yes"})
    assert not Organisation.objects.filter(pk=organisation.pk).exists()


@pytest.fixture
def forty_namesakes(instrument_version):  # type: ignore[no-untyped-def]
    """Forty organisations that each run a scan titled as the instrument: what the admin showed forty
    identical "Digitaal leiderschap" choices for."""
    from tests.factories import OrganisationFactory, ScanFactory

    return [
        ScanFactory(
            organisation=OrganisationFactory(name=f"Gemeente {number:02d}"),
            instrument_version=instrument_version,
            title="Digitaal leiderschap",
        )
        for number in range(40)
    ]


def _scan_choices(page: str) -> list[str]:
    import html
    import re

    # the scan filter's links carry ?scan=<code>; their text is the choice's label
    return [html.unescape(label).strip() for label in re.findall(r'href="\?scan=[0-9a-f-]+"[^>]*>([^<]+)<', page)]


def test_the_invitation_list_tells_forty_namesake_scans_apart(root, forty_namesakes):
    for scan in forty_namesakes:
        InvitationFactory(scan=scan, group=scan.groups.get(kind=GroupKind.MEDEWERKERS))
    page = root.get(reverse("admin:scans_invitation_changelist")).content.decode()
    choices = _scan_choices(page)
    assert len(choices) == 40
    assert len(set(choices)) == 40  # every label different
    assert "Gemeente 07 – Digitaal leiderschap (15-03-2026)" in choices
    assert "Gemeente 07 – Digitaal leiderschap" in page  # the list's scan column too
    chosen = forty_namesakes[7]
    filtered = root.get(reverse("admin:scans_invitation_changelist") + f"?scan={chosen.code}")
    assert filtered.status_code == 200
    assert list(filtered.context["cl"].result_list) == list(Invitation.objects.filter(scan=chosen))
    assert not root.get(reverse("admin:scans_invitation_changelist") + "?scan=nonsense").context["cl"].result_list


def test_a_staff_member_chooses_only_among_the_scans_of_their_organisation(staff_of_alfa, scan, forty_namesakes):
    for other in [scan, *forty_namesakes]:
        InvitationFactory(scan=other, group=other.groups.get(kind=GroupKind.MEDEWERKERS))
    page = staff_of_alfa.get(reverse("admin:scans_invitation_changelist")).content.decode()
    assert _scan_choices(page) == [f"{scan.organisation.name} – {scan.title} ({scan.opens_on:%d-%m-%Y})"]
    theirs = forty_namesakes[0]
    filtered = staff_of_alfa.get(reverse("admin:scans_invitation_changelist") + f"?scan={theirs.code}")
    assert not filtered.context["cl"].result_list  # another organisation's scan by its code: nothing


def test_an_invitation_form_would_offer_labelled_scans_and_groups_of_the_visitors_organisations(
    scan, forty_namesakes, rf
):  # type: ignore[no-untyped-def]
    from roer.web.admin.scans import InvitationAdmin
    from tests.factories import MembershipFactory

    user = UserFactory(is_staff=True)
    MembershipFactory(user=user, organisation=scan.organisation)
    request = rf.get("/admin/scans/invitation/")
    request.user = user
    model_admin = InvitationAdmin(Invitation, admin.site)
    scans = model_admin.formfield_for_foreignkey(Invitation._meta.get_field("scan"), request)
    assert [scans.label_from_instance(found) for found in scans.queryset] == [
        f"{scan.organisation.name} – {scan.title} ({scan.opens_on:%d-%m-%Y})"
    ]
    groups = model_admin.formfield_for_foreignkey(Invitation._meta.get_field("group"), request)
    labels = [groups.label_from_instance(group) for group in groups.queryset]
    assert len(labels) == scan.groups.count()
    assert len(set(labels)) == len(labels)
    assert all(label.startswith(f"{scan.organisation.name} – {scan.title} – ") for label in labels)
