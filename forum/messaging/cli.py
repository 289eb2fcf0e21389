"""`flask forum outbox send [--loop]` and `flask forum invites SLUG [filters] [--send]`."""
from __future__ import annotations

import signal
import threading

import click
from flask.cli import AppGroup

from forum.extensions import db

outbox_cli = AppGroup("outbox", help="The outbox of emails and SMS.")


@outbox_cli.command("send")
@click.option("--loop", is_flag=True, help="Keep running as a worker, sending what gets queued.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between looks at the queue (--loop).")
@click.option("--limit", type=int, default=None, help="Send at most this many messages per run.")
def outbox_send(loop: bool, interval: float, limit: int | None):
    """Send the queued messages that are due. Any number of senders may run at once."""
    from forum.messaging.outbox import send_pending, worker_name

    worker = worker_name()
    stop = threading.Event()
    if loop:
        for signum in (signal.SIGTERM, signal.SIGINT):  # finish the message in hand, then stop
            signal.signal(signum, lambda *_args: stop.set())
    while True:
        report = send_pending(limit=limit, worker=worker)
        if report.total or not loop:
            click.echo(f"sent {report.sent}, to retry {report.retry}, failed {report.failed}, "
                       f"SMS waiting for sending hours {report.deferred}")
            for line in report.errors[:20]:
                click.echo(f"  {line}", err=True)
        db.session.remove()
        if not loop or stop.wait(interval):
            break


def _item_id(forum, item_id: int | None, kind: str | None) -> int | None:
    from forum.messaging.invitations import invitable_items

    if item_id is None and not kind:
        return None
    items = invitable_items(forum)
    found = [i for i in items if (i.id == item_id if item_id is not None else i.kind == kind)]
    if len(found) != 1:
        listing = "\n".join(f"  --item {i.id}  {i.kind:12} {i.starts_at:%H:%M} UTC  {i.title.get('ru', '')}" for i in items)
        what = f"--item {item_id}" if item_id is not None else f"--kind {kind} ({len(found)} items)"
        raise click.ClickException(f"{what} does not name one scheduled item of this forum. Items:\n{listing}")
    return found[0].id


@click.command("invites")
@click.argument("slug")
@click.option("--item", "item_id", type=int, help="Invite to this agenda item (default: the whole forum).")
@click.option("--kind", default=None, help="Invite to the forum's one item of this kind, e.g. round_table.")
@click.option("--category", multiple=True, help="Registration category (repeatable), e.g. government.")
@click.option("--organization", type=int, default=None, help="Organization id.")
@click.option("--district", default=None, help="District key (e.g. isfara) or id.")
@click.option("--status", default="", help="Registration status (default: all but cancelled and declined).")
@click.option("--listed", "listed_only", is_flag=True, help="Only people already on the item's list.")
@click.option("--channel", multiple=True, type=click.Choice(["email", "sms"]), help="Default: email and sms.")
@click.option("--send", "do_send", is_flag=True, help="Queue the invitations in the outbox (else only preview).")
def invites_command(slug, item_id, kind, category, organization, district, status, listed_only, channel,
                    do_send):
    """Preview invitations (counts per language and channel, one sample per language);
    with --send, queue them. Running --send again queues nothing new."""
    import sqlalchemy as sa

    from forum.events.service import forum_by_slug
    from forum.messaging import invitations
    from forum.people.models import CATEGORIES, STATUSES, District

    forum = forum_by_slug(slug)
    if forum is None:
        raise click.ClickException(f"no forum {slug}")
    bad = [c for c in category if c not in CATEGORIES]
    if bad or (status and status not in STATUSES):
        raise click.ClickException(f"unknown category or status; categories: {', '.join(CATEGORIES)}; "
                                   f"statuses: {', '.join(STATUSES)}")
    district_id = None
    if district:
        found = db.session.scalar(sa.select(District).where(sa.or_(
            District.key == district, District.id == (int(district) if district.isdigit() else -1))))
        if found is None:
            raise click.ClickException(f"no district {district}")
        district_id = found.id
    selection = invitations.Selection(
        item_id=_item_id(forum, item_id, kind), categories=list(category), organization_id=organization,
        district_id=district_id, status=status, channels=tuple(channel) or ("email", "sms"), listed_only=listed_only)
    try:
        result = invitations.preview(forum, selection) if not do_send else invitations.send(forum, selection)
    except invitations.InvitationError as error:
        raise click.ClickException(str(error)) from None
    target = result.item.title.get("ru") if result.item is not None else "the whole forum"
    click.echo(f"Invitation to: {target}")
    click.echo(f"Selected {result.total}; {result.people} people get {result.messages} messages; "
               f"already invited or declined {result.already}; no address {result.unreachable}")
    for lang in ("ru", "tg", "en"):
        email, sms = result.to_queue[(lang, "email")], result.to_queue[(lang, "sms")]
        if email or sms:
            click.echo(f"  {lang}: email {email}, sms {sms}")
    if result.over_capacity:
        click.echo(f"Warning: the hall holds {result.capacity}; {result.seats_taken + result.new_people} invited.")
    if do_send:
        db.session.commit()
        click.echo(f"Queued {result.messages} messages. They go out with: flask --app wsgi forum outbox send")
        return
    for lang, sample in result.samples.items():
        click.echo(f"--- {lang}: sample for {sample['person']} ---")
        click.echo(f"Subject: {sample['email'].subject}")
        click.echo(sample["email"].text.rstrip())
        click.echo(f"SMS ({sample['sms_parts']} parts): {sample['sms']}")
    click.echo("Nothing was queued. Add --send to queue these invitations.")


commands = [outbox_cli, invites_command]
