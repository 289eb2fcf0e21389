"""What an import of registrations tells the organizer: the issues found (errors stop the
import, notes do not), their messages in the three languages, and the counts of what was done."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from forum.extensions import db
from forum.people.models import Registration

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
    "windows_1251": _l("The file was read as Windows-1251 (Cyrillic CSV of Russian Excel). This encoding has no "
                       "Tajik letters (ғ ӣ қ ӯ ҳ ҷ): if names show «?» instead, save the file as «CSV UTF-8» "
                       "or «Excel workbook (.xlsx)»."),
    "question_marks": _l("«%(value)s» has «?» where a letter should be: Excel put it for a Tajik letter the "
                         "file's encoding lacks. Save the file as «CSV UTF-8» or «Excel workbook (.xlsx)»."),
    "missing_name": _l("The name is empty."),
    "too_long": _l("«%(column)s» is longer than %(limit)s characters."),
    "bad_phone": _l("«%(value)s» is not a phone number we can call."),
    "bad_email": _l("«%(value)s» is not an email address."),
    "bad_language": _l("Unknown language «%(value)s»: write ru, tg or en."),
    "bad_gender": _l("Unknown gender «%(value)s»: write f or m, or leave it empty."),
    "bad_kind": _l("Unknown organization kind «%(value)s». Write one of: %(valid)s."),
    "ambiguous_organization": _l("Several organizations are called «%(value)s»: fill in organization_kind."),
    "new_organization_kind": _l("«%(value)s» is not in the list of organizations: to add it, fill in "
                                "organization_kind with one of %(kinds)s (or add the organization, or this name "
                                "as one of its other names, on the organizations page)."),
    "bad_district": _l("Unknown district «%(value)s». Write one of: %(valid)s."),
    "bad_jamoat": _l("Unknown jamoat «%(value)s»."),
    "jamoat_not_in_district": _l("The jamoat «%(value)s» is not in the district «%(district)s»."),
    "ambiguous_jamoat": _l("Several jamoats are called «%(value)s»: fill in the district."),
    "missing_category": _l("The category is empty. Write one of: %(valid)s."),
    "bad_category": _l("Unknown category «%(value)s». Write one of: %(valid)s."),
    "bad_status": _l("Unknown status «%(value)s»."),
    "same_phone_in_file": _l("The phone %(phone)s is already on line %(other)s: one person, one row."),
    "same_name_in_file": _l("«%(name)s» without a phone is already on line %(other)s."),
    "already_registered": _l("%(name)s is already registered at this forum."),
    "skipped": _l("%(name)s is already registered at this forum: row skipped."),
    "known_phone": _l("The phone belongs to %(name)s, who is already in the list: that person is registered "
                      "(the file says «%(value)s»)."),
    "new_email": _l("%(name)s, already in the list, gets the email %(value)s (none was recorded)."),
    "other_email": _l("%(name)s, already in the list, keeps the email %(old)s; the file says %(value)s."),
    "conflict": _l("The list changed while importing, so nothing was imported. Please try again."),
    "kept_file_gone": _l("The checked file is no longer kept (it expires after an hour). Please choose it again."),
}


class Choices:
    """The values a column accepts, named in the language of whoever reads the message: it
    is made when the row is checked and turned into text when the report is shown. Each
    choice is a translatable label, or a place's names by language ({"ru": …, "tg": …})."""

    def __init__(self, labels: Iterable):
        self.labels = list(labels)

    def __str__(self) -> str:
        from forum.i18n import current_language

        lang = current_language()
        names = [label.get(lang) or label.get("ru") or next(iter(label.values()), "") if isinstance(label, dict)
                 else str(label) for label in self.labels]
        return ", ".join(f"«{name}»" for name in names if name)

    def __repr__(self) -> str:
        return f"Choices({len(self.labels)})"


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
    links_sent: int = 0  # people whose personal link was queued (when asked)
    imported: bool = False  # False for a check only, or when refused
    created_ids: list[int] = field(default_factory=list)  # the registrations made, once imported

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def created(self) -> list[Registration]:
        """The registrations made, as objects: one query (the import itself builds none)."""
        if not self.created_ids:
            return []
        found = {r.id: r for r in db.session.scalars(sa.select(Registration).where(Registration.id.in_(self.created_ids)))}
        return [found[i] for i in self.created_ids]


def describe(issue: Issue) -> str:
    """The issue in the current language, with its line number."""
    text = message(issue)
    return _("Line %(line)s: %(text)s", line=issue.line, text=text) if issue.line else text


def message(issue: Issue) -> str:
    """The issue's text in the current language, without its line number."""
    return str(MESSAGES[issue.code]) % issue.params
