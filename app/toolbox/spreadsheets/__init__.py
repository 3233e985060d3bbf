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
The layout of each (rows, columns, summary cells) is in its module, ``risk`` and
``cost_benefit``.
"""

from app.toolbox.spreadsheets.cost_benefit import cost_benefit_workbook
from app.toolbox.spreadsheets.risk import risk_workbook

#: file name in kurs/verktoykasse -> builder
BUILDERS = {
    "risikoanalyse.xlsx": risk_workbook,
    "kost-nytte.xlsx": cost_benefit_workbook,
}
