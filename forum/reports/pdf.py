"""The forum report as a PDF an NGO can send to its partners: a title page block, the forum
in figures, each activity's section with its charts and tables, and, when asked, the forum
beside others. Everything printed comes from `tables` and `charts`, which read `Figures`."""
from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from forum.db import translated
from forum.i18n import local_time
from forum.localize import localized
from forum.pdf import BOLD, REGULAR, register_fonts
from forum.reports import charts, tables
from forum.reports.figures import Figures

TEXT_WIDTH = A4[0] - 36 * mm


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=17, leading=21, spaceAfter=4),
        "h1": ParagraphStyle("h1", fontName=BOLD, fontSize=13, leading=16, spaceBefore=10, spaceAfter=4,
                             textColor=colors.HexColor("#1b6f3a")),
        "h2": ParagraphStyle("h2", fontName=BOLD, fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=3),
        "body": ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=12.5, spaceAfter=3),
        "cell": ParagraphStyle("cell", fontName=REGULAR, fontSize=8, leading=10),
        "head": ParagraphStyle("head", fontName=BOLD, fontSize=8, leading=10),
        "small": ParagraphStyle("small", fontName=REGULAR, fontSize=7.5, leading=9.5, textColor=colors.grey),
    }


def cell_text(value) -> str:
    """A table cell as printed (and as the tests read it back)."""
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return f"{value:%d.%m.%Y}"
    return str(value)


def _widths(table: tables.Table, numeric: list[bool]) -> list[float]:
    """Number columns as wide as their heading (within limits); the rest of the line shared
    by the text columns in proportion to what they hold."""
    widths: list[float | None] = []
    for i, column in enumerate(table.columns):
        if numeric[i]:
            longest = max([stringWidth(w, BOLD, 8) for w in column.split()] + [stringWidth(column, BOLD, 8) / 3])
            widths.append(min(max(longest + 14, 14 * mm), 42 * mm))  # + cell padding
        else:
            widths.append(None)
    if all(w is not None for w in widths):
        widths[0] = None
    numbers = sum(w for w in widths if w is not None)
    if numbers > TEXT_WIDTH * 0.6:  # many number columns: their headings wrap instead
        widths = [w * TEXT_WIDTH * 0.6 / numbers if w is not None else None for w in widths]
    text = [i for i, w in enumerate(widths) if w is None]
    weights = {i: 6 + min(60, max([len(cell_text(row[i])) for row in table.rows] + [len(table.columns[i])]))
               for i in text}
    left = TEXT_WIDTH - sum(w for w in widths if w is not None)
    return [w if w is not None else left * weights[i] / sum(weights.values()) for i, w in enumerate(widths)]


def _table(table: tables.Table, styles) -> PdfTable:
    numeric = [all(isinstance(row[i], int) or row[i] in ("", "—") or str(row[i]).endswith("%")
                   for row in table.rows + ([table.total] if table.total else []))
               for i in range(len(table.columns))]
    wrap = lambda value, style: Paragraph(escape(cell_text(value)), style)  # noqa: E731
    data: list[list[str | Paragraph]] = [[wrap(c, styles["head"]) for c in table.columns]]
    data += [[cell_text(v) if numeric[i] else wrap(v, styles["cell"]) for i, v in enumerate(row)]
             for row in table.rows]
    if table.total:
        data.append([cell_text(v) if numeric[i] else wrap(v, styles["head"]) for i, v in enumerate(table.total)])
    widths = _widths(table, numeric)
    grid = PdfTable(data, colWidths=widths, repeatRows=1)
    style: list[tuple[Any, ...]] = [("FONT", (0, 0), (-1, -1), REGULAR, 8), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black), ("LINEBELOW", (0, 1), (-1, -1), 0.25, "#bbbbbb"),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    style += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i, n in enumerate(numeric) if n]
    if table.total:
        style += [("FONT", (0, -1), (-1, -1), BOLD, 8), ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black)]
    grid.setStyle(TableStyle(style))
    return grid


def _heading(forum, lang: str, styles) -> list:
    """The title block; a text not written in `lang` is shown in another language with its
    code after it, "(ru)", and a line under the block says what that means."""
    texts = {name: localized(forum, name, lang) for name in ("title", "venue", "city", "goals")}
    partners = [localized(p, "name", lang) for p in forum.partners]
    organizer = localized(forum.organizer, "name", lang) if forum.organizer is not None else None
    story = [Paragraph(escape(_("Forum report")), styles["h2"]),
             Paragraph(escape(texts["title"].marked()), styles["title"]),
             Paragraph(escape(f"{texts['venue'].marked()}, {texts['city'].marked()} · "
                              f"{local_time(forum.starts_at, forum.timezone, 'd MMMM y')}"), styles["body"])]
    if organizer is not None:
        story.append(Paragraph(escape(_("Organized by %(org)s", org=organizer.marked())), styles["body"]))
    if partners:
        story.append(Paragraph(escape(_("With the support of %(partners)s",
                                        partners=", ".join(p.marked() for p in partners))), styles["body"]))
    if texts["goals"]:
        story.append(Paragraph(escape(texts["goals"].marked()), styles["body"]))
    if any(t.untranslated for t in [*texts.values(), *partners, *([organizer] if organizer else [])]):
        story.append(Paragraph(escape(_("(ru), (tg), (en) after a text: not translated yet, shown in that language.")),
                               styles["body"]))
    return story


def render(figures: Figures, lang: str = "ru", compare: list[Figures] | None = None) -> bytes:
    """The report in `lang` (ru, tg or en); `compare`: other forums to set beside this one."""
    register_fonts()
    styles = _styles()
    forum = figures.forum
    buffer = BytesIO()
    with force_locale(lang):
        story = _heading(forum, lang, styles)
        story += [Paragraph(escape(_("The forum in figures")), styles["h1"]), _table(tables.summary(figures), styles)]
        if compare:
            both = [figures] + compare
            story += [Paragraph(escape(_("Forums compared")), styles["h1"]),
                      _table(tables.comparison(both, lang), styles), Spacer(1, 3 * mm),
                      charts.comparison(both, lang)]
        for section in tables.sections(figures, lang):
            story.append(Paragraph(escape(section.title), styles["h1"]))
            story += [Paragraph(escape(line), styles["body"]) for line in section.lines]
            for chart in charts.for_section(section.key, figures, lang):
                story += [chart, Spacer(1, 3 * mm)]
            for table in section.tables:
                story.append(KeepTogether([Paragraph(escape(table.title), styles["h2"]), _table(table, styles)])
                             if len(table.rows) < 25 else Paragraph(escape(table.title), styles["h2"]))
                if len(table.rows) >= 25:
                    story.append(_table(table, styles))
        made = local_time(datetime.now().astimezone(), forum.timezone, "d MMMM y, HH:mm")
        footer = _("%(forum)s · report made %(when)s · page", forum=translated(forum.title, lang), when=made)

        def number_pages(canvas, doc):
            canvas.saveState()
            canvas.setFont(REGULAR, 7)
            canvas.setFillColor(colors.grey)
            canvas.drawString(18 * mm, 10 * mm, f"{footer} {doc.page}")
            canvas.restoreState()

        SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                          bottomMargin=18 * mm, title=f"{_('Forum report')}: {translated(forum.title, lang)}",
                          author=forum.organizer.name if forum.organizer else "", lang=lang,
                          ).build(story, onFirstPage=number_pages, onLaterPages=number_pages)
    return buffer.getvalue()
