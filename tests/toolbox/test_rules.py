"""The register's rules without a database: who needs an IT representative, which phases
they block, which documents each phase requires, and the red / amber / green verdict."""

from __future__ import annotations

import pytest

from app.toolbox import rules


def verdict(**overrides):
    facts = {"phase": "planning", "buys_equipment_or_software": False, "network": "none",
             "has_representative": False, "attached_categories": ["project_plan",
                                                                  "risk_analysis"],
             "leader_attended_gathering": True, "config": None}
    facts.update(overrides)
    return rules.evaluate(**facts)


@pytest.mark.parametrize(("buys", "network", "needed"), [
    (True, "tk_nett", True), (True, "elevnett", True), (True, "none", False),
    (False, "none", False),
])
def test_a_representative_is_needed_exactly_when_buying_for_tk_nett_or_elevnett(
        buys, network, needed):
    assert rules.representative_required(buys, network) is needed


@pytest.mark.parametrize("phase", ["idea", "planning"])
def test_a_project_may_be_registered_and_planned_before_it_has_a_representative(phase):
    assert not rules.representative_blocks_phase(True, "elevnett", phase, False)


@pytest.mark.parametrize("phase", ["acquisition", "introduction", "operation", "closed"])
def test_no_project_buying_for_a_network_gets_past_planning_without_a_representative(phase):
    assert rules.representative_blocks_phase(True, "tk_nett", phase, False)
    assert not rules.representative_blocks_phase(True, "tk_nett", phase, True)
    assert not rules.representative_blocks_phase(True, "none", phase, False)


def test_a_project_buying_for_elevnett_without_a_representative_is_red():
    result = verdict(buys_equipment_or_software=True, network="elevnett")
    assert result.colour == "red"
    assert result.codes == {"representative_missing"}


def test_the_flag_turns_green_once_the_representative_and_the_planning_documents_exist():
    assert verdict(buys_equipment_or_software=True, network="elevnett",
                   has_representative=True).colour == "green"


def test_a_missing_required_document_is_amber_and_names_the_document():
    result = verdict(attached_categories=["project_plan"])
    assert result.colour == "amber"
    assert result.missing_categories == ["risk_analysis"]


def test_a_leader_who_never_attended_a_gathering_makes_the_project_amber_unless_closed():
    assert verdict(leader_attended_gathering=False).codes == {"leader_not_trained"}
    closed = verdict(phase="closed", leader_attended_gathering=False,
                     attached_categories=["benefits_plan", "closing_report"])
    assert closed.colour == "green"


def test_red_wins_over_amber():
    result = verdict(buys_equipment_or_software=True, network="tk_nett",
                     attached_categories=[], leader_attended_gathering=False)
    assert result.colour == "red"
    assert len(result.findings) == 4


def test_the_defaults_follow_prosjektveiviseren_from_planning_to_closing():
    defaults = rules.normalise_required(None)
    assert defaults["idea"] == []
    assert defaults["planning"] == ["project_plan", "risk_analysis"]
    assert {"benefits_plan", "cost_benefit", "acquisition"} <= set(defaults["acquisition"])
    assert "closing_report" in defaults["closed"]


def test_configured_rules_replace_the_defaults_and_unknown_values_are_dropped():
    config = {"planning": ["mandate", "no_such_document"], "nonsense": ["mandate"]}
    normalised = rules.normalise_required(config)
    assert normalised["planning"] == ["mandate"]
    assert normalised["acquisition"] == []
    assert set(normalised) == {"idea", "planning", "acquisition", "introduction",
                               "operation", "closed"}
    assert verdict(config=config, attached_categories=[]).missing_categories == ["mandate"]


def test_the_worst_colour_of_a_unit_is_its_colour():
    assert rules.worst(["green", "amber", "green"]) == "amber"
    assert rules.worst(["green", "red", "amber"]) == "red"
    assert rules.worst([]) == "green"
