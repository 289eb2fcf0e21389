"""`flask --app wsgi forum report SLUG -o FILE [--lang tg] [--compare OTHER-SLUG]`."""
from __future__ import annotations

from pathlib import Path

import click
from flask_babel import gettext as _


@click.command("report")
@click.argument("slug")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write: .pdf for the report, .xlsx for its tables.")
@click.option("--lang", type=click.Choice(["ru", "tg", "en"]), default="ru", show_default=True,
              help="The report's language (the messages on the screen follow `flask forum --lang`).")
@click.option("--compare", "compare", multiple=True, metavar="SLUG",
              help="Another forum to set beside this one (repeatable).")
def report_command(slug: str, output: Path, lang: str, compare: tuple[str, ...]):
    """Write the report of forum SLUG: a PDF, or an XLSX of its tables, by the file's suffix."""
    from forum.events.service import forum_by_slug
    from forum.reports import service

    forum = forum_by_slug(slug)
    if forum is None:
        raise click.ClickException(_("There is no forum with the address %(slug)s.", slug=slug))
    fmt = output.suffix.lower().lstrip(".")
    try:
        report = service.build(forum, fmt, lang, list(compare))
    except service.ReportError as error:
        raise click.ClickException(str(service.ERRORS[error.code])) from None
    output.write_bytes(report.data)
    click.echo(_("The report of %(slug)s (%(lang)s, %(size)s KiB) is written to %(file)s", slug=slug, lang=lang,
                 size=len(report.data) // 1024, file=output))


commands = [report_command]
