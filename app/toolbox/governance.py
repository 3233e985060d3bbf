"""The IT service's governance view: every project in reach judged red / amber / green by
``app.toolbox.rules``, per project and per unit (each unit counts the projects of its whole
subtree, from the sector down to the project's own unit), and exported as CSV or XLSX.

A fixed number of statements whatever the number of projects: the projects with their
people and units, the attached document categories, the leaders who attended a gathering,
the settings, and the units above the projects.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, joinedload

if TYPE_CHECKING:
    from openpyxl import Workbook

from app.accounts.models import Unit, User
from app.catalogue.models import Course, CourseKind
from app.common.spreadsheet import neutralise
from app.enrolment.models import CourseSession, Offering
from app.seminars.models import Attendance, AttendanceStatus
from app.toolbox import rules
from app.toolbox.labels import (
    CATEGORY_LABELS,
    COLOUR_LABELS,
    FINDING_LABELS,
    NETWORK_SHORT,
    PHASE_LABELS,
)
from app.toolbox.models import (
    DocumentStatus,
    ITProject,
    MethodologyDocument,
    Phase,
    ProjectRegisterSettings,
)
from app.toolbox.queries import governed_projects_condition, people_options


@dataclass
class GovernanceRow:
    project: ITProject
    verdict: rules.Verdict
    sector: Unit | None

    @property
    def colour(self) -> str:
        return self.verdict.colour


@dataclass
class UnitSummary:
    """The projects of a unit and the units below it, counted by colour."""

    unit: Unit
    #: Levels below the sector (0 for the sector itself), for indenting the tree.
    level: int
    counts: Counter = field(default_factory=Counter)

    @property
    def colour(self) -> str:
        return rules.worst(c for c, n in self.counts.items() if n)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def attended_gathering(session: Session, user_ids: set[int]) -> set[int]:
    """The people among ``user_ids`` who attended (present or late) at least one session of
    a seminar (a project-leader gathering)."""
    if not user_ids:
        return set()
    return set(session.scalars(
        sa.select(Attendance.user_id).distinct()
        .join(CourseSession, CourseSession.id == Attendance.session_id)
        .join(Offering, Offering.id == CourseSession.offering_id)
        .join(Course, Course.id == Offering.course_id)
        .where(Attendance.user_id.in_(user_ids), Course.kind == CourseKind.SEMINAR,
               Attendance.status.in_([AttendanceStatus.PRESENT, AttendanceStatus.LATE]))
    ))


def attached_categories(session: Session, project_ids: list[int]) -> dict[int, set[str]]:
    result: dict[int, set[str]] = defaultdict(set)
    if not project_ids:
        return result
    rows = session.execute(
        sa.select(MethodologyDocument.project_id, MethodologyDocument.category).distinct()
        .where(MethodologyDocument.project_id.in_(project_ids),
               MethodologyDocument.status != DocumentStatus.PLANNED,
               sa.or_(MethodologyDocument.url.is_not(None),
                      MethodologyDocument.storage_key.is_not(None)))
    )
    for project_id, category in rows:
        result[project_id].add(str(category))
    return result


def rules_config(session: Session, organisation_ids: set[int]) -> dict[int, dict | None]:
    rows = session.scalars(sa.select(ProjectRegisterSettings)
                           .where(ProjectRegisterSettings.organisation_id.in_(organisation_ids)))
    return {s.organisation_id: s.required_documents for s in rows}


def verdict_for(session: Session, project: ITProject, documents: list[MethodologyDocument],
                settings: ProjectRegisterSettings | None) -> rules.Verdict:
    """One project's verdict, for its own page (its documents and its organisation's
    settings are already loaded)."""
    return rules.evaluate(
        phase=project.phase, buys_equipment_or_software=project.buys_equipment_or_software,
        network=project.network, has_representative=project.it_representative_id is not None,
        attached_categories={str(d.category) for d in documents if d.attached},
        leader_attended_gathering=project.leader_id in attended_gathering(
            session, {project.leader_id}),
        config=settings.required_documents if settings else None,
    )


def governance_rows(session: Session, user: User, *, include_closed: bool = False,
                    colour: str | None = None) -> tuple[list[GovernanceRow], list[UnitSummary]]:
    """The projects in the IT service's reach with their verdicts, worst first, and the
    counts per unit: every unit on the way from a sector down to a project's own unit,
    counting the projects of its subtree, in tree order with the worst sectors first.
    The colour filter narrows the projects, not the counts."""
    where = [governed_projects_condition(user)]
    if not include_closed:
        where.append(ITProject.phase != Phase.CLOSED)
    projects = list(session.scalars(
        sa.select(ITProject)
        .options(joinedload(ITProject.unit),
                 *people_options(ITProject.leader, ITProject.owner, ITProject.it_representative))
        .where(*where).order_by(ITProject.name, ITProject.id)
    ).unique())
    documents = attached_categories(session, [p.id for p in projects])
    trained = attended_gathering(session, {p.leader_id for p in projects})
    configs = rules_config(session, {p.organisation_id for p in projects})
    above = {i for p in projects for i in p.unit.path_ids}
    units = {u.id: u for u in session.scalars(sa.select(Unit).where(Unit.id.in_(above)))}

    rows = []
    for project in projects:
        verdict = rules.evaluate(
            phase=project.phase,
            buys_equipment_or_software=project.buys_equipment_or_software,
            network=project.network,
            has_representative=project.it_representative_id is not None,
            attached_categories=documents[project.id],
            leader_attended_gathering=project.leader_id in trained,
            config=configs.get(project.organisation_id),
        )
        path = project.unit.path_ids
        sector = units.get(path[0]) if path else None
        rows.append(GovernanceRow(project=project, verdict=verdict, sector=sector))

    summaries: dict[int, UnitSummary] = {}
    for row in rows:
        for level, unit_id in enumerate(row.project.unit.path_ids):
            if unit_id in units:
                summaries.setdefault(unit_id, UnitSummary(unit=units[unit_id], level=level)
                                     ).counts[row.colour] += 1
    if colour:
        rows = [r for r in rows if r.colour == colour]
    rows.sort(key=lambda r: (rules.SEVERITY[r.colour], r.project.name.lower()))
    return rows, _tree_order(summaries)


def _tree_order(summaries: dict[int, UnitSummary]) -> list[UnitSummary]:
    """Sectors worst first, then by name; each followed by its units, by name."""
    def key(summary: UnitSummary):
        ids = [i for i in summary.unit.path_ids if i in summaries]
        return (rules.SEVERITY[summaries[ids[0]].colour],
                [(summaries[i].unit.name.lower(), i) for i in ids])
    return sorted(summaries.values(), key=key)


# Export --------------------------------------------------------------------------------


def _safe(value) -> str:
    """The cell as text that no spreadsheet runs as a formula."""
    return neutralise("" if value is None else str(value))


def _finding_text(verdict: rules.Verdict) -> str:
    parts = []
    for finding in verdict.findings:
        if finding.code == "document_missing":
            parts.append(f"{FINDING_LABELS[finding.code]}: {CATEGORY_LABELS[finding.category]}")
        else:
            parts.append(str(FINDING_LABELS[finding.code]))
    return "; ".join(parts)


def export_table(rows: list[GovernanceRow]) -> tuple[list[str], list[list[str]]]:
    header = [_("Status"), _("Prosjekt"), _("Enhet"), _("Sektor"), _("Fase"), _("Nett"),
              _("Prosjektleder"), _("E-post"), _("Prosjekteier"), _("IT-representant"),
              _("Funn")]
    body = []
    for row in rows:
        p = row.project
        body.append([
            str(COLOUR_LABELS[row.colour]), p.name, p.unit.name,
            row.sector.name if row.sector else "", str(PHASE_LABELS[str(p.phase)]),
            str(NETWORK_SHORT[str(p.network)]), p.leader.name, p.contact_email or p.leader.email,
            p.owner.name if p.owner else "",
            p.it_representative.name if p.it_representative else "",
            _finding_text(row.verdict),
        ])
    return header, body


def to_csv(rows: list[GovernanceRow]) -> bytes:
    """Semicolon-separated with a BOM, as Excel in a Norwegian locale expects."""
    header, body = export_table(rows)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for line in body:
        writer.writerow([_safe(v) for v in line])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


EXPORT_FILLS = {"red": "FFC7CE", "amber": "FFEB9C", "green": "C6EFCE"}


def to_xlsx(rows: list[GovernanceRow], units: list[UnitSummary] | None = None) -> bytes:
    """The projects on the first sheet; with ``units``, the counts per unit on a second."""
    # openpyxl (about 6 MB in every web worker) is loaded by the first download.
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    header, body = export_table(rows)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Prosjekter")
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row, line in zip(rows, body, strict=True):
        ws.append(line)
        for cell in ws[ws.max_row]:
            # Text stays text: a name such as "=HYPERLINK(…)" is never stored as a formula.
            cell.data_type = "s"
        ws.cell(row=ws.max_row, column=1).fill = PatternFill(
            "solid", fgColor=EXPORT_FILLS[row.colour])
    for col, width in zip("ABCDEFGHIJK", (10, 40, 28, 24, 14, 12, 24, 30, 24, 24, 60),
                          strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions
    if units is not None:
        _unit_sheet(wb, units)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _unit_sheet(wb: Workbook, units: list[UnitSummary]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    ws = wb.create_sheet(_("Per enhet"))
    ws.append([_("Enhet"), _("Samlet"), str(COLOUR_LABELS["red"]), str(COLOUR_LABELS["amber"]),
               str(COLOUR_LABELS["green"]), _("Prosjekter")])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for summary in units:
        ws.append([summary.unit.name, str(COLOUR_LABELS[summary.colour]),
                   summary.counts["red"], summary.counts["amber"], summary.counts["green"],
                   summary.total])
        name = ws.cell(row=ws.max_row, column=1)
        name.data_type = "s"
        name.alignment = Alignment(indent=2 * summary.level)
        if summary.level == 0:
            name.font = Font(bold=True)
        ws.cell(row=ws.max_row, column=2).fill = PatternFill(
            "solid", fgColor=EXPORT_FILLS[summary.colour])
    for col, width in zip("ABCDEF", (40, 10, 8, 8, 8, 12), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "B2"
