"""The spreadsheet templates: reproducible from the code, with the formulas the methodology
asks for (risk = likelihood × consequence with conditional colours; net present value at
a 4 % real discount rate), and — with LibreOffice — computing the right values."""

from __future__ import annotations

import io
import shutil
import subprocess

import openpyxl
import pytest

from app.toolbox import library
from app.toolbox.spreadsheets import BUILDERS, cost_benefit, risk
from tests.toolbox.spreadsheet_model import (
    expected_cost_benefit,
    expected_matrix,
    expected_risks,
)


def load(data: bytes, **kw):
    return openpyxl.load_workbook(io.BytesIO(data), **kw)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_the_committed_spreadsheets_are_exactly_what_the_code_builds(name):
    committed = (library.DEFAULT_SOURCE / name).read_bytes()
    assert committed == BUILDERS[name](), (
        f"{name} differs from app/toolbox/spreadsheets/; run `flask toolbox build-templates`")


def test_the_risk_score_is_likelihood_times_consequence_on_every_row():
    wb = load(risk.risk_workbook())
    ws = wb["Risikoer"]
    assert wb.sheetnames == ["Veiledning", "Risikoer", "Matrise", "Skala"]
    assert wb.active.title == "Risikoer"
    for row in (risk.RISK_FIRST_ROW, risk.RISK_LAST_ROW):
        assert ws[f"G{row}"].value == (f'=IF(AND(ISNUMBER(E{row}),ISNUMBER(F{row})),'
                                       f'E{row}*F{row},"")')
        assert ws[f"H{row}"].value == (f'=IF(G{row}="","",IF(G{row}>=HoyFra,"Høy",'
                                       f'IF(G{row}>=MiddelsFra,"Middels","Lav")))')
        assert ws[f"O{row}"].value == (f'=IF(AND(ISNUMBER(M{row}),ISNUMBER(N{row})),'
                                       f'M{row}*N{row},"")')
    assert wb.defined_names["MiddelsFra"].attr_text == "Risikoer!$K$2"
    assert wb.defined_names["HoyFra"].attr_text == "Risikoer!$K$3"
    assert (ws["K2"].value, ws["K3"].value) == (5, 12)


def test_the_risk_levels_are_coloured_red_amber_green_by_conditional_formatting():
    ws = load(risk.risk_workbook())["Risikoer"]
    rules = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            rules.setdefault(str(cf.sqref), []).append((rule.formula[0],
                                                        rule.dxf.fill.fgColor.rgb))
    score_range = f"G{risk.RISK_FIRST_ROW}:G{risk.RISK_LAST_ROW}"
    assert rules[score_range] == [
        (f"AND(ISNUMBER($G{risk.RISK_FIRST_ROW}),$G{risk.RISK_FIRST_ROW}>=HoyFra)", "00FFC7CE"),
        (f"AND(ISNUMBER($G{risk.RISK_FIRST_ROW}),$G{risk.RISK_FIRST_ROW}>=MiddelsFra)", "00FFEB9C"),
        (f"AND(ISNUMBER($G{risk.RISK_FIRST_ROW}),$G{risk.RISK_FIRST_ROW}>=1)", "00C6EFCE"),
    ]
    assert {f"{c}{risk.RISK_FIRST_ROW}:{c}{risk.RISK_LAST_ROW}" for c in "GHOP"} <= set(rules)
    matrix = load(risk.risk_workbook())["Matrise"]
    assert [r.formula[0] for cf in matrix.conditional_formatting for r in cf.rules] == [
        "$B5*C$4>=HoyFra", "$B5*C$4>=MiddelsFra", "$B5*C$4>=1"]


def test_likelihood_and_consequence_only_take_whole_numbers_from_one_to_five():
    ws = load(risk.risk_workbook())["Risikoer"]
    scale = next(dv for dv in ws.data_validations.dataValidation if dv.type == "whole")
    assert (scale.formula1, scale.formula2) == ("1", "5")
    covered = str(scale.sqref).split()
    assert covered == [f"{c}{risk.RISK_FIRST_ROW}:{c}{risk.RISK_LAST_ROW}" for c in "EFMN"]


def test_the_examples_give_one_high_risk_and_no_high_risk_after_the_measures():
    ws = load(risk.risk_workbook())["Risikoer"]
    values = expected_risks(ws)
    levels = [values[f"H{r}"] for r in range(risk.RISK_FIRST_ROW, risk.RISK_FIRST_ROW + 5)]
    after = [values[f"P{r}"] for r in range(risk.RISK_FIRST_ROW, risk.RISK_FIRST_ROW + 5)]
    assert levels == ["Middels", "Høy", "Middels", "Middels", "Middels"]
    assert "Høy" not in after
    assert values[f"G{risk.RISK_LAST_ROW}"] == ""


def test_the_matrix_counts_the_risks_in_each_cell():
    wb = load(risk.risk_workbook())
    matrix = wb["Matrise"]
    assert matrix["C5"].value == (f"=COUNTIFS(Risikoer!$E${risk.RISK_FIRST_ROW}:$E$"
                                  f"{risk.RISK_LAST_ROW},$B5,Risikoer!$F${risk.RISK_FIRST_ROW}:"
                                  f"$F${risk.RISK_LAST_ROW},C$4)")
    assert [matrix.cell(row=r, column=2).value for r in range(5, 10)] == [5, 4, 3, 2, 1]
    assert sum(expected_matrix(wb["Risikoer"]).values()) == 5


def test_the_cost_benefit_sheet_discounts_at_four_percent_with_a_twenty_percent_tax_cost():
    ws = load(cost_benefit.cost_benefit_workbook())["Kost-nytte"]
    assert (ws["B3"].value, ws["B4"].value, ws["B5"].value) == (0.04, 0.2, 2027)
    assert ws["C8"].value == "=$B$5" and ws["D8"].value == "=C8+1"
    assert ws["C10"].value == "=1/(1+$B$3)^C9"
    assert ws["L10"].value == "=1/(1+$B$3)^L9"
    assert ws["C17"].value == "=SUM(C12:C16)"
    assert ws["C25"].value == "=C24*$B$6"
    assert ws["C29"].value == "=$B$4*(C17-C22)"
    assert ws["C30"].value == "=C22+C27-C17-C29"
    assert ws["M17"].value == "=SUMPRODUCT(C17:L17,$C$10:$L$10)"
    assert ws["B38"].value == "=B35+B36-B34-B37"


def test_the_example_is_profitable_by_about_four_point_two_million_kroner():
    ws = load(cost_benefit.cost_benefit_workbook())["Kost-nytte"]
    values = expected_cost_benefit(ws)
    # Year 0 is not discounted; year 9 by 1.04^-9.
    assert values["C10"] == 1
    assert values["L10"] == pytest.approx(0.7025867, abs=1e-7)
    assert values["B34"] == pytest.approx(11_110_416.48, abs=0.01)
    assert values["B38"] == pytest.approx(4_243_975.93, abs=0.01)
    assert values["B39"] == "Ja"


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed "
                    "(apt-get install libreoffice-calc-nogui); .ci/run installs it")
def test_libreoffice_recalculates_the_templates_to_the_expected_values(tmp_path):
    """A real spreadsheet program opens the files and its formulas give our numbers."""
    for name in BUILDERS:
        (tmp_path / name).write_bytes((library.DEFAULT_SOURCE / name).read_bytes())
    out = tmp_path / "out"
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "xlsx", "--outdir", str(out),
         *(str(tmp_path / n) for n in BUILDERS)],
        check=True, capture_output=True, timeout=180)

    source = openpyxl.load_workbook(tmp_path / "risikoanalyse.xlsx")
    computed = openpyxl.load_workbook(out / "risikoanalyse.xlsx", data_only=True)
    for cell, value in expected_risks(source["Risikoer"]).items():
        got = computed["Risikoer"][cell].value
        assert (got if got is not None else "") == value, cell
    for cell, value in expected_matrix(source["Risikoer"]).items():
        assert computed["Matrise"][cell].value == value, cell

    source = openpyxl.load_workbook(tmp_path / "kost-nytte.xlsx")
    computed = openpyxl.load_workbook(out / "kost-nytte.xlsx", data_only=True)
    for cell, value in expected_cost_benefit(source["Kost-nytte"]).items():
        got = computed["Kost-nytte"][cell].value
        if isinstance(value, str):
            assert got == value, cell
        else:
            assert got == pytest.approx(value, rel=1e-9, abs=1e-6), cell


@pytest.mark.parametrize("builder", [risk.risk_workbook, cost_benefit.cost_benefit_workbook])
def test_every_sheet_with_a_table_prints_one_page_wide(builder):
    wb = load(builder())
    for ws in wb.worksheets:
        if ws.title == "Veiledning":
            continue  # one column of text
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth in (1, None), ws.title
