"""Charts drawn once with ReportLab's graphics: the report PDF embeds the drawing, the
dashboard shows the same drawing as inline SVG. Bars carry their numbers, so a chart reads
the same printed in black and white.

Call inside `flask_babel.force_locale(lang)`: labels are translated when built.
"""
from __future__ import annotations

from typing import Any, cast

from flask_babel import gettext as _
from flask_babel import pgettext
from markupsafe import Markup
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from forum.db import translated
from forum.pdf import REGULAR, register_fonts
from forum.people.forms import CATEGORY_LABELS
from forum.reports.figures import Figures
from forum.reports.svg import inline
from forum.reports.tables import headline_labels, place_name

GREEN = colors.HexColor("#1b6f3a")  # came
SAND = colors.HexColor("#e4d8b4")  # registered
BLUE = colors.HexColor("#2d5f8b")
WIDTH = 480  # points: the PDF's text width; the SVG scales to the page


def _title(drawing: Drawing, text: str) -> None:
    drawing.add(String(0, drawing.height - 12, text, fontName=REGULAR, fontSize=10, fillColor=colors.black))


def _legend_height(series: list) -> int:
    """Short names side by side in one row; long ones (forum titles) one under another."""
    if len(series) < 2:
        return 0
    return 14 if all(len(label) <= 25 for label, _v, _c in series) else 12 * len(series) + 4


def _legend(drawing: Drawing, series: list[tuple[str, list[int], object]], y: int) -> None:
    if len(series) < 2:
        return
    legend = Legend()
    legend.x, legend.y = 0, y
    legend.fontName, legend.fontSize = REGULAR, 8
    legend.alignment = "right"
    one_row = _legend_height(series) == 14
    legend.columnMaximum = 1 if one_row else len(series)
    legend.deltax = 130
    legend.deltay = 12
    legend.boxAnchor = "nw"
    legend.colorNamePairs = [(colour, label) for label, _values, colour in series]
    drawing.add(legend)


def horizontal_bars(title: str, labels: list[str], series: list[tuple[str, list[int], object]]) -> Drawing:
    """One row per label with a bar per series, the number at each bar's end."""
    register_fonts()
    row = 11 * len(series) + 8
    plot = max(row * len(labels), 20)
    legend = _legend_height(series)
    drawing = Drawing(WIDTH, plot + 40 + legend)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 170, 18 + legend, WIDTH - 210, plot
    # ReportLab stacks a group's bars from the bottom up; reversed, the first series is on top.
    drawn = list(reversed(series))
    chart.data = [list(reversed(values)) for _label, values, _colour in drawn]
    chart.categoryAxis.categoryNames = [label[:34] for label in reversed(labels)]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.forceZero = True
    chart.barSpacing, chart.groupSpacing = 1, 6
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    for index, (_label, _values, colour) in enumerate(drawn):
        chart.bars[index].fillColor = colour
        chart.bars[index].strokeColor = colors.HexColor("#555555")
        chart.bars[index].strokeWidth = 0.3
    drawing.add(chart)
    _legend(drawing, series, legend)
    _title(drawing, title)
    return drawing


def vertical_bars(title: str, labels: list[str], values: list[int], every: int = 1) -> Drawing:
    """Bars over time; only every `every`-th label is written, so hours stay readable."""
    register_fonts()
    drawing = Drawing(WIDTH, 190)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 22, WIDTH - 40, 140
    chart.data = [values or [0]]
    chart.categoryAxis.categoryNames = [label if i % every == 0 else "" for i, label in enumerate(labels)] or [""]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.forceZero = True
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = 6
    chart.barLabels.nudge = 6
    chart.bars[0].fillColor = GREEN
    chart.bars[0].strokeColor = None
    drawing.add(chart)
    _title(drawing, title)
    return drawing


def arrivals(figures: Figures) -> Drawing | None:
    quarters = figures.arrivals.quarters
    if not quarters:
        return None
    # Every quarter when they fit; on a long day, the hours only.
    hourly = len(quarters) > 12
    labels = [f"{start:%H:%M}" if not hourly or start.minute == 0 else "" for start, _n in quarters]
    return vertical_bars(_("Arrivals over the day (people per quarter hour)"), labels, [n for _s, n in quarters])


def _registered_and_came(title: str, rows: list[tuple[str, Any]]) -> Drawing | None:  # pairs of expected, arrived
    if not rows:
        return None
    return horizontal_bars(title, [label for label, _pair in rows], [
        (pgettext("report", "Registered"), [pair.expected for _label, pair in rows], SAND),
        (_("Came"), [pair.arrived for _label, pair in rows], GREEN)])


def by_district(figures: Figures, lang: str) -> Drawing | None:
    return _registered_and_came(_("Participants by district"), [
        (place_name(name, lang), pair) for name, pair in figures.participation.by_district])


def by_category(figures: Figures) -> Drawing | None:
    return _registered_and_came(_("Participants by category"), [
        (str(CATEGORY_LABELS.get(category, category)), pair) for category, pair in figures.participation.by_category])


def hiring(figures: Figures) -> Drawing | None:
    j = figures.jobfair
    if j is None or not j.total["positions"]:
        return None
    keys = ("positions", "seekers", "interviews", "offers", "hires")
    words = {"positions": _("Jobs offered"), "seekers": _("Seekers interested"), "interviews": _("Interviews"),
             "offers": _("Offers"), "hires": pgettext("report", "Hired")}
    return horizontal_bars(_("Job fair: from jobs offered to people hired"), [words[k] for k in keys],
                           [("", [j.total[k] for k in keys], BLUE)])


def comparison(all_figures: list[Figures], lang: str) -> Drawing:
    labels = headline_labels()
    values = [dict(f.headline()) for f in all_figures]
    palette = [GREEN, SAND, BLUE, colors.HexColor("#a14a2c")]
    return horizontal_bars(_("Forums compared: who registered and who came"),
                           [labels["registered"], labels["arrived"], labels["women_arrived"]],
                           [(translated(f.forum.title, lang)[:80], [v["registered"], v["arrived"], v["women_arrived"]],
                             palette[i % len(palette)]) for i, (f, v) in enumerate(zip(all_figures, values, strict=True))])


def for_section(key: str, figures: Figures, lang: str) -> list[Drawing]:
    """The charts printed with a report section."""
    charts = {
        "participation": [by_district(figures, lang), by_category(figures)],
        "arrivals": [arrivals(figures)],
        "jobfair": [hiring(figures)],
    }.get(key, [])
    return [chart for chart in charts if chart is not None]


def svg(drawing: Drawing | None) -> Markup:
    """The drawing as inline SVG for a page, titled for screen readers."""
    if drawing is None:
        return Markup("")
    return inline(drawing, cast(String, drawing.contents[-1]).text)  # _title() adds the title last
