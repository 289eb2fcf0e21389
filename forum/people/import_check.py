"""Checking a table of participants before anything is written: each row read into a `Row`
or reported with its line number and reason; then duplicates in the file, people already in
the list (by phone, or by name for rows without a phone) and people already registered.

Nothing here writes to the database; `import_apply` writes what the check accepted.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email

from forum.events.models import Forum
from forum.extensions import db
from forum.people import service
from forum.people.forms import CATEGORY_LABELS
from forum.people.import_orgs import resolve_organization, settle_new_organizations
from forum.people.import_report import Choices, ImportReport, Issue
from forum.people.models import Organization, Person
from forum.people.phones import PhoneError, normalize_phone
from forum.people.sheets import Table
from forum.people.vocabulary import HEADERS, IGNORED, REQUIRED, Vocabulary, norm

MAX_LENGTH = {"full_name": 200, "email": 254, "organization": 300}
LOOKUP_CHUNK = 500  # values per IN (…): under SQLite's limit of bound parameters


def column_map(header: list[str]) -> tuple[dict[str, int], list[Issue], list[Issue]]:
    """Which cell holds which column; errors for missing or doubled columns, a note for unknown ones."""
    aliases = {norm(alias): key for key, names in HEADERS.items() for alias in names}
    columns: dict[str, int] = {}
    errors, unknown = [], []
    for index, name in enumerate(header):
        key = aliases.get(norm(name))
        if key is None:
            if name and norm(name) not in IGNORED:
                unknown.append(name)
        elif key in columns:
            errors.append(Issue(None, "duplicate_column", {"column": name}))
        else:
            columns[key] = index
    errors += [Issue(None, "missing_column", {"column": key}) for key in REQUIRED if key not in columns]
    notes = [Issue(None, "unknown_columns", {"columns": ", ".join(unknown)})] if unknown else []
    return columns, errors, notes


@dataclass
class Row:
    line: int
    full_name: str
    phone: str | None = None
    email: str | None = None
    language: str = "ru"
    gender: str | None = None
    organization: Organization | None = None
    new_organization: tuple[str, str | None] | None = None  # (name, kind) to create
    district_id: int | None = None
    jamoat_id: int | None = None
    category: str = ""
    status: str = "confirmed"
    person: Person | None = None  # the known person this row is about


def check_row(line: int, cell: dict[str, str], words: Vocabulary) -> tuple[Row, list[Issue]]:
    """One row read into a Row, with an Issue for each thing wrong in it."""
    issues: list[Issue] = []

    def bad(code: str, **params) -> None:
        issues.append(Issue(line, code, params))

    row = Row(line=line, full_name=" ".join(cell.get("full_name", "").split()))
    for column, limit in MAX_LENGTH.items():
        if len(cell.get(column, "")) > limit:
            bad("too_long", column=column, limit=limit)
    if len(row.full_name) < 2:
        bad("missing_name")
    if cell.get("phone"):
        try:
            row.phone = normalize_phone(cell["phone"])
        except PhoneError:
            bad("bad_phone", value=cell["phone"])
    if cell.get("email"):
        try:
            row.email = validate_email(cell["email"], check_deliverability=False).normalized
        except EmailNotValidError:
            bad("bad_email", value=cell["email"])
    for column, table, code in (("language", words.languages, "bad_language"),
                                ("gender", words.genders, "bad_gender"),
                                ("status", words.statuses, "bad_status")):
        if cell.get(column):
            value = table.get(norm(cell[column]))
            if value is None:
                bad(code, value=cell[column])
            else:
                setattr(row, column, value)
    if not cell.get("category"):
        bad("missing_category", valid=Choices(CATEGORY_LABELS.values()))
    else:
        row.category = words.categories.get(norm(cell["category"]), "")
        if not row.category:
            bad("bad_category", value=cell["category"], valid=Choices(CATEGORY_LABELS.values()))
    resolve_organization(row, cell, words, bad)
    _check_place(row, cell, words, bad)
    return row, issues


def _check_place(row: Row, cell: dict[str, str], words: Vocabulary, bad) -> None:
    district = None
    if cell.get("district"):
        district = words.districts.get(norm(cell["district"]))
        if district is None:
            bad("bad_district", value=cell["district"], valid=Choices(words.district_names()))
            return
        row.district_id = district.id
    if not cell.get("jamoat"):
        return
    found = words.jamoats.get(norm(cell["jamoat"]), [])
    if district is not None:
        inside = [j for j in found if j.district_id == district.id]
        if not inside:
            bad("jamoat_not_in_district" if found else "bad_jamoat", value=cell["jamoat"], district=cell["district"])
            return
        found = inside
    if not found:
        bad("bad_jamoat", value=cell["jamoat"])
    elif len(found) > 1:
        bad("ambiguous_jamoat", value=cell["jamoat"])
    else:
        row.jamoat_id, row.district_id = found[0].id, found[0].district_id


def _lost_letters(line: int, cell: dict[str, str]) -> list[Issue]:
    """Russian Excel saves CSV in Windows-1251, which has no Tajik letters: it writes "?" for
    each (Раҳимова → Ра?имова). Such a name would be imported wrong, so the row is refused."""
    return [Issue(line, "question_marks", {"value": cell[column]}) for column in ("full_name", "organization")
            if "?" in cell.get(column, "")]


def _known_persons(rows: list[Row]) -> tuple[dict[str | None, Person], dict[str, Person]]:
    """People already in the database: by phone, and (for rows without a phone) by name."""
    phones = sorted({r.phone for r in rows if r.phone})
    names = sorted({r.full_name.lower() for r in rows if not r.phone})
    by_phone: dict[str | None, Person] = {}
    by_name: dict[str, Person] = {}
    for condition in _among(Person.phone, phones):
        for person in db.session.scalars(sa.select(Person).where(condition)):
            by_phone[person.phone] = person
    for condition in _among(sa.func.lower(Person.full_name), names):
        for person in db.session.scalars(sa.select(Person).where(Person.phone.is_(None), condition).order_by(Person.id)):
            by_name.setdefault(norm(person.full_name), person)
    return by_phone, by_name


def _among(column, values: list[str]) -> list:
    """Conditions "column is one of values": on PostgreSQL one, with the values as one array
    parameter; on SQLite one per LOOKUP_CHUNK values (its limit of bound parameters)."""
    if not values:
        return []
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY

        return [column == sa.any_(sa.bindparam("among", values, type_=ARRAY(sa.String)))]
    return [column.in_(values[start:start + LOOKUP_CHUNK]) for start in range(0, len(values), LOOKUP_CHUNK)]


def check_rows(forum: Forum, table: Table, report: ImportReport, skip_existing: bool) -> list[Row]:
    """Every row checked; errors and notes go to the report; returns the rows to import."""
    columns, errors, notes = column_map(table.header)
    report.errors += errors
    report.notes += notes + [Issue(None, code, params) for code, params in table.notes]
    report.rows = len(table.rows)
    if errors:
        return []
    words = Vocabulary()
    rows: list[Row] = []
    for line, cells in table.rows:
        cell = {key: (cells[index] if index < len(cells) else "") for key, index in columns.items()}
        row, issues = check_row(line, cell, words)
        if table.encoding == "cp1251":
            issues += _lost_letters(line, cell)
        report.errors += issues
        if not issues:  # a bad row is reported once, for what is wrong in it
            rows.append(row)
    settle_new_organizations(rows, report)
    by_phone, by_name = _known_persons(rows)
    known_ids = [p.id for p in (*by_phone.values(), *by_name.values())]
    registered = service.registered_person_ids(forum, known_ids)
    first_line: dict[tuple[str, str], int] = {}
    to_import = []
    for row in rows:
        key = ("phone", row.phone) if row.phone else ("name", norm(row.full_name))
        if key in first_line:
            code, params = (("same_phone_in_file", {"phone": row.phone}) if row.phone
                            else ("same_name_in_file", {"name": row.full_name}))
            report.errors.append(Issue(row.line, code, dict(params, other=first_line[key])))
            continue
        first_line[key] = row.line
        row.person = by_phone.get(row.phone) if row.phone else by_name.get(norm(row.full_name))
        if row.person is not None and row.person.id in registered:
            if skip_existing:
                report.notes.append(Issue(row.line, "skipped", {"name": row.person.full_name}))
                report.skipped += 1
            else:
                report.errors.append(Issue(row.line, "already_registered", {"name": row.person.full_name}))
            continue
        if row.person is not None and norm(row.person.full_name) != norm(row.full_name):
            report.notes.append(Issue(row.line, "known_phone", {"name": row.person.full_name, "value": row.full_name}))
        _note_email(row, report)
        to_import.append(row)
    report.errors.sort(key=lambda issue: issue.line or 0)
    report.notes.sort(key=lambda issue: issue.line or 0)
    return to_import


def _note_email(row: Row, report: ImportReport) -> None:
    """A known person's email as the import will leave it, shown before anything is saved: a
    missing one is filled in from the file, a different one is kept (the file's is not used)."""
    person = row.person
    if person is None or not row.email or (person.email or "").lower() == row.email.lower():
        return
    if person.email:
        report.notes.append(Issue(row.line, "other_email", {"name": person.full_name, "old": person.email,
                                                            "value": row.email}))
    else:
        report.notes.append(Issue(row.line, "new_email", {"name": person.full_name, "value": row.email}))
