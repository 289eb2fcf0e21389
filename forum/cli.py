"""`flask --app wsgi forum …` commands. None of them prompts when stdin is not a terminal.

They speak one language: the one given by `flask forum --lang en …` or FORUM_LANG, else the
site's default (Russian). The group enters Flask-Babel's force_locale around the command.
"""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup, ScriptInfo
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from forum.events.cli import copy_command as events_copy_command
from forum.extensions import db
from forum.people.cli import import_command as people_import_command

LANGUAGES = ("ru", "tg", "en")


def _speak(ctx: click.Context, _param: click.Parameter, lang: str | None) -> str | None:
    """Run the whole command in `lang` (or the site's default): the locale stays forced for as
    long as the group's context lives, which is until its command has finished."""
    if not current_app:
        ctx.with_resource(ctx.ensure_object(ScriptInfo).load_app().app_context())
    ctx.with_resource(force_locale(lang or current_app.config["BABEL_DEFAULT_LOCALE"]))
    return lang


forum_cli = AppGroup("forum", help="Forum commands: demo data, users, tokens, imports.", params=[
    click.Option(["--lang"], type=click.Choice(LANGUAGES), envvar="FORUM_LANG", callback=_speak,
                 expose_value=False, help="Language of the messages (default: FORUM_LANG, else Russian).")])
forum_cli.add_command(people_import_command)  # people is core: not found by forum.features
forum_cli.add_command(events_copy_command)  # events is core too


@forum_cli.command("demo")
@click.option("--if-empty", is_flag=True, help="Only when the database has no forum yet (make run).")
def demo_command(if_empty: bool):
    """Load the two forums of the press release (idempotent)."""
    import sqlalchemy as sa

    from forum import demo
    from forum.auth.service import find_user
    from forum.events.models import Forum

    if if_empty and db.session.scalar(sa.select(sa.func.count(Forum.id))):
        click.echo(_("The database already has forums; demo not loaded."))
    else:
        forums = demo.load()
        for slug, forum in forums.items():
            click.echo(ngettext("%(slug)s: %(num)s registration", "%(slug)s: %(num)s registrations",
                                    len(forum.registrations), slug=slug))
    if find_user(demo.DEMO_ORGANIZER_EMAIL):
        click.echo(_("Demo organizer login: %(email)s / password %(password)s", email=demo.DEMO_ORGANIZER_EMAIL,
                     password=demo.DEMO_ORGANIZER_PASSWORD))


user_cli = AppGroup("user", help="User accounts.")
forum_cli.add_command(user_cli)


@user_cli.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(["admin", "organizer", "staff", "employer", "jury"]))
@click.option("--forum", "slugs", multiple=True, metavar="SLUG",
              help="A forum where the user holds the role (repeatable); not for admin and employer.")
@click.option("--password", default=None, help="Generated and printed when not given.")
@click.option("--name", default="", help="Shown to colleagues, e.g. in scan logs.")
def user_create(email: str, role: str, slugs: tuple[str, ...], password: str | None, name: str):
    """Create a user with a role, at the given forums."""
    from forum.auth.models import FORUM_ROLES
    from forum.auth.service import UserError, create_user
    from forum.events.service import forum_by_slug

    forums = [forum_by_slug(slug) for slug in slugs]
    unknown = [slug for slug, forum in zip(slugs, forums, strict=True) if forum is None]
    if unknown:
        raise click.ClickException(_("There is no forum with the address %(slug)s.", slug=", ".join(unknown)))
    try:
        user, plain = create_user(email, role, password=password, name=name, forums=[f for f in forums if f])
    except UserError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(_("Created %(role)s %(email)s at %(forums)s", role=user.role, email=user.email, forums=", ".join(slugs))
               if slugs else _("Created %(role)s %(email)s", role=user.role, email=user.email))
    if role in FORUM_ROLES and not slugs:
        click.echo(_("No forum yet: an organizer adds them to a forum's team, or repeat with --forum."))
    if password is None:
        click.echo(_("Password: %(password)s", password=plain))


token_cli = AppGroup("token", help="API tokens.")
forum_cli.add_command(token_cli)


@token_cli.command("create")
@click.argument("email")
@click.option("--name", default="", help="What the token is for, e.g. 'door phone 3'.")
@click.option("--forum", "slug", default=None, help="Only for this forum (a partner's token).")
@click.option("--read-only", is_flag=True, help="Only for reading: creating or changing is refused.")
def token_create(email: str, name: str, slug: str | None, read_only: bool):
    """Create an API token for a user; it is printed once and stored hashed."""
    from forum.auth.service import create_token, find_user
    from forum.events.service import forum_by_slug

    user = find_user(email)
    if user is None:
        raise click.ClickException(_("There is no user with the email %(email)s.", email=email))
    forum = forum_by_slug(slug) if slug else None
    if slug and forum is None:
        raise click.ClickException(_("There is no forum with the address %(slug)s.", slug=slug))
    _token, plain = create_token(user, name=name, forum=forum, read_only=read_only)
    db.session.commit()
    click.echo(plain)
    if sys.stdout.isatty():
        click.echo(_("Store it now: it cannot be shown again."), err=True)


@token_cli.command("list")
def token_list():
    """API tokens: id, user, name, first characters, forum and read-only, created, revoked."""
    from forum.auth.service import tokens

    def when(moment):
        return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"

    rows = tokens()
    if not rows:
        click.echo(_("No API tokens."))
    for token in rows:
        state = _("revoked %(when)s", when=when(token.revoked_at)) if token.revoked_at else _("active")
        scope = (token.forum.slug if token.forum else _("all forums")) + (_(", read only") if token.read_only else "")
        click.echo(f"{token.id}\t{token.user.email}\t{token.name or '-'}\t{token.prefix}…\t{scope}\t"
                   + _("created %(when)s", when=when(token.created_at)) + f"\t{state}")


@token_cli.command("revoke")
@click.argument("token_id", type=int)
def token_revoke(token_id: int):
    """Revoke an API token by its id (see `token list`): the API refuses it from then on."""
    from forum.auth.models import ApiToken
    from forum.auth.service import revoke_token

    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise click.ClickException(_("There is no API token with the id %(id)s.", id=token_id))
    if revoke_token(token):
        db.session.commit()
        click.echo(_("Revoked token %(id)s (%(prefix)s…) of %(email)s", id=token.id, prefix=token.prefix,
                     email=token.user.email))
    else:
        click.echo(_("Token %(id)s was already revoked", id=token.id))


@forum_cli.command("backup")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Where to write the archive.")
def backup_command(output: str):
    """One archive (tar.gz, mode 0600) of the database and the uploaded photos and drawings."""
    from pathlib import Path

    from flask import current_app

    from forum.backup import BackupError, backup

    try:
        path = backup(db.engine, current_app.config["UPLOAD_DIR"], Path(output))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(_("Backup written to %(path)s (%(size)s bytes)", path=path, size=path.stat().st_size))


@forum_cli.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Overwrite the database and the uploads that are there now.")
def restore_command(archive: str, yes: bool):
    """Bring back the database and the uploads from a `backup` archive. Stop the site and the
    outbox workers first: the database is replaced under them."""
    from flask import current_app

    from forum.backup import BackupError, holds_data, restore

    upload_dir = current_app.config["UPLOAD_DIR"]
    db.session.remove()
    if holds_data(db.engine, upload_dir) and not yes:
        raise click.ClickException(_("The database or the upload folder holds data; "
                                     "add --yes to replace it with the archive's."))
    try:
        manifest = restore(db.engine, upload_dir, archive)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(_("Restored the %(database)s backup of %(created)s and its uploads", database=manifest["database"],
                 created=manifest["created_at"]))
