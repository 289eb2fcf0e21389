"""A forum's registrations as CSV or XLSX, safe to open in a spreadsheet.

The header uses the importer's column names, so an export is also a template for an
import (into another forum, say). Category, status, organization kind and gender are
written as labels in the organizer's language; the importer reads them back in any of the
three languages. "arrived_at" is the first entry through any checkpoint (empty: not in yet);
the importer ignores it, as it ignores "registered_at".

Against formula injection (a name like `=HYPERLINK(…)` running in the organizer's Excel),
every cell that starts with = + - @, a tab or a carriage return gets an apostrophe in front;
the importer drops that apostrophe again. CSV is UTF-8 with a byte-order mark and `;`
between cells, which is what Excel expects in Russian and Tajik locales.

Both are streamed: the rows come from a column-only query read in batches (a server-side
cursor on PostgreSQL), and each batch leaves as it is written, so memory stays flat however
long the list. The XLSX is written here as the least a spreadsheet opens (the sheet's XML of
inline strings in a deflated zip, as XlsxWriter's constant-memory mode writes it): openpyxl
took 12 s for 50,000 rows, this takes about a second, and leaves in pieces as the zip grows.
"""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import force_locale
from sqlalchemy.orm import aliased

from forum.db import translated
from forum.people.forms import CATEGORY_LABELS, GENDER_CHOICES, KIND_LABELS, STATUS_LABELS
from forum.people.models import District, Jamoat, Organization, Person, Registration
from forum.people.phones import display_phone

COLUMNS = ("full_name", "phone", "email", "language", "gender", "organization", "organization_kind",
           "district", "jamoat", "category", "status", "registered_at", "arrived_at")
WIDTHS = (32, 18, 26, 9, 10, 36, 22, 16, 16, 24, 14, 17, 17)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GENDER_LABELS = {code: label for code, label in GENDER_CHOICES if code}


def neutralize(value: object) -> str:
    """A cell's text that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# --- streamed: a column-only query, read in batches, written as it is read -------------------------

STREAM_BATCH = 1000  # rows fetched (and, for CSV, sent) at a time: memory stays flat however long the list


def column_query(registrations: sa.Select, first_arrival: sa.ColumnElement | None = None) -> sa.Select:
    """The registrations query (filters, search, order as the list shows them) narrowed to
    the columns an export writes, the time of `first_arrival` last (people.arrivals): no
    objects, no relationships, nothing held beside the rows."""
    # The organization of its own alias: the list's query joins it only for some filters.
    organization = aliased(Organization)
    person_district, org_district = aliased(District), aliased(District)
    person_jamoat, org_jamoat = aliased(Jamoat), aliased(Jamoat)
    return (registrations.with_only_columns(
        Person.full_name, Person.phone, Person.email, Person.language, Person.gender,
        organization.name, organization.kind,
        sa.case((Person.district_id.is_not(None), person_district.name), else_=org_district.name),
        sa.case((Person.jamoat_id.is_not(None), person_jamoat.name), else_=org_jamoat.name),
        Registration.category, Registration.status, Registration.created_at,
        sa.null() if first_arrival is None else first_arrival)
        .outerjoin(organization, organization.id == Person.organization_id)
        .outerjoin(person_district, person_district.id == Person.district_id)
        .outerjoin(org_district, org_district.id == organization.district_id)
        .outerjoin(person_jamoat, person_jamoat.id == Person.jamoat_id)
        .outerjoin(org_jamoat, org_jamoat.id == organization.jamoat_id)
        .execution_options(yield_per=STREAM_BATCH))


class _Phones:
    """display_phone() for a long list: phonenumbers takes ~40 µs a number, most of an export
    of 50,000. Numbers with the same first digits and length are grouped alike, so each such
    shape is formatted by display_phone once and its grouping reused for the others."""

    PREFIX = 9  # "+" and 8 digits: country code and more leading digits than the metadata tells formats by

    def __init__(self) -> None:
        self.shapes: dict[tuple[str, int], str | None] = {}

    def __call__(self, e164: str | None) -> str:
        if not e164:
            return ""
        key = (e164[:self.PREFIX], len(e164))
        shape = self.shapes.get(key, "")
        if shape == "":
            shown = display_phone(e164)
            # the grouping, digits as {}: None when display_phone did more than group the digits
            same = shown.startswith("+") and "".join(c for c in shown if c.isdigit()) == e164[1:]
            shape = self.shapes[key] = "".join("{}" if c.isdigit() else c for c in shown) if same else None
            return shown
        return display_phone(e164) if shape is None else shape.format(*e164[1:])


def column_rows(found: Iterable[Any], lang: str, timezone: str) -> Iterator[list[str]]:
    """The header, then one neutralized row per row of `column_query`. The labels are put
    into `lang` now, in the request: the rows are made later, while the response streams."""
    with force_locale(lang):
        labels = tuple({code: neutralize(label) for code, label in labels.items()} for labels in
                       (GENDER_LABELS, KIND_LABELS, CATEGORY_LABELS, STATUS_LABELS))
    return _rows(found, lang, ZoneInfo(timezone), *labels)


def _rows(found: Iterable[Any], lang: str, zone: ZoneInfo, genders: dict[str, str], kinds: dict[str, str],
          categories: dict[str, str], statuses: dict[str, str]) -> Iterator[list[str]]:
    """Rows of 50,000 are made here: what is neutralized once (labels, places) is not again,
    and times are formatted by hand (strftime took a fifth of the export)."""
    yield list(COLUMNS)
    places: dict[str, str] = {}  # a few districts and jamoats, translated once each
    phone = _Phones()

    def place(name) -> str:
        if not name:
            return ""
        key = name if isinstance(name, str) else repr(sorted(name.items()))
        if key not in places:
            places[key] = neutralize(translated(json.loads(name) if isinstance(name, str) else name, lang))
        return places[key]

    def local(moment: datetime | None) -> str:
        if moment is None:
            return ""
        if moment.tzinfo is None:  # naive UTC, should a driver hand it back so
            moment = moment.replace(tzinfo=UTC)
        at = moment.astimezone(zone)
        return f"{at.year:04}-{at.month:02}-{at.day:02} {at.hour:02}:{at.minute:02}"

    for (full_name, phone_number, email, language, gender, org_name, org_kind, district, jamoat, category,
         status, created_at, came) in found:
        yield [neutralize(full_name), neutralize(phone(phone_number)), neutralize(email), language or "",
               genders.get(gender or "", ""), neutralize(org_name), kinds[org_kind] if org_kind else "",
               place(district), place(jamoat), categories[category], statuses[status], local(created_at),
               local(came)]


def stream_csv(table: Iterable[list[str]]) -> Iterator[bytes]:
    """The CSV in pieces of STREAM_BATCH rows, as they are read: the BOM first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write("\ufeff")
    for number, row in enumerate(table, start=1):
        writer.writerow(row)
        if number % STREAM_BATCH == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


# --- XLSX: the parts of a one-sheet workbook, the sheet written row by row ---------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PARTS = {
    "[Content_Types].xml": (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'),
    "_rels/.rels": (
        f'{_HEAD}<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'),
    "xl/_rels/workbook.xml.rels": (
        f'{_HEAD}<Relationships xmlns="{_RELS}">'
        f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_DOC}/styles" Target="styles.xml"/></Relationships>'),
    # two cell formats: 0 plain, 1 bold (the header)
    "xl/styles.xml": (
        f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'),
}
# characters XML 1.0 cannot carry (Excel would call the file broken): dropped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})  # a bare CR would read back as LF
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


BOLD = ' s="1"'  # the header's cell format in styles.xml


def _cell(value: str, style: str = "") -> str:
    """One text cell, as an inline string (never a formula, never a number)."""
    if not value:
        return "<c/>"  # keeps the columns of the cells after it
    text = _NOT_XML.sub("", value).translate(_XML_ESCAPES)
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c t="inlineStr"{style}><is><t{space}>{text}</t></is></c>'


_TEXT = '<c t="inlineStr"><is><t>'
_SPACED = '<c t="inlineStr"><is><t xml:space="preserve">'  # XML would drop a leading or trailing blank


def _row(cells: list[str]) -> str:
    """A row of text cells, as _cell makes each but cleaned and escaped for the row at once:
    50,000 rows of 13 cells, nearly none of which need it (a third of the time before)."""
    raw = "".join(cells)
    if _NOT_XML.search(raw):
        cells = [_NOT_XML.sub("", value) for value in cells]
    if "&" in raw or "<" in raw or ">" in raw or "\r" in raw:
        cells = [value.translate(_XML_ESCAPES) for value in cells]
    return "<row>" + "".join(
        "<c/>" if not value else
        f"{_TEXT}{value}</t></is></c>" if value[0] > " " < value[-1] else f"{_SPACED}{value}</t></is></c>"
        for value in cells) + "</row>"


def _sheet_head(header: list[str]) -> str:
    cols = "".join(f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>'
                   for n, width in enumerate(WIDTHS, start=1))
    return (f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            f'<cols>{cols}</cols><sheetData><row>{"".join(_cell(name, BOLD) for name in header)}</row>')


class _Pieces(io.RawIOBase):
    """Where the zip is written: bytes kept until the response takes them."""

    def __init__(self) -> None:
        self.held = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.held += data
        return len(data)

    def take(self) -> bytes:
        piece = bytes(self.held)
        self.held.clear()
        return piece


def stream_xlsx(table: Iterable[list[str]], title: str = "registrations") -> Iterator[bytes]:
    """The XLSX, one sheet: the header in bold and frozen, then a row per row of `table`,
    sent in pieces as the zip grows (its sizes in data descriptors, as for any zip written
    to a stream)."""
    out = _Pieces()
    rows = iter(table)
    name = _SHEET_NAME.sub("", title)[:31] or "registrations"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for part, text in _PARTS.items():
            archive.writestr(part, text)
        archive.writestr("xl/workbook.xml", (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets>'
            f'<sheet name="{_cell_text(name)}" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(_sheet_head(next(rows)).encode())
            batch: list[str] = []
            for row in rows:
                batch.append(_row(row))
                if len(batch) == STREAM_BATCH:
                    sheet.write("".join(batch).encode())
                    batch.clear()
                    yield out.take()
            sheet.write(("".join(batch) + "</sheetData></worksheet>").encode())
    yield out.take()


def _cell_text(value: str) -> str:
    return _NOT_XML.sub("", value).translate(_XML_ESCAPES).replace('"', "&quot;")
