"""Webhooks: the URLs organizers register for a forum's events, and every answer they gave.
The deliveries themselves are outbox messages (channel "webhook"), sent and retried there."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import TimestampMixin, utcnow
from forum.extensions import Model

if TYPE_CHECKING:  # other packages' models, named in relationships
    from forum.events.models import Forum
    from forum.messaging.models import Message

EVENTS = ("registration.created", "registration.changed", "checkin", "vacancy.approved", "recommendation.changed")


class Webhook(TimestampMixin, Model):
    """A partner's URL that receives a forum's events, signed with its own secret."""

    __tablename__ = "webhook"

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(sa.String(254))  # http(s); 254 like an outbox recipient
    events: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # a subset of EVENTS
    # The HMAC key the partner checks signatures with: shown to organizers, never sent.
    secret: Mapped[str] = mapped_column(sa.String(64))
    active: Mapped[bool] = mapped_column(default=True)  # switched off: no new deliveries, the list stays
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    forum: Mapped[Forum] = relationship()


class WebhookAnswer(Model):
    """What a URL answered to one try of one delivery (or why there was no answer)."""

    __tablename__ = "webhook_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(sa.ForeignKey("message.id", ondelete="CASCADE"), index=True)
    webhook_id: Mapped[int] = mapped_column(sa.ForeignKey("webhook.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)  # when the try was made
    status: Mapped[int | None]  # the HTTP status; None when no answer came (refused, timeout)
    body: Mapped[str] = mapped_column(sa.String(500), default="")  # the answer's first characters
    error: Mapped[str] = mapped_column(sa.String(500), default="")  # why the try failed, when it did

    message: Mapped[Message] = relationship()
