"""Checkpoints (where badges are scanned), every scan made there, and who is in."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import enum_check, utcnow
from forum.extensions import Model

if TYPE_CHECKING:  # other packages' models, named in relationships
    from forum.auth.models import User
    from forum.badges.models import RetiredBadge
    from forum.events.models import Area, Forum
    from forum.people.models import Registration

RESULTS = ("ok", "already_checked_in", "unknown", "not_allowed", "cancelled")
SCANNER_METHODS = ("camera", "keyboard", "search")  # how the scanner page read a badge
# and scans sent by programs through the API, or made by the walk-in desk (checkin.walkins)
METHODS = (*SCANNER_METHODS, "api", "walkin")


class Checkpoint(Model):
    """A door where badges are scanned, and who may pass it.

    `rule` names a rule in `forum.checkin.rules`: "all", "categories" (those listed in
    `categories`), "list" (the registrations in `allowed`, which other features fill) or a
    rule another package registered (e.g. the round table's confirmed invitees)."""

    __tablename__ = "checkpoint"
    __table_args__ = (sa.UniqueConstraint("forum_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(40))  # used by scanners and the API, e.g. "entrance"
    name: Mapped[dict[str, Any]]  # translated, e.g. {"ru": "Главный вход", …}
    area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("area.id", ondelete="SET NULL"), index=True)  # where it is
    rule: Mapped[str] = mapped_column(sa.String(40), default="all")  # a rule name from forum.checkin.rules
    categories: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # for rule "categories"
    reentry: Mapped[bool] = mapped_column(default=False)  # a second scan is "ok" (re-entry) rather than "already in"
    position: Mapped[int] = mapped_column(default=0)  # order in lists and the scanner's menu
    active: Mapped[bool] = mapped_column(default=True)  # inactive checkpoints refuse scans

    forum: Mapped[Forum] = relationship()  # noqa: F821
    area: Mapped[Area | None] = relationship()  # noqa: F821


class CheckpointAllowance(Model):
    """A registration on a checkpoint's explicit allow-list (rule "list")."""

    __tablename__ = "checkpoint_allowance"

    checkpoint_id: Mapped[int] = mapped_column(sa.ForeignKey("checkpoint.id", ondelete="CASCADE"), primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(40), default="organizer")  # which feature put it there


# The scan that let a person in through a checkpoint first (and was not undone): at most
# one per person and checkpoint. This partial unique index is what makes a double check-in
# impossible, whatever the database and however many phones scan at once.
FIRST_ENTRY = "reason = 'first' AND undone_at IS NULL"


class Checkin(Model):
    """One scan at a checkpoint, whatever its result: the door's log. A successful first
    entry (reason "first", not undone) is what counts a person in."""

    __tablename__ = "checkin"
    __table_args__ = (
        sa.UniqueConstraint("forum_id", "nonce"),
        enum_check("result", RESULTS),
        enum_check("method", METHODS),
        enum_check("answered", RESULTS),
        sa.Index("ix_checkin_forum_id_created_at", "forum_id", "created_at"),
        sa.Index("uq_checkin_first_entry", "registration_id", "checkpoint_id", unique=True,
                 sqlite_where=sa.text(FIRST_ENTRY), postgresql_where=sa.text(FIRST_ENTRY)),
        # A forum's first entries, each person's in a row with its time: the dashboard's and the
        # board's arrivals (who came, per quarter hour) read this index alone, not the scans.
        sa.Index("ix_checkin_first_arrival", "forum_id", "registration_id", "created_at",
                 sqlite_where=sa.text(FIRST_ENTRY), postgresql_where=sa.text(FIRST_ENTRY)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"))
    checkpoint_id: Mapped[int] = mapped_column(sa.ForeignKey("checkpoint.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registration.id", ondelete="CASCADE"), index=True)  # None when the badge is unknown
    result: Mapped[str] = mapped_column(sa.String(20))  # one of RESULTS, as answered
    reason: Mapped[str] = mapped_column(sa.String(30))  # "first" entry, "reentry", "already", "reissued", "declined"…
    scanned: Mapped[str] = mapped_column(sa.String(40), default="")  # what was read, masked: never a whole secret
    nonce: Mapped[str] = mapped_column(sa.String(64))  # from the scanner; the same nonce is the same scan
    method: Mapped[str] = mapped_column(sa.String(10), default="camera")  # one of METHODS
    device: Mapped[str] = mapped_column(sa.String(120), default="")  # which phone or laptop, as it says
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))  # staff who scanned
    # For "already_checked_in" and re-entries: the scan that let the person in first (when, where, by whom).
    first_id: Mapped[int | None] = mapped_column(sa.ForeignKey("checkin.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)  # when the scan was made
    undone_at: Mapped[datetime | None]  # an organizer took this check-in back: it no longer counts
    undone_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    seen_at: Mapped[datetime | None]  # a failed scan an organizer has looked into
    # What the door showed when that differs from `result` or came first: the phone's own
    # answer to a scan made offline, or "ok" kept on a first entry that an earlier offline
    # scan of another phone replaced. "ok" here with result "already_checked_in" is an
    # offline conflict: two doors let the same person in.
    answered: Mapped[str | None] = mapped_column(sa.String(20))
    uploaded_at: Mapped[datetime | None]  # a scan made offline: when it reached the server (created_at is when it was made)
    # The replaced badge that was scanned (result "not_allowed", reason "reissued").
    retired_badge_id: Mapped[int | None] = mapped_column(sa.ForeignKey("retired_badge.id", ondelete="SET NULL"))

    checkpoint: Mapped[Checkpoint] = relationship()
    registration: Mapped[Registration | None] = relationship()  # noqa: F821
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])  # noqa: F821
    first: Mapped[Checkin | None] = relationship(remote_side=[id], foreign_keys=[first_id])
    retired_badge: Mapped[RetiredBadge | None] = relationship()  # noqa: F821


class ScannerDevice(Model):
    """A phone or laptop that opened the scanner of a forum, numbered 1, 2, 3… in the order
    they came: a phone nobody named calls itself "Phone 2", and the board tells phones apart
    by that name rather than by a user-agent string."""

    __tablename__ = "scanner_device"
    __table_args__ = (sa.UniqueConstraint("forum_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))  # who opened it
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
