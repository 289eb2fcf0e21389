"""Demo: the Isfara round table invited by email and SMS, with messages in every state, so the
outbox and answers pages show something. Nothing is sent: states are set as a sender would."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from forum.db import utcnow
from forum.extensions import db
from forum.messaging import invitations
from forum.messaging.models import Invitation, Message

ROUND_TABLE_GUESTS = ["government", "international", "mfi", "guest", "press", "coordinator"]


def _round_table(forum):
    from forum.agenda.models import AgendaItem

    return db.session.scalar(sa.select(AgendaItem).where(
        AgendaItem.forum_id == forum.id, AgendaItem.kind == "round_table", AgendaItem.status == "scheduled")
        .order_by(AgendaItem.starts_at).limit(1))


def load(forums: dict) -> None:
    forum = forums["isfara-2011"]
    if db.session.scalar(sa.select(Invitation.id).where(Invitation.forum_id == forum.id).limit(1)):
        return  # already there: keep what people did with it
    item = _round_table(forum)
    if item is not None:  # everyone the agenda put on the round table's list
        selection = invitations.Selection(item_id=item.id, listed_only=True)
    else:
        selection = invitations.Selection(categories=ROUND_TABLE_GUESTS)
    invitations.send(forum, selection)
    db.session.flush()
    messages = list(db.session.scalars(sa.select(Message).where(Message.forum_id == forum.id).order_by(Message.id)))
    emails = [m for m in messages if m.channel == "email"]
    texts = [m for m in messages if m.channel == "sms"]
    now = utcnow()
    for message in messages:
        message.status, message.attempts, message.sent_at = "sent", 1, now - timedelta(hours=2)
    for message in texts[-3:]:  # queued in the evening: they wait for the sending hours
        message.status, message.attempts, message.sent_at = "queued", 0, None
    if emails:
        bounced = emails[0]
        bounced.status, bounced.attempts, bounced.sent_at = "failed", 1, None
        bounced.last_error = "550 5.1.1 Recipient address rejected: User unknown in virtual mailbox table"
    if len(emails) > 1:
        greylisted = emails[1]
        greylisted.status, greylisted.attempts, greylisted.sent_at = "queued", 1, None
        greylisted.last_error = "451 4.7.1 Greylisted, please try again later"
        greylisted.next_attempt_at = now + timedelta(minutes=15)
    answered = list(db.session.scalars(sa.select(Invitation).where(Invitation.forum_id == forum.id)
                                       .order_by(Invitation.id)))
    for index, invitation in enumerate(answered[:8]):
        invitations.respond(invitation, "declined" if index == 2 else "accepted",
                            via="phone" if index % 3 == 0 else "link")
