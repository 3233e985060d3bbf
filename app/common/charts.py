"""Bar and line charts drawn once with reportlab.graphics, for pages and for PDFs.

    chart = bar_chart(
        title="Svar per verdi",
        categories=["1", "2", "3", "4", "5"],
        series=[Series("Relevans", [0, 1, 2, 5, 4]), Series("Nytte", [1, 1, 3, 4, 3])],
        value_format=lambda v: format_decimal(v, "0"),   # labels in the page's language
    )
    chart.svg()       # Markup: an <svg> for the page (see below)
    chart.drawing()   # a reportlab Drawing: a platypus flowable, or renderPDF.drawToString
    chart.table()     # the same numbers as a table: the chart's text alternative

In a template, ``{% from "_charts.html" import figure %}{{ figure(chart) }}`` renders the
chart with its caption and its numbers in a table (the text alternative).

Rules every chart here keeps, so that a chart means the same to everyone:
- The value axis starts at 0 (``valueMin = 0``): a bar's length is its value.
- Readable without colour: every bar and point carries its value as a label; the series of
  a bar chart differ by fill pattern (solid, diagonal, horizontal, crossed, vertical lines),
  those of a line chart by marker shape and dash pattern; a legend names them.
- The inline SVG satisfies the strict CSP: no ``style`` attribute (reportlab's renderSVG
  writes them; they become presentation attributes), no script, no XML prolog or doctype,
  no ids (several charts share a page); ``role="img"`` with the title and description as
  its accessible name.
- Missing values (``None``) draw nothing: no bar, a gap in the line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

from markupsafe import Markup
from reportlab.graphics import renderSVG
from reportlab.graphics.charts.axes import XCategoryAxis, YValueAxis
from reportlab.graphics.shapes import Drawing, Group, Line, PolyLine, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

SVG_NS = "http://www.w3.org/2000/svg"
ElementTree.register_namespace("", SVG_NS)
ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
#: What the browser draws SVG text with (the page's own font first).
SVG_FONT_STACK = "Inter, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

INK = colors.HexColor("#1e2b3c")
GRID = colors.HexColor("#d2d5d8")
#: Fill per series: light enough for a dark pattern and a dark label beside it, and
#: different in lightness as well as in hue.
FILLS = [
    colors.HexColor("#0062ba"),
    colors.HexColor("#f2b86b"),
    colors.HexColor("#9fd3b0"),
    colors.HexColor("#c9b3e6"),
    colors.HexColor("#b9c0c8"),
]
#: Line colours per series (contrast at least 3:1 against white).
STROKES = [
    colors.HexColor("#0062ba"),
    colors.HexColor("#b54708"),
    colors.HexColor("#1a7f4b"),
    colors.HexColor("#6b3fa0"),
    colors.HexColor("#4b5563"),
]
PATTERNS = ["solid", "diagonal", "horizontal", "cross", "vertical"]
MARKERS = ["FilledCircle", "FilledSquare", "FilledTriangle", "FilledDiamond", "Cross"]
DASHES = [None, (6, 3), (2, 2), (8, 3, 2, 3), (1, 3)]

FONT_SIZE = 11
LABEL_SIZE = 10


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class ChartTable:
    caption: str
    headers: list[str]
    rows: list[list[str]]


def _default_format(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class Chart:
    kind: str  # "bar" or "line"
    title: str
    categories: list[str]
    series: list[Series]
    #: A sentence that says what the chart shows; part of the SVG's accessible name.
    description: str = ""
    #: Heading of the category column in the text alternative.
    category_label: str = ""
    value_max: float | None = None
    value_step: float | None = None
    value_format: Callable[[float], str] = _default_format
    #: Counts: the value axis gets whole-number steps (no 0.5 ticks).
    whole_numbers: bool = False
    width: int = 420
    height: int = 240

    # Outputs ---------------------------------------------------------------------------

    def drawing(self, *, font: str | None = None) -> Drawing:
        """The chart as a reportlab Drawing (DejaVu Sans by default, for any name)."""
        return _draw(self, font or pdf_font())

    def svg(self) -> Markup:
        """The chart as an inline ``<svg>`` element, safe under the strict CSP."""
        raw = renderSVG.drawToString(_draw(self, "Helvetica"))
        # clean_svg serialises with ElementTree, which escapes every text and attribute.
        return Markup(clean_svg(raw, title=self.title, description=self.description))  # noqa: S704 (escaped by ElementTree)  # nosec B704

    def table(self) -> ChartTable:
        headers = [self.category_label] + [s.name for s in self.series]
        rows = [
            [category] + [_fmt(self, s.values[i]) for s in self.series]
            for i, category in enumerate(self.categories)
        ]
        return ChartTable(caption=self.title, headers=headers, rows=rows)


def bar_chart(**kwargs) -> Chart:
    """Grouped vertical bars: one group per category, one bar per series."""
    return _chart("bar", **kwargs)


def line_chart(**kwargs) -> Chart:
    """One line per series across the categories (e.g. months)."""
    return _chart("line", **kwargs)


def _chart(
    kind: str, *, title: str, categories: Sequence[str], series: Sequence[Series], **kwargs
) -> Chart:
    if not series or len(series) > len(PATTERNS):
        raise ValueError(f"a chart has 1 to {len(PATTERNS)} series")
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(
                f"series {s.name!r} has {len(s.values)} values for {len(categories)} categories"
            )
    return Chart(kind=kind, title=title, categories=list(categories), series=list(series), **kwargs)


def _fmt(chart: Chart, value: float | None) -> str:
    return "–" if value is None else chart.value_format(value)


@lru_cache(maxsize=1)
def pdf_font() -> str:
    """DejaVu Sans, registered once, when the system has it (all of Norwegian and Sámi);
    Helvetica otherwise."""
    if DEJAVU.exists():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(DEJAVU)))
        return "DejaVuSans"
    return "Helvetica"


# Drawing -------------------------------------------------------------------------------


def _draw(chart: Chart, font: str) -> Drawing:
    d = Drawing(chart.width, chart.height)
    legend_height = _legend(d, chart, font) if len(chart.series) > 1 else 0
    left, bottom, top = 36, 30, 14 + legend_height
    # A line chart's labels sit right of the last point.
    right = 30 if chart.kind == "line" else 8
    plot_w = chart.width - left - right
    plot_h = chart.height - bottom - top

    present = [v for s in chart.series for v in s.values if v is not None]
    value_axis = YValueAxis()
    value_axis.setPosition(left, bottom, plot_h)
    value_axis.valueMin = 0
    if chart.value_max is not None:
        value_axis.valueMax = chart.value_max
    if chart.value_step is not None:
        value_axis.valueStep = chart.value_step
    elif chart.whole_numbers:
        top = max(present or [1])
        step = max(1, math.ceil(top / 5))
        value_axis.valueStep = step
        value_axis.valueMax = max(step * math.ceil(top / step), 1)
    value_axis.visibleGrid = True
    value_axis.gridStrokeColor = GRID
    value_axis.gridStart, value_axis.gridEnd = left, left + plot_w
    value_axis.strokeColor = INK
    value_axis.labels.fontName = font
    value_axis.labels.fontSize = LABEL_SIZE
    value_axis.labels.fillColor = INK
    value_axis.labelTextFormat = _default_format
    value_axis.configure([present or [0]])
    if not present and chart.value_max is None:
        value_axis.valueMax = 1
        value_axis.configure([[0]])

    category_axis = XCategoryAxis()
    category_axis.setPosition(left, bottom, plot_w)
    category_axis.categoryNames = [
        _fit(c, plot_w / max(len(chart.categories), 1), font) for c in chart.categories
    ]
    category_axis.strokeColor = INK
    category_axis.labels.fontName = font
    category_axis.labels.fontSize = LABEL_SIZE
    category_axis.labels.fillColor = INK
    category_axis.labels.dy = -4
    category_axis.configure([list(range(len(chart.categories)))])

    d.add(value_axis)
    d.add(category_axis)
    if chart.kind == "bar":
        d.add(_bars(chart, category_axis, value_axis, font))
    else:
        d.add(_lines(chart, category_axis, value_axis, font))
    return d


def _fit(text: str, width: float, font: str) -> str:
    """Shorten a category name to the room under its group (the table has it whole)."""
    room = max(width - 4, 12)
    if pdfmetrics.stringWidth(text, font, LABEL_SIZE) <= room:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, LABEL_SIZE) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def _bars(chart: Chart, cat: XCategoryAxis, val: YValueAxis, font: str) -> Group:
    g = Group()
    n = len(chart.series)
    zero = val.scale(0)
    for index in range(len(chart.categories)):
        start, width = cat.scale(index)
        group_w = width * 0.8
        bar_w = group_w / n
        x0 = start + (width - group_w) / 2
        for s_index, series in enumerate(chart.series):
            value = series.values[index]
            if value is None:
                continue
            x = x0 + s_index * bar_w
            h = max(val.scale(value) - zero, 0)
            g.add(
                Rect(x, zero, bar_w, h, fillColor=FILLS[s_index], strokeColor=INK, strokeWidth=0.6)
            )
            for line in _hatch(PATTERNS[s_index], x, zero, bar_w, h):
                g.add(line)
            g.add(_label(chart.value_format(value), x + bar_w / 2, zero + h + 3, font))
    return g


def _lines(chart: Chart, cat: XCategoryAxis, val: YValueAxis, font: str) -> Group:
    g = Group()
    columns: dict[int, list[tuple[float, float, str]]] = {}
    for s_index, series in enumerate(chart.series):
        colour = STROKES[s_index]
        segment: list[float] = []
        for index, value in enumerate(series.values):
            if value is None:
                _add_line(g, segment, colour, DASHES[s_index])
                segment = []
                continue
            start, width = cat.scale(index)
            x, y = start + width / 2, val.scale(value)
            segment += [x, y]
            columns.setdefault(index, []).append((x, y, chart.value_format(value)))
            g.add(
                makeMarker(MARKERS[s_index], x=x, y=y, size=7, fillColor=colour, strokeColor=colour)
            )
        _add_line(g, segment, colour, DASHES[s_index])
    for points in columns.values():
        for x, y, text in _spread(points, val.scale(0)):
            g.add(String(x + 7, y, text, fontName=font, fontSize=LABEL_SIZE, fillColor=INK))
    return g


def _spread(points: list[tuple[float, float, str]], floor: float):
    """Labels to the right of their points, moved apart vertically so that close values
    of several series never print on top of each other."""
    gap = LABEL_SIZE + 1
    placed = []
    previous = None
    for x, y, text in sorted(points, key=lambda p: -p[1]):
        baseline = y - LABEL_SIZE / 3
        if previous is not None:
            baseline = min(baseline, previous - gap)
        placed.append((x, baseline, text))
        previous = baseline
    lift = max(0.0, floor + 2 - placed[-1][1]) if placed else 0.0
    return [(x, y + lift, text) for x, y, text in placed]


def _add_line(g: Group, points: list[float], colour, dash) -> None:
    if len(points) >= 4:
        line = PolyLine(points, strokeColor=colour, strokeWidth=2)
        if dash:
            line.strokeDashArray = dash
        g.add(line)


def _label(text: str, x: float, y: float, font: str) -> String:
    return String(
        x, y, text, fontName=font, fontSize=LABEL_SIZE, fillColor=INK, textAnchor="middle"
    )


def _hatch(pattern: str, x: float, y: float, w: float, h: float, step: float = 4.0) -> list[Line]:
    """Lines that fill the rectangle with a pattern, clipped to it."""
    lines: list[tuple[float, float, float, float]] = []
    if w <= 0 or h <= 0 or pattern == "solid":
        return []
    if pattern == "horizontal":
        lines += [(x, y + k, x + w, y + k) for k in _steps(step, h)]
    if pattern == "vertical":
        lines += [(x + k, y, x + k, y + h) for k in _steps(step, w)]
    if pattern in ("diagonal", "cross"):
        lines += _diagonals(x, y, w, h, step, rising=True)
    if pattern == "cross":
        lines += _diagonals(x, y, w, h, step, rising=False)
    return [Line(*c, strokeColor=INK, strokeWidth=0.6) for c in lines]


def _steps(step: float, length: float) -> list[float]:
    count = int(length // step)
    return [step * i for i in range(1, count + 1) if step * i < length]


def _diagonals(x, y, w, h, step, *, rising):
    """Segments of the lines at 45° through the rectangle, ``step`` apart."""
    result = []
    k = -w + step / 2
    while k < h:
        # rising: points (x + t, y + t + k); falling: (x + w - t, y + t + k)
        t1, t2 = max(0.0, -k), min(w, h - k)
        if t2 > t1:
            if rising:
                result.append((x + t1, y + t1 + k, x + t2, y + t2 + k))
            else:
                result.append((x + w - t1, y + t1 + k, x + w - t2, y + t2 + k))
        k += step
    return result


def _legend(d: Drawing, chart: Chart, font: str) -> float:
    """Swatches (with the series' pattern or marker) and names across the top; returns
    the height used."""
    x, row_y, row_h = 36.0, chart.height - 14.0, 16.0
    rows = 1
    for s_index, series in enumerate(chart.series):
        text_w = pdfmetrics.stringWidth(series.name, font, LABEL_SIZE)
        if x + 16 + text_w > chart.width - 4 and x > 36:
            x, row_y, rows = 36.0, row_y - row_h, rows + 1
        if chart.kind == "bar":
            d.add(
                Rect(
                    x, row_y - 1, 11, 11, fillColor=FILLS[s_index], strokeColor=INK, strokeWidth=0.6
                )
            )
            for line in _hatch(PATTERNS[s_index], x, row_y - 1, 11, 11, step=3):
                d.add(line)
        else:
            line = Line(
                x - 2, row_y + 4, x + 13, row_y + 4, strokeColor=STROKES[s_index], strokeWidth=2
            )
            if DASHES[s_index]:
                line.strokeDashArray = DASHES[s_index]
            d.add(line)
            d.add(
                makeMarker(
                    MARKERS[s_index],
                    x=x + 5.5,
                    y=row_y + 4,
                    size=7,
                    fillColor=STROKES[s_index],
                    strokeColor=STROKES[s_index],
                )
            )
        d.add(String(x + 16, row_y, series.name, fontName=font, fontSize=LABEL_SIZE, fillColor=INK))
        x += 16 + text_w + 14
    return rows * row_h + 4


# SVG for pages -------------------------------------------------------------------------

_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.S)
#: CSS properties renderSVG writes that are also SVG presentation attributes.
_PRESENTATION = {
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap",
    "stroke-linejoin", "stroke-dasharray", "stroke-opacity", "stroke-miterlimit",
    "font-family", "font-size", "font-weight", "text-anchor", "opacity",
}  # fmt: skip


def clean_svg(raw: str, *, title: str, description: str = "") -> str:
    """renderSVG's document made fit to be inlined in a page under the strict CSP."""
    root = ElementTree.fromstring(_PROLOG.sub("", raw, count=1))  # noqa: S314 (our renderer's output, prolog and DTD cut)  # nosec B314
    for parent in root.iter():
        for child in list(parent):
            if _local(child.tag) in ("clipPath", "title", "desc", "script"):
                parent.remove(child)
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if style:
            for declaration in style.split(";"):
                name, _, value = (part.strip() for part in declaration.partition(":"))
                if name in _PRESENTATION and value:
                    element.set(name, _presentation_value(name, value))
        for attr in ("id", "clip-path"):
            element.attrib.pop(attr, None)
        if element.get("transform") == "":
            del element.attrib["transform"]
        for attr in list(element.attrib):
            if attr.lower().startswith("on"):
                del element.attrib[attr]
    for attr in ("width", "height"):
        root.attrib.pop(attr, None)
    root.set("role", "img")
    root.set("aria-label", f"{title}. {description}".strip(". ") if description else title)
    root.set("class", "chart__svg")
    root.set("focusable", "false")
    title_el = ElementTree.Element(f"{{{SVG_NS}}}title")
    title_el.text = title
    root.insert(0, title_el)
    if description:
        desc_el = ElementTree.Element(f"{{{SVG_NS}}}desc")
        desc_el.text = description
        root.insert(1, desc_el)
    return ElementTree.tostring(root, encoding="unicode")


def _presentation_value(name: str, value: str) -> str:
    if name == "font-family":
        return SVG_FONT_STACK
    if value == "None":  # renderSVG writes "fill: None" for an unfilled shape
        return "none"
    return value


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
