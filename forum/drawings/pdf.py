"""Printouts of the drawings: exhibition labels to stick beside each drawing, and the award list.

Both in the page's language, with the embedded DejaVu font (Tajik letters print)."""
from __future__ import annotations

import io
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from forum.db import translated
from forum.drawings.forms import AWARD_LABELS, age_group_text, age_text
from forum.drawings.models import AWARDS
from forum.i18n import current_language, local_time
from forum.pdf import BOLD, REGULAR, register_fonts

LABEL_W, LABEL_H = 92 * mm, 62 * mm  # two across, four down on A4


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=17, leading=21, spaceAfter=3 * mm),
        "line": ParagraphStyle("line", fontName=REGULAR, fontSize=13, leading=17),
        "small": ParagraphStyle("small", fontName=REGULAR, fontSize=8, leading=10, textColor=colors.grey),
        "award": ParagraphStyle("award", fontName=BOLD, fontSize=13, leading=17, textColor=colors.darkred),
        "h1": ParagraphStyle("h1", fontName=BOLD, fontSize=16, leading=20, spaceAfter=2 * mm),
        "h2": ParagraphStyle("h2", fontName=BOLD, fontSize=13, leading=16, spaceBefore=5 * mm, spaceAfter=2 * mm),
        "cell": ParagraphStyle("cell", fontName=REGULAR, fontSize=10, leading=12),
        "head": ParagraphStyle("head", fontName=BOLD, fontSize=10, leading=12),
    }


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _document(buffer: io.BytesIO, title: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(buffer, pagesize=A4, title=title, leftMargin=13 * mm, rightMargin=13 * mm,
                             topMargin=12 * mm, bottomMargin=12 * mm)


def exhibition_labels(forum, drawings: list) -> io.BytesIO:
    """One label per approved drawing: title, first name, age, school or jamoat (what the consent allows)."""
    styles = _styles()
    forum_title = translated(forum.title, current_language())
    cells = []
    for drawing in drawings:
        cell: list[Flowable] = [_para(f"«{drawing.title}»", styles["title"]),
                _para(f"{drawing.child_first_name}, {age_text(drawing.child_age)}", styles["line"]),
                _para(drawing.place, styles["line"])]
        if drawing.award:
            cell.append(_para(str(AWARD_LABELS[drawing.award]), styles["award"]))
        cell += [Spacer(1, 2 * mm), _para(forum_title, styles["small"])]
        cells.append(cell)
    if not cells:
        cells.append([_para(_("No approved drawings yet."), styles["line"])])
    rows = [cells[i:i + 2] + [""] * (2 - len(cells[i:i + 2])) for i in range(0, len(cells), 2)]
    table = Table(rows, colWidths=[LABEL_W] * 2, rowHeights=[LABEL_H] * len(rows))
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.lightgrey),  # cutting lines
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 6 * mm), ("RIGHTPADDING", (0, 0), (-1, -1), 5 * mm),
        ("TOPPADDING", (0, 0), (-1, -1), 6 * mm),
    ]))
    buffer = io.BytesIO()
    _document(buffer, _("Exhibition labels")).build([table])
    buffer.seek(0)
    return buffer


def award_list(forum, groups: list) -> io.BytesIO:
    """The awarded drawings of each age group, 1st to 3rd then special prizes, with their average score."""
    styles = _styles()
    language = current_language()
    story: list[Flowable] = [_para(_("Children's drawings: awards"), styles["h1"]),
             _para(f"{translated(forum.title, language)} · {local_time(forum.starts_at, forum.timezone, 'd MMMM y')}",
                styles["line"])]
    order = {award: index for index, award in enumerate(AWARDS)}
    any_award = False
    for group in groups:
        rows = sorted((r for r in group.rows if r.drawing.award), key=lambda r: (order[r.drawing.award], r.rank or 999))
        if not rows:
            continue
        any_award = True
        story.append(_para(age_group_text(group.age_group), styles["h2"]))
        data = [[_para(h, styles["head"]) for h in (_("Award"), _("Drawing"), _("Child"), _("School or jamoat"),
                                                 _("Average"))]]
        for row in rows:
            d = row.drawing
            data.append([_para(AWARD_LABELS[d.award], styles["cell"]), _para(f"«{d.title}»", styles["cell"]),
                         _para(f"{d.child_first_name}, {age_text(d.child_age)}", styles["cell"]),
                         _para(d.place, styles["cell"]),
                         _para("—" if row.average is None else f"{row.average:.2f}", styles["cell"])])
        table = Table(data, colWidths=[28 * mm, 50 * mm, 36 * mm, 44 * mm, 26 * mm], repeatRows=1)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        story.append(table)
    if not any_award:
        story.append(_para(_("No awards are marked yet."), styles["line"]))
    buffer = io.BytesIO()
    _document(buffer, _("Children's drawings: awards")).build(story)
    buffer.seek(0)
    return buffer
