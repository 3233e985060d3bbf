"""The IT service's governance view: red / amber / green per project and per unit, its
exports (with spreadsheet formulas neutralised) and its configurable rules."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from app.catalogue.models import CourseKind
from app.toolbox import governance
from app.toolbox.models import Network, Phase
from tests.factories import make_org, make_unit, make_user
from tests.toolbox.builders import (
    attach,
    attended,
    fetch,
    it_service,
    make_project,
    seminar_session,
)


@pytest.fixture
def world(session):
    org = make_org(session)
    school = make_unit(session, org=org, name="Oppvekst og utdanning")
    health = make_unit(session, org=org, name="Helse og velferd")
    home_care = make_unit(session, parent=health, name="Hjemmetjenesten")
    it_unit = make_unit(session, org=org, name="IT-tjenesten")
    it_service(session, org, it_unit)
    gathering = seminar_session(session, org)
    trained = make_user(session, org=org, unit=home_care, name="Trent Leder")
    attended(session, trained, gathering)
    return {"org": org, "school": school, "health": health, "home_care": home_care,
            "trained": trained, "untrained": make_user(session, org=org, unit=school),
            "it": make_user(session, org=org, unit=it_unit, roles=["organiser"]),
            "rep": make_user(session, org=org, unit=it_unit)}


def colours(session, user, **kw):
    rows, units = governance.governance_rows(session, user, **kw)
    return ({r.project.name: r.colour for r in rows},
            {s.unit.name: (s.colour, dict(s.counts)) for s in units})


def test_red_for_no_representative_amber_for_gaps_green_when_all_is_in_place(session, world):
    buys = make_project(session, unit=world["school"], leader=world["trained"], name="Rød",
                        network=Network.ELEVNETT)
    gaps = make_project(session, unit=world["home_care"], leader=world["trained"], name="Gul")
    attach(session, gaps, "project_plan")
    fine = make_project(session, unit=world["home_care"], leader=world["trained"], name="Grønn",
                        network=Network.TK_NETT, representative=world["rep"])
    for category in ("project_plan", "risk_analysis"):
        attach(session, fine, category)
    attach(session, buys, "project_plan")
    attach(session, buys, "risk_analysis")
    projects, units = colours(session, world["it"])
    assert projects == {"Rød": "red", "Gul": "amber", "Grønn": "green"}
    assert units == {"Oppvekst og utdanning": ("red", {"red": 1}),
                     "Helse og velferd": ("amber", {"amber": 1, "green": 1}),
                     "Hjemmetjenesten": ("amber", {"amber": 1, "green": 1})}


def test_each_unit_counts_its_subtree_and_comes_under_its_sector_the_worst_sector_first(
        session, world):
    health, home_care = world["health"], world["home_care"]
    nursing = make_unit(session, parent=health, name="Sykehjem")
    ward = make_unit(session, parent=nursing, name="Avdeling A")
    own = make_project(session, unit=health, leader=world["trained"], name="Sektorens eget")
    for project in (own, make_project(session, unit=ward, leader=world["trained"],
                                      name="Avdelingens")):
        attach(session, project, "project_plan")
        attach(session, project, "risk_analysis")
    make_project(session, unit=home_care, leader=world["trained"], name="Hjemme")
    make_project(session, unit=world["school"], leader=world["trained"], name="Skolens",
                 network=Network.ELEVNETT)
    _rows, units = governance.governance_rows(session, world["it"])
    assert [(s.unit.name, s.level, s.colour, s.total) for s in units] == [
        ("Oppvekst og utdanning", 0, "red", 1),
        ("Helse og velferd", 0, "amber", 3),
        ("Hjemmetjenesten", 1, "amber", 1),
        ("Sykehjem", 1, "green", 1),
        ("Avdeling A", 2, "green", 1),
    ]
    # The colour filter narrows the projects, never the counts.
    rows, filtered = governance.governance_rows(session, world["it"], colour="green")
    assert {r.project.name for r in rows} == {"Sektorens eget", "Avdelingens"}
    assert [(s.unit.name, s.total) for s in filtered] == [(s.unit.name, s.total) for s in units]


def test_the_worst_projects_come_first(session, world):
    for name, network in (("A grønn", Network.NONE), ("B rød", Network.TK_NETT)):
        project = make_project(session, unit=world["home_care"], leader=world["trained"],
                               name=name, network=network, buys=True)
        attach(session, project, "project_plan")
        attach(session, project, "risk_analysis")
    rows, _ = governance.governance_rows(session, world["it"])
    assert [r.project.name for r in rows] == ["B rød", "A grønn"]


def test_a_planned_document_or_a_leader_without_a_gathering_is_not_enough_for_green(
        session, world):
    project = make_project(session, unit=world["school"], leader=world["untrained"], name="P")
    attach(session, project, "project_plan")
    attach(session, project, "risk_analysis", url=None, status="planned")
    rows, _ = governance.governance_rows(session, world["it"])
    assert rows[0].verdict.codes == {"document_missing", "leader_not_trained"}
    assert rows[0].verdict.missing_categories == ["risk_analysis"]


def test_only_attendance_at_a_seminar_counts_as_a_gathering(session, world):
    course_session = seminar_session(session, world["org"], kind=CourseKind.COURSE)
    attended(session, world["untrained"], course_session)
    late = seminar_session(session, world["org"])
    absent_leader = make_user(session, org=world["org"], unit=world["school"])
    attended(session, absent_leader, late, status="absent")
    late_leader = make_user(session, org=world["org"], unit=world["school"])
    attended(session, late_leader, late, status="late")
    ids = {world["untrained"].id, absent_leader.id, late_leader.id, world["trained"].id}
    assert governance.attended_gathering(session, ids) == {late_leader.id,
                                                           world["trained"].id}


def test_closed_projects_are_left_out_unless_asked_for_and_filters_apply(session, world):
    make_project(session, unit=world["school"], leader=world["trained"], name="Ferdig",
                 phase=Phase.CLOSED)
    make_project(session, unit=world["school"], leader=world["trained"], name="Idé",
                 phase=Phase.IDEA)
    assert set(colours(session, world["it"])[0]) == {"Idé"}
    assert set(colours(session, world["it"], include_closed=True)[0]) == {"Idé", "Ferdig"}
    assert colours(session, world["it"], colour="red")[0] == {}


def test_an_it_service_role_for_one_sector_sees_that_sector_only(session, world):
    scoped = make_user(session, org=world["org"], roles=[("organiser", world["health"])])
    make_project(session, unit=world["school"], leader=world["trained"], name="Skole")
    make_project(session, unit=world["home_care"], leader=world["trained"], name="Helse")
    assert set(colours(session, scoped)[0]) == {"Helse"}
    assert colours(session, make_user(session, org=world["org"]))[0] == {}


def test_the_exports_carry_the_findings_and_never_a_formula(client, session, world, login_as):
    leader = make_user(session, org=world["org"], unit=world["school"],
                       name='=HYPERLINK("http://evil.example","Klikk")')
    make_project(session, unit=world["school"], leader=leader, name="+Prosjekt",
                 network=Network.ELEVNETT)
    login_as(world["it"])
    response = fetch(client, "/prosjekter/styring.csv")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Status", "Prosjekt", "Enhet"]
    assert rows[1][0] == "Rød" and rows[1][1] == "'+Prosjekt"
    assert rows[1][6].startswith("'=HYPERLINK")
    assert "Mangler IT-representant" in rows[1][10]

    workbook = openpyxl.load_workbook(io.BytesIO(fetch(client, "/prosjekter/styring.xlsx").data))
    sheet = workbook.active
    assert sheet["B2"].value == "+Prosjekt" and sheet["B2"].data_type == "s"
    assert sheet["G2"].value.startswith("=HYPERLINK") and sheet["G2"].data_type == "s"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    per_unit = workbook["Per enhet"]
    assert [c.value for c in per_unit[1]] == ["Enhet", "Samlet", "Rød", "Gul", "Grønn",
                                              "Prosjekter"]
    assert [c.value for c in per_unit[2]] == ["Oppvekst og utdanning", "Rød", 1, 0, 0, 1]


def test_the_governance_pages_are_for_the_it_service(client, session, world, login_as):
    login_as(world["untrained"])
    for path in ("/prosjekter/styring", "/prosjekter/styring.csv", "/prosjekter/styring/regler"):
        assert client.get(path).status_code == 403
    login_as(world["it"])
    make_project(session, unit=world["home_care"], leader=world["trained"], name="Hjemme")
    page = client.get("/prosjekter/styring").get_data(as_text=True)
    assert "Per enhet" in page
    units = page[page.index("Per enhet"):page.index("Per prosjekt")]
    assert units.index("Helse og velferd") < units.index("Hjemmetjenesten")
    assert 'class="indent-1 unit-sub">Hjemmetjenesten' in units


def test_the_it_service_changes_which_documents_a_phase_requires(web, client, session, world,
                                                                 login_as):
    project = make_project(session, unit=world["school"], leader=world["trained"], name="P")
    attach(session, project, "project_plan")
    attach(session, project, "risk_analysis")
    login_as(world["it"])
    assert colours(session, world["it"])[0] == {"P": "green"}
    response = web.post("/prosjekter/styring/regler", {
        "it_service_unit_id": "", "krav-planning": ["mandate", "project_plan"],
    }, page="/prosjekter/styring/regler")
    assert response.status_code == 302
    rows, _ = governance.governance_rows(session, world["it"])
    assert rows[0].colour == "amber" and rows[0].verdict.missing_categories == ["mandate"]
    page = client.get("/prosjekter/styring/regler").get_data(as_text=True)
    assert 'name="krav-planning" value="mandate" id="krav-planning-mandate" checked' in page
