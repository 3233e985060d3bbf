"""Labels, number formats and the charts of the reports, in the reader's language.

The same Chart objects are drawn inline as SVG on the pages and into the PDF."""

from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.common.charts import PATTERNS, Chart, Series, bar_chart, line_chart
from app.reports.parts import Coverage, Trend

LEVEL_LABELS = {
    "toppleder": _l("Toppleder"),
    "mellomleder": _l("Mellomleder"),
    "forstelinjeleder": _l("Førstelinjeleder"),
    "none": _l("Ikke leder"),
}
BAND_LABELS = {"good": _l("god"), "partly": _l("delvis"), "low": _l("lav"), "none": ""}
WINDOW_LABELS = {
    "expired": _l("Utløpt"),
    "30": _l("Innen 30 dager"),
    "90": _l("Om 31–90 dager"),
    "180": _l("Om 91–180 dager"),
}
#: Most series a chart shows; the tables beside it hold every course.
MAX_SERIES = len(PATTERNS)


def percent(value: int | None) -> str:
    return "–" if value is None else f"{value}\u00a0%"


def whole(value: float) -> str:
    return format_decimal(value, "0")


def coverage_chart(coverage: Coverage) -> Chart | None:
    """Coverage in per cent for each unit at the top of the tree (or below a single root),
    one bar per course (at most five)."""
    units = coverage.roots
    if len(units) == 1 and units[0].children:
        units = units[0].children
    courses = coverage.courses[:MAX_SERIES]
    if not units or not courses:
        return None
    return bar_chart(
        title=str(_l("Dekning per enhet")),
        description=str(_l("Andel i prosent av dem kurset er obligatorisk for som har "
                           "gjennomført det, per enhet og kurs.")),
        category_label=str(_l("Enhet")),
        categories=[u.name for u in units],
        series=[Series(title, [u.cell(cid).percent for u in units])
                for cid, _slug, title in courses],
        value_max=100, value_step=25, value_format=whole,
        width=max(420, 60 * len(units) * max(1, len(courses)) // 2 + 120), height=260,
    )


def quarter(month: str) -> str:
    year, number = month.split("-")
    return _("%(number)s. kv. %(year)s", number=(int(number) - 1) // 3 + 1, year=year)


def trend_chart(trend: Trend) -> Chart | None:
    """Completions per quarter for the five courses with the most (the page's table has
    every month)."""
    series = trend.series[:MAX_SERIES]
    if not series:
        return None
    quarters: list[str] = []
    for month in trend.months:
        q = quarter(month)
        if q not in quarters:
            quarters.append(q)
    index = {q: i for i, q in enumerate(quarters)}
    lines = []
    for _cid, title, values in series:
        sums = [0] * len(quarters)
        for month, count in zip(trend.months, values, strict=True):
            sums[index[quarter(month)]] += count
        lines.append(Series(title, sums))
    return line_chart(
        title=str(_l("Gjennomføringer per kvartal")),
        description=str(_l("Antall gjennomførte kurs per kvartal de siste to årene, for "
                           "kursene med flest gjennomføringer.")),
        category_label=str(_l("Kvartal")),
        categories=quarters, series=lines, value_format=whole, whole_numbers=True,
        width=640, height=280,
    )
