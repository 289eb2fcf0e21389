"""The floor plan as SVG, drawn on the server from the stands' positions and sizes (metres).

Two views of one drawing:
- "manage": every stand coloured by its status (free, reserved, assigned, blocked), each a
  link (the organizer clicks a stand to open its form: no script needed);
- "public": only which stands hold which group; nothing about reserved or blocked stands.

Colours come with patterns and a legend inside the SVG itself, so a black-and-white printout
still tells the statuses apart.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from forum.exhibition.models import ExhibitorApplication, Stand

SCALE = 20  # SVG units per metre
MARGIN = 16
LEGEND_ROW = 26


@dataclass(frozen=True)
class Look:
    fill: str
    stroke: str
    pattern: str | None = None  # id of a <pattern> laid over the fill
    stroke_width: float = 1.5


LOOKS = {
    "free": Look("#ffffff", "#1d6b3a", None, 2),
    "reserved": Look("#fff1b8", "#8a6d00", "hatch", 1.5),
    "assigned": Look("#8fd19e", "#14532d", None, 2.5),
    "blocked": Look("#d4d4d4", "#444444", "cross", 1.5),
    # public view
    "group": Look("#8fd19e", "#14532d", None, 2.5),
    "empty": Look("#ffffff", "#777777", None, 1.2),
}
MANAGE_ORDER = ("free", "reserved", "assigned", "blocked")
PUBLIC_ORDER = ("group", "empty")

_DEFS = """<defs>
<pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
<line x1="0" y1="0" x2="0" y2="8" stroke="#8a6d00" stroke-width="2"/></pattern>
<pattern id="cross" width="8" height="8" patternUnits="userSpaceOnUse">
<path d="M0,0 L8,8 M8,0 L0,8" stroke="#444" stroke-width="1.2"/></pattern>
</defs>"""


@dataclass
class PlanStand:
    """What the drawing needs of a stand."""

    id: int
    number: str
    x: Decimal
    y: Decimal
    w: Decimal
    h: Decimal
    look: str  # a key of LOOKS
    title: str = ""  # the tooltip (group name, status)
    href: str | None = None
    highlight: bool = False


def _u(metres) -> float:
    return round(float(metres) * SCALE, 1)


def _rect(x, y, w, h, look: Look, extra: str = "") -> str:
    return (f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{look.fill}" stroke="{look.stroke}" '
            f'stroke-width="{look.stroke_width}"{extra}/>')


def _stand(stand: PlanStand) -> str:
    look = LOOKS[stand.look]
    x, y, w, h = _u(stand.x) + MARGIN, _u(stand.y) + MARGIN, _u(stand.w), _u(stand.h)
    parts = [f'<title>{escape(stand.title or stand.number)}</title>', _rect(x, y, w, h, look)]
    if look.pattern:
        parts.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="url(#{look.pattern})" '
                     f'stroke="none" pointer-events="none"/>')
    if stand.highlight:
        parts.append(f'<rect x="{x - 3}" y="{y - 3}" width="{w + 6}" height="{h + 6}" fill="none" '
                     f'stroke="#c00000" stroke-width="4" stroke-dasharray="8 4"/>')
    size = max(8.0, min(h * 0.5, w / max(len(stand.number), 1) * 1.2, 28.0))
    weight = "bold" if stand.look in ("assigned", "group") else "normal"
    parts.append(f'<text x="{round(x + w / 2, 1)}" y="{round(y + h / 2, 1)}" font-size="{round(size, 1)}" '
                 f'font-weight="{weight}" text-anchor="middle" dominant-baseline="central" '
                 f'font-family="DejaVu Sans, Arial, sans-serif" fill="#111">{escape(stand.number)}</text>')
    body = "".join(parts)
    classes = f"stand stand-{stand.look}" + (" stand-highlight" if stand.highlight else "")
    if stand.href:
        body = (f'<a href="{escape(stand.href)}" class="stand-link" data-stand="{escape(stand.number)}">'
                f'{body}</a>')
    return f'<g class="{classes}" id="plan-stand-{stand.id}">{body}</g>'


def _legend(order: tuple[str, ...], labels: dict[str, str], top: float, counts: dict[str, int]) -> tuple[str, float]:
    parts: list[str] = []
    x: float = MARGIN
    for key in order:
        look = LOOKS[key]
        parts.append(_rect(x, top, 22, 16, look))
        if look.pattern:
            parts.append(f'<rect x="{x}" y="{top}" width="22" height="16" fill="url(#{look.pattern})"/>')
        text = labels[key] + (f" ({counts[key]})" if key in counts else "")
        parts.append(f'<text x="{x + 28}" y="{top + 12.5}" font-size="13" '
                     f'font-family="DejaVu Sans, Arial, sans-serif" fill="#111">{escape(text)}</text>')
        x += 40 + 7.5 * len(text)
    return f'<g class="legend">{"".join(parts)}</g>', x


def render(width, depth, stands: list[PlanStand], labels: dict[str, str], public: bool, title: str = "") -> Markup:
    """The plan of an area `width` × `depth` metres. `labels`: the legend's words for each look
    of the view, plus "metres" (the scale bar's "%s m")."""
    order = PUBLIC_ORDER if public else MANAGE_ORDER
    counts: dict[str, int] = {}
    for stand in stands:
        counts[stand.look] = counts.get(stand.look, 0) + 1
    area_w, area_h = _u(width), _u(depth)
    legend_top = area_h + 2 * MARGIN
    legend, legend_end = _legend(order, labels, legend_top, counts)
    scale_x = legend_end + 10
    scale = (f'<g class="scale"><path d="M{scale_x},{legend_top + 14} h{5 * SCALE}" stroke="#111" stroke-width="2"/>'
             f'<path d="M{scale_x},{legend_top + 8} v12 M{scale_x + 5 * SCALE},{legend_top + 8} v12" '
             f'stroke="#111" stroke-width="2"/>'
             f'<text x="{scale_x + 5 * SCALE / 2}" y="{legend_top + 5}" font-size="12" text-anchor="middle" '
             f'font-family="DejaVu Sans, Arial, sans-serif">{escape(labels["metres"] % 5)}</text></g>')
    total_w = max(area_w + 2 * MARGIN, scale_x + 5 * SCALE + MARGIN)
    total_h = legend_top + LEGEND_ROW + MARGIN / 2
    grid = []
    for metre in range(1, int(float(width))):
        if metre % 5 == 0:
            grid.append(f'M{MARGIN + metre * SCALE},{MARGIN} v{area_h}')
    for metre in range(1, int(float(depth))):
        if metre % 5 == 0:
            grid.append(f'M{MARGIN},{MARGIN + metre * SCALE} h{area_w}')
    heading = f'<title id="plan-title">{escape(title)}</title>' if title else ""
    labelled = ' aria-labelledby="plan-title"' if title else ""
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="floor-plan" viewBox="0 0 {round(total_w, 1)} '
        f'{round(total_h, 1)}" role="img"{labelled} '
        f'preserveAspectRatio="xMinYMin meet">{heading}{"" if public else _DEFS}'
        f'<rect x="{MARGIN}" y="{MARGIN}" width="{area_w}" height="{area_h}" fill="#fafaf7" stroke="#222" '
        f'stroke-width="2.5"/>'
        + (f'<path d="{" ".join(grid)}" stroke="#ddd" stroke-width="1" fill="none"/>' if grid else "")
        + "".join(_stand(stand) for stand in stands) + legend + scale + "</svg>"
    )
    return Markup(svg)


def manage_view(stands, width, depth, labels, href: Callable[[Stand], str], selected_id: int | None = None,
                title: str = "") -> Markup:
    """The organizer's plan: statuses, a link on every stand."""
    drawn = []
    for stand in stands:
        status = stand.status
        tip = f"{stand.number} · {labels[status]}"
        if stand.application is not None:
            tip += f" · {stand.application.group_name}"
        elif stand.note:
            tip += f" · {stand.note}"
        drawn.append(PlanStand(stand.id, stand.number, stand.x, stand.y, stand.w, stand.h, status, tip,
                               href(stand), highlight=stand.id == selected_id))
    return render(width, depth, drawn, labels, public=False, title=title)


def public_view(stands, width, depth, labels, href: Callable[[ExhibitorApplication], str | None], highlight_id: int | None = None,
                title: str = "") -> Markup:
    """The public plan: a stand holds a group (named, linked to its catalogue entry) or nothing."""
    drawn = []
    for stand in stands:
        application = stand.application if stand.application_id is not None else None
        if application is not None and application.status == "approved":
            drawn.append(PlanStand(stand.id, stand.number, stand.x, stand.y, stand.w, stand.h, "group",
                                   f"{stand.number} · {application.group_name}", href(application),
                                   highlight=stand.id == highlight_id))
        else:
            drawn.append(PlanStand(stand.id, stand.number, stand.x, stand.y, stand.w, stand.h, "empty",
                                   stand.number, None, highlight=stand.id == highlight_id))
    return render(width, depth, drawn, labels, public=True, title=title)
