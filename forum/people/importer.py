"""Registrations of a forum from a CSV or XLSX file: all rows or none.

Every row is checked first, and each bad row is reported with its line number and the
reason; then nothing is imported. When every row is good, all are imported in one
transaction (the caller commits). The same phone is the same person: a person already in
the database is reused (their details are completed, never overwritten), two rows with one
phone are a duplicate, and so is a person already registered at the forum (or skipped, when
asked). A row without a phone is matched by its name among people who have no phone.

The first row names the columns, in any order (see `vocabulary` for the names and values
understood in English, Russian and Tajik).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from forum.events.models import Forum
from forum.extensions import db
from forum.people import service
from forum.people.codes import new_badge_secret, new_private_token
from forum.people.models import Organization, Person, Registration
from forum.people.phones import PhoneError, normalize_phone
from forum.people.sheets import SheetError, read_table
from forum.people.vocabulary import HEADERS, IGNORED, REQUIRED, Vocabulary, norm

MAX_LENGTH = {"full_name": 200, "email": 254, "organization": 300}

MESSAGES = {
    "too_large": _l("The file is larger than %(limit)s MB. Split it into several files."),
    "too_many_rows": _l("The file has more than %(limit)s participants. Split it into several files."),
    "unsupported_type": _l("Only CSV and XLSX files can be imported. In Excel use «Save as» and choose "
                           "«CSV UTF-8» or «Excel workbook (.xlsx)»."),
    "old_xls": _l("Old Excel files (.xls) cannot be read. In Excel use «Save as» and choose "
                  "«Excel workbook (.xlsx)» or «CSV UTF-8»."),
    "not_utf8": _l("The file is not in UTF-8, so Cyrillic letters would be lost. In Excel use «Save as» and "
                   "choose «CSV UTF-8»."),
    "unreadable_csv": _l("The CSV file could not be read. Open it in Excel and save it again as «CSV UTF-8»."),
    "unreadable_xlsx": _l("The XLSX file could not be read. Open it in Excel and save it again."),
    "empty": _l("The file has no participants: the first row names the columns, the next rows are people."),
    "missing_column": _l("The column «%(column)s» is missing. The first row must name the columns."),
    "duplicate_column": _l("The column «%(column)s» appears twice."),
    "unknown_columns": _l("These columns are not used: %(columns)s."),
    "first_sheet_only": _l("Only the sheet «%(sheet)s» was read; the other sheets are ignored."),
    "missing_name": _l("The name is empty."),
    "too_long": _l("«%(column)s» is longer than %(limit)s characters."),
    "bad_phone": _l("«%(value)s» is not a phone number we can call."),
    "bad_email": _l("«%(value)s» is not an email address."),
    "bad_language": _l("Unknown language «%(value)s»: write ru, tg or en."),
    "bad_gender": _l("Unknown gender «%(value)s»: write f or m, or leave it empty."),
    "bad_kind": _l("Unknown organization kind «%(value)s»."),
    "ambiguous_organization": _l("Several organizations are called «%(value)s»: fill in organization_kind."),
    "bad_district": _l("Unknown district «%(value)s»."),
    "bad_jamoat": _l("Unknown jamoat «%(value)s»."),
    "jamoat_not_in_district": _l("The jamoat «%(value)s» is not in the district «%(district)s»."),
    "ambiguous_jamoat": _l("Several jamoats are called «%(value)s»: fill in the district."),
    "missing_category": _l("The category is empty."),
    "bad_category": _l("Unknown category «%(value)s»."),
    "bad_status": _l("Unknown status «%(value)s»."),
    "same_phone_in_file": _l("The phone %(phone)s is already on line %(other)s: one person, one row."),
    "same_name_in_file": _l("«%(name)s» without a phone is already on line %(other)s."),
    "already_registered": _l("%(name)s is already registered at this forum."),
    "skipped": _l("%(name)s is already registered at this forum: row skipped."),
    "known_phone": _l("The phone belongs to %(name)s, who is already in the list: that person is registered "
                      "(the file says «%(value)s»)."),
    "conflict": _l("The list changed while importing, so nothing was imported. Please try again."),
}


@dataclass
class Issue:
    line: int | None  # the row number a spreadsheet shows (header = 1); None for the whole file
    code: str
    params: dict = field(default_factory=dict)


@dataclass
class ImportReport:
    errors: list[Issue] = field(default_factory=list)  # any error means nothing was imported
    notes: list[Issue] = field(default_factory=list)  # worth knowing, not stopping
    rows: int = 0  # participants in the file
    registered: int = 0
    new_people: int = 0
    known_people: int = 0
    new_organizations: int = 0
    skipped: int = 0
    imported: bool = False  # False for a check only, or when refused

    @property
    def ok(self) -> bool:
        return not self.errors


def describe(issue: Issue) -> str:
    """The issue in the current language, with its line number."""
    text = str(MESSAGES[issue.code]) % issue.params
    return _("Line %(line)s: %(text)s", line=issue.line, text=text) if issue.line else text


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


# --- checking rows -----------------------------------------------------------------------------

@dataclass
class Row:
    line: int
    full_name: str
    phone: str | None = None
    email: str | None = None
    language: str = "ru"
    gender: str | None = None
    organization: Organization | None = None
    new_organization: tuple[str, str] | None = None  # (name, kind) to create
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
        bad("missing_category")
    else:
        row.category = words.categories.get(norm(cell["category"]), "")
        if not row.category:
            bad("bad_category", value=cell["category"])
    _check_organization(row, cell, words, bad)
    _check_place(row, cell, words, bad)
    return row, issues


def _check_organization(row: Row, cell: dict[str, str], words: Vocabulary, bad) -> None:
    name, kind_text = " ".join(cell.get("organization", "").split()), cell.get("organization_kind", "")
    kind = words.kinds.get(norm(kind_text)) if kind_text else None
    if kind_text and kind is None:
        bad("bad_kind", value=kind_text)
        return
    if not name:
        return
    known = [o for o in words.organizations.get(norm(name), []) if kind is None or o.kind == kind]
    if len(known) > 1:
        bad("ambiguous_organization", value=name)
    elif known:
        row.organization = known[0]
    else:
        row.new_organization = (name, kind or "shg")


def _check_place(row: Row, cell: dict[str, str], words: Vocabulary, bad) -> None:
    district = None
    if cell.get("district"):
        district = words.districts.get(norm(cell["district"]))
        if district is None:
            bad("bad_district", value=cell["district"])
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


def _known_persons(rows: list[Row]) -> tuple[dict[str, Person], dict[str, Person]]:
    """People already in the database: by phone, and (for rows without a phone) by name."""
    phones = sorted({r.phone for r in rows if r.phone})
    names = sorted({r.full_name.lower() for r in rows if not r.phone})
    by_phone: dict[str, Person] = {}
    by_name: dict[str, Person] = {}
    for start in range(0, len(phones), 500):
        for person in db.session.scalars(sa.select(Person).where(Person.phone.in_(phones[start:start + 500]))):
            by_phone[person.phone] = person
    for start in range(0, len(names), 500):
        chunk = names[start:start + 500]
        for person in db.session.scalars(sa.select(Person).where(
                Person.phone.is_(None), sa.func.lower(Person.full_name).in_(chunk)).order_by(Person.id)):
            by_name.setdefault(norm(person.full_name), person)
    return by_phone, by_name


def check_rows(forum: Forum, table, report: ImportReport, skip_existing: bool) -> list[Row]:
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
        report.errors += issues
        if not issues:  # a bad row is reported once, for what is wrong in it
            rows.append(row)
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
        to_import.append(row)
    report.errors.sort(key=lambda issue: issue.line or 0)
    report.notes.sort(key=lambda issue: issue.line or 0)
    return to_import


# --- importing -----------------------------------------------------------------------------------

def _apply(forum: Forum, rows: list[Row], report: ImportReport) -> None:
    new_orgs: dict[tuple[str, str], Organization] = {}
    with db.session.no_autoflush:
        for row in rows:
            org = row.organization
            if row.new_organization:
                name, kind = row.new_organization
                org = new_orgs.get((norm(name), kind))
                if org is None:
                    org = Organization(name=name, kind=kind, district_id=row.district_id, jamoat_id=row.jamoat_id)
                    db.session.add(org)
                    new_orgs[(norm(name), kind)] = org
            person = row.person
            if person is None:
                person = Person(full_name=row.full_name, phone=row.phone, email=row.email, language=row.language,
                                gender=row.gender, organization=org, district_id=row.district_id,
                                jamoat_id=row.jamoat_id)
                db.session.add(person)
                report.new_people += 1
            else:  # complete what we did not know, never overwrite
                person.email = person.email or row.email
                person.gender = person.gender or row.gender
                if person.organization_id is None and org is not None:
                    person.organization = org
                if person.district_id is None and person.jamoat_id is None:
                    person.district_id, person.jamoat_id = row.district_id, row.jamoat_id
                report.known_people += 1
            db.session.add(Registration(forum=forum, person=person, category=row.category, status=row.status,
                                        source="import", badge_secret=new_badge_secret(),
                                        token=new_private_token()))
            report.registered += 1
    report.new_organizations = len(new_orgs)


def import_registrations(forum: Forum, filename: str, data: bytes, skip_existing: bool = False,
                         check_only: bool = False) -> ImportReport:
    """Register at `forum` the people of a CSV or XLSX file, all of them or none.

    Promises: when the report has errors the session holds no change from this import;
    otherwise (and unless `check_only`) every row is registered, flushed in one go, and
    the caller commits. A clash with a concurrent change rolls the session back and is
    reported as an error.
    """
    report = ImportReport()
    try:
        table = read_table(filename, data)
    except SheetError as error:
        report.errors.append(Issue(None, error.code, error.params))
        return report
    rows = check_rows(forum, table, report, skip_existing)
    if report.errors or check_only:
        return report
    _apply(forum, rows, report)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        report.errors.append(Issue(None, "conflict"))
        report.registered = report.new_people = report.known_people = report.new_organizations = 0
        return report
    report.imported = True
    return report
