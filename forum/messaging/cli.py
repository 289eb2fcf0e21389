"""`flask forum outbox send [--loop]` and `flask forum invites SLUG [filters] [--send]`."""
from __future__ import annotations

import signal
import threading

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext

from forum.db import translated
from forum.extensions import db
from forum.i18n import current_language

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
            click.echo(_("sent: %(sent)s, to retry: %(retry)s, failed: %(failed)s, SMS waiting for the sending hours: "
                         "%(deferred)s", sent=report.sent, retry=report.retry, failed=report.failed,
                         deferred=report.deferred))
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
        what = f"--item {item_id}" if item_id is not None else f"--kind {kind} ({len(found)})"
        raise click.ClickException(_("%(what)s does not name one scheduled item of this forum. Items:",
                                     what=what) + f"\n{listing}")
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
        raise click.ClickException(_("There is no forum with the address %(slug)s.", slug=slug))
    bad = [c for c in category if c not in CATEGORIES]
    if bad or (status and status not in STATUSES):
        raise click.ClickException(_("Unknown category or status; categories: %(categories)s; statuses: %(statuses)s",
                                     categories=", ".join(CATEGORIES), statuses=", ".join(STATUSES)))
    district_id = None
    if district:
        found = db.session.scalar(sa.select(District).where(sa.or_(
            District.key == district, District.id == (int(district) if district.isdigit() else -1))))
        if found is None:
            raise click.ClickException(_("There is no district %(district)s.", district=district))
        district_id = found.id
    selection = invitations.Selection(
        item_id=_item_id(forum, item_id, kind), categories=list(category), organization_id=organization,
        district_id=district_id, status=status, channels=tuple(channel) or ("email", "sms"), listed_only=listed_only)
    try:
        result = invitations.preview(forum, selection) if not do_send else invitations.send(forum, selection)
    except invitations.InvitationError as error:
        raise click.ClickException(str(error)) from None
    target = translated(result.item.title, current_language()) if result.item is not None else _("the whole forum")
    click.echo(_("Invitation to: %(target)s", target=target))
    click.echo(_("Selected: %(total)s; people who get messages: %(people)s; messages: %(messages)s; already invited "
                 "or declined: %(already)s; no address: %(unreachable)s", total=result.total, people=result.people,
                 messages=result.messages, already=result.already, unreachable=result.unreachable))
    for lang in ("ru", "tg", "en"):
        email, sms = result.to_queue[(lang, "email")], result.to_queue[(lang, "sms")]
        if email or sms:
            click.echo("  " + _("%(lang)s: email %(email)s, SMS %(sms)s", lang=lang, email=email, sms=sms))
    if result.over_capacity:
        click.echo(_("Warning: the hall holds %(capacity)s; invited: %(invited)s.", capacity=result.capacity,
                     invited=result.seats_taken + result.new_people))
    if do_send:
        db.session.commit()
        click.echo(ngettext("%(num)s message queued. It goes out with: flask --app wsgi forum outbox send",
                            "%(num)s messages queued. They go out with: flask --app wsgi forum outbox send",
                            result.messages))
        return
    for lang, sample in result.samples.items():
        click.echo("--- " + _("%(lang)s: sample for %(person)s", lang=lang, person=sample["person"]) + " ---")
        click.echo(_("Subject: %(subject)s", subject=sample["email"].subject))
        click.echo(sample["email"].text.rstrip())
        click.echo(ngettext("SMS (%(num)s part): %(text)s", "SMS (%(num)s parts): %(text)s", sample["sms_parts"],
                            text=sample["sms"]))
    click.echo(_("Nothing was queued. Add --send to queue these invitations."))


commands = [outbox_cli, invites_command]
