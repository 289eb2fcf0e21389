"""A ReportLab drawing written as inline SVG text, for the dashboard.

ReportLab's own `renderSVG` builds a minidom tree and then fixes up what a page cannot take
(style attributes the Content-Security-Policy refuses, one shared clip id): for the
dashboard's three charts that was 27 ms of a 75 ms page, most of it minidom. The charts are
drawn from groups, rectangles, lines and strings only, and each shape carries its own colours
and font, so a walk of the tree that writes SVG presentation attributes gives the same picture
in 10 ms, nearly all of it ReportLab laying the charts out (which the PDF does too). A shape of
any other kind is refused rather than left out silently.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from markupsafe import Markup, escape
from reportlab.graphics.shapes import Drawing, Group, Line, PolyLine, Rect, String, UserNode
from reportlab.lib.colors import Color

IDENTITY = (1, 0, 0, 1, 0, 0)
ANCHORS = {"start": "start", "middle": "middle", "end": "end", "numeric": "end"}


def _n(value: float) -> str:
    """A coordinate to two decimals, without trailing zeros: a point is 1/72 inch."""
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


def _paint(name: str, colour: Color | None) -> str:
    if colour is None:
        return f' {name}="none"'
    alpha = getattr(colour, "alpha", 1)
    opacity = f' {name}-opacity="{_n(alpha)}"' if alpha < 1 else ""
    return f' {name}="#{colour.hexval()[2:]}"{opacity}'


def _stroke(shape: Rect | Line | PolyLine) -> str:
    if shape.strokeColor is None:
        return ' stroke="none"'
    return f'{_paint("stroke", shape.strokeColor)} stroke-width="{_n(shape.strokeWidth)}"{_dashes(shape.strokeDashArray)}'


def _dashes(array: Sequence[float] | tuple[float, Sequence[float]] | None) -> str:
    """ReportLab's dash pattern, given as [on, off, …] or as (phase, [on, off, …])."""
    if not array:
        return ""
    phase: float = 0
    if len(array) == 2 and isinstance(array[1], (list, tuple)):
        phase, array = cast(tuple[float, Sequence[float]], array)
    pattern = " ".join(_n(length) for length in cast(Sequence[float], array))
    return f' stroke-dasharray="{pattern}"' + (f' stroke-dashoffset="{_n(phase)}"' if phase else "")


def _write(node: object, out: list[str]) -> None:
    while isinstance(node, UserNode):  # a chart, an axis, a legend: widgets that give a group
        node = node.provideNode()
    if isinstance(node, Group):
        transform = tuple(node.transform)
        if transform != IDENTITY:
            out.append(f'<g transform="matrix({" ".join(map(_n, transform))})">')
        for child in node.getContents():
            _write(child, out)
        if transform != IDENTITY:
            out.append("</g>")
    elif isinstance(node, Rect):
        rounded = f' rx="{_n(node.rx)}" ry="{_n(node.ry or node.rx)}"' if node.rx else ""
        out.append(f'<rect x="{_n(node.x)}" y="{_n(node.y)}" width="{_n(node.width)}" height="{_n(node.height)}"'
                   f'{rounded}{_paint("fill", node.fillColor)}{_stroke(node)}/>')
    elif isinstance(node, Line):
        if node.strokeColor is not None:
            out.append(f'<line x1="{_n(node.x1)}" y1="{_n(node.y1)}" x2="{_n(node.x2)}" y2="{_n(node.y2)}"'
                       f'{_stroke(node)}/>')
    elif isinstance(node, PolyLine):
        if node.strokeColor is not None:
            points = " ".join(map(_n, node.points))
            out.append(f'<polyline points="{points}" fill="none"{_stroke(node)}/>')
    elif isinstance(node, String):
        # The drawing's y axis points up: each text is turned back upright where it stands.
        out.append(f'<text transform="matrix(1 0 0 -1 {_n(node.x)} {_n(node.y)})"'
                   f' text-anchor="{ANCHORS.get(node.textAnchor, "start")}" font-family="{escape(node.fontName)}"'
                   f' font-size="{_n(node.fontSize)}"{_paint("fill", node.fillColor)}>{escape(node.text)}</text>')
    else:
        raise TypeError(f"an SVG chart cannot show a {type(node).__name__}")


def inline(drawing: Drawing, label: str) -> Markup:
    """The drawing as an <svg> element that scales to the page, its title read by screen readers."""
    out = [f'<svg class="chart" role="img" aria-label="{escape(label)}" viewBox="0 0 {_n(drawing.width)}'
           f' {_n(drawing.height)}" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
           f"<title>{escape(label)}</title>",
           f'<g transform="matrix(1 0 0 -1 0 {_n(drawing.height)})">']
    for node in drawing.getContents():
        _write(node, out)
    out.append("</g></svg>")
    return Markup("".join(out))
