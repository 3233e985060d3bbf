"""The risk analysis template: risk = likelihood × consequence, its level coloured red,
amber or green by conditional formatting against acceptance limits the project sets
itself, measures and residual risk, and a 5 × 5 matrix counting the risks per cell."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from app.toolbox.spreadsheets.style import (
    BAD,
    FORMULA,
    GOOD,
    HEADER,
    INPUT,
    NEUTRAL,
    THIN,
    TITLE,
    WHITE_BOLD,
    WRAP,
    guide_sheet,
    to_bytes,
)

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
    guide_sheet(wb, "Risikoanalyse for IT-prosjekter", RISK_GUIDE)
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
    # One page wide, as many pages tall as the rows need (not all 30 rows shrunk onto one).
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "6:6"
    wb.active = 1
    return to_bytes(wb)


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
    # The matrix prints whole on one page (its last column used to spill onto a second).
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True


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
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


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
