"""The rules of the project register, without a database: who needs an IT representative,
which documents each phase requires, and the red / amber / green verdict.

The founding document (measure 3): in every IT project that buys equipment or software for
the administrative network (TK-nett) or the school network (elevnett), a representative of
the IT service takes part. The purchase happens from the acquisition phase on, so a project
may be registered and planned without one (and is flagged red meanwhile), but cannot move
into acquisition, introduction, operation or closed without one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from app.toolbox.models import PHASES_NEEDING_REPRESENTATIVE, Category, Phase

RED = "red"
AMBER = "amber"
GREEN = "green"
#: Worst first.
SEVERITY = {RED: 0, AMBER: 1, GREEN: 2}

#: Which attached documents a project must have in each phase, following the order in
#: which Prosjektveiviseren (Digdir) creates them: the project plan (styringsdokument) and
#: risk analysis in planning, the benefits plan and cost/benefit analysis before anything
#: is bought, the closing report at the end. The mandate is recommended but not required
#: by default (small projects often fold it into the plan). The IT service can change
#: these per organisation.
DEFAULT_REQUIRED_DOCUMENTS: dict[str, list[str]] = {
    Phase.IDEA: [],
    Phase.PLANNING: [Category.PROJECT_PLAN, Category.RISK_ANALYSIS],
    Phase.ACQUISITION: [Category.PROJECT_PLAN, Category.RISK_ANALYSIS,
                        Category.BENEFITS_PLAN, Category.COST_BENEFIT, Category.ACQUISITION],
    Phase.INTRODUCTION: [Category.PROJECT_PLAN, Category.RISK_ANALYSIS,
                         Category.BENEFITS_PLAN, Category.COST_BENEFIT],
    Phase.OPERATION: [Category.BENEFITS_PLAN],
    Phase.CLOSED: [Category.BENEFITS_PLAN, Category.CLOSING_REPORT],
}


def representative_required(buys_equipment_or_software: bool, network: str) -> bool:
    """A project that buys for TK-nett or elevnett needs an IT service representative."""
    return bool(buys_equipment_or_software) and str(network) != "none"


def representative_blocks_phase(buys: bool, network: str, phase: str,
                                has_representative: bool) -> bool:
    """True when the project may not be in ``phase`` without a representative."""
    return (representative_required(buys, network) and not has_representative
            and str(phase) in PHASES_NEEDING_REPRESENTATIVE)


def normalise_required(config: Mapping | None) -> dict[str, list[str]]:
    """The stored configuration made safe: every phase present, known categories only,
    in the categories' own order. ``None`` means the defaults."""
    source = DEFAULT_REQUIRED_DOCUMENTS if config is None else config
    known = [c.value for c in Category]
    result = {}
    for phase in Phase:
        wanted = {str(c) for c in source.get(phase.value, source.get(phase, [])) or []}
        result[phase.value] = [c for c in known if c in wanted]
    return result


def required_documents(config: Mapping | None, phase: str) -> list[str]:
    return normalise_required(config)[str(phase)]


@dataclass(frozen=True)
class Finding:
    """One thing the IT service should know about a project."""

    code: str
    severity: str
    #: The document category concerned, for ``document_missing``.
    category: str | None = None


@dataclass
class Verdict:
    colour: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def codes(self) -> set[str]:
        return {f.code for f in self.findings}

    @property
    def missing_categories(self) -> list[str]:
        return [f.category for f in self.findings if f.code == "document_missing"]


def evaluate(*, phase: str, buys_equipment_or_software: bool, network: str,
             has_representative: bool, attached_categories: Iterable[str],
             leader_attended_gathering: bool, config: Mapping | None) -> Verdict:
    """Red: a project buying for TK-nett or elevnett has no IT representative (the IT
    service must act). Amber: a document its phase requires is missing, or its leader has
    not attended a project-leader gathering (the project must catch up). Green otherwise.
    A closed project is judged on its documents only."""
    findings: list[Finding] = []
    if representative_required(buys_equipment_or_software, network) and not has_representative:
        findings.append(Finding("representative_missing", RED))
    attached = {str(c) for c in attached_categories}
    for category in required_documents(config, phase):
        if category not in attached:
            findings.append(Finding("document_missing", AMBER, category))
    if str(phase) != Phase.CLOSED and not leader_attended_gathering:
        findings.append(Finding("leader_not_trained", AMBER))
    colour = min((f.severity for f in findings), key=SEVERITY.__getitem__, default=GREEN)
    return Verdict(colour=colour, findings=findings)


def worst(colours: Iterable[str]) -> str:
    return min(colours, key=SEVERITY.__getitem__, default=GREEN)
