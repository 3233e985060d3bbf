"""The cost/benefit template: costs and benefits over ten years discounted to present
value at DFØ's recommended real rate of 4 % (Finansdepartementets rundskriv R-109/2021),
with the cost of tax financing (20 %), the net present value, and a sheet for the effects
without a price (pluss-minus-metoden)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from app.toolbox.spreadsheets.style import (
    BAD,
    FORMULA,
    GOOD,
    HEADER,
    INPUT,
    KRONER,
    SECTION,
    THIN,
    TITLE,
    WHITE_BOLD,
    WRAP,
    guide_sheet,
    to_bytes,
)

YEARS = 10
FIRST_YEAR_COL = 3  # C
YEAR_COLS = [get_column_letter(FIRST_YEAR_COL + i) for i in range(YEARS)]
NPV_COL = get_column_letter(FIRST_YEAR_COL + YEARS)  # M
DISCOUNT_RATE = 0.04
TAX_COST = 0.20
FIRST_YEAR = 2027
HOURLY_COST = 650

#: row -> (label, example figures per year or None for a formula row)
COST_ROWS = {
    12: ("Anskaffelse og implementering", [2_400_000]),
    13: ("Lisenser og abonnement", [600_000] * YEARS),
    14: ("Drift, forvaltning og brukerstøtte", [250_000] * YEARS),
    15: ("Opplæring", [400_000, 100_000]),
    16: ("Egen innsats i prosjektet (timer × timekostnad)", [900_000, 150_000]),
}
BUDGET_ROWS = {
    19: ("Gammelt system avviklet (lisenser og drift)", [0] + [450_000] * (YEARS - 1)),
    20: ("Reduserte kjøp av tjenester", []),
    21: ("Andre innsparinger i budsjettet", []),
}
HOURS_ROW = 24
HOURS_EXAMPLE = [0, 1_500] + [3_000] * (YEARS - 2)
OTHER_ROW = 26

SUMMARY = {
    "npv_costs": "B34", "npv_budget": "B35", "npv_other": "B36", "npv_tax": "B37",
    "npv_net": "B38", "verdict": "B39",
}


def npv_formula(row: int) -> str:
    first, last = YEAR_COLS[0], YEAR_COLS[-1]
    return f"=SUMPRODUCT({first}{row}:{last}{row},${first}$10:${last}$10)"


def cost_benefit_workbook() -> bytes:
    wb = Workbook()
    guide_sheet(wb, "Kost/nytte-analyse for IT-prosjekter", COST_BENEFIT_GUIDE)
    ws = wb.create_sheet("Kost-nytte")
    ws["A1"] = "Kost/nytte-analyse"
    ws["A1"].font = TITLE
    settings = [
        (3, "Kalkulasjonsrente (reell, per år)", DISCOUNT_RATE, "0.0%"),
        (4, "Skattefinansieringskostnad", TAX_COST, "0%"),
        (5, "Første år i analysen", FIRST_YEAR, "0"),
        (6, "Timekostnad (kr per time, med sosiale kostnader)", HOURLY_COST, KRONER),
    ]
    for row, label, value, fmt in settings:
        ws.cell(row=row, column=1, value=label)
        cell = ws.cell(row=row, column=2, value=value)
        cell.number_format, cell.fill, cell.border = fmt, INPUT, THIN
    ws["D3"] = "4 % er DFØs anbefaling for de første 40 årene (rundskriv R-109/2021)."
    ws["D4"] = "20 øre per krone av tiltakets netto virkning på offentlige budsjetter."
    ws["D6"] = "Brukes til å verdsette spart arbeidstid (rad 25)."
    for ref in ("D3", "D4", "D6"):
        ws[ref].font = Font(italic=True, color="595959")

    ws["A8"], ws["A9"], ws["A10"] = "År", "År nr. (t)", "Diskonteringsfaktor 1/(1+r)^t"
    ws[f"{NPV_COL}8"] = "Nåverdi"
    for i, col in enumerate(YEAR_COLS):
        ws[f"{col}8"] = "=$B$5" if i == 0 else f"={YEAR_COLS[i - 1]}8+1"
        ws[f"{col}9"] = f"={col}8-$B$5"
        ws[f"{col}10"] = f"=1/(1+$B$3)^{col}9"
        ws[f"{col}10"].number_format = "0.0000"
    for ref in [f"{c}8" for c in [*YEAR_COLS, NPV_COL]] + ["A8"]:
        ws[ref].fill, ws[ref].font = HEADER, WHITE_BOLD

    def section(row: int, label: str) -> None:
        ws.cell(row=row, column=1, value=label).font = Font(bold=True)
        for col in range(1, FIRST_YEAR_COL + YEARS + 1):
            ws.cell(row=row, column=col).fill = SECTION

    def inputs(row: int, label: str, figures: list[int]) -> None:
        ws.cell(row=row, column=1, value=label)
        for i, col in enumerate(YEAR_COLS):
            cell = ws[f"{col}{row}"]
            cell.value = figures[i] if i < len(figures) else 0
            cell.fill, cell.number_format, cell.border = INPUT, KRONER, THIN

    def formulas(row: int, label: str, per_year, *, bold: bool = False, npv: bool = True):
        ws.cell(row=row, column=1, value=label).font = Font(bold=bold)
        for col in YEAR_COLS:
            cell = ws[f"{col}{row}"]
            cell.value = per_year(col)
            cell.fill, cell.number_format, cell.border = FORMULA, KRONER, THIN
            cell.font = Font(bold=bold)
        if npv:
            cell = ws[f"{NPV_COL}{row}"]
            cell.value = npv_formula(row)
            cell.fill, cell.number_format, cell.font = FORMULA, KRONER, Font(bold=True)

    section(11, "Kostnader (kr)")
    for row, (label, figures) in COST_ROWS.items():
        inputs(row, label, figures)
    formulas(17, "Sum kostnader", lambda c: f"=SUM({c}12:{c}16)", bold=True)
    section(18, "Budsjettgevinster for kommunen (kr)")
    for row, (label, figures) in BUDGET_ROWS.items():
        inputs(row, label, figures)
    formulas(22, "Sum budsjettgevinster", lambda c: f"=SUM({c}19:{c}21)", bold=True)
    section(23, "Andre prissatte gevinster")
    inputs(HOURS_ROW, "Spart arbeidstid (timer) som brukes til annet verdifullt arbeid",
           HOURS_EXAMPLE)
    ws[f"{YEAR_COLS[0]}{HOURS_ROW}"].number_format = "#,##0"
    formulas(25, "Verdien av spart arbeidstid (kr)", lambda c: f"={c}24*$B$6")
    inputs(OTHER_ROW, "Andre prissatte gevinster (kr)", [])
    formulas(27, "Sum andre prissatte gevinster", lambda c: f"={c}25+{c}26", bold=True)
    formulas(29, "Skattefinansieringskostnad (kr)", lambda c: f"=$B$4*({c}17-{c}22)")
    formulas(30, "Netto nytte (kr)", lambda c: f"={c}22+{c}27-{c}17-{c}29", bold=True)
    formulas(31, "Nåverdi av netto nytte (kr)", lambda c: f"={c}30*{c}10", npv=False)
    ws[f"{NPV_COL}31"] = f"=SUM({YEAR_COLS[0]}31:{YEAR_COLS[-1]}31)"
    ws[f"{NPV_COL}31"].number_format = KRONER

    summary = [
        ("npv_costs", "Nåverdi av kostnader", f"={NPV_COL}17"),
        ("npv_budget", "Nåverdi av budsjettgevinster", f"={NPV_COL}22"),
        ("npv_other", "Nåverdi av andre prissatte gevinster", f"={NPV_COL}27"),
        ("npv_tax", "Nåverdi av skattefinansieringskostnaden", f"={NPV_COL}29"),
        ("npv_net", "Netto nåverdi (prissatte virkninger)",
         f"={SUMMARY['npv_budget']}+{SUMMARY['npv_other']}-{SUMMARY['npv_costs']}"
         f"-{SUMMARY['npv_tax']}"),
        ("verdict", "Lønnsomt etter de prissatte virkningene?",
         f'=IF({SUMMARY["npv_net"]}>=0,"Ja","Nei – vurder de ikke-prissatte virkningene")'),
    ]
    ws["A33"] = "Sammendrag"
    ws["A33"].font = Font(bold=True, size=13)
    for key, label, formula in summary:
        row = int(SUMMARY[key][1:])
        ws.cell(row=row, column=1, value=label)
        cell = ws[SUMMARY[key]]
        cell.value = formula
        cell.fill, cell.border, cell.number_format = FORMULA, THIN, KRONER
    net = SUMMARY["npv_net"]
    ws.conditional_formatting.add(net, FormulaRule(formula=[f"{net}>=0"], fill=GOOD[0],
                                                   font=GOOD[1], stopIfTrue=True))
    ws.conditional_formatting.add(net, FormulaRule(formula=[f"{net}<0"], fill=BAD[0],
                                                   font=BAD[1], stopIfTrue=True))
    ws["A41"] = ("Eksempeltallene gjelder et tenkt nytt fagsystem – erstatt dem med prosjektets "
                 "egne. Gule celler fylles ut; grå celler regnes ut. Alle beløp i faste kroner "
                 "(uten prisvekst), fordi renten er reell.")
    ws["A41"].font = Font(italic=True)
    ws.column_dimensions["A"].width = 52
    ws.column_dimensions["B"].width = 14
    for col in [*YEAR_COLS, NPV_COL]:
        ws.column_dimensions[col].width = 13
    ws.freeze_panes = "C11"
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    _non_priced(wb)
    wb.active = 1
    return to_bytes(wb)


CONSEQUENCE_FAN = ["− − − −", "− − −", "− −", "−", "0", "+", "+ +", "+ + +", "+ + + +"]


def _non_priced(wb: Workbook) -> None:
    ws = wb.create_sheet("Ikke-prissatte")
    ws["A1"] = "Ikke-prissatte virkninger (pluss-minus-metoden)"
    ws["A1"].font = TITLE
    ws["A2"] = ("Vurder betydning (hvor viktig området er) og omfang (hvor mye tiltaket endrer "
                "det), og sett samlet konsekvens på skalaen fra fire minus til fire pluss.")
    ws["A2"].alignment = WRAP
    ws.merge_cells("A2:F2")
    ws.row_dimensions[2].height = 32
    # 168 characters wide: landscape, one page wide.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    headers = [("Virkning", 40), ("Hvem berøres", 24), ("Betydning", 14), ("Omfang", 22),
               ("Samlet konsekvens", 18), ("Begrunnelse", 50)]
    for col, (label, width) in enumerate(headers, start=1):
        cell = ws.cell(row=4, column=col, value=label)
        cell.fill, cell.font = HEADER, WHITE_BOLD
        ws.column_dimensions[get_column_letter(col)].width = width
    examples = [
        ("Bedre kvalitet i dokumentasjonen", "Brukere, ansatte", "Stor", "Middels positivt",
         "+ + +", "Færre feil ved vaktskifte; bygger på erfaringer fra andre kommuner."),
        ("Mer sårbar ved driftsavbrudd", "Brukere, ansatte", "Middels", "Lite negativt", "−",
         "Avhengig av nett; reserverutine er planlagt."),
    ]
    for r in range(5, 25):
        values = examples[r - 5] if r - 5 < len(examples) else ("",) * 6
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col, value=value or None)
            cell.fill, cell.border, cell.alignment = INPUT, THIN, WRAP
    importance = DataValidation(type="list", formula1='"Liten,Middels,Stor"', allow_blank=True)
    extent = DataValidation(type="list", allow_blank=True, formula1=(
        '"Stort negativt,Middels negativt,Lite negativt,Intet,Lite positivt,'
        'Middels positivt,Stort positivt"'))
    fan = DataValidation(type="list", formula1='"' + ",".join(CONSEQUENCE_FAN) + '"',
                         allow_blank=True)
    importance.add("C5:C24")
    extent.add("D5:D24")
    fan.add("E5:E24")
    for validation in (importance, extent, fan):
        ws.add_data_validation(validation)


COST_BENEFIT_GUIDE = [
    "Slik bruker du malen:",
    "1. Beskriv problemet, målet og nullalternativet (hva skjer om vi ikke gjør noe) i "
    "prosjektplanen før du fyller ut tallene. Analysen sammenligner tiltaket med "
    "nullalternativet: alle tall er endringer fra det.",
    "2. Før opp kostnadene per år på arket Kost-nytte: anskaffelse, lisenser, drift, "
    "opplæring og egen innsats. Ta med hele levetiden, ikke bare prosjektperioden.",
    "3. Før opp gevinstene: budsjettgevinster (kroner kommunen faktisk sparer) og andre "
    "prissatte gevinster. Spart arbeidstid er bare en gevinst når tiden brukes til annet "
    "verdifullt arbeid; skriv inn timene, så regnes verdien ut med timekostnaden.",
    "4. Arket diskonterer alle beløp til nåverdi med kalkulasjonsrenten (4 % reell rente som "
    "standard) og legger til skattefinansieringskostnaden (20 % av netto virkning på "
    "kommunens budsjett). Netto nåverdi over 0 betyr at de prissatte virkningene alene gjør "
    "tiltaket lønnsomt.",
    "5. Vurder de ikke-prissatte virkningene (kvalitet, personvern, arbeidsmiljø …) på arket "
    "Ikke-prissatte med pluss-minus-metoden. De kan veie tyngre enn kronebeløpene.",
    "6. Gjør en enkel følsomhetsanalyse: hva skjer med netto nåverdi om kostnadene blir 30 % "
    "høyere, eller gevinstene kommer et år senere?",
    "Les mer:",
    "• DFØ, Veileder i samfunnsøkonomiske analyser: https://dfo.no/fagomrader/"
    "utredning-og-analyse-av-statlige-tiltak/samfunnsokonomiske-analyser",
    "• Finansdepartementet, rundskriv R-109/2021 Prinsipper og krav ved utarbeidelse av "
    "samfunnsøkonomiske analyser (kalkulasjonsrente og skattefinansieringskostnad)",
    "• DFØ om gevinstrealisering: https://dfo.no/fagomrader/styring-i-staten/"
    "gevinstrealisering",
    "• Digdir, Prosjektveiviseren – prosjektbegrunnelse: https://prosjektveiviseren.digdir.no",
]
