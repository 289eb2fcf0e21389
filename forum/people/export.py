"""A forum's registrations as CSV or XLSX, safe to open in a spreadsheet.

The header uses the importer's column names, so an export is also a template for an
import (into another forum, say). Category, status, organization kind and gender are
written as labels in the organizer's language; the importer reads them back in any of the
three languages.

Against formula injection (a name like `=HYPERLINK(…)` running in the organizer's Excel),
every cell that starts with = + - @, a tab or a carriage return gets an apostrophe in front;
the importer drops that apostrophe again. CSV is UTF-8 with a byte-order mark and `;`
between cells, which is what Excel expects in Russian and Tajik locales.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from forum.db import translated
from forum.people.forms import CATEGORY_LABELS, GENDER_CHOICES, KIND_LABELS, STATUS_LABELS
from forum.people.models import Registration
from forum.people.phones import display_phone

COLUMNS = ("full_name", "phone", "email", "language", "gender", "organization", "organization_kind",
           "district", "jamoat", "category", "status", "registered_at")
WIDTHS = (32, 18, 26, 9, 10, 36, 22, 16, 16, 24, 14, 17)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GENDER_LABELS = {code: label for code, label in GENDER_CHOICES if code}


def neutralize(value: object) -> str:
    """A cell's text that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def rows(registrations: Iterable[Registration], lang: str) -> Iterator[list[str]]:
    """The header, then one neutralized row per registration."""
    yield list(COLUMNS)
    # Labels translated once, not once per cell.
    genders, kinds, categories, statuses = ({code: str(label) for code, label in labels.items()} for labels in
                                            (GENDER_LABELS, KIND_LABELS, CATEGORY_LABELS, STATUS_LABELS))
    for registration in registrations:
        person = registration.person
        org = person.organization
        district = person.district or (org.district if org else None)
        jamoat = person.jamoat or (org.jamoat if org else None)
        registered = registration.created_at.astimezone(ZoneInfo(registration.forum.timezone))
        yield [neutralize(value) for value in (
            person.full_name,
            display_phone(person.phone),
            person.email or "",
            person.language,
            genders.get(person.gender, ""),
            org.name if org else "",
            kinds[org.kind] if org else "",
            translated(district.name, lang) if district else "",
            translated(jamoat.name, lang) if jamoat else "",
            categories[registration.category],
            statuses[registration.status],
            registered.strftime("%Y-%m-%d %H:%M"),
        )]


def to_csv(registrations: Iterable[Registration], lang: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows(registrations, lang))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(registrations: Iterable[Registration], lang: str, title: str = "registrations") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    for number, row in enumerate(rows(registrations, lang)):
        if number == 0:
            cells = []
            for name in row:
                cell = WriteOnlyCell(sheet, value=name)
                cell.font = bold
                cells.append(cell)
            sheet.append(cells)
        else:
            # Strings stay strings: openpyxl would store a text starting with "=" as a
            # formula, which neutralize() has already prevented.
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
