"""Issue 16, parts 3 and 4: respondent groups, their perspectives and the reference questions come from the
instrument file. The second instrument, for healthcare, has other groups, other wording and other reference
questions, and a scan set up with it is walked through the product's own pages: the new-scan form, the
invitee list, the e-mails, both questionnaires, the close and the results."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from roer.instruments.loader import DEFAULT_INSTRUMENT, InstrumentFileError, parse_instrument, read_instrument_file
from roer.instruments.models import InstrumentVersion
from roer.instruments.services import content_hash_of, instrument_version_load, instrument_version_publish
from roer.organisations.models import OrganisationKind, Role
from roer.responses.models import Response
from roer.responses.questionnaire import pages_for
from roer.results.models import ScanFigures
from roer.scans import services
from roer.scans.models import RespondentGroup, Scan
from tests.conftest import client_for
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers import answer_all, constant, links_in_outbox
from tests.scans.test_scan_forms import create_data
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

HEALTHCARE = DEFAULT_INSTRUMENT.parent / "digitaal-leiderschap-zorg-v1.yaml"
HEALTHCARE_GROUPS = ["raad_van_bestuur", "leidinggevenden", "informatievoorziening_ict", "zorgprofessionals"]
# The content hashes of the municipal versions as every installation stored them before files named their
# groups: the groups section is left out of the hash while a file leaves it out, so these never change.
V1_HASH = "c440ba2a2b52e32e"
V2_HASH = "4f885ce8a4d6c7af"


@pytest.fixture
def healthcare_version(db) -> InstrumentVersion:  # type: ignore[no-untyped-def]
    definition, text = read_instrument_file(HEALTHCARE)
    return instrument_version_load(definition=definition, source_text=text, source_name=HEALTHCARE.name).version


@pytest.fixture
def zorg(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Zorggroep Eikenrode", kind=OrganisationKind.ZORG, inhabitants=None)


@pytest.fixture
def zorg_manager(zorg):  # type: ignore[no-untyped-def]
    user = UserFactory(email="ria@eikenrode.example")
    return MembershipFactory(user=user, organisation=zorg, role=Role.BEHEERDER).user


def _scan(organisation, version, thresholds, user=None) -> Scan:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return services.scan_create(
        organisation=organisation,
        created_by=user,
        instrument_version=version,
        title="Scan",
        opens_on=today,
        closes_on=today,
        thresholds=thresholds,
    )


# --- The file ------------------------------------------------------------------------------------------


def test_the_two_instruments_differ_in_groups_wording_and_reference_questions(instrument_version, healthcare_version):
    municipal, healthcare = instrument_version.parsed, healthcare_version.parsed
    assert [group.code for group in municipal.respondent_groups()] == [
        "directie",
        "management",
        "informatievoorziening",
        "medewerkers",
    ]
    assert [group.code for group in healthcare.respondent_groups()] == HEALTHCARE_GROUPS
    assert [group.code for group in healthcare.respondent_groups() if group.is_self] == ["raad_van_bestuur"]
    assert healthcare.group("raad_van_bestuur").name.nl == "Raad van bestuur (zelfbeoordeling)"  # type: ignore[union-attr]
    assert [question.code for question in municipal.reference_questions] == ["ref_verandering", "ref_vaardigheden"]
    assert [question.code for question in healthcare.reference_questions] == [
        "ref_zorg_verandering",
        "ref_zorg_vaardigheden",
    ]
    assert healthcare.item("zt_ontwikkelingen").others_text.nl.startswith("Onze raad van bestuur")
    assert not {item.code for item in municipal.items()} & {item.code for item in healthcare.items()}


def test_a_file_without_groups_keeps_its_content_hash_and_has_the_municipal_groups():
    for name, expected in (("digitaal-leiderschap-v1.yaml", V1_HASH), ("digitaal-leiderschap-v2.yaml", V2_HASH)):
        definition, _text = read_instrument_file(DEFAULT_INSTRUMENT.parent / name)
        assert definition.groups is None
        assert content_hash_of(definition).startswith(expected)
        assert [group.is_self for group in definition.respondent_groups()] == [True, False, False, False]


def _with_groups(groups_yaml: str) -> str:
    text = HEALTHCARE.read_text(encoding="utf-8")
    start, end = text.index("\ngroups:\n"), text.index("\npillars:\n")
    return text[:start] + "\n" + groups_yaml + text[end:]


def _problems(text: str) -> list[str]:
    with pytest.raises(InstrumentFileError) as raised:
        parse_instrument(text, source_name="zorg.yaml")
    return raised.value.lines()


GROUP = "  - code: {code}\n    name: {{nl: {code}, en: {code}}}\n    perspective: {perspective}\n"


@pytest.mark.usefixtures("english")
def test_a_file_with_two_self_assessing_groups_or_none_is_refused_with_its_place():
    two = "groups:\n" + GROUP.format(code="a", perspective="self") + GROUP.format(code="b", perspective="self")
    lines = _problems(_with_groups(two))
    line_of_groups = _with_groups(two).splitlines().index("groups:") + 2  # where its list starts
    assert f"zorg.yaml, line {line_of_groups} (groups): exactly one group must have perspective self (found 2)" in lines
    none = "groups:\n" + GROUP.format(code="a", perspective="others") + GROUP.format(code="b", perspective="others")
    assert any("(found 0)" in line for line in _problems(_with_groups(none)))


@pytest.mark.usefixtures("english")
def test_a_word_that_names_two_groups_and_an_unknown_perspective_are_refused_with_their_line():
    shared = (
        "groups:\n"
        + GROUP.format(code="a", perspective="self")
        + "    aliases: [bestuur]\n"
        + GROUP.format(code="b", perspective="others")
        + "    aliases: [Bestuur]\n"
    )
    assert any("'bestuur' names more than one group" in line for line in _problems(_with_groups(shared)))
    odd = "groups:\n" + GROUP.format(code="a", perspective="self") + GROUP.format(code="b", perspective="bystander")
    lines = _problems(_with_groups(odd))
    line_of_b = _with_groups(odd).splitlines().index("    perspective: bystander") + 1
    assert any(f"line {line_of_b}" in line and "groups[1].perspective" in line for line in lines), lines


def test_a_scan_cannot_be_set_up_with_a_group_its_instrument_does_not_have(zorg, healthcare_version):
    with pytest.raises(ValidationError):
        _scan(zorg, healthcare_version, {"raad_van_bestuur": 3, "directie": 3})
    assert not Scan.objects.exists()


# --- Through the product's pages -----------------------------------------------------------------------


def _publish_for(version: InstrumentVersion, *organisations) -> None:  # type: ignore[no-untyped-def]
    """For these organisations alone, or with none named for every organisation."""
    chosen = [organisation.pk for organisation in organisations] if organisations else None
    instrument_version_publish(version=version, organisation_ids=chosen)


def test_the_new_scan_page_offers_each_organisation_its_own_instrument_and_that_instruments_groups(
    alice_client, organisation, zorg, zorg_manager, instrument_version, healthcare_version
):
    _publish_for(healthcare_version, zorg)
    municipal_page = alice_client.get(f"/organisations/{organisation.code}/scans/new/").content.decode()
    assert "Raad van bestuur" not in municipal_page
    assert 'name="include_directie"' in municipal_page
    # once the healthcare organisation may use both, it picks one first and gets that one's groups
    _publish_for(healthcare_version)
    ria = client_for(zorg_manager)
    both = ria.get(f"/organisations/{zorg.code}/scans/new/").content.decode()
    assert '<select name="instrument"' in both
    page = ria.get(f"/organisations/{zorg.code}/scans/new/?instrument={healthcare_version.pk}").content.decode()
    assert f'<input type="hidden" name="instrument_version" value="{healthcare_version.pk}"' in page
    assert re.findall(r'name="include_(\w+)"', page) == HEALTHCARE_GROUPS
    assert "Raad van bestuur (zelfbeoordeling)" in page
    assert 'name="threshold_zorgprofessionals" value="10"' in page  # the file's own threshold
    assert 'name="include_directie"' not in page


def test_groups_of_another_instrument_posted_with_a_version_create_nothing(
    zorg, zorg_manager, instrument_version, healthcare_version
):
    _publish_for(healthcare_version, zorg)
    data = create_data(healthcare_version)  # the municipal groups, posted with the healthcare version
    response = client_for(zorg_manager).post(f"/organisations/{zorg.code}/scans/new/", data)
    assert response.status_code == 200
    assert "Kies minimaal één respondentgroep." in response.content.decode()
    assert not Scan.objects.exists()


def _new_healthcare_scan(client: Client, zorg, version: InstrumentVersion) -> Scan:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    data = {
        "instrument_version": version.pk,
        "title": "Digitaal leiderschap in de zorg 2026",
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=14)).isoformat(),
        "include_raad_van_bestuur": "on",
        "threshold_raad_van_bestuur": "3",
        "include_zorgprofessionals": "on",
        "threshold_zorgprofessionals": "5",
        "threshold_leidinggevenden": "5",
        "threshold_informatievoorziening_ict": "5",
    }
    assert client.post(f"/organisations/{zorg.code}/scans/new/", data).status_code == 302
    return Scan.objects.get(organisation=zorg)


def test_a_healthcare_scan_from_set_up_to_results_uses_the_files_groups_wording_and_reference_questions(
    zorg, zorg_manager, healthcare_version
):
    _publish_for(healthcare_version, zorg)
    ria = client_for(zorg_manager)
    scan = _new_healthcare_scan(ria, zorg, healthcare_version)
    groups = {group.kind: group for group in scan.groups.all()}
    assert [(group.kind, group.perspective, group.threshold) for group in scan.groups.all()] == [
        ("raad_van_bestuur", "self", 3),
        ("zorgprofessionals", "others", 5),
    ]

    # The invitee list names groups by the file's aliases and names; a municipal group is unknown here.
    csv = "email;groep\nb1@eikenrode.nl;rvb\nb2@eikenrode.nl;Bestuurder\nb3@eikenrode.nl;raad van bestuur\n"
    csv += "".join(f"z{n}@eikenrode.nl;verpleegkundigen\n" for n in range(6))
    csv += "x@eikenrode.nl;directie\nm@eikenrode.nl;managers\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    uploaded = ria.post(
        f"/scans/{scan.code}/invitees/",
        {
            "source": "upload",
            "upload-file": SimpleUploadedFile("lijst.csv", csv.encode()),
            "upload-group": groups["zorgprofessionals"].pk,
            "upload-language": "nl",
        },
        follow=True,
    )
    page = uploaded.content.decode()
    assert "onbekende groep directie" in page
    assert "@zorggroep-eikenrode.example;raad_van_bestuur;nl" in page  # the example file names its own groups
    assert "deze scan heeft geen groep Managers en teamleiders" in page  # the file's group, not in this scan
    invited = dict(scan.invitations.values_list("email", "group__kind"))
    assert invited == {
        **{f"b{n}@eikenrode.nl": "raad_van_bestuur" for n in (1, 2, 3)},
        **{f"z{n}@eikenrode.nl": "zorgprofessionals" for n in range(6)},
    }

    # Each group's invitation says, in the file's words, what that group does.
    before = len(mail.outbox)
    assert ria.post(f"/scans/{scan.code}/send/invitations/").status_code == 302
    run_tasks()
    sent = {message.to[0]: message.body for message in mail.outbox[before:]}
    assert "Als lid van de raad van bestuur beoordeelt u uw eigen digitaal leiderschap." in sent["b1@eikenrode.nl"]
    assert "vanuit uw werk in de zorg voor cliënten en patiënten" in sent["z0@eikenrode.nl"]
    assert "directie" not in sent["z0@eikenrode.nl"]

    # The board answers the self wording and the file's reference questions; the professionals the others
    # wording and no reference question.
    links = links_in_outbox()
    definition = healthcare_version.parsed
    board_page = Client().get(links["b1@eikenrode.nl"], follow=True).content.decode()
    assert "Ik weet welke digitale ontwikkelingen belangrijk zijn voor onze zorg" in board_page
    professional_page = Client().get(links["z0@eikenrode.nl"], follow=True).content.decode()
    assert "Onze raad van bestuur weet welke digitale ontwikkelingen" in professional_page
    last_self, last_others = pages_for(definition, "self")[-1], pages_for(definition, "others")[-1]
    assert [question.code for question in last_self.scaled] == ["ref_zorg_verandering", "ref_zorg_vaardigheden"]
    assert last_others.scaled == ()
    for n in (1, 2, 3):
        answer_all(Client(), links[f"b{n}@eikenrode.nl"], definition, "self", constant(5))
    for n in range(6):
        answer_all(Client(), links[f"z{n}@eikenrode.nl"], definition, "others", constant(2))
    assert Response.objects.filter(scan=scan).count() == 9

    # Closed, the figures treat the board as the self-view: 100 beside 25 on every dimension.
    assert ria.post(f"/scans/{scan.code}/close/").status_code == 302
    run_tasks()
    data = ScanFigures.objects.get(scan=scan).data
    assert set(data["responses"]) == {"raad_van_bestuur", "zorgprofessionals"}
    assert "raad_van_bestuur" not in data["quality"]  # reliability is the raters' own, never the self-view's
    assert data["published"]["zorg_technologie"] == pytest.approx(25.0)
    results = ria.get(f"/scans/{scan.code}/results/").content.decode()
    assert "Raad van bestuur (zelfbeoordeling)" in results
    assert "Zorgprofessionals" in results
    assert "Directie (zelfbeoordeling)" not in results
    assert "Ik geloof dat onze zorgorganisatie fundamenteel zal veranderen" in results
    assert "Raad van bestuur: eens" in results  # the reference table names the file's self-assessing group
    assert re.search(r"blinde vlek", results, flags=re.I)


def test_a_group_name_is_that_of_the_version_the_scan_was_set_up_with(zorg, healthcare_version):
    scan = _scan(zorg, healthcare_version, {"zorgprofessionals": 7})
    group = RespondentGroup.objects.get(scan=scan)
    assert (group.kind, group.perspective, group.position, group.threshold) == ("zorgprofessionals", "others", 3, 7)
    assert group.name == {"nl": "Zorgprofessionals", "en": "Healthcare professionals"}


def test_each_organisation_offers_to_share_on_the_dimensions_of_its_own_instruments(
    alice, alice_client, organisation, zorg, zorg_manager, instrument_version, healthcare_version
):
    _publish_for(healthcare_version, zorg)
    municipal = alice_client.get(f"/organisations/{organisation.code}/learning/").content.decode()
    assert 'value="ontwikkelingen"' in municipal
    assert "zorg_technologie" not in municipal
    ria = client_for(zorg_manager)
    healthcare = ria.get(f"/organisations/{zorg.code}/learning/").content.decode()
    assert 'value="zorg_technologie"' in healthcare
    # a dimension of an instrument the organisation may not use is refused, whatever is posted
    for code, offered in (("zorg_technologie", False), ("ontwikkelingen", True)):
        alice_client.post(
            f"/organisations/{organisation.code}/learning/offers/",
            {"dimension": code, "contact": alice.pk, "note": ""},
        )
        assert organisation.sharing_offers.filter(dimension_code=code).exists() is offered


def test_a_copy_moves_to_a_newer_version_with_other_groups_and_keeps_only_the_groups_it_still_has(
    alice, organisation, instrument_version
):
    from roer.instruments.loader import parse_instrument
    from roer.lifecycle.copying import scan_copy
    from roer.scans.models import Invitation

    groups_yaml = (
        "groups:\n"
        + GROUP.format(code="directie", perspective="self")
        + GROUP.format(code="medewerkers", perspective="others")
        + GROUP.format(code="inwonerspanel", perspective="others")
    )
    text = DEFAULT_INSTRUMENT.read_text(encoding="utf-8").replace("\nversion: 2\n", "\nversion: 3\n", 1)
    text = text.replace("\npillars:\n", "\n" + groups_yaml + "\npillars:\n", 1)
    v3 = instrument_version_load(
        definition=parse_instrument(text, source_name="v3.yaml"), source_text=text, source_name="v3.yaml"
    ).version
    today = timezone.localdate()
    scan = _scan(organisation, instrument_version, {"directie": 4, "management": 6, "medewerkers": 9}, alice)
    groups = {group.kind: group for group in scan.groups.all()}
    for kind in groups:
        Invitation.objects.create(scan=scan, group=groups[kind], email=f"{kind}@alfa.example")
    copy = scan_copy(scan=scan, user=alice, title="2027", opens_on=today, closes_on=today, with_invitees=True)
    assert copy.instrument_version == v3
    assert [(group.kind, group.threshold) for group in copy.groups.all()] == [("directie", 4), ("medewerkers", 9)]
    assert dict(copy.invitations.values_list("email", "group__kind")) == {
        "directie@alfa.example": "directie",
        "medewerkers@alfa.example": "medewerkers",
    }


@pytest.mark.usefixtures("english")
def test_a_group_may_not_take_the_pools_code_nor_a_word_of_another_group():
    # "all_others" is the pool of every group that rates: a group of that name would be shown as the pool
    pool = (
        "groups:\n"
        + GROUP.format(code="bestuur", perspective="self")
        + GROUP.format(code="all_others", perspective="others")
    )
    assert any("'all_others' is reserved by Roer" in line for line in _problems(_with_groups(pool)))
    # one group named as another's code: its invitees would land in the wrong group
    named = (
        "groups:\n"
        + "  - code: bestuur\n    name: {nl: Zorg, en: Board}\n    perspective: self\n"
        + GROUP.format(code="zorg", perspective="others")
    )
    assert any("'zorg' names more than one group" in line for line in _problems(_with_groups(named)))


def test_a_version_number_spelt_otherwise_picks_the_same_version_for_the_groups_and_the_scan(
    zorg, zorg_manager, instrument_version, healthcare_version
):
    _publish_for(healthcare_version)  # every organisation may use both; the healthcare one is the newest
    data = create_data(healthcare_version, instrument_version=f" 0{instrument_version.pk}")
    data.update({"include_raad_van_bestuur": "on", "threshold_raad_van_bestuur": "3"})
    for key in [key for key in data if key.startswith("include_") and key != "include_raad_van_bestuur"]:
        del data[key]
    response = client_for(zorg_manager).post(f"/organisations/{zorg.code}/scans/new/", data)
    assert response.status_code == 200
    assert "Kies minimaal één respondentgroep." in response.content.decode()
    assert not Scan.objects.exists()
