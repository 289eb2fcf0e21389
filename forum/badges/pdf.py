"""The one badge renderer: single A6 badges, A4 sheets of four A6 badges and A4 label sheets,
each badge drawn by the same function whatever the sheet.

A badge shows the forum's title, place and date, the person's name as large as fits (shrunk
and wrapped, never cut), the organization, the QR of the badge secret with the short code
under it, and the category as a word on a colour band. Text is in DejaVu Sans, so Cyrillic
and Tajik letters print.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from forum.badges import qr
from forum.badges.service import Badge
from forum.pdf import BOLD, CONDENSED_BOLD, REGULAR, register_fonts


@dataclass(frozen=True)
class Sheet:
    """How badges sit on a printed page."""

    key: str
    page: tuple[float, float]  # page width, height in points
    badge: tuple[float, float]  # badge width, height
    origins: tuple[tuple[float, float], ...]  # lower-left corner of each badge, in reading order
    cut_marks: bool
    crosses: bool = False  # badges touch: mark where four corners meet as well


def _grid(page, badge, columns: int, rows: int, left: float, top: float, gap_x: float = 0, gap_y: float = 0):
    return tuple((left + col * (badge[0] + gap_x), page[1] - top - (row + 1) * badge[1] - row * gap_y)
                 for row in range(rows) for col in range(columns))


_A4_CELL = (A4[0] / 2, A4[1] / 2)  # 105 × 148.5 mm: an A6 badge with its share of A4
_LABEL = (99.1 * mm, 67.7 * mm)  # A4 sheet of 2 × 4 name-badge labels (Avery L7165 and compatibles)
SHEETS = {
    "a6": Sheet("a6", A6, A6, ((0.0, 0.0),), cut_marks=False),
    "a4": Sheet("a4", A4, _A4_CELL, _grid(A4, _A4_CELL, 2, 2, 0, 0), cut_marks=True, crosses=True),
    "labels": Sheet("labels", A4, _LABEL, _grid(A4, _LABEL, 2, 4, 4.65 * mm, 13.1 * mm, gap_x=2.5 * mm),
                    cut_marks=True),
}


# --- fitting text -------------------------------------------------------------------------

def fit_text(text: str, font: str, max_size: float, min_size: float, width: float, height: float,
             max_lines: int) -> tuple[float, list[str]]:
    """The largest size (≤ max_size) at which `text` fits the box in at most `max_lines`
    lines, and those lines. Below `min_size` it keeps shrinking rather than cut a word."""
    words = text.split()
    if not words:
        return max_size, []
    unit = [stringWidth(word, font, 1) for word in words]
    space = stringWidth(" ", font, 1)
    size = max_size
    while True:
        lines = _wrap(words, unit, space, width / size, max_lines if size >= min_size else max_lines + 1)
        if lines is not None and len(lines) * size * LEADING <= height or size <= 2:
            return size, lines or [text]
        size -= 0.5


LEADING = 1.18


def _wrap(words: list[str], unit: list[float], space: float, limit: float, max_lines: int) -> list[str] | None:
    """Greedy wrap of words (widths at size 1) into lines no wider than `limit`; None when
    a word alone is too wide or more than `max_lines` lines are needed."""
    lines: list[list[str]] = []
    current: list[str] = []
    used = 0.0
    for word, w in zip(words, unit, strict=True):
        if w > limit:
            return None
        if current and used + space + w <= limit:
            current.append(word)
            used += space + w
        else:
            if current:
                lines.append(current)
            current, used = [word], w
    lines.append(current)
    if len(lines) > max_lines:
        return None
    return [" ".join(line) for line in lines]


# --- drawing one badge --------------------------------------------------------------------

@dataclass(frozen=True)
class _Box:
    x: float
    y: float  # lower edge
    w: float
    h: float


def _text(canvas: Canvas, box: _Box, text: str, font: str, max_size: float, min_size: float, max_lines: int,
          centred: bool, valign: str = "top") -> None:
    size, lines = fit_text(text, font, max_size, min_size, box.w, box.h, max_lines)
    if not lines:
        return
    step = size * LEADING
    block = len(lines) * step
    top = box.y + box.h if valign == "top" else box.y + (box.h + block) / 2
    canvas.setFont(font, size)
    baseline = top - size * 0.93
    for line in lines:
        if centred:
            canvas.drawCentredString(box.x + box.w / 2, baseline, line)
        else:
            canvas.drawString(box.x, baseline, line)
        baseline -= step


def _qr(canvas: Canvas, x: float, y: float, size: float, modules: list[list[bool]]) -> None:
    """The QR with its quiet zone in the square (x, y, size); dark runs as one filled path,
    drawn where a module is one unit and rows go down, so each run is four small integers
    (reportlab formats every float of a path one by one: most of a badge's drawing time)."""
    module = size / (len(modules) + 2 * qr.QUIET_ZONE)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.saveState()
    canvas.transform(module, 0, 0, -module, x + qr.QUIET_ZONE * module, y + size - qr.QUIET_ZONE * module)
    canvas.addLiteral(qr.pdf_path(modules))
    canvas.restoreState()


def draw_badge(canvas: Canvas, x: float, y: float, w: float, h: float, badge: Badge,
               modules: list[list[bool]]) -> None:
    """One badge in the rectangle (x, y, w, h): portrait when taller than wide, else landscape."""
    portrait = h > w
    margin = (6 if portrait else 4) * mm
    band = (17 if portrait else 9) * mm
    # the colour band with the category word
    canvas.setFillColorRGB(*badge.colour)
    canvas.rect(x, y, w, band, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    _text(canvas, _Box(x + margin, y + 1.5 * mm, w - 2 * margin, band - 3 * mm), badge.category.upper(),
          CONDENSED_BOLD, 20 if portrait else 13, 7, 1, centred=True, valign="middle")
    canvas.setFillColorRGB(0, 0, 0)
    if portrait:
        qr_size = min(w - 2 * margin - 24 * mm, 54 * mm)
        code_h = 8 * mm
        qr_y = y + band + code_h
        _qr(canvas, x + (w - qr_size) / 2, qr_y, qr_size, modules)
        _text(canvas, _Box(x + margin, y + band + 1.5 * mm, w - 2 * margin, code_h - 1.5 * mm), badge.code,
              BOLD, 13, 8, 1, centred=True, valign="middle")
        inner = _Box(x + margin, qr_y + qr_size + 1 * mm, w - 2 * margin, y + h - margin - (qr_y + qr_size + 1 * mm))
        head_h = 14 * mm
        _text(canvas, _Box(inner.x, inner.y + inner.h - 9 * mm, inner.w, 9 * mm), badge.header.title,
              BOLD, 10, 6, 2, centred=True)
        _text(canvas, _Box(inner.x, inner.y + inner.h - head_h, inner.w, 4.5 * mm),
              f"{badge.header.place} · {badge.header.date}", REGULAR, 8, 5, 1, centred=True)
        body = _Box(inner.x, inner.y, inner.w, inner.h - head_h - 2 * mm)
        org_h = 10 * mm if badge.organization else 0
        _text(canvas, _Box(body.x, body.y + org_h, body.w, body.h - org_h), badge.name,
              BOLD, 24, 11, 2, centred=True, valign="middle")
        if badge.organization:
            _text(canvas, _Box(body.x, body.y, body.w, org_h), badge.organization, REGULAR, 10, 6.5, 2, centred=True)
    else:
        qr_size = min(h - band - margin - 6 * mm, w * 0.42)
        qr_x = x + w - margin - qr_size + 2 * mm  # the quiet zone may run into the margin
        qr_y = y + band + 5 * mm
        _qr(canvas, qr_x, qr_y, qr_size, modules)
        _text(canvas, _Box(qr_x, y + band + 0.8 * mm, qr_size, 4.2 * mm), badge.code, BOLD, 10, 6, 1,
              centred=True, valign="middle")
        left = _Box(x + margin, y + band + 2 * mm, qr_x - x - margin - 1 * mm, h - band - margin - 2 * mm)
        _text(canvas, _Box(left.x, left.y + left.h - 6.5 * mm, left.w, 6.5 * mm), badge.header.title,
              BOLD, 7.5, 5, 2, centred=False)
        _text(canvas, _Box(left.x, left.y + left.h - 10 * mm, left.w, 3.5 * mm),
              f"{badge.header.place} · {badge.header.date}", REGULAR, 6.5, 4.5, 1, centred=False)
        org_h = 7.5 * mm if badge.organization else 0
        body = _Box(left.x, left.y + org_h, left.w, left.h - 11 * mm - org_h)
        _text(canvas, body, badge.name, BOLD, 17, 9, 3, centred=False, valign="middle")
        if badge.organization:
            _text(canvas, _Box(left.x, left.y, left.w, org_h), badge.organization, REGULAR, 7.5, 5, 2, centred=False)


def _cut_marks(canvas: Canvas, sheet: Sheet) -> None:
    """Thin ticks in the page margins on every cutting line, and crosses where lines meet."""
    page_w, page_h = sheet.page
    xs = sorted({round(x, 2) for x, _ in sheet.origins} | {round(x + sheet.badge[0], 2) for x, _ in sheet.origins})
    ys = sorted({round(y, 2) for _, y in sheet.origins} | {round(y + sheet.badge[1], 2) for _, y in sheet.origins})
    tick = 5 * mm
    canvas.setStrokeColorRGB(0.35, 0.35, 0.35)
    canvas.setLineWidth(0.3)
    for x in xs:
        canvas.line(x, 0, x, tick)
        canvas.line(x, page_h - tick, x, page_h)
    for y in ys:
        canvas.line(0, y, tick, y)
        canvas.line(page_w - tick, y, page_w, y)
    for x in xs:
        for y in ys:
            if sheet.crosses and tick < x < page_w - tick and tick < y < page_h - tick:
                canvas.line(x - 2 * mm, y, x + 2 * mm, y)
                canvas.line(x, y - 2 * mm, x, y + 2 * mm)


def render(badges: Iterable[Badge], sheet: str = "a4", title: str = "Badges",
           progress: Callable[[int], None] | None = None,
           matrices: Callable[[str], list[list[bool]]] = qr.matrix) -> bytes:
    """A PDF of these badges on `sheet` ("a6", "a4" or "labels"); `progress(n)` after each badge."""
    register_fonts()
    layout = SHEETS[sheet]
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=layout.page, pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("forum")
    slot = 0
    drawn = 0
    for badge in badges:
        if slot == len(layout.origins):
            canvas.showPage()
            slot = 0
        if slot == 0 and layout.cut_marks:
            _cut_marks(canvas, layout)
        x, y = layout.origins[slot]
        draw_badge(canvas, x, y, layout.badge[0], layout.badge[1], badge, matrices(badge.secret))
        slot += 1
        drawn += 1
        if progress:
            progress(1)
    if drawn == 0:
        canvas.setFont(REGULAR, 12)
        canvas.drawString(20 * mm, layout.page[1] - 30 * mm, "—")
    canvas.showPage()
    canvas.save()
    return out.getvalue()
