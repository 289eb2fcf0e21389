"""The outbox: every email and SMS is a `Message` row, queued with the change that caused it
and sent by `flask forum outbox send` workers.

Why a message goes out once: a sender claims one message at a time with a single atomic
UPDATE that sets a lease (PostgreSQL picks the row with FOR UPDATE SKIP LOCKED, SQLite runs the
conditional UPDATE under its write lock), commits the claim, sends, and commits "sent" right
after the server accepted it. A second sender skips leased rows; a sender that dies leaves a
lease that runs out, and the message is taken over. The Message-ID header is stored with the
message, so the one message a dying sender may have handed over unacknowledged comes again
under the same Message-ID, which mail clients show once.

An SMS has no Message-ID the phone could recognise, so an SMS whose gateway took the request
but whose answer was lost is recorded as sent, "unconfirmed", and not sent again: the delivery
report (forum.messaging.delivery) settles it, and the organizer may send it again by hand; an
SMS taken over from a dead sender is not sent again once the gateway has reported on it. A
gateway that is down costs a message none of its tries: it waits until the gateway is back.
Urgent SMS go first and ignore the sending hours.
"""
from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import cast

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.engine import CursorResult

from forum.db import utcnow
from forum.extensions import db
from forum.messaging import settings
from forum.messaging.models import MESSAGE_STATUSES, OUTBOX_CHANNELS, Message


def queue(*, channel: str, recipient: str, body: str, subject: str = "", payload: dict | None = None,
          kind: str = "notice", language: str = "ru", forum=None, registration=None, invitation=None,
          dedup_key: str | None = None, not_before: datetime | None = None, urgent: bool = False) -> Message | None:
    """Add a message to the session; the caller commits it together with the change that caused it.

    Promises: nothing is sent here; a message whose `dedup_key` is already in the outbox (or
    pending in this session) is not queued again and None is returned; an SMS is scheduled
    for the next moment inside the sending hours, unless it is `urgent`.
    """
    if channel not in OUTBOX_CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    if dedup_key and db.session.scalar(sa.select(Message.id).where(Message.dedup_key == dedup_key)):
        return None
    due = not_before or utcnow()
    if channel == "sms" and not urgent:
        due = next_sms_time(due)
    message = Message(
        channel=channel, recipient=recipient, body=body, subject=subject, payload=payload or {}, kind=kind,
        language=language, forum_id=forum.id if forum is not None else None, registration=registration,
        invitation=invitation, dedup_key=dedup_key, next_attempt_at=due, status="queued", attempts=0,
        message_id=new_message_id(), urgent=urgent, delivery_note="",
    )
    db.session.add(message)
    return message


def new_message_id() -> str:
    return f"<{uuid.uuid4().hex}@{settings.mail_domain(current_app.config)}>"


def next_sms_time(moment: datetime) -> datetime:
    """`moment` when it falls inside the SMS hours, else the start of the next window (UTC)."""
    start, end, zone = settings.sms_hours(current_app.config)
    local = moment.astimezone(zone)
    if start <= local.time() and (local.time() < end or end == time.max):
        return moment
    day = local.date() if local.time() < start else local.date() + timedelta(days=1)
    return datetime.combine(day, start, tzinfo=zone).astimezone(moment.tzinfo)


def in_sms_hours(moment: datetime) -> bool:
    return next_sms_time(moment) == moment


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def _claimable(now: datetime):
    return sa.or_(
        sa.and_(Message.status == "queued", Message.next_attempt_at <= now),
        # A sender died (or hung) with it: its lease ran out.
        sa.and_(Message.status == "sending", Message.lease_until < now),
    )


def claim_next(worker: str, now: datetime | None = None, channels: tuple[str, ...] = OUTBOX_CHANNELS) -> Message | None:
    """Take the next due message for `worker` under a lease and commit the claim.

    One statement does it, so two senders never hold the same message: PostgreSQL locks the
    chosen row and skips rows other senders hold (SKIP LOCKED); SQLite runs the statement
    under its single write lock. The claim counts as an attempt."""
    now = now or utcnow()
    lease = timedelta(seconds=settings.setting(current_app.config, "OUTBOX_LEASE_SECONDS", int))
    condition = sa.and_(_claimable(now), Message.channel.in_(channels))
    pick = (sa.select(Message.id).where(condition)
            .order_by(Message.urgent.desc(), Message.next_attempt_at, Message.id).limit(1))
    if db.session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    stmt = (
        sa.update(Message)
        .where(Message.id == pick.scalar_subquery(), condition)
        .values(status="sending", lease_owner=worker, lease_until=now + lease, attempts=Message.attempts + 1)
        .returning(Message.id)
        .execution_options(synchronize_session=False)
    )
    claimed = db.session.execute(stmt).scalar()
    db.session.commit()
    if claimed is None:
        return None
    return db.session.get(Message, claimed, populate_existing=True)


def _finish(message: Message, worker: str, **values) -> bool:
    """Record the outcome of a try, if `worker` still holds the message; commits."""
    values.setdefault("lease_owner", None)
    values.setdefault("lease_until", None)
    done = cast(CursorResult, db.session.execute(
        sa.update(Message).where(Message.id == message.id, Message.lease_owner == worker,
                                 Message.status == "sending")
        .values(**values).execution_options(synchronize_session=False)
    )).rowcount
    db.session.commit()
    return bool(done)


class DeliveryError(Exception):
    """A try failed. Temporary failures are retried with backoff; permanent ones are final."""

    def __init__(self, reason: str, permanent: bool = False):
        super().__init__(reason)
        self.reason = reason[:2000]
        self.permanent = permanent


class ChannelDown(DeliveryError):
    """The channel itself is unreachable (connection refused, login refused): not the message's fault."""


class DeliveryUnconfirmed(DeliveryError):
    """The server got the message but its answer was lost: it may have gone out, so it is not sent again."""


@dataclass
class Report:
    sent: int = 0
    retry: int = 0  # temporary failure, will be tried again
    failed: int = 0  # permanent failure or out of tries
    deferred: int = 0  # SMS outside the sending hours
    unconfirmed: int = 0  # of the sent: the gateway's answer was lost (the delivery report will tell)
    lost_lease: int = 0  # another sender took over a message this one held too long
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.sent + self.retry + self.failed + self.deferred


def deliver(message: Message, channels, worker: str, report: Report, now: datetime | None = None) -> str:
    """Try to send one claimed message and record what happened. Returns the outcome."""
    now = now or utcnow()
    config = current_app.config
    if message.channel == "sms" and not message.urgent and not in_sms_hours(now):
        # Not a try: the message waits for the morning without losing one of its attempts.
        _finish(message, worker, status="queued", next_attempt_at=next_sms_time(now),
                attempts=max(message.attempts - 1, 0))
        report.deferred += 1
        return "deferred"
    if message.channel == "sms" and message.delivery is not None:
        # Taken over from a sender that died after the gateway took the SMS: the gateway has
        # reported on it since, so it went out and must not go twice.
        if _finish(message, worker, status="sent", sent_at=message.delivery_at or utcnow(), last_error=""):
            report.sent += 1
        return "sent"
    try:
        channels.send(message)
    except DeliveryUnconfirmed as error:
        report.errors.append(f"{message.recipient}: {error.reason}")
        # A report may already have come in: it is kept (coalesce), "unconfirmed" only fills the gap.
        if _finish(message, worker, status="sent", sent_at=utcnow(), last_error=error.reason,
                   delivery=sa.func.coalesce(Message.delivery, "unconfirmed")):
            report.sent += 1
            report.unconfirmed += 1
        else:
            report.lost_lease += 1
        return "unconfirmed"
    except ChannelDown as error:
        # Not a try either: the message waits for the channel and keeps its attempts.
        report.errors.append(f"{message.recipient}: {error.reason}")
        _finish(message, worker, status="queued", last_error=error.reason, attempts=max(message.attempts - 1, 0),
                next_attempt_at=now + timedelta(seconds=settings.backoff_seconds(1)))
        report.retry += 1
        raise
    except DeliveryError as error:
        report.errors.append(f"{message.recipient}: {error.reason}")
        last = message.attempts >= settings.setting(config, "OUTBOX_MAX_ATTEMPTS", int)
        if error.permanent or last:
            _finish(message, worker, status="failed", last_error=error.reason)
            report.failed += 1
            return "failed"
        _finish(message, worker, status="queued", last_error=error.reason,
                next_attempt_at=now + timedelta(seconds=settings.backoff_seconds(message.attempts)))
        report.retry += 1
        return "retry"
    # Right after the server took it: the shorter this gap, the smaller the chance of a repeat.
    if _finish(message, worker, status="sent", sent_at=utcnow(), last_error=""):
        report.sent += 1
    else:
        report.lost_lease += 1
    return "sent"


def send_pending(limit: int | None = None, worker: str | None = None, now: datetime | None = None) -> Report:
    """Send every due message (at most `limit`), one claim at a time. Safe to run in many
    processes at once. An unreachable channel stops that channel for this run only."""
    from forum.messaging.channels import Channels

    worker = worker or worker_name()
    report = Report()
    active = tuple(OUTBOX_CHANNELS)
    with Channels(current_app) as channels:
        while active and (limit is None or report.total < limit):
            message = claim_next(worker, now=now, channels=active)
            if message is None:
                break
            try:
                deliver(message, channels, worker, report, now=now)
            except ChannelDown:
                active = tuple(c for c in active if c != message.channel)
    return report


def can_retry(message: Message) -> bool:
    """Failed messages, and SMS the operator could not deliver or whose sending is unconfirmed."""
    return message.status == "failed" or (
        message.channel == "sms" and message.status == "sent" and message.delivery in ("undelivered", "unconfirmed"))


def retry(message: Message) -> bool:
    """Put a message back in the queue with a fresh set of tries; the caller commits.

    An SMS sent again is a new SMS: it gets a new Message-ID, so reports about the earlier
    send no longer reach it (forum.messaging.delivery)."""
    if not can_retry(message):
        return False
    if message.status == "sent":
        message.message_id = new_message_id()
        message.sent_at = None
        message.delivery = message.delivery_at = None
        message.delivery_note = ""
    message.status = "queued"
    message.attempts = 0
    due = utcnow()
    message.next_attempt_at = next_sms_time(due) if message.channel == "sms" and not message.urgent else due
    return True


def status_counts(forum) -> dict[str, int]:
    rows = db.session.execute(sa.select(Message.status, sa.func.count(Message.id))
                              .where(Message.forum_id == forum.id).group_by(Message.status))
    counts = {status: 0 for status in MESSAGE_STATUSES}
    counts.update({status: n for status, n in rows})
    return counts


def delivery_counts(forum) -> dict[str, int]:
    """SMS of the forum per delivery state (see forum.messaging.delivery)."""
    rows = db.session.execute(sa.select(Message.delivery, sa.func.count(Message.id))
                              .where(Message.forum_id == forum.id, Message.delivery.is_not(None))
                              .group_by(Message.delivery))
    return cast(dict[str, int], dict(rows.tuples().all()))  # no None: the query leaves it out
