"""Registrations of a forum from a CSV or XLSX file: all rows or none.

Every row is checked first (`import_check`), and each bad row is reported with its line
number and the reason; then nothing is imported. When every row is good, all are written
(`import_apply`) in one transaction (the caller commits). The same phone is the same person:
a person already in the database is reused (their details are completed, never overwritten),
two rows with one phone are a duplicate, and so is a person already registered at the forum
(or skipped, when asked). A row without a phone is matched by its name among people who have
no phone. Which organization a row names is `import_orgs.resolve_organization`'s rule.

The first row names the columns, in any order (see `vocabulary` for the names and values
understood in English, Russian and Tajik). This module is the entry the pages, the command
and the partners' API call.
"""
from __future__ import annotations

import sqlalchemy as sa

from forum.events.models import Forum
from forum.extensions import db
from forum.people import import_apply, import_uploads
from forum.people.import_check import check_row, check_rows
from forum.people.import_report import MESSAGES, ImportReport, Issue, describe
from forum.people.import_uploads import KeptFile
from forum.people.sheets import SheetError, Table, read_table

__all__ = ["MESSAGES", "ImportReport", "Issue", "check_row", "describe", "import_registrations", "import_upload",
           "register_one"]


def import_registrations(forum: Forum, filename: str, data: bytes, skip_existing: bool = False,
                         check_only: bool = False, send_links: bool = False) -> ImportReport:
    """Register at `forum` the people of a CSV or XLSX file, all of them or none.

    Promises: when the report has errors the session holds no change from this import;
    otherwise (and unless `check_only`) every row is registered, inserted in batches, and
    the caller commits. A clash with a concurrent change rolls the session back and is
    reported as an error. With `send_links`, each person imported (not cancelled or
    declined) gets their personal link by SMS and email, in the same transaction.
    """
    report = ImportReport()
    try:
        table = read_table(filename, data)
    except SheetError as error:
        report.errors.append(Issue(None, error.code, error.params))
        return report
    _import(forum, table, report, skip_existing, check_only, send_links)
    return report


def register_one(forum: Forum, cells: dict[str, str]) -> ImportReport:
    """Register one participant given as a row of a file would be (column: text), by the same
    rules: the same checks, the same person found by phone (or by name without one), completed
    and never overwritten, and a person registered once per forum ("already_registered").
    The partners' API creates registrations with this. Promises as `import_registrations`;
    `report.created` holds the new registration."""
    report = ImportReport()
    _import(forum, Table(header=list(cells), rows=[(1, list(cells.values()))]), report, False, False)
    return report


def _import(forum: Forum, table: Table, report: ImportReport, skip_existing: bool, check_only: bool,
            send_links: bool = False) -> None:
    rows = check_rows(forum, table, report, skip_existing)
    if report.errors or check_only:
        return
    try:
        import_apply.apply_rows(forum, rows, report)
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        report.errors.append(Issue(None, "conflict"))
        report.registered = report.new_people = report.known_people = report.new_organizations = 0
        report.created_ids = []
        return
    if send_links:
        from forum.people.links import send_personal_link

        for registration in report.created:
            if registration.status not in ("cancelled", "declined") and send_personal_link(registration):
                report.links_sent += 1
    report.imported = True


def import_upload(forum: Forum, user_id: int, filename: str, data: bytes | None, kept_token: str = "", *,
                  check_only: bool = False, skip_existing: bool = False,
                  send_links: bool = False) -> tuple[ImportReport, KeptFile | None]:
    """The organizer's page: import (or only check) the file just chosen, or, when `data` is
    None, the one kept for this user and forum under `kept_token` by an earlier check.

    Promises as `import_registrations`. A file that can be imported as it is (no errors, or
    only people already registered, whom «skip» passes over) is kept and returned, so the page
    imports it without a second choice; a file imported, or found to need fixing, is deleted.
    A token unknown, someone else's or expired gives the error "kept_file_gone".
    """
    kept: KeptFile | None = None
    if data is None:
        kept = import_uploads.take(forum.id, user_id, kept_token)
        if kept is None:
            return ImportReport(errors=[Issue(None, "kept_file_gone")]), None
        filename, data = kept.filename, kept.data
    report = import_registrations(forum, filename, data, skip_existing=skip_existing, check_only=check_only,
                                  send_links=send_links)
    # worth keeping: a good file, or one refused only for people already registered (which
    # «Skip people already registered» imports); a file with other errors must be fixed first
    worth_keeping = all(issue.code == "already_registered" for issue in report.errors)
    if report.imported or not worth_keeping:
        if kept is not None:
            import_uploads.discard(kept.token)
        return report, None
    if kept is None:
        kept = KeptFile(import_uploads.keep(forum.id, user_id, filename, data), filename, data)
    return report, kept
