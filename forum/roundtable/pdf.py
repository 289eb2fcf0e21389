"""Printed documents of the round table: folded name cards (table tents), the seating chart
and the resolution, with the embedded DejaVu fonts (Tajik letters print)."""
from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from forum.db import translated
from forum.i18n import local_time
from forum.localize import localized
from forum.pdf import BOLD, REGULAR, register_fonts
from forum.roundtable import recommendations, seating
from forum.roundtable.models import RoundTable
from forum.roundtable.texts import GROUP_LABELS, STATUS_LABELS


def _fit(text: str, font: str, size: float, width: float, smallest: float = 14) -> float:
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 2
    return size


def _face(c: canvas.Canvas, width: float, half: float, name: str, org: str) -> None:
    """One face of a tent: the name large, the organization under it, centred in the half."""
    size = _fit(name, BOLD, 60, width - 30 * mm)
    c.setFont(BOLD, size)
    c.drawCentredString(width / 2, half / 2 + 4 * mm, name)
    if org:
        org_size = _fit(org, REGULAR, 26, width - 30 * mm, smallest=10)
        c.setFont(REGULAR, org_size)
        c.drawCentredString(width / 2, half / 2 - org_size - 6 * mm, org)


def name_cards(table: RoundTable) -> bytes:
    """One A4 landscape sheet per seated invitee, folded along the middle into a tent: the name
    on both faces, the upper face turned 180° so it reads from across the table."""
    register_fonts()
    buffer = BytesIO()
    width, height = landscape(A4)
    half = height / 2
    c = canvas.Canvas(buffer, pagesize=(width, height))
    c.setTitle("Name cards")
    people = seating.seated(table) or seating.invitees(table, state="confirmed")
    for invitee in people:
        person = invitee.registration.person
        org = person.organization.name if person.organization else ""
        _face(c, width, half, person.full_name, org)
        c.saveState()
        c.translate(width, height)
        c.rotate(180)
        _face(c, width, half, person.full_name, org)
        c.restoreState()
        c.setDash(2, 4)
        c.setLineWidth(0.3)
        c.line(10 * mm, half, width - 10 * mm, half)  # fold here
        if invitee.table_no:
            c.setFont(REGULAR, 8)
            c.drawString(10 * mm, 6 * mm, f"{invitee.table_no}.{invitee.seat_no}")
        c.showPage()
    if not people:
        c.showPage()
    c.save()
    return buffer.getvalue()


def _styles():
    return (ParagraphStyle("h", fontName=BOLD, fontSize=15, leading=19, spaceAfter=6),
            ParagraphStyle("b", fontName=REGULAR, fontSize=10, leading=13),
            ParagraphStyle("s", fontName=REGULAR, fontSize=8.5, leading=11))


def seating_chart(table: RoundTable, lang: str = "ru") -> bytes:
    """Every table with its seats and who sits there, and their group."""
    register_fonts()
    heading, body, small = _styles()
    buffer = BytesIO()
    item, forum = table.item, table.forum
    with force_locale(lang):
        story = [Paragraph(escape(_("Seating plan") + " · " + translated(item.title, lang)), heading),
                 Paragraph(escape(local_time(item.starts_at, forum.timezone, "d MMMM y, HH:mm") + " · "
                                  + translated(item.area.name, lang)), body), Spacer(1, 6 * mm)]
        for number, seats in enumerate(seating.plan(table), start=1):
            rows = [[_("Table %(n)s", n=number), "", ""]]
            for seat, invitee in enumerate(seats, start=1):
                if invitee is None:
                    rows.append([str(seat), "—", ""])
                    continue
                person = invitee.registration.person
                org = localized(person.organization, "name", lang).marked() if person.organization else ""
                rows.append([str(seat), Paragraph(escape(person.full_name + (f" — {org}" if org else "")), small),
                             str(GROUP_LABELS[invitee.group])])
            grid = Table(rows, colWidths=[12 * mm, 115 * mm, 50 * mm])
            grid.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), REGULAR, 8.5), ("FONT", (0, 0), (-1, 0), BOLD, 10),
                                      ("SPAN", (0, 0), (-1, 0)), ("GRID", (0, 1), (-1, -1), 0.3, "#888888"),
                                      ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story += [grid, Spacer(1, 4 * mm)]
        SimpleDocTemplate(buffer, pagesize=A4, title=_("Seating plan"), leftMargin=15 * mm,
                          rightMargin=15 * mm).build(story)
    return buffer.getvalue()


def resolution(table: RoundTable, lang: str = "ru") -> bytes:
    """The round table's resolution in `lang` (ru, tg or en): the agreed recommendations, to
    whom they are addressed, who owns them and by when."""
    register_fonts()
    heading, body, small = _styles()
    buffer = BytesIO()
    item, forum = table.item, table.forum
    with force_locale(lang):
        story = [Paragraph(escape(_("Resolution of the round table")), heading),
                 Paragraph(escape(translated(item.title, lang)), body),
                 Paragraph(escape(f"{translated(forum.title, lang)} · {translated(forum.city, lang)}, "
                                  f"{local_time(item.starts_at, forum.timezone, 'd MMMM y')}"), body),
                 Spacer(1, 6 * mm),
                 Paragraph(escape(_("The participants of the round table recommend:")), body), Spacer(1, 3 * mm)]
        for number, rec in enumerate(recommendations.for_resolution(table), start=1):
            story.append(Paragraph(f"<b>{number}.</b> {escape(translated(rec.text, lang))}", body))
            facts = []
            if rec.addressed_to is not None:
                facts.append(_("Addressed to: %(org)s", org=rec.addressed_to.name))
            owner = recommendations.owner_name(rec)
            if owner:
                facts.append(_("Responsible: %(owner)s", owner=owner))
            if rec.deadline:
                facts.append(_("Deadline: %(date)s", date=format_date(rec.deadline, "d MMMM y")))
            facts.append(_("Status: %(status)s", status=STATUS_LABELS[rec.status]))
            story += [Paragraph(escape(" · ".join(str(f) for f in facts)), small), Spacer(1, 3 * mm)]
        SimpleDocTemplate(buffer, pagesize=A4, title=_("Resolution of the round table"), leftMargin=20 * mm,
                          rightMargin=20 * mm).build(story)
    return buffer.getvalue()
