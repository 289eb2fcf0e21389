"""The outbox (every email and SMS the forum sends) and invitations with their answers."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import TimestampMixin, enum_check, utcnow
from forum.extensions import Model

if TYPE_CHECKING:  # other packages' models, named in relationships
    from forum.people.models import Registration

CHANNELS = ("email", "sms")  # how people are reached
OUTBOX_CHANNELS = (*CHANNELS, "webhook")  # and partners' programs (forum.api.webhooks)
# cancelled: taken back by an organizer while still queued (a group message, forum.messaging.groups)
MESSAGE_STATUSES = ("queued", "sending", "sent", "failed", "cancelled")
# invitation: the first REQUEST; update: a later REQUEST (higher SEQUENCE); cancel: METHOD:CANCEL.
MESSAGE_KINDS = ("invitation", "update", "cancel", "notice")
# What the SMS gateway reported after "sent": unconfirmed (the gateway's answer to the send was
# lost, so it may or may not have gone), accepted or buffered by the operator's SMS centre, and
# the final delivered or undelivered.
DELIVERY_STATES = ("unconfirmed", "accepted", "buffered", "delivered", "undelivered")
FINAL_DELIVERY_STATES = ("delivered", "undelivered")
INVITATION_STATUSES = ("invited", "accepted", "declined")


class Message(Model):
    """One email or SMS in the outbox. Queued in the transaction of the change that caused
    it, claimed by one sender at a time under a lease, sent once, retried with backoff."""

    __tablename__ = "message"
    __table_args__ = (
        enum_check("channel", OUTBOX_CHANNELS),
        enum_check("status", MESSAGE_STATUSES),
        enum_check("kind", MESSAGE_KINDS),
        enum_check("delivery", DELIVERY_STATES),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.Index("ix_message_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int | None] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(  # whom it is for, when a participant
        sa.ForeignKey("registration.id", ondelete="SET NULL"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(  # the invitation it carries, if any
        sa.ForeignKey("invitation.id", ondelete="SET NULL"), index=True)
    batch_id: Mapped[int | None] = mapped_column(  # the group message it is one of, if any
        sa.ForeignKey("message_batch.id", ondelete="SET NULL"), index=True)
    channel: Mapped[str] = mapped_column(sa.String(10))  # email, sms or webhook
    kind: Mapped[str] = mapped_column(sa.String(20), default="notice")  # one of MESSAGE_KINDS
    recipient: Mapped[str] = mapped_column(sa.String(254))  # an email address, an E.164 phone or a webhook URL
    language: Mapped[str] = mapped_column(sa.String(2), default="ru")  # the language it is written in
    subject: Mapped[str] = mapped_column(sa.String(300), default="")  # email subject; empty for SMS
    body: Mapped[str] = mapped_column(sa.Text)  # the plain-text email body, or the SMS text
    # Rendered parts beyond the text: {"html", "calendar" (ICS text), "method", "filename"}.
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(sa.String(10), default="queued")  # one of MESSAGE_STATUSES
    attempts: Mapped[int] = mapped_column(default=0)  # tries started so far (counted at claim)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)  # not sent before this (UTC)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")  # the server's answer to the last failed try
    lease_owner: Mapped[str | None] = mapped_column(sa.String(120))  # the sender working on it now
    lease_until: Mapped[datetime | None]  # after this, another sender may take it over
    dedup_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)  # the same key is queued once
    message_id: Mapped[str] = mapped_column(sa.String(200), unique=True)  # Message-ID header, kept across tries
    created_at: Mapped[datetime] = mapped_column(default=utcnow)  # when it was queued
    sent_at: Mapped[datetime | None]  # when the server (SMTP or SMS gateway) accepted it
    urgent: Mapped[bool] = mapped_column(default=False)  # an SMS sent at once, outside the sending hours too
    delivery: Mapped[str | None] = mapped_column(sa.String(12))  # SMS: one of DELIVERY_STATES, null until reported
    delivery_at: Mapped[datetime | None]  # when the last delivery report came
    delivery_note: Mapped[str] = mapped_column(sa.String(200), default="")  # the SMS centre's words in that report

    registration: Mapped[Registration | None] = relationship()  # noqa: F821
    invitation: Mapped[Invitation | None] = relationship(back_populates="messages")


class MessageBatch(Model):
    """A free text an organizer wrote to a group of the forum's people (forum.messaging.groups):
    one Message per person, queued together, cancellable while queued."""

    __tablename__ = "message_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    # The confirmation form's one-time value: submitting it twice finds this batch, queues nothing new.
    nonce: Mapped[str] = mapped_column(sa.String(40), unique=True)
    texts: Mapped[dict[str, Any]] = mapped_column(default=dict)  # language → the text written for it
    filters: Mapped[dict[str, Any]] = mapped_column(default=dict)  # group key → the value chosen (the recipients)
    channels: Mapped[str] = mapped_column(sa.String(12), default="sms_first")  # one of groups.CHANNEL_MODES
    recipients: Mapped[int] = mapped_column(default=0)  # people written to when it was queued
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)  # when it was queued
    cancelled_at: Mapped[datetime | None]  # when an organizer cancelled what was still queued
    cancelled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))


class Invitation(TimestampMixin, Model):
    """A registration invited to one agenda item, or to the whole forum when `item_id` is null."""

    __tablename__ = "invitation"
    __table_args__ = (
        enum_check("status", INVITATION_STATUSES),
        sa.UniqueConstraint("registration_id", "item_id"),
        # NULLs are distinct in a unique constraint: one forum-wide invitation needs its own index.
        sa.Index("uq_invitation_forum_wide", "registration_id", unique=True,
                 sqlite_where=sa.text("item_id IS NULL"), postgresql_where=sa.text("item_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(  # the agenda item; null for the whole forum
        sa.ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(10), default="invited")  # one of INVITATION_STATUSES
    # Short code in the SMS link (/i/<code>) and for answers taken by phone; random, no look-alikes.
    code: Mapped[str] = mapped_column(sa.String(12), unique=True)
    sent_sequence: Mapped[int | None]  # SEQUENCE of the last calendar message queued to this person
    invited_at: Mapped[datetime | None]  # when the first invitation was queued
    responded_at: Mapped[datetime | None]  # when they last accepted or declined
    response_via: Mapped[str] = mapped_column(sa.String(10), default="")  # "link" or "phone" (told an organizer)

    registration: Mapped[Registration] = relationship()  # noqa: F821
    messages: Mapped[list[Message]] = relationship(back_populates="invitation", order_by="Message.id")
