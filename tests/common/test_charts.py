"""The shared charts: one drawing for pages (inline SVG) and PDFs, readable by everyone."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect

from app.common.charts import Series, bar_chart, line_chart

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314  (the chart module's own output)


def scores_chart(**kw):
    defaults = dict(
        title="Svar per verdi",
        description="Antall svar på hver verdi fra 1 til 5.",
        category_label="Verdi",
        categories=["1", "2", "3", "4", "5"],
        series=[Series("Relevans", [0, 1, 2, 5, 4]), Series("Nytte", [1, 1, 3, 4, 3])],
    )
    return bar_chart(**{**defaults, **kw})


def trend_chart():
    return line_chart(
        title="Utvikling",
        categories=["okt. 2026", "nov. 2026", "des. 2026"],
        series=[Series("Relevans", [4.2, None, 4.4]), Series("Nytte", [3.9, None, 4.0])],
        value_max=5,
        value_format=lambda v: f"{v:.1f}".replace(".", ","),
    )


@pytest.mark.parametrize("chart", [scores_chart(), trend_chart()], ids=["bar", "line"])
def test_the_inline_svg_obeys_the_strict_csp_and_has_an_accessible_name(chart):
    svg = str(chart.svg())
    assert svg.startswith("<svg")
    assert "<?xml" not in svg and "DOCTYPE" not in svg
    assert "style=" not in svg
    assert "<script" not in svg.lower()
    assert not re.search(r"\son\w+=", svg)
    assert not re.search(r'\sid="', svg), "ids would clash when a page has two charts"
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label").startswith(chart.title)
    assert root.find(f"{NS}title").text == chart.title


def test_every_bar_carries_its_value_as_a_label():
    svg = str(scores_chart().svg())
    texts = [t.text for t in parse(svg).iter(f"{NS}text")]
    # The five values of each series are printed, 0 included.
    for value in ["0", "1", "2", "5", "4", "3"]:
        assert value in texts
    assert {"Relevans", "Nytte"} <= set(texts), "a legend names the series"


def test_the_series_of_a_bar_chart_differ_by_pattern_not_only_by_colour():
    one = scores_chart(series=[Series("Relevans", [0, 1, 2, 5, 4])])
    two = scores_chart()
    # The first series is solid; the second is hatched: its bars (and swatch) carry lines.
    hatch_one = [n for n in _walk(one.drawing()) if isinstance(n, Line)]
    hatch_two = [n for n in _walk(two.drawing()) if isinstance(n, Line)]
    assert len(hatch_two) > len(hatch_one) + 20
    bars = [n for n in _walk(two.drawing()) if isinstance(n, Rect) and n.width > 12]
    assert len({b.fillColor.hexval() for b in bars}) == 2


def test_the_value_axis_starts_at_zero_so_no_bar_vanishes():
    chart = scores_chart(series=[Series("Snitt", [4.0, 4.5, 4.2, 4.4, 4.1])])
    bars = [n for n in _walk(chart.drawing()) if isinstance(n, Rect) and n.height > 0]
    heights = sorted(b.height for b in bars if b.width > 12)
    assert heights[0] > 0.8 * heights[-1], "4.0 must look almost as tall as 4.5"
    assert "0" in [t.text for t in parse(str(chart.svg())).iter(f"{NS}text")]


def test_a_missing_value_is_a_gap_in_the_line_not_a_bridge():
    lines = [n for n in _walk(trend_chart().drawing()) if isinstance(n, PolyLine)]
    # Each series has two points around the gap: no line joins them.
    assert lines == []
    texts = [t.text for t in parse(str(trend_chart().svg())).iter(f"{NS}text")]
    assert {"4,2", "4,4", "3,9", "4,0"} <= set(texts)


def test_user_text_in_a_chart_is_escaped_and_never_becomes_markup():
    chart = scores_chart(
        categories=["<script>alert(1)</script>", "b&c", "3", "4", "5"],
        series=[Series('"><img src=x onerror=alert(1)>', [1, 2, 3, 4, 5])],
    )
    svg = str(chart.svg())
    assert "<script" not in svg and "<img" not in svg
    root = parse(svg)
    assert not any(el.tag.endswith(("script", "img")) for el in root.iter())


def test_the_table_holds_the_same_numbers_as_the_chart():
    table = trend_chart().table()
    assert table.caption == "Utvikling"
    assert table.headers == ["", "Relevans", "Nytte"]
    assert table.rows == [
        ["okt. 2026", "4,2", "3,9"],
        ["nov. 2026", "–", "–"],
        ["des. 2026", "4,4", "4,0"],
    ]


def test_the_drawing_goes_into_a_pdf_with_a_font_that_has_every_norwegian_letter():
    chart = scores_chart(series=[Series("Førstelinjeledere (Áile, Čáhppes)", [1, 2, 3, 4, 5])])
    drawing = chart.drawing()
    assert isinstance(drawing, Drawing)
    pdf = renderPDF.drawToString(drawing)
    assert pdf.startswith(b"%PDF-")
    assert b"DejaVuSans" in pdf


def test_long_category_names_are_shortened_in_the_chart_but_whole_in_the_table():
    name = "Prosjektledersamling for IT-prosjekter i Trondheim kommune, vår"
    chart = scores_chart(categories=[name, "2", "3", "4", "5"])
    texts = [t.text for t in parse(str(chart.svg())).iter(f"{NS}text")]
    assert name not in texts
    assert any(t and t.endswith("…") for t in texts)
    assert chart.table().rows[0][0] == name


def test_a_series_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="has 2 values for 5 categories"):
        scores_chart(series=[Series("Kort", [1, 2])])


def _walk(node):
    yield node
    for child in getattr(node, "contents", []):
        yield from _walk(child)
