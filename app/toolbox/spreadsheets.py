"""The toolbox's spreadsheet templates, written with openpyxl so that they are reproducible:
``flask toolbox build-templates`` writes them into ``kurs/verktoykasse/`` and a test checks
that the committed files are exactly what this code builds.

- ``risk_workbook()``: a risk analysis where risk = likelihood × consequence, with the level
  (low / medium / high) coloured by conditional formatting against acceptance limits the
  project sets itself, and a 5 × 5 matrix counting the risks in each cell.
- ``cost_benefit_workbook()``: a cost/benefit analysis over ten years, discounted at DFØ's
  recommended real rate of 4 % (Finansdepartementets rundskriv R-109/2021), with the cost of
  tax financing (20 %) and the net present value.

Both carry example figures, marked as such, so that the formulas show what they do.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

#: Fixed, so that building twice gives the same bytes.
BUILT_AT = datetime(2026, 1, 1, 0, 0, 0)

INPUT = PatternFill("solid", fgColor="FFF2CC")
FORMULA = PatternFill("solid", fgColor="F2F2F2")
HEADER = PatternFill("solid", fgColor="1E3A5F")
SECTION = PatternFill("solid", fgColor="DCE6F1")
GOOD = (PatternFill("solid", fgColor="C6EFCE"), Font(color="006100", bold=True))
NEUTRAL = (PatternFill("solid", fgColor="FFEB9C"), Font(color="7A4A00", bold=True))
BAD = (PatternFill("solid", fgColor="FFC7CE"), Font(color="9C0006", bold=True))
WHITE_BOLD = Font(color="FFFFFF", bold=True)
TITLE = Font(size=16, bold=True, color="1E3A5F")
THIN = Border(*(Side(style="thin", color="BFBFBF"),) * 4)
WRAP = Alignment(wrap_text=True, vertical="top")
KRONER = "#,##0"

# The risk workbook -----------------------------------------------------------------------

RISK_FIRST_ROW = 7
RISK_ROWS = 30
RISK_LAST_ROW = RISK_FIRST_ROW + RISK_ROWS - 1
#: Risk scores from which a risk is medium and high; the project may change them.
MEDIUM_FROM = 5
HIGH_FROM = 12

RISK_COLUMNS = [
    ("Nr.", 6), ("Uønsket hendelse (hva kan skje?)", 38), ("Årsak", 28),
    ("Hva rammes (tjeneste, personvern, økonomi, omdømme)", 26),
    ("Sannsynlighet (1–5)", 11), ("Konsekvens (1–5)", 11), ("Risiko (S × K)", 10),
    ("Risikonivå", 11), ("Tiltak", 36), ("Ansvarlig", 18), ("Frist", 12), ("Status", 13),
    ("Sannsynlighet etter tiltak", 12), ("Konsekvens etter tiltak", 12),
    ("Restrisiko", 10), ("Nivå etter tiltak", 11),
]

#: (event, cause, what is hit, likelihood, consequence, measure, responsible,
#:  likelihood after, consequence after): examples to replace.
RISK_EXAMPLES = [
    ("Personopplysninger blir tilgjengelige for uvedkommende hos leverandøren",
     "Svak tilgangsstyring i skytjenesten", "Personvern, omdømme", 2, 5,
     "Databehandleravtale, DPIA, krav om MFA og logging i kontrakten", "Prosjektleder",
     1, 5),
    ("Løsningen blir ikke tatt i bruk slik det var tenkt", "For lite opplæring og "
     "involvering av brukerne", "Tjeneste, gevinster", 3, 4,
     "Superbrukere i hver avdeling, opplæringsplan, gevinsteier følger opp", "Prosjekteier",
     2, 3),
    ("Integrasjonen mot fagsystemet feiler ved oppstart", "Uklare grensesnitt og lite test",
     "Tjeneste", 3, 3, "IT-representanten deltar i testplan; prøvedrift før overgang",
     "IT-representant", 2, 2),
    ("Leveransen blir forsinket", "Leverandøren har for få ressurser", "Økonomi, tjeneste",
     3, 2, "Milepæler og dagmulkt i kontrakten (SSA)", "Prosjektleder", 2, 2),
    ("Utstyr kobles til TK-nett uten godkjent oppsett", "Innkjøp utenfor IT-tjenesten",
     "Informasjonssikkerhet", 2, 4, "Alt utstyr bestilles og settes opp via IT-tjenesten",
     "IT-representant", 1, 4),
]

LIKELIHOOD_SCALE = [
    (1, "Svært lite sannsynlig", "Sjeldnere enn hvert 10. år, eller ikke kjent at det har "
                                 "skjedd i lignende prosjekter."),
    (2, "Lite sannsynlig", "Kan skje i løpet av 10 år; har skjedd andre steder."),
    (3, "Moderat sannsynlig", "Kan skje i løpet av prosjektet eller det første driftsåret."),
    (4, "Sannsynlig", "Skjer trolig i løpet av prosjektet."),
    (5, "Svært sannsynlig", "Skjer nesten helt sikkert, eller skjer allerede."),
]
CONSEQUENCE_SCALE = [
    (1, "Ubetydelig", "Merkes knapt; ingen personopplysninger eller tjenester berøres."),
    (2, "Liten", "Kortvarig ulempe for noen brukere; rettes innen en dag."),
    (3, "Moderat", "Tjenesten svekkes i dager, eller noen få personer rammes."),
    (4, "Alvorlig", "Tjenesten stopper, personopplysninger kommer på avveie, eller "
                    "store merkostnader."),
    (5, "Svært alvorlig", "Fare for liv og helse, omfattende brudd på personvernet, eller "
                          "prosjektet må stanses."),
]


def level_formula(score_cell: str) -> str:
    return (f'=IF({score_cell}="","",IF({score_cell}>=HoyFra,"Høy",'
            f'IF({score_cell}>=MiddelsFra,"Middels","Lav")))')


def score_formula(likelihood_cell: str, consequence_cell: str) -> str:
    return (f"=IF(AND(ISNUMBER({likelihood_cell}),ISNUMBER({consequence_cell})),"
            f'{likelihood_cell}*{consequence_cell},"")')


def _guide(wb: Workbook, title: str, paragraphs: list[str]) -> None:
    ws = wb.active
    ws.title = "Veiledning"
    ws.column_dimensions["A"].width = 110
    ws["A1"] = title
    ws["A1"].font = TITLE
    for row, text in enumerate(paragraphs, start=3):
        cell = ws.cell(row=row, column=1, value=text)
        cell.alignment = WRAP
        if text.endswith(":") or text.isupper():
            cell.font = Font(bold=True)


def _colour_rules(ws, cell_range: str, first_cell: str) -> None:
    """Red from HoyFra, amber from MiddelsFra, green below (defined names)."""
    ws.conditional_formatting.add(cell_range, FormulaRule(
        formula=[f"AND(ISNUMBER({first_cell}),{first_cell}>=HoyFra)"],
        fill=BAD[0], font=BAD[1], stopIfTrue=True))
    ws.conditional_formatting.add(cell_range, FormulaRule(
        formula=[f"AND(ISNUMBER({first_cell}),{first_cell}>=MiddelsFra)"],
        fill=NEUTRAL[0], font=NEUTRAL[1], stopIfTrue=True))
    ws.conditional_formatting.add(cell_range, FormulaRule(
        formula=[f"AND(ISNUMBER({first_cell}),{first_cell}>=1)"],
        fill=GOOD[0], font=GOOD[1], stopIfTrue=True))


def risk_workbook() -> bytes:
    wb = Workbook()
    _guide(wb, "Risikoanalyse for IT-prosjekter", RISK_GUIDE)
    ws = wb.create_sheet("Risikoer")
    ws["A1"] = "Risikoanalyse"
    ws["A1"].font = TITLE
    ws["A2"], ws["A3"] = "Prosjekt:", "Dato og versjon:"
    for ref in ("C2", "C3"):
        ws[ref].fill = INPUT
    ws.merge_cells("C2:F2")
    ws.merge_cells("C3:F3")
    ws["H2"], ws["H3"] = "Middels risiko fra score:", "Høy risiko fra score:"
    ws["K2"], ws["K3"] = MEDIUM_FROM, HIGH_FROM
    for ref in ("K2", "K3"):
        ws[ref].fill = INPUT
        ws[ref].border = THIN
    ws["L2"] = "Akseptkriterier: prosjekteier bestemmer hvilken risiko som kan aksepteres."
    ws["A4"] = ("Eksempelradene (1–5) viser hvordan arket virker – erstatt dem med prosjektets "
                "egne risikoer. Gule celler fylles ut; grå celler regnes ut.")
    ws["A4"].font = Font(italic=True)
    wb.defined_names["MiddelsFra"] = DefinedName("MiddelsFra", attr_text="Risikoer!$K$2")
    wb.defined_names["HoyFra"] = DefinedName("HoyFra", attr_text="Risikoer!$K$3")

    header_row = RISK_FIRST_ROW - 1
    for col, (label, width) in enumerate(RISK_COLUMNS, start=1):
        cell = ws.cell(row=header_row, column=col, value=label)
        cell.fill, cell.font, cell.border = HEADER, WHITE_BOLD, THIN
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[header_row].height = 45
    ws.freeze_panes = ws.cell(row=RISK_FIRST_ROW, column=3)

    for i, row in enumerate(range(RISK_FIRST_ROW, RISK_LAST_ROW + 1)):
        ws.cell(row=row, column=1, value=i + 1)
        example = RISK_EXAMPLES[i] if i < len(RISK_EXAMPLES) else None
        if example:
            event, cause, hit, s, k, measure, who, s2, k2 = example
            values = {2: event, 3: cause, 4: hit, 5: s, 6: k, 9: measure, 10: who,
                      12: "Pågår", 13: s2, 14: k2}
            for col, value in values.items():
                ws.cell(row=row, column=col, value=value)
        ws.cell(row=row, column=7, value=score_formula(f"E{row}", f"F{row}"))
        ws.cell(row=row, column=8, value=level_formula(f"G{row}"))
        ws.cell(row=row, column=15, value=score_formula(f"M{row}", f"N{row}"))
        ws.cell(row=row, column=16, value=level_formula(f"O{row}"))
        for col in range(1, 17):
            cell = ws.cell(row=row, column=col)
            cell.border = THIN
            cell.alignment = WRAP
            cell.fill = FORMULA if col in (1, 7, 8, 15, 16) else INPUT
    rows = f"{RISK_FIRST_ROW}:{RISK_LAST_ROW}"
    a, b = rows.split(":")
    scale = DataValidation(type="whole", operator="between", formula1="1", formula2="5",
                           allow_blank=True, showErrorMessage=True,
                           errorTitle="Ugyldig verdi", error="Skriv et helt tall fra 1 til 5.")
    for col in "EFMN":
        scale.add(f"{col}{a}:{col}{b}")
    status = DataValidation(type="list", formula1='"Ikke startet,Pågår,Ferdig"',
                            allow_blank=True)
    status.add(f"L{a}:L{b}")
    ws.add_data_validation(scale)
    ws.add_data_validation(status)
    for col in "GHOP":
        score_col = {"G": "G", "H": "G", "O": "O", "P": "O"}[col]
        _colour_rules(ws, f"{col}{a}:{col}{b}", f"${score_col}{a}")

    _risk_matrix(wb)
    _risk_scales(wb)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.active = 1
    return _to_bytes(wb)


def matrix_formula(likelihood_ref: str, consequence_ref: str) -> str:
    return (f"=COUNTIFS(Risikoer!$E${RISK_FIRST_ROW}:$E${RISK_LAST_ROW},{likelihood_ref},"
            f"Risikoer!$F${RISK_FIRST_ROW}:$F${RISK_LAST_ROW},{consequence_ref})")


def _risk_matrix(wb: Workbook) -> None:
    ws = wb.create_sheet("Matrise")
    ws["A1"] = "Risikomatrise – antall risikoer i hver rute (før tiltak)"
    ws["A1"].font = TITLE
    ws["C3"] = "Konsekvens →"
    ws["A5"] = "Sannsynlighet ↑"
    ws["A5"].alignment = Alignment(text_rotation=90, vertical="center")
    ws.merge_cells("A5:A9")
    for i, consequence in enumerate(range(1, 6)):
        cell = ws.cell(row=4, column=3 + i, value=consequence)
        cell.fill, cell.font, cell.border = HEADER, WHITE_BOLD, THIN
        cell.alignment = Alignment(horizontal="center")
    for r, likelihood in enumerate(range(5, 0, -1)):
        row = 5 + r
        head = ws.cell(row=row, column=2, value=likelihood)
        head.fill, head.font, head.border = HEADER, WHITE_BOLD, THIN
        for i in range(5):
            col = get_column_letter(3 + i)
            cell = ws.cell(row=row, column=3 + i, value=matrix_formula(f"$B{row}", f"{col}$4"))
            cell.border = THIN
            cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[row].height = 34
    for col in "CDEFG":
        ws.column_dimensions[col].width = 12
    ws.column_dimensions["A"].width = 5
    area = "C5:G9"
    # Each cell is coloured by its own score (its row's likelihood × its column's consequence).
    ws.conditional_formatting.add(area, FormulaRule(formula=["$B5*C$4>=HoyFra"],
                                                    fill=BAD[0], font=BAD[1], stopIfTrue=True))
    ws.conditional_formatting.add(area, FormulaRule(formula=["$B5*C$4>=MiddelsFra"],
                                                    fill=NEUTRAL[0], font=NEUTRAL[1],
                                                    stopIfTrue=True))
    ws.conditional_formatting.add(area, FormulaRule(formula=["$B5*C$4>=1"],
                                                    fill=GOOD[0], font=GOOD[1],
                                                    stopIfTrue=True))
    ws["A11"] = ("Grønn: lav risiko – kan aksepteres. Gul: middels – vurder tiltak. Rød: høy – "
                 "tiltak kreves før prosjektet går videre. Grensene settes øverst på arket "
                 "Risikoer.")
    ws["A11"].alignment = WRAP
    ws.merge_cells("A11:G13")


def _risk_scales(wb: Workbook) -> None:
    ws = wb.create_sheet("Skala")
    ws["A1"] = "Skalaer for sannsynlighet og konsekvens"
    ws["A1"].font = TITLE
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 80
    row = 3
    for heading, scale in (("Sannsynlighet", LIKELIHOOD_SCALE),
                           ("Konsekvens", CONSEQUENCE_SCALE)):
        for col, label in enumerate(("Verdi", heading, "Beskrivelse"), start=1):
            cell = ws.cell(row=row, column=col, value=label)
            cell.fill, cell.font = HEADER, WHITE_BOLD
        for value, name, text in scale:
            row += 1
            ws.cell(row=row, column=1, value=value)
            ws.cell(row=row, column=2, value=name)
            ws.cell(row=row, column=3, value=text).alignment = WRAP
        row += 2
    ws.cell(row=row, column=1, value="Tilpass skalaene til prosjektet og kommunens "
                                     "akseptkriterier før dere bruker dem.").font = Font(
        italic=True)


RISK_GUIDE = [
    "Slik bruker du malen:",
    "1. Samle prosjektgruppen, IT-representanten og gjerne personvernombudet. Beskriv hva som "
    "kan gå galt (uønskede hendelser) for prosjektet, for tjenesten og for personene hvis "
    "opplysninger behandles.",
    "2. Gi hver hendelse en sannsynlighet og en konsekvens fra 1 til 5 (se arket Skala). "
    "Risikoen regnes ut som sannsynlighet × konsekvens og fargelegges: grønn er lav, gul er "
    "middels og rød er høy risiko. Grensene står øverst på arket Risikoer; prosjekteier "
    "bestemmer akseptkriteriene.",
    "3. Foreslå tiltak for alle gule og røde risikoer, gi hvert tiltak en ansvarlig og en "
    "frist, og vurder risikoen på nytt etter tiltaket (restrisiko).",
    "4. Arket Matrise viser hvor mange risikoer som ligger i hver rute.",
    "5. Oppdater analysen ved hver faseovergang og når noe vesentlig endres, og ta den med i "
    "statusrapportene.",
    "Husk:",
    "• Behandler løsningen personopplysninger, må dere vurdere om det trengs en vurdering av "
    "personvernkonsekvenser (DPIA, personvernforordningen artikkel 35), og inngå "
    "databehandleravtale med leverandøren (artikkel 28).",
    "• Kjøper prosjektet utstyr eller programvare for TK-nett eller elevnett, skal en "
    "representant fra IT-tjenesten delta i analysen.",
    "Les mer:",
    "• NSMs grunnprinsipper for IKT-sikkerhet (21 prinsipper i fire kategorier: identifisere "
    "og kartlegge, beskytte og opprettholde, oppdage, håndtere og gjenopprette). NSM har "
    "også en veiledning og et regneark for risikovurdering av IKT-systemer: "
    "https://nsm.no/regelverk-og-hjelp/rad-og-anbefalinger/grunnprinsipper-for-ikt-sikkerhet/",
    "• Datatilsynet om risikovurdering og vurdering av personvernkonsekvenser (DPIA): "
    "https://www.datatilsynet.no/rettigheter-og-plikter/virksomhetenes-plikter/"
    "vurdere-personvernkonsekvenser/",
    "• Digdir, Prosjektveiviseren – usikkerhetsstyring i prosjekter: "
    "https://prosjektveiviseren.digdir.no",
]

# The cost/benefit workbook ---------------------------------------------------------------

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
    _guide(wb, "Kost/nytte-analyse for IT-prosjekter", COST_BENEFIT_GUIDE)
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
    return _to_bytes(wb)


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


# Writing ---------------------------------------------------------------------------------


def _to_bytes(wb: Workbook) -> bytes:
    """The workbook as XLSX bytes that depend only on its content (fixed dates and zip
    timestamps), so that the committed templates can be checked against the code."""
    wb.properties.creator = "Trondheim kommune, IT-tjenesten"
    wb.properties.created = BUILT_AT
    wb.properties.modified = BUILT_AT
    wb.properties.lastModifiedBy = "kurs"
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=BUILT_AT.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


#: file name in kurs/verktoykasse -> builder
BUILDERS = {
    "risikoanalyse.xlsx": risk_workbook,
    "kost-nytte.xlsx": cost_benefit_workbook,
}
