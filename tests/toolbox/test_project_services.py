"""Registering and changing IT projects: who may, the IT representative rule enforced in
the service and by the database, conflicts, documents, settings and the audit trail."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.common.models import AuditEvent
from app.errors import DomainError
from app.orm import utcnow
from app.toolbox import project_services as ps
from app.toolbox.models import ITProject, Network, Phase
from tests.factories import make_org, make_unit, make_user
from tests.toolbox.builders import PDF, attach, checked, it_service, make_project


@pytest.fixture
def world(session):
    """A municipality with a school sector, a health sector and the IT service."""
    org = make_org(session, name="Trondheim kommune")
    school_sector = make_unit(session, org=org, name="Oppvekst og utdanning")
    school = make_unit(session, parent=school_sector, name="Byåsen skole")
    health = make_unit(session, org=org, name="Helse og velferd")
    it_unit = make_unit(session, org=org, name="IT-tjenesten")
    it_service(session, org, it_unit)
    sector_head = make_user(session, org=org, unit=school_sector, leader_level="toppleder")
    school_sector.manager_id = sector_head.id
    session.flush()
    return {
        "org": org, "school": school, "health": health, "it_unit": it_unit,
        "sector_head": sector_head,
        "leader": make_user(session, org=org, unit=school, email="pl@kommune.example"),
        "colleague": make_user(session, org=org, unit=school),
        "it": make_user(session, org=org, unit=it_unit, roles=["organiser"],
                        email="it@kommune.example"),
        "it_staff": make_user(session, org=org, unit=it_unit),
        "hr": make_user(session, org=org, unit=health, roles=["hr"]),
    }


def data(world, **overrides) -> ps.ProjectInput:
    values = {"name": "Ny læringsplattform", "purpose": "Felles plattform for skolene.",
              "unit_id": world["school"].id, "phase": "planning",
              "leader_email": "pl@kommune.example", "owner_email": None,
              "contact_email": None, "contact_phone": None, "starts_on": date(2027, 1, 4),
              "planned_end_on": date(2027, 12, 17), "buys_equipment_or_software": True,
              "network": "elevnett"}
    values.update(overrides)
    return ps.ProjectInput(**values)


def register(session, world, actor="leader", **overrides) -> ITProject:
    return ps.register_project(session, actor=world[actor], data=data(world, **overrides),
                               now=utcnow())


def test_a_project_leader_registers_a_project_buying_for_elevnett_without_a_representative(
        session, world):
    project = register(session, world)
    assert project.leader_id == world["leader"].id
    assert project.network == Network.ELEVNETT and project.it_representative_id is None
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action ==
                                                       "projects.registered"))
    assert (event.actor_id, event.object_id) == (world["leader"].id, str(project.id))
    assert event.detail["network"] == "elevnett"


def test_it_cannot_be_registered_straight_into_acquisition_without_a_representative(
        session, world):
    with pytest.raises(DomainError) as caught:
        register(session, world, phase="acquisition")
    assert caught.value.code == "representative_required"
    assert caught.value.field == "phase"
    assert "elevnett" in str(caught.value.message) and "Anskaffelse" in str(
        caught.value.message)


def test_a_project_buying_for_no_network_needs_no_representative(session, world):
    project = register(session, world, phase="acquisition", network="none")
    assert project.phase == Phase.ACQUISITION


def test_the_database_refuses_acquisition_without_a_representative_too(session, world):
    project = make_project(session, unit=world["school"], leader=world["leader"],
                           network=Network.TK_NETT)
    project.phase = Phase.ACQUISITION
    with pytest.raises(IntegrityError), session.begin_nested():
        session.flush()


def test_a_network_without_a_purchase_is_refused(session, world):
    with pytest.raises(DomainError) as caught:
        register(session, world, buys_equipment_or_software=False)
    assert caught.value.field == "network"


@pytest.mark.parametrize(("overrides", "field"), [
    ({"name": "  "}, "name"),
    ({"planned_end_on": date(2026, 1, 1)}, "planned_end_on"),
    ({"leader_email": "ukjent@kommune.example"}, "leader_email"),
    ({"unit_id": 999_999}, "unit_id"),
])
def test_bad_input_is_refused_on_its_field(session, world, overrides, field):
    with pytest.raises(DomainError) as caught:
        register(session, world, **overrides)
    assert caught.value.field == field


def test_nobody_registers_a_project_for_someone_else_in_a_unit_they_do_not_lead(
        session, world):
    with pytest.raises(DomainError) as caught:
        register(session, world, actor="colleague")
    assert caught.value.status == 403
    # The sector's leader and the IT service may.
    assert register(session, world, actor="sector_head").leader_id == world["leader"].id
    assert register(session, world, actor="it", name="Annet").leader_id == world["leader"].id


def test_a_unit_in_another_organisation_cannot_be_chosen(session, world):
    elsewhere = make_unit(session, name="Annen kommunes skole")
    with pytest.raises(DomainError) as caught:
        register(session, world, unit_id=elsewhere.id)
    assert caught.value.field == "unit_id"


def test_the_leader_updates_the_project_and_the_change_is_audited(session, world):
    project = register(session, world)
    ps.update_project(session, actor=world["leader"], project=project,
                      data=data(world, phase="idea", contact_phone="+47 72 54 00 00"),
                      expected_version=1, now=utcnow())
    assert (project.phase, project.version) == (Phase.IDEA, 2)
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action ==
                                                       "projects.updated"))
    assert event.detail["changed"] == {"phase": "idea", "contact_phone": "+47 72 54 00 00"}


def test_an_edit_based_on_an_old_version_is_a_conflict(session, world):
    project = register(session, world)
    ps.update_project(session, actor=world["leader"], project=project,
                      data=data(world, name="Nytt navn"), expected_version=1, now=utcnow())
    with pytest.raises(DomainError) as caught:
        ps.update_project(session, actor=world["leader"], project=project,
                          data=data(world, name="Gammelt navn"), expected_version=1,
                          now=utcnow())
    assert caught.value.status == 409
    assert project.name == "Nytt navn"


@pytest.mark.parametrize(("actor", "allowed"), [
    ("leader", True), ("sector_head", True), ("it", True), ("colleague", False), ("hr", False),
])
def test_who_may_edit_a_project(session, world, actor, allowed):
    project = register(session, world)
    change = data(world, purpose="Endret.")
    if allowed:
        ps.update_project(session, actor=world[actor], project=project, data=change,
                          expected_version=None, now=utcnow())
        assert project.purpose == "Endret."
    else:
        with pytest.raises(DomainError) as caught:
            ps.update_project(session, actor=world[actor], project=project, data=change,
                              expected_version=None, now=utcnow())
        assert caught.value.status == 403


def test_an_it_service_role_limited_to_another_sector_cannot_edit_the_project(session, world):
    scoped = make_user(session, org=world["org"], roles=[("organiser", world["health"])])
    project = register(session, world)
    with pytest.raises(DomainError):
        ps.update_project(session, actor=scoped, project=project, data=data(world),
                          expected_version=None, now=utcnow())


def test_the_it_service_assigns_a_representative_from_its_own_staff(session, world):
    project = register(session, world)
    with pytest.raises(DomainError) as caught:
        ps.assign_representative(session, actor=world["leader"], project=project,
                                 representative_id=world["it_staff"].id, now=utcnow())
    assert caught.value.status == 403
    with pytest.raises(DomainError) as caught:
        ps.assign_representative(session, actor=world["it"], project=project,
                                 representative_id=world["colleague"].id, now=utcnow())
    assert caught.value.code == "not_it_service"
    ps.assign_representative(session, actor=world["it"], project=project,
                             representative_id=world["it_staff"].id, now=utcnow())
    assert project.it_representative_id == world["it_staff"].id
    event = session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "projects.representative_assigned"))
    assert event.detail == {"previous": None, "representative": world["it_staff"].id}
    # With a representative the project may go on to acquisition.
    ps.update_project(session, actor=world["leader"], project=project,
                      data=data(world, phase="acquisition"), expected_version=None,
                      now=utcnow())
    assert project.phase == Phase.ACQUISITION


def test_the_representative_of_a_project_that_is_buying_cannot_just_be_removed(session, world):
    project = register(session, world)
    ps.assign_representative(session, actor=world["it"], project=project,
                             representative_id=world["it_staff"].id, now=utcnow())
    ps.update_project(session, actor=world["leader"], project=project,
                      data=data(world, phase="acquisition"), expected_version=None,
                      now=utcnow())
    with pytest.raises(DomainError) as caught:
        ps.assign_representative(session, actor=world["it"], project=project,
                                 representative_id=None, now=utcnow())
    assert caught.value.code == "representative_required"


def test_a_document_is_a_link_or_a_file_and_only_planned_ones_may_have_neither(
        session, world, storage_root):
    project = register(session, world)
    add = ps.add_document
    common = {"actor": world["leader"], "project": project, "toolbox_item_id": None,
              "note": "", "storage_root": storage_root, "now": utcnow()}
    planned = add(session, category="mandate", status="planned", url="", file=None, **common)
    assert not planned.attached
    linked = add(session, category="project_plan", status="draft",
                 url="https://arkiv.example/plan", file=None, **common)
    assert linked.attached
    filed = add(session, category="risk_analysis", status="approved", url=None,
                file=checked(PDF, "ros.pdf"), **common)
    assert filed.storage_key.startswith("projects/") and filed.file_name == "ros.pdf"
    for status, url, file, code in (("draft", None, None, "attachment_missing"),
                                    ("draft", "https://a.example", checked(PDF, "a.pdf"),
                                     "link_and_file"),
                                    ("draft", "javascript:alert(1)", None, "url_invalid")):
        with pytest.raises(DomainError) as caught:
            add(session, category="cost_benefit", status=status, url=url, file=file, **common)
        assert caught.value.code == code


def test_replacing_a_documents_file_hands_back_the_old_file_for_removal(session, world,
                                                                        storage_root):
    project = register(session, world)
    document = ps.add_document(session, actor=world["leader"], project=project,
                               category="risk_analysis", toolbox_item_id=None, status="draft",
                               url=None, file=checked(PDF, "v1.pdf"), note="",
                               storage_root=storage_root, now=utcnow())
    old = document.storage_key
    obsolete = ps.update_document(session, actor=world["leader"], document=document,
                                  toolbox_item_id=None, status="approved",
                                  url="https://arkiv.example/ros", file=None, note="Godkjent",
                                  storage_root=storage_root, now=utcnow())
    assert obsolete == old
    assert document.url == "https://arkiv.example/ros" and document.storage_key is None
    kept = ps.update_document(session, actor=world["leader"], document=document,
                              toolbox_item_id=None, status="approved",
                              url="https://arkiv.example/ros", file=None, note="",
                              storage_root=storage_root, now=utcnow())
    assert kept is None


def test_a_colleague_outside_the_project_cannot_touch_its_documents(session, world,
                                                                     storage_root):
    project = register(session, world)
    document = attach(session, project, "project_plan")
    with pytest.raises(DomainError):
        ps.remove_document(session, actor=world["colleague"], document=document, now=utcnow())
    representative = world["it_staff"]
    ps.assign_representative(session, actor=world["it"], project=project,
                             representative_id=representative.id, now=utcnow())
    assert ps.remove_document(session, actor=representative, document=document,
                              now=utcnow()) is None


def test_the_it_service_sets_the_rules_and_a_scoped_organiser_may_not(session, world):
    scoped = make_user(session, org=world["org"], roles=[("organiser", world["health"])])
    with pytest.raises(DomainError):
        ps.save_settings(session, actor=scoped, organisation_id=world["org"].id,
                         it_service_unit_id=None, required={}, now=utcnow())
    settings = ps.save_settings(session, actor=world["it"], organisation_id=world["org"].id,
                                it_service_unit_id=world["it_unit"].id,
                                required={"planning": ["mandate", "project_plan"]},
                                now=utcnow())
    assert settings.required_documents["planning"] == ["mandate", "project_plan"]
    assert settings.required_documents["closed"] == []


def test_every_change_to_a_projects_documents_and_the_rules_is_in_the_audit_log(
        session, world, storage_root):
    project = register(session, world)
    document = ps.add_document(session, actor=world["leader"], project=project,
                               category="risk_analysis", toolbox_item_id=None, status="draft",
                               url="https://arkiv.example/ros", file=None, note="",
                               storage_root=storage_root, now=utcnow())
    ps.update_document(session, actor=world["leader"], document=document, toolbox_item_id=None,
                       status="approved", url=None, file=checked(PDF, "ros.pdf"), note="",
                       storage_root=storage_root, now=utcnow())
    ps.remove_document(session, actor=world["leader"], document=document, now=utcnow())
    ps.save_settings(session, actor=world["it"], organisation_id=world["org"].id,
                     it_service_unit_id=world["it_unit"].id, required={}, now=utcnow())
    events = session.execute(
        sa.select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.detail)
        .where(AuditEvent.action.in_(["projects.document_added", "projects.document_updated",
                                      "projects.document_removed",
                                      "projects.settings_saved"]))
        .order_by(AuditEvent.id)).all()
    assert [(action, actor) for action, actor, _detail in events] == [
        ("projects.document_added", world["leader"].id),
        ("projects.document_updated", world["leader"].id),
        ("projects.document_removed", world["leader"].id),
        ("projects.settings_saved", world["it"].id),
    ]
    assert events[1][2]["status"] == "approved" and events[2][2]["category"] == "risk_analysis"
