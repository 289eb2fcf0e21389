"""One row per change of a tracked object: the fields that changed, old → new."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from forum.db import enum_check
from forum.extensions import Model

ACTIONS = ("created", "changed", "deleted")


class ChangeRecord(Model):
    """A change of one object (see forum.history.tracked for which kinds), at one forum."""

    __tablename__ = "change_record"
    __table_args__ = (
        enum_check("action", ACTIONS),
        sa.Index("ix_change_record_entity", "entity_type", "entity_id", "id"),
        sa.Index("ix_change_record_forum", "forum_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(sa.String(30))  # a key of tracked.TRACKED, e.g. "stand"
    entity_id: Mapped[int]  # the object's id; the object itself may be deleted since
    # The forum's history goes with the forum.
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"))
    # Who: a logged-in user or an API token's user; None for a public form, the command line, the demo.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    at: Mapped[datetime]  # forum.clock's now
    action: Mapped[str] = mapped_column(sa.String(10))  # one of ACTIONS
    # {field: [old, new]} as JSON values; a secret field is {field: null}: changed, values never kept.
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
