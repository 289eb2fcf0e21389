"""Reading a table of participants from an uploaded CSV or XLSX file into plain text rows.

CSV: UTF-8 with or without a byte-order mark, else Windows-1251 (what Excel in a Russian
Windows writes for «CSV (разделители - запятые)»; it has no Tajik letters); the delimiter (`;` as Excel writes it in
Russian locales, `,` or tab) is taken from the header row. XLSX: the first sheet, read
streaming with openpyxl. Row numbers are the ones a spreadsheet shows (the header is row 1).
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

MAX_ROWS = 100_000  # a national forum's whole list in one file; imported in batches (import_apply.BATCH)
MAX_BYTES = 12 * 1024 * 1024  # 100,000 rows of CSV; under the upload limit (16 MB), so the refusal is ours
MAX_UNPACKED = 160 * 1024 * 1024  # an XLSX is a zip: refuse one that unpacks to a flood

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class SheetError(ValueError):
    """The file as a whole cannot be read; `code` and `params` make the message."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells)
    notes: list[tuple[str, dict]] = field(default_factory=list)  # (code, params) worth telling
    encoding: str = "utf-8"  # of a CSV file: "utf-8" or "cp1251"


def read_limited(stream, limit: int = MAX_BYTES) -> bytes:
    """At most `limit` bytes of an upload; one byte more means the file is too large."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise SheetError("too_large", limit=limit // (1024 * 1024))
    return data


def read_table(filename: str, data: bytes) -> Table:
    """The header and the non-empty rows of a CSV or XLSX file, as stripped strings."""
    if len(data) > MAX_BYTES:
        raise SheetError("too_large", limit=MAX_BYTES // (1024 * 1024))
    kind = file_kind(filename, data)
    table = _read_xlsx(data) if kind == "xlsx" else _read_csv(data)
    if len(table.rows) > MAX_ROWS:
        raise SheetError("too_many_rows", limit=MAX_ROWS)
    if not table.rows:
        raise SheetError("empty")
    return table


def file_kind(filename: str, data: bytes) -> str:
    """'csv' or 'xlsx', judged by the name and the first bytes; anything else is refused."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix == ".xls" or data.startswith(b"\xd0\xcf\x11\xe0"):  # the old binary Excel format
        raise SheetError("old_xls")
    if suffix in (".xlsx", ".xlsm"):
        if not data.startswith(b"PK\x03\x04"):
            raise SheetError("unreadable_xlsx")
        return "xlsx"
    if suffix in (".csv", ".txt", ""):
        if data.startswith(b"PK\x03\x04"):
            raise SheetError("unsupported_type")
        return "csv"
    raise SheetError("unsupported_type")


def clean_cell(value) -> str:
    """A cell as text: numbers without '.0', dates as YYYY-MM-DD, no control characters, and
    without the apostrophe our own export puts before =, +, -, @ against formula injection."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "1" if value else "0"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime | date):
        text = value.strftime("%Y-%m-%d")
    else:
        text = str(value)
    text = _CONTROL.sub(" ", text.replace("\u00a0", " ")).strip()
    if text.startswith("'"):
        text = text[1:].strip()
    return text


def _read_csv(data: bytes) -> Table:
    if b"\x00" in data:  # UTF-16 ("Unicode text" in Excel) or not a text file at all
        raise SheetError("not_utf8")
    encoding = "utf-8"
    notes: list[tuple[str, dict]] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Not UTF-8: Russian Excel's CSV is Windows-1251. Any byte sequence that is not UTF-8
        # decodes as 1251 (but 0x98), so this is a guess the report states, not a certainty.
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError:
            raise SheetError("not_utf8") from None
        encoding, notes = "cp1251", [("windows_1251", {})]
    first_line = text.split("\n", 1)[0]
    skip = 0
    if first_line.lower().startswith("sep=") and len(first_line.strip()) == 5:  # Excel's own hint line
        delimiter, skip = first_line.strip()[4], 1
    else:
        delimiter = max((";", ",", "\t"), key=first_line.count)
        if first_line.count(delimiter) == 0:
            delimiter = ","
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            cells = [clean_cell(c) for c in cells]
            if number <= skip:
                continue
            if header is None:
                if any(cells):  # blank lines above the header are skipped
                    header = cells
                continue
            if any(cells):
                rows.append((number, cells))
                if len(rows) > MAX_ROWS:
                    break
    except csv.Error:
        raise SheetError("unreadable_csv") from None
    if header is None:
        raise SheetError("empty")
    return Table(header=_trimmed(header), rows=rows, notes=notes, encoding=encoding)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise SheetError("too_large", limit=MAX_BYTES // (1024 * 1024))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except SheetError:
        raise
    except Exception:  # a broken zip or workbook: openpyxl raises many kinds
        raise SheetError("unreadable_xlsx") from None
    try:
        sheet = workbook.active or workbook.worksheets[0]
        notes = []
        if len(workbook.sheetnames) > 1:
            notes.append(("first_sheet_only", {"sheet": sheet.title}))
        header: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [clean_cell(v) for v in values]
            if header is None:
                if not any(cells):
                    continue  # blank rows above the header
                header = cells
                continue
            if any(cells):
                rows.append((number, cells))
                if len(rows) > MAX_ROWS:
                    break
    except Exception:
        raise SheetError("unreadable_xlsx") from None
    finally:
        workbook.close()
    if header is None:
        raise SheetError("empty")
    return Table(header=_trimmed(header), rows=rows, notes=notes)


def _trimmed(header: list[str]) -> list[str]:
    while header and not header[-1]:
        header.pop()
    return header
