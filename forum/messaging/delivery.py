"""Delivery reports of SMS: where a gateway reports (one unguessable URL per message) and what
a report changes.

The URL names the message and carries an HMAC of its id and Message-ID under the app's secret
key: nobody can guess another message's URL, and an SMS sent again (under a new Message-ID)
takes no report meant for the earlier send. Recording only moves forward: once delivered or
undelivered, later reports change nothing, so a report fetched twice, replayed or overtaken
by the next one is harmless.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import cast

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.engine import CursorResult

from forum.db import utcnow
from forum.extensions import db
from forum.messaging.models import DELIVERY_STATES, FINAL_DELIVERY_STATES, Message

# Kannel's report types (%d in its dlr-url): 1 delivered to the phone, 2 not delivered to the
# phone, 4 queued on the SMS centre, 8 accepted by the SMS centre, 16 rejected by the SMS centre.
KANNEL_REPORTS = {1: "delivered", 2: "undelivered", 4: "buffered", 8: "accepted", 16: "undelivered"}


def report_token(message: Message) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"sms-report:{message.id}:{message.message_id}".encode(), hashlib.sha256).hexdigest()[:32]


def report_url(message: Message) -> str:
    """Where the gateway reports on this message (absolute, under BASE_URL)."""
    return f"{current_app.config['BASE_URL'].rstrip('/')}/sms/report/{message.id}/{report_token(message)}"


def message_for_report(message_id: int, token: str) -> Message | None:
    """The SMS a report URL names, if its token is right; else None (nothing tells which part was wrong)."""
    message = db.session.get(Message, message_id)
    if message is None or message.channel != "sms" or not hmac.compare_digest(report_token(message), token):
        return None
    return message


def record(message: Message, state: str, note: str = "", now: datetime | None = None) -> bool:
    """Record that `message` is now `state` (one of DELIVERY_STATES); the caller commits.

    Promises: a final state (delivered, undelivered) is never replaced; an intermediate one
    only by a later report. Returns whether the report changed anything. One conditional
    UPDATE, so a report racing another, or the sender's own "sent", loses nothing."""
    if state not in DELIVERY_STATES:
        raise ValueError(f"unknown delivery state {state!r}")
    changed = cast(CursorResult, db.session.execute(
        sa.update(Message)
        .where(Message.id == message.id,
               sa.or_(Message.delivery.is_(None), Message.delivery.not_in(FINAL_DELIVERY_STATES)))
        .values(delivery=state, delivery_at=now or utcnow(), delivery_note=note[:200])
        .execution_options(synchronize_session=False)
    )).rowcount
    return bool(changed)
