"""Stand signs: one A4 landscape page per stand that holds a group, readable from across the
square: the stand number huge, the group's name, its jamoat and what it sells. DejaVu Sans
(forum.pdf) prints Cyrillic and the Tajik letters ғ ӣ қ ӯ ҳ ҷ."""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as pdf_canvas

from forum.pdf import BOLD, CONDENSED, REGULAR, register_fonts

PAGE = landscape(A4)
INK = (0.1, 0.1, 0.1)
BAND = (0.11, 0.42, 0.23)


@dataclass
class Sign:
    number: str
    group: str
    place: str  # "Jamoat, District"
    products: list[str] = field(default_factory=list)  # "Сузани — 350 сомони"
    header: str = ""  # the forum's title
    caption: str = ""  # e.g. "Stand"


def _fit(text: str, font: str, largest: float, width: float, smallest: float = 10) -> float:
    size = largest
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 1
    return size


def _page(c: pdf_canvas.Canvas, sign: Sign) -> None:
    width, height = PAGE
    margin = 14 * mm
    inner = width - 2 * margin
    c.setFillColorRGB(*BAND)
    c.rect(0, height - 18 * mm, width, 18 * mm, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    header = sign.header
    c.setFont(BOLD, _fit(header, BOLD, 18, inner))
    c.drawString(margin, height - 12 * mm, header)

    c.setFillColorRGB(*INK)
    number = sign.number
    c.setFont(REGULAR, 22)
    c.drawCentredString(width / 2, height - 30 * mm, sign.caption)
    size = _fit(number, BOLD, 190, inner, 60)
    c.setFont(BOLD, size)
    number_base = height - 30 * mm - size * 0.82
    c.drawCentredString(width / 2, number_base, number)

    y = number_base - 16 * mm
    group_size = _fit(sign.group, BOLD, 40, inner, 18)
    lines = simpleSplit(sign.group, BOLD, group_size, inner)[:2] if stringWidth(sign.group, BOLD, group_size) > inner \
        else [sign.group]
    c.setFont(BOLD, group_size)
    for line in lines:
        c.drawCentredString(width / 2, y, line)
        y -= group_size * 1.15
    if sign.place:
        c.setFont(REGULAR, _fit(sign.place, REGULAR, 22, inner))
        c.drawCentredString(width / 2, y, sign.place)
        y -= 12 * mm
    c.setStrokeColorRGB(*BAND)
    c.setLineWidth(1.5)
    c.line(margin, y + 6 * mm, width - margin, y + 6 * mm)
    # products in two columns, as many as fit
    column_w = (inner - 10 * mm) / 2
    rows = max(int((y - margin) // (10 * mm)), 0)
    items = sign.products[: rows * 2]
    for index, text in enumerate(items):
        column, row = divmod(index, rows) if rows else (0, 0)
        x = margin + column * (column_w + 10 * mm)
        c.setFont(CONDENSED, _fit("• " + text, CONDENSED, 20, column_w, 9))
        c.drawString(x, y - row * 10 * mm, "• " + text)


def render(signs: list[Sign], title: str = "") -> bytes:
    """One page per sign; an empty list gives one page saying so (the caller words it in `title`)."""
    register_fonts()
    out = io.BytesIO()
    c = pdf_canvas.Canvas(out, pagesize=PAGE, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("forum")
    for sign in signs:
        _page(c, sign)
        c.showPage()
    if not signs:
        c.setFont(REGULAR, 20)
        c.drawString(20 * mm, PAGE[1] / 2, title)
        c.showPage()
    c.save()
    return out.getvalue()
