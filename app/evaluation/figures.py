"""Labels, number formats and charts of the evaluation results, in the page's language."""

from __future__ import annotations

from flask_babel import format_date, format_decimal
from flask_babel import lazy_gettext as _l

from app.common.charts import Chart, Series, bar_chart, line_chart
from app.evaluation.aggregates import (
    FOLLOW_UP_VALUES,
    MEASURES,
    RECOMMEND_SCALE,
    SCORE_SCALE,
    FirstSummary,
    FollowUpSummary,
    TrendPoint,
)

MEASURE_LABELS = {
    "relevance": _l("Relevans for arbeidet"),
    "usefulness": _l("Nytte i hverdagen"),
    "teaching": _l("Undervisningen"),
}
FOLLOW_UP_LABELS = {"yes": _l("Ja"), "partly": _l("Delvis"), "no": _l("Nei")}


def score(value: float | None) -> str:
    """A mean on the 1–5 scale with one decimal, e.g. 4,3."""
    return "–" if value is None else format_decimal(value, "0.0")


def whole(value: float) -> str:
    return format_decimal(value, "0")


def nps(value: int | None) -> str:
    """A net promoter score with its sign (+23, −12, 0)."""
    if value is None:
        return "–"
    return f"+{value}" if value > 0 else ("−" + str(-value) if value < 0 else "0")


def share(value: float) -> str:
    return format_decimal(value * 100, "0") + "\u00a0%"


def month(value) -> str:
    return format_date(value, "MMM yyyy")


def distribution_chart(summary: FirstSummary) -> Chart:
    return bar_chart(
        title=str(_l("Svar fordelt på verdi")),
        description=str(
            _l("Antall svar på hver verdi fra 1 til 5, for hvert av de tre faste spørsmålene.")
        ),
        category_label=str(_l("Verdi")),
        categories=[str(v) for v in SCORE_SCALE],
        series=[Series(str(MEASURE_LABELS[m]), list(summary.distributions[m])) for m in MEASURES],
        value_format=whole,
        whole_numbers=True,
    )


def recommend_chart(summary: FirstSummary) -> Chart:
    return bar_chart(
        title=str(_l("Vil anbefale kurset til en annen leder (0–10)")),
        description=str(_l("Antall svar på hver verdi; 9–10 er anbefalere, 0–6 er kritikere.")),
        category_label=str(_l("Verdi")),
        categories=[str(v) for v in RECOMMEND_SCALE],
        series=[Series(str(_l("Antall svar")), list(summary.distributions["recommend"]))],
        value_format=whole,
        whole_numbers=True,
    )


def trend_chart(points: list[TrendPoint]) -> Chart | None:
    """Mean scores per month (by when the offerings ended); None with fewer than two months."""
    shown = [p for p in points if p.summary is not None]
    if len(shown) < 2:
        return None
    return line_chart(
        title=str(_l("Utvikling over tid")),
        description=str(
            _l("Gjennomsnitt per måned (1–5), etter måneden gjennomføringen ble avsluttet.")
        ),
        category_label=str(_l("Måned")),
        categories=[month(p.period) for p in points],
        series=[
            Series(
                str(MEASURE_LABELS[m]),
                [p.summary.means[m].value if p.summary else None for p in points],
            )
            for m in MEASURES
        ],
        value_max=5,
        value_step=1,
        value_format=score,
    )


def follow_up_chart(summary: FollowUpSummary) -> Chart:
    return bar_chart(
        title=str(_l("Har endret hvordan de bruker IT i enheten")),
        description=str(_l("Antall svar ja, delvis og nei tre måneder etter kurset.")),
        category_label=str(_l("Svar")),
        categories=[str(FOLLOW_UP_LABELS[v]) for v in FOLLOW_UP_VALUES],
        series=[Series(str(_l("Antall svar")), [summary.counts[v] for v in FOLLOW_UP_VALUES])],
        value_format=whole,
        whole_numbers=True,
    )


def follow_up_trend_chart(points: list[TrendPoint]) -> Chart | None:
    shown = [p for p in points if p.summary is not None]
    if len(shown) < 2:
        return None
    return line_chart(
        title=str(_l("Andel som har endret bruken av IT, over tid")),
        description=str(_l("Andel som svarte ja eller delvis, per måned (prosent).")),
        category_label=str(_l("Måned")),
        categories=[month(p.period) for p in points],
        series=[
            Series(
                str(_l("Ja eller delvis")),
                [
                    round(100 * (p.summary.share("yes") + p.summary.share("partly")))
                    if p.summary
                    else None
                    for p in points
                ],
            )
        ],
        value_max=100,
        value_step=20,
        value_format=lambda v: whole(v) + "\u00a0%",
    )
