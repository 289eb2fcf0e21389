"""The export floors: one bare SQL statement of the columns the export writes (the first
arrival as a correlated subquery), read in batches and written as it is read, outside the
product: with csv.writer, or as an XLSX sheet of inline strings in a deflated zip (the least
a spreadsheet opens). No labels, no languages, no formula guard."""
from __future__ import annotations

import csv
import io
import zipfile
from xml.sax.saxutils import escape

import sqlalchemy as sa

SQL = sa.text(
    "SELECT p.full_name, p.phone, p.email, p.language, p.gender, o.name, o.kind, "
    "coalesce(pd.name, od.name), coalesce(pj.name, oj.name), r.category, r.status, r.created_at, "
    "(SELECT min(c.created_at) FROM checkin c WHERE c.registration_id = r.id AND c.reason = 'first' "
    "AND c.undone_at IS NULL) "
    "FROM registration r JOIN person p ON p.id = r.person_id LEFT JOIN organization o ON o.id = p.organization_id "
    "LEFT JOIN district pd ON pd.id = p.district_id LEFT JOIN district od ON od.id = o.district_id "
    "LEFT JOIN jamoat pj ON pj.id = p.jamoat_id LEFT JOIN jamoat oj ON oj.id = o.jamoat_id "
    "WHERE r.forum_id = :f ORDER BY p.full_name, r.id")


def _rows(engine, forum_id: int):
    with engine.connect() as connection:
        yield from connection.execution_options(yield_per=1000).execute(SQL, {"f": forum_id})


def bare_csv(engine, forum_id: int) -> int:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    sent = 0
    for row in _rows(engine, forum_id):
        writer.writerow(row)
        if out.tell() > 1 << 16:
            sent += len(out.getvalue().encode())
            out.seek(0)
            out.truncate()
    return sent + len(out.getvalue().encode())


class _Sink(io.RawIOBase):
    """A write-only stream that counts what would be sent."""

    def __init__(self):
        self.sent = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.sent += len(data)
        return len(data)


def bare_xlsx(engine, forum_id: int) -> int:
    sink = _Sink()
    with (zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,  # as the product's
          archive.open("xl/worksheets/sheet1.xml", "w") as sheet):
        sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        lines = []
        for row in _rows(engine, forum_id):
            lines.append("<row>" + "".join("<c/>" if v is None else f'<c t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'
                                           for v in row) + "</row>")
            if len(lines) == 1000:
                sheet.write("".join(lines).encode())
                lines.clear()
        sheet.write(("".join(lines) + "</sheetData></worksheet>").encode())
    return sink.sent
