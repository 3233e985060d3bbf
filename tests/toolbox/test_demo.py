"""The toolbox's demo data: the starting templates, the IT service's settings and a few
believable projects of Trondheim kommune; loading twice adds nothing."""

from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import User
from app.demo.services import load_demo
from app.toolbox import governance
from app.toolbox.models import ITProject, ProjectRegisterSettings, ToolboxFile, ToolboxItem


def count(session, model):
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_demo_has_the_templates_and_projects_across_the_sectors(app, session):
    with app.app_context():
        load_demo(session)
    assert count(session, ToolboxItem) == 8
    projects = {p.name: p for p in session.scalars(sa.select(ITProject))}
    journal = projects["Nytt journalsystem i hjemmetjenesten"]
    assert journal.unit.name == "Hjemmetjenesten Lerkendal"
    assert (str(journal.network), journal.it_representative.email) == (
        "tk_nett", "arrangor@trondheim.example")
    platform = projects["Ny læringsplattform for grunnskolen"]
    assert (str(platform.network), platform.it_representative_id) == ("elevnett", None)
    assert session.scalar(sa.select(ProjectRegisterSettings)).it_service_unit.code == "ORG-IT"
    organiser = session.scalar(sa.select(User).where(User.email ==
                                                     "arrangor@trondheim.example"))
    rows, _ = governance.governance_rows(session, organiser)
    flagged = {r.project.name: r.colour for r in rows}
    assert flagged["Ny læringsplattform for grunnskolen"] == "red"
    assert "Timebestilling på nett for Helsehuset Øya" not in flagged  # closed


def test_loading_the_demo_twice_adds_no_templates_versions_or_projects(app, session):
    with app.app_context():
        load_demo(session)
        before = (count(session, ToolboxItem), count(session, ToolboxFile),
                  count(session, ITProject))
        load_demo(session)
    assert (count(session, ToolboxItem), count(session, ToolboxFile),
            count(session, ITProject)) == before
