"""`flask --app wsgi forum import SLUG FILE`: registrations from a CSV or XLSX file, all or nothing."""
from __future__ import annotations

from pathlib import Path

import click
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from forum.extensions import db
from forum.i18n import current_language


@click.command("import")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-existing", is_flag=True, help="Skip people already registered at the forum instead of refusing.")
@click.option("--check", "check_only", is_flag=True, help="Check the file and print the report; import nothing.")
@click.option("--send-links", is_flag=True, help="Send each person imported their personal link by SMS (and email).")
@click.option("--lang", type=click.Choice(["ru", "tg", "en"]), default=None,
              help="Language of the report (default: that of `flask forum --lang`, else Russian).")
def import_command(slug: str, file: Path, skip_existing: bool, check_only: bool, send_links: bool,
                   lang: str | None):
    """Import registrations of forum SLUG from FILE (.csv or .xlsx).

    Every row is checked first; if any is wrong, nothing is imported, each problem is
    printed with its line number, and the exit code is 1.
    """
    from forum.events.service import forum_by_slug
    from forum.people import importer
    from forum.people.import_report import ImportReport, Issue, describe
    from forum.people.sheets import MAX_BYTES, SheetError, read_limited

    forum = forum_by_slug(slug)
    if forum is None:
        raise click.ClickException(_("There is no forum with the address %(slug)s.", slug=slug))
    with force_locale(lang or current_language()):  # else the language of `flask forum --lang`
        try:
            with file.open("rb") as stream:
                data = read_limited(stream, MAX_BYTES)
        except SheetError as error:
            report = ImportReport(errors=[Issue(None, error.code, error.params)])
        else:
            report = importer.import_registrations(forum, file.name, data, skip_existing=skip_existing,
                                                   check_only=check_only, send_links=send_links)
        if report.imported:
            db.session.commit()
        else:
            db.session.rollback()
        for issue in report.errors:
            click.echo(describe(issue), err=True)
        for issue in report.notes:
            click.echo(describe(issue))
        if report.imported:
            click.echo(_("Imported registrations: %(registered)s; new people: %(new)s; already in the list: %(known)s; "
                         "new organizations: %(orgs)s.", registered=report.registered, new=report.new_people,
                         known=report.known_people, orgs=report.new_organizations))
        elif report.ok:
            click.echo(ngettext("%(num)s row is good. Nothing is imported yet: run the command without --check "
                                "to import it.", "All %(num)s rows are good. Nothing is imported yet: run the command "
                                "without --check to import them.", report.rows))
        else:
            click.echo(ngettext("Nothing was imported: %(num)s problem must be fixed in the file first.",
                                "Nothing was imported: %(num)s problems must be fixed in the file first.",
                                len(report.errors)), err=True)
            raise SystemExit(1)


commands = [import_command]
