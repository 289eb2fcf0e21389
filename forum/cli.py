"""`flask --app wsgi forum …` commands. None of them prompts when stdin is not a terminal."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from forum.extensions import db
from forum.people.cli import import_command as people_import_command

forum_cli = AppGroup("forum", help="Forum commands: demo data, users, tokens, imports.")
forum_cli.add_command(people_import_command)  # people is core: not found by forum.features


@forum_cli.command("demo")
@click.option("--if-empty", is_flag=True, help="Only when the database has no forum yet (make run).")
def demo_command(if_empty: bool):
    """Load the two forums of the press release (idempotent)."""
    import sqlalchemy as sa

    from forum import demo
    from forum.auth.service import find_user
    from forum.events.models import Forum

    if if_empty and db.session.scalar(sa.select(sa.func.count(Forum.id))):
        click.echo("The database already has forums; demo not loaded.")
    else:
        forums = demo.load()
        for slug, forum in forums.items():
            click.echo(f"{slug}: {len(forum.registrations)} registrations")
    if find_user(demo.DEMO_ORGANIZER_EMAIL):
        click.echo(f"Demo organizer login: {demo.DEMO_ORGANIZER_EMAIL} / password {demo.DEMO_ORGANIZER_PASSWORD}")


user_cli = AppGroup("user", help="User accounts.")
forum_cli.add_command(user_cli)


@user_cli.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(["organizer", "staff", "employer", "jury"]))
@click.option("--password", default=None, help="Generated and printed when not given.")
@click.option("--name", default="", help="Shown to colleagues, e.g. in scan logs.")
def user_create(email: str, role: str, password: str | None, name: str):
    """Create a user with a role."""
    from forum.auth.service import UserError, create_user

    try:
        user, plain = create_user(email, role, password=password, name=name)
    except UserError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}")
    if password is None:
        click.echo(f"Password: {plain}")


token_cli = AppGroup("token", help="API tokens.")
forum_cli.add_command(token_cli)


@token_cli.command("create")
@click.argument("email")
@click.option("--name", default="", help="What the token is for, e.g. 'door phone 3'.")
def token_create(email: str, name: str):
    """Create an API token for a user; it is printed once and stored hashed."""
    from forum.auth.service import create_token, find_user

    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no user with email {email}")
    _token, plain = create_token(user, name=name)
    db.session.commit()
    click.echo(plain)
    if sys.stdout.isatty():
        click.echo("Store it now: it cannot be shown again.", err=True)


@forum_cli.command("backup")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Where to write the copy.")
def backup_command(output: str):
    """A consistent copy of the database (SQLite file, or pg_dump custom format)."""
    from pathlib import Path

    from forum.backup import BackupError, backup

    try:
        path = backup(db.engine, Path(output))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written to {path} ({path.stat().st_size} bytes)")
