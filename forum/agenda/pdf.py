"""The printed programme of a forum: A4, one language, DejaVu Sans for Cyrillic and Tajik letters."""
from __future__ import annotations

import io
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from forum.agenda.forms import KIND_LABELS
from forum.db import translated
from forum.pdf import BOLD, REGULAR, register_fonts


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=REGULAR, fontSize=10, leading=13)
    return {
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=17, leading=21, spaceAfter=3 * mm),
        "sub": ParagraphStyle("sub", parent=base, fontSize=11, leading=14, textColor=colors.HexColor("#333333")),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=13, leading=16, spaceBefore=5 * mm,
                             spaceAfter=2 * mm),
        "time": ParagraphStyle("time", parent=base, fontName=BOLD),
        "item": ParagraphStyle("item", parent=base, fontName=BOLD, fontSize=10.5),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11, textColor=colors.HexColor("#444444")),
        "text": base,
    }


def _text(value: str) -> str:
    """Plain text as a Paragraph's markup, keeping line breaks."""
    return escape(value).replace("\n", "<br/>")


def programme(forum, lines, lang: str) -> bytes:
    """The programme as PDF bytes: the forum's title, day and place, then each item (a
    `listing.Line` in `lang`) with its time, area, hosts and description."""
    register_fonts()
    styles = _styles()
    zone = ZoneInfo(forum.timezone)
    with force_locale(lang):
        heading, hosts_label, page_label = _("Programme"), _("Hosts"), _("Page")
        kinds = {k: str(v) for k, v in KIND_LABELS.items()}
        empty = _("The agenda is not published yet.")
    day = format_date(forum.starts_at.astimezone(zone).date(), "EEEE, d MMMM y", locale=lang)
    hours = f"{forum.starts_at.astimezone(zone):%H:%M}–{forum.ends_at.astimezone(zone):%H:%M}"
    place = ", ".join(p for p in (translated(forum.venue, lang), translated(forum.city, lang)) if p)
    story: list[Flowable] = [
        Paragraph(_text(translated(forum.title, lang)), styles["title"]),
        Paragraph(_text(f"{day}, {hours}"), styles["sub"]),
        Paragraph(_text(place), styles["sub"]),
        Paragraph(_text(heading), styles["h2"]),
    ]
    rows = []
    for line in lines:
        cell = [Paragraph(_text(line.title), styles["item"]),
                Paragraph(_text(f"{line.area} · {kinds.get(line.kind, line.kind)}"), styles["small"])]
        if line.hosts:
            cell.append(Paragraph(_text(f"{hosts_label}: {line.hosts}"), styles["small"]))
        if line.description:
            cell.append(Paragraph(_text(line.description), styles["text"]))
        rows.append([Paragraph(line.span, styles["time"]), cell])
    if rows:
        table = Table(rows, colWidths=[33 * mm, None])
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#bbbbbb")),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]))
        story.append(table)
    else:
        story.append(Paragraph(_text(empty), styles["text"]))
    contacts = translated(forum.contacts, lang)
    if contacts:
        story += [Spacer(1, 6 * mm), Paragraph(_text(contacts), styles["small"])]

    title = translated(forum.title, lang)

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawString(15 * mm, 10 * mm, f"{title} · {heading}")
        canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, f"{page_label} {doc.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=18 * mm, title=f"{title} · {heading}", author=title, lang=lang)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
