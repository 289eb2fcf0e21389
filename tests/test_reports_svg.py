"""The dashboard's inline SVG shows what ReportLab's own SVG renderer shows: the same bars in
the same places with the same colours, the same words and numbers, and nothing a strict
Content-Security-Policy refuses."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from flask_babel import force_locale
from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Circle, Drawing
from reportlab.pdfbase.pdfmetrics import stringWidth

from forum.pdf import REGULAR
from forum.reports import charts
from forum.reports.svg import inline

NS = "{http://www.w3.org/2000/svg}"
STEP = re.compile(r"(matrix|translate|scale)\(([^)]*)\)")


def _matrix(transform: str) -> tuple[float, ...]:
    """An SVG transform attribute as one affine matrix (a b c d e f)."""
    m = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for name, args in STEP.findall(transform or ""):
        v = [float(x) for x in re.split(r"[ ,]+", args.strip())]
        if name == "matrix":
            step = tuple(v)
        elif name == "translate":
            step = (1, 0, 0, 1, v[0], v[1] if len(v) > 1 else 0)
        else:
            step = (v[0], 0, 0, v[1] if len(v) > 1 else v[0], 0, 0)
        m = _times(m, step)
    return m


def _times(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + c * b2, b * a2 + d * b2, a * c2 + c * d2, b * c2 + d * d2, a * e2 + c * f2 + e, b * e2 + d * f2 + f)


def _shown(svg: str) -> tuple[Counter, list, Counter]:
    """Each filled rectangle's box on the page with its colour, each text with where it stands
    and starts, and each line's ends."""
    boxes: Counter = Counter()
    texts: list[tuple[str, float, float]] = []
    lines: Counter = Counter()

    def at(m, px, py):
        return round(m[0] * px + m[2] * py + m[4], 1), round(m[1] * px + m[3] * py + m[5], 1)

    def walk(element, m):
        m = _times(m, _matrix(element.get("transform", "")))
        tag = element.tag.removeprefix(NS)
        for part in element.attrib.pop("style", "").split(";"):  # ReportLab's style="fill: …"
            if ":" in part:
                element.set(*(side.strip() for side in part.split(":", 1)))
        if tag == "clipPath":
            return
        if tag == "rect" and element.get("fill") not in (None, "none"):
            x, y, w, h = (float(element.get(k)) for k in ("x", "y", "width", "height"))
            (x0, y0), (x1, y1) = at(m, x, y), at(m, x + w, y + h)
            boxes[(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1), _colour(element.get("fill")))] += 1
        elif tag == "text":
            # Where the text starts and stands. ReportLab writes the start, measured in the PDF's
            # font; the page writes the anchor (start, middle or end) and lets the browser measure.
            anchor, baseline = at(m, float(element.get("x", 0)), float(element.get("y", 0)))
            width = stringWidth(element.text or "", REGULAR, float(element.get("font-size", "0").removesuffix("px")))
            shift = {"middle": width / 2, "end": width}.get(element.get("text-anchor", "start"), 0)
            texts.append((element.text, baseline, anchor - shift))
        elif tag == "line" and element.get("stroke") not in (None, "none"):
            ends = [float(element.get(k)) for k in ("x1", "y1", "x2", "y2")]
            lines[tuple(sorted((at(m, *ends[:2]), at(m, *ends[2:]))))] += 1
        elif tag == "path":  # ReportLab writes a line as "M x1 y1 L x2 y2 Z"
            ends = [float(n) for n in re.findall(r"-?[\d.]+", element.get("d"))]
            lines[tuple(sorted((at(m, *ends[:2]), at(m, *ends[2:4]))))] += 1
        for child in element:
            walk(child, m)

    walk(ET.fromstring(svg), (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    return boxes, sorted(texts), lines


def _colour(fill: str) -> str:
    """ReportLab writes rgb(10%,43%,22%); the page writes #1b6f3a."""
    if fill.startswith("#"):
        return fill
    parts = [float(p.rstrip("%")) for p in fill[4:-1].split(",")]
    return "#" + "".join(f"{round(p * 2.55):02x}" for p in parts)


def _reportlab(drawing: Drawing) -> str:
    text = renderSVG.drawToString(drawing)
    return text[text.index("<svg"):]


def _colour_close(a: str, b: str) -> bool:
    return all(abs(int(a[i:i + 2], 16) - int(b[i:i + 2], 16)) <= 2 for i in (1, 3, 5))


@pytest.fixture
def drawings(app):
    with app.test_request_context(), force_locale("tg"):
        yield [
            charts.vertical_bars("Омадан дар давоми рӯз", ["08:00", "08:15", "08:30"], [12, 40, 7]),
            charts.horizontal_bars("Иштирокчиён аз рӯи ноҳияҳо", ["Исфара", "Б. Ғафуров", "Хуҷанд"], [
                ("Сабти ном", [120, 80, 5], charts.SAND), ("Омаданд", [100, 61, 0], charts.GREEN)]),
            charts.horizontal_bars("Forums compared", ["Registered", "Came"], [  # long names: a legend column
                (f"Форуми гурӯҳҳои худёрии Исфара, рӯзи {day}", [300 + day, 200 + day], colour)
                for day, colour in enumerate((charts.GREEN, charts.SAND, charts.BLUE))]),
        ]


def test_the_page_shows_the_bars_and_words_reportlab_draws(drawings):
    for drawing in drawings:
        page = inline(drawing, "chart")
        mine, theirs = _shown(page), _shown(_reportlab(drawing))
        assert mine[2] == theirs[2] and mine[2]  # every axis and tick
        assert [text for text, *_at in mine[1]] == [text for text, *_at in theirs[1]]  # every word and number
        # in the same place, give or take ReportLab's rounding of its flip to whole points
        for (_t, y, x), (_t2, their_y, their_x) in zip(mine[1], theirs[1], strict=True):
            assert abs(y - their_y) <= 1 and abs(x - their_x) <= 0.5, (_t, x, their_x)
        assert len(mine[0]) == len(theirs[0]) >= 3
        for (box, n), (their_box, their_n) in zip(sorted(mine[0].items()), sorted(theirs[0].items()), strict=True):
            assert n == their_n and all(abs(p - q) <= 0.1 for p, q in zip(box[:4], their_box[:4], strict=True))
            assert _colour_close(box[4], their_box[4]), (box, their_box)


def test_the_chart_is_titled_and_takes_no_style_attribute(drawings):
    page = str(charts.svg(drawings[1]))
    root = ET.fromstring(page)
    assert root.get("aria-label") == root.find(f"{NS}title").text == "Иштирокчиён аз рӯи ноҳияҳо"
    assert " style=" not in page and "<script" not in page  # the page's CSP refuses inline styles
    assert "Б. Ғафуров" in page


def test_words_are_escaped_and_an_unknown_shape_is_refused(app):
    drawing = Drawing(100, 50)
    drawing.add(charts.String(0, 10, "<b>&</b>"))
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in inline(drawing, 'say "hi"') and 'aria-label="say &#34;hi&#34;"' in inline(
        drawing, 'say "hi"')
    drawing.add(Circle(10, 10, 5))
    with pytest.raises(TypeError, match="Circle"):
        inline(drawing, "x")


def test_dashed_lines_polylines_and_see_through_colours_keep_their_look(app):
    from reportlab.graphics.shapes import Line, PolyLine, Rect
    from reportlab.lib import colors

    drawing = Drawing(100, 50)
    drawing.add(Line(0, 0, 10, 0, strokeDashArray=[2, 1]))
    drawing.add(Line(0, 5, 10, 5, strokeDashArray=(1, [3, 2])))  # ReportLab's (phase, pattern)
    drawing.add(PolyLine([0, 0, 5, 5, 10, 0], strokeColor=colors.red, strokeWidth=0.5))
    drawing.add(Rect(0, 0, 4, 4, fillColor=colors.Color(0, 0, 1, alpha=0.5), strokeColor=None))
    drawing.add(Line(0, 9, 10, 9, strokeColor=None))  # not drawn at all
    page = str(inline(drawing, "shapes"))
    assert 'stroke-dasharray="2 1"/>' in page and 'stroke-dasharray="3 2" stroke-dashoffset="1"' in page
    assert '<polyline points="0 0 5 5 10 0" fill="none" stroke="#ff0000" stroke-width="0.5"/>' in page
    assert 'fill="#0000ff" fill-opacity="0.5" stroke="none"' in page and page.count("<line") == 2
