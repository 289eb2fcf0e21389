"""`flask --app wsgi forum badges SLUG -o badges.pdf [filters]`: one PDF of badges."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask_babel import gettext as _
from flask_babel import ngettext

from forum.extensions import db
from forum.people.models import CATEGORIES


@click.command("badges")
@click.argument("slug")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The PDF to write.")
@click.option("--category", "categories", multiple=True, type=click.Choice(CATEGORIES), help="Only this category (repeatable).")
@click.option("--organization", default=None, help="Only members of this organization (id or exact name).")
@click.option("--not-printed", is_flag=True, help="Only badges not marked printed yet.")
@click.option("--sheet", type=click.Choice(["a4", "labels", "a6"]), default="a4", show_default=True,
              help="a4: 4 A6 badges per A4 page with cut marks; labels: 8 labels per A4; a6: one badge per page.")
@click.option("--mark-printed", is_flag=True, help="Mark the badges printed once the PDF is written.")
def badges_command(slug: str, output: Path, categories: tuple[str, ...], organization: str | None,
                   not_printed: bool, sheet: str, mark_printed: bool):
    """Write the badges of forum SLUG (all, or those the filters choose) into one PDF."""
    import sqlalchemy as sa

    from forum.badges import service
    from forum.badges.pdf import render
    from forum.events.service import forum_by_slug
    from forum.people.models import Organization

    forum = forum_by_slug(slug)
    if forum is None:
        raise click.ClickException(_("There is no forum with the address %(slug)s.", slug=slug))
    organization_id = None
    if organization:
        if organization.isdigit():
            organization_id = int(organization)
        else:
            organization_id = db.session.scalar(sa.select(Organization.id).where(Organization.name == organization))
        if organization_id is None or db.session.get(Organization, organization_id) is None:
            raise click.ClickException(_("There is no organization %(name)s.", name=repr(organization)))
    chosen = service.BadgeFilter(categories=list(categories), organization_id=organization_id, not_printed=not_printed)
    count = service.count_to_print(forum, chosen)
    contents = service.badges_to_print(forum, chosen)  # drawn as read
    db.session.commit()  # short codes issued for registrations older than badges
    with click.progressbar(length=count, label=_("Drawing badges"), file=sys.stderr) as bar:
        data = render(contents, sheet, title=f"{forum.slug} badges", progress=bar.update)
    output.write_bytes(data)
    if mark_printed:
        service.mark_printed(service.registrations_to_print(forum, chosen))
        db.session.commit()
    click.echo(ngettext("%(num)s badge written to %(file)s", "%(num)s badges written to %(file)s", count, file=output))


commands = [badges_command]
