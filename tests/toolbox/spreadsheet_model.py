"""What the spreadsheet templates must compute, written again in Python from their inputs,
so that a spreadsheet program's results can be checked against it."""

from __future__ import annotations

from app.toolbox.spreadsheets import cost_benefit, risk


def _num(value) -> float:
    return float(value or 0)


def expected_risks(ws) -> dict[str, object]:
    """cell -> value for the score and level columns of the risk sheet."""
    medium, high = ws["K2"].value, ws["K3"].value

    def level(score):
        if score == "":
            return ""
        return "Høy" if score >= high else "Middels" if score >= medium else "Lav"

    values = {}
    for row in range(risk.RISK_FIRST_ROW, risk.RISK_LAST_ROW + 1):
        for lc, cc, score_col, level_col in (("E", "F", "G", "H"), ("M", "N", "O", "P")):
            likelihood, consequence = ws[f"{lc}{row}"].value, ws[f"{cc}{row}"].value
            both = isinstance(likelihood, int) and isinstance(consequence, int)
            score = likelihood * consequence if both else ""
            values[f"{score_col}{row}"] = score
            values[f"{level_col}{row}"] = level(score)
    return values


def expected_matrix(ws_risks) -> dict[str, int]:
    pairs = [(ws_risks[f"E{r}"].value, ws_risks[f"F{r}"].value)
             for r in range(risk.RISK_FIRST_ROW, risk.RISK_LAST_ROW + 1)]
    values = {}
    for r, likelihood in enumerate(range(5, 0, -1)):
        for i, consequence in enumerate(range(1, 6)):
            cell = f"{'CDEFG'[i]}{5 + r}"
            values[cell] = sum(1 for p in pairs if p == (likelihood, consequence))
    return values


def expected_cost_benefit(ws) -> dict[str, float]:
    rate, tax, first_year, hourly = (_num(ws[c].value) for c in ("B3", "B4", "B5", "B6"))
    cols = cost_benefit.YEAR_COLS
    values: dict[str, float] = {}
    npv = {}
    for t, col in enumerate(cols):
        values[f"{col}8"] = first_year + t
        values[f"{col}9"] = t
        values[f"{col}10"] = 1 / (1 + rate) ** t

    def row_sum(rows, col):
        return sum(_num(ws[f"{col}{r}"].value) for r in rows)

    for col in cols:
        costs = row_sum(range(12, 17), col)
        budget = row_sum(range(19, 22), col)
        hours_value = _num(ws[f"{col}24"].value) * hourly
        other = hours_value + _num(ws[f"{col}26"].value)
        tax_cost = tax * (costs - budget)
        net = budget + other - costs - tax_cost
        values.update({f"{col}17": costs, f"{col}22": budget, f"{col}25": hours_value,
                       f"{col}27": other, f"{col}29": tax_cost, f"{col}30": net,
                       f"{col}31": net * values[f"{col}10"]})
    # The formula rows carry their net present value in the last column.
    for row in (17, 22, 25, 27, 29, 30):
        npv[row] = sum(values[f"{c}{row}"] * values[f"{c}10"] for c in cols)
        values[f"{cost_benefit.NPV_COL}{row}"] = npv[row]
    values[f"{cost_benefit.NPV_COL}31"] = sum(values[f"{c}31"] for c in cols)
    summary = cost_benefit.SUMMARY
    values[summary["npv_costs"]] = npv[17]
    values[summary["npv_budget"]] = npv[22]
    values[summary["npv_other"]] = npv[27]
    values[summary["npv_tax"]] = npv[29]
    net = npv[22] + npv[27] - npv[17] - npv[29]
    values[summary["npv_net"]] = net
    values[summary["verdict"]] = "Ja" if net >= 0 else "Nei – vurder de ikke-prissatte virkningene"
    return values
