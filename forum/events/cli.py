"""`flask --app wsgi forum copy SOURCE NEW-SLUG --date YYYY-MM-DD`: the next forum, the whole
setup and no people, as the page "Copy as the next forum" makes it."""
from __future__ import annotations

from datetime import datetime

import click
from flask_babel import force_locale
from flask_babel import gettext as _

from forum.extensions import db
from forum.i18n import current_language


@click.command("copy")
@click.argument("source")
@click.argument("new_slug", metavar="NEW-SLUG")
@click.option("--date", "day", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The new forum's first day, YYYY-MM-DD; every time moves by the same number of days.")
@click.option("--lang", type=click.Choice(["ru", "tg", "en"]), default=None,
              help="Language of the output (default: that of `flask forum --lang`, else Russian).")
def copy_command(source: str, new_slug: str, day: datetime, lang: str | None):
    """Copy forum SOURCE as a new draft forum NEW-SLUG starting on --date.

    Areas, agenda, checkpoints, stands and the floor plan, theatre slots, round-table quotas,
    drawing settings and job-fair booths are copied; people, registrations, scans,
    submissions and messages never. Nothing is written when the new address is taken.
    """
    from forum.events import service
    from forum.events.checklist import checklist
    from forum.events.forms import ERRORS

    with force_locale(lang or current_language()):  # else the language of `flask forum --lang`
        forum = service.forum_by_slug(source)
        if forum is None:
            raise click.ClickException(_("There is no forum with the address %(slug)s.", slug=source))
        try:
            made = service.copy_forum(forum, new_slug, day.date())
        except service.ForumError as error:
            db.session.rollback()
            raise click.ClickException(f"{new_slug}: {ERRORS[error.code]}") from None
        db.session.commit()
        click.echo(_("Created the draft forum %(slug)s.", slug=made.target.slug))
        click.echo(_("Copied:"))
        for line in made.lines:
            click.echo(f"  {line}")
        for note in made.notes:
            click.echo(f"  ! {note}")
        click.echo(_("Still to do:"))
        for todo in checklist(made.target):
            mark = "x" if todo.done else " "
            click.echo(f"  [{mark}] {todo.label}" + (f" ({todo.detail})" if todo.detail else ""))


commands = [copy_command]
