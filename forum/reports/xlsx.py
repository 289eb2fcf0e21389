"""The report's underlying tables as an XLSX workbook: one sheet per table of the PDF, numbers
as numbers (partners re-use them in their own sheets), every text cell neutralized against
formula injection (names of groups and employers are typed by the public)."""
from __future__ import annotations

import io
import re

from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font

from forum.localize import localized
from forum.people.export import neutralize
from forum.reports import tables
from forum.reports.figures import Figures

SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = SHEET_FORBIDDEN.sub(" ", title).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _value(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", neutralize(value))
    return value


def _bold(sheet, values: list) -> list[Cell]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=_value(value))
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def workbook_tables(figures: Figures, lang: str, compare: list[Figures] | None = None) -> list[tables.Table]:
    """The tables the workbook holds, in order: the same ones the PDF prints."""
    out = [tables.summary(figures)]
    if compare:
        out.append(tables.comparison([figures] + compare, lang))
    for section in tables.sections(figures, lang):
        out += section.tables
    return out


def render(figures: Figures, lang: str = "ru", compare: list[Figures] | None = None) -> bytes:
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    with force_locale(lang):
        forum_title = localized(figures.forum, "title", lang).marked()  # "(ru)" after it when untranslated
        for table in workbook_tables(figures, lang, compare):
            sheet = workbook.create_sheet(sheet_name(table.title, taken))
            sheet.column_dimensions["A"].width = 40
            for letter in "BCDEFGHI":
                sheet.column_dimensions[letter].width = 16
            sheet.freeze_panes = "A3"
            title = WriteOnlyCell(sheet, value=_value(f"{forum_title}: {table.title}"))
            title.font = Font(bold=True, size=12)
            sheet.append([title])
            sheet.append(_bold(sheet, table.columns))
            for row in table.rows:
                sheet.append([_value(v) for v in row])
            if table.total:
                sheet.append(_bold(sheet, table.total))
            for note in table.notes:
                sheet.append([_value(note)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
