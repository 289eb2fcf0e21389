"""Theatre slots on a stage, and troupes' performances booked into them."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import TimestampMixin, enum_check
from forum.extensions import Model

if TYPE_CHECKING:  # other packages' models, named in relationships
    from forum.events.models import Area, Forum
    from forum.people.models import Organization, Registration

STATUSES = ("pending", "approved", "declined")


class TheatreSettings(Model):
    """One row per forum: whether troupes may still ask, and the row every booking locks, so
    bookings of one forum happen one after another (SQLite has no exclusion constraints)."""

    __tablename__ = "theatre_settings"

    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"), primary_key=True)
    requests_open: Mapped[bool] = mapped_column(default=True)  # the public request form takes requests
    bookings: Mapped[int] = mapped_column(default=0)  # bumped by each booking: the lock's write


class TheatreSlot(TimestampMixin, Model):
    """A time on a stage that holds one performance; `buffer_minutes` after it stay free for
    teardown and the next troupe's setup."""

    __tablename__ = "theatre_slot"
    __table_args__ = (
        sa.UniqueConstraint("area_id", "starts_at"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("buffer_minutes >= 0", name="buffer_not_negative"),
        sa.Index("ix_theatre_slot_forum_starts", "forum_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id", ondelete="CASCADE"), index=True)  # the stage
    starts_at: Mapped[datetime]  # UTC, included
    ends_at: Mapped[datetime]  # UTC, excluded
    buffer_minutes: Mapped[int] = mapped_column(default=0)  # setup/teardown kept free after the slot

    area: Mapped[Area] = relationship()  # noqa: F821
    performance: Mapped[Performance | None] = relationship(back_populates="slot", uselist=False)

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class Performance(TimestampMixin, Model):
    """A troupe's play at a forum: first a request, then (approved) booked into a slot.

    The booking is copied into `area_id`, `starts_at`/`ends_at` (the play) and
    `blocked_from`/`blocked_until` (the slot and its buffer), so the database itself can refuse
    two performances on one stage (with buffers) or one troupe on two stages at once: on
    PostgreSQL by the exclusion constraints added below, on SQLite by the service's lock."""

    __tablename__ = "theatre_performance"
    __table_args__ = (
        enum_check("status", STATUSES),
        sa.UniqueConstraint("forum_id", "organization_id", "title_key"),
        sa.UniqueConstraint("slot_id"),
        sa.CheckConstraint("duration_minutes BETWEEN 5 AND 180", name="duration_range"),
        sa.CheckConstraint("cast_size BETWEEN 1 AND 60", name="cast_size_range"),
        sa.CheckConstraint("(slot_id IS NULL) = (blocked_from IS NULL)", name="booking_complete"),
        # Only an approved play holds a slot: no code path can book a waiting or declined one.
        sa.CheckConstraint("slot_id IS NULL OR status = 'approved'", name="booked_when_approved"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)  # the troupe
    # The contact person (category performer), whose page /r/<token> follows the request; None
    # when the contact phone belongs to a person already in the list: a public form never
    # attaches anything to a known person (issue 16), the organizers phone the contact.
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    title: Mapped[dict[str, Any]]  # the play, translated {"ru", "tg", "en"}
    title_key: Mapped[str] = mapped_column(sa.String(300))  # the title lower-cased: one request per play
    theme: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)  # what it is about, translated
    duration_minutes: Mapped[int]  # how long the play lasts
    cast_size: Mapped[int]  # actors on stage
    technical_needs: Mapped[str] = mapped_column(sa.Text, default="")  # sound, power, chairs…
    preferred_times: Mapped[str] = mapped_column(sa.String(300), default="")  # as the troupe wrote it
    contact_name: Mapped[str] = mapped_column(sa.String(200))  # as typed; organizers only
    contact_phone: Mapped[str] = mapped_column(sa.String(20))  # E.164 as typed; organizers only
    language: Mapped[str] = mapped_column(sa.String(2), default="ru")  # messages to the troupe
    status: Mapped[str] = mapped_column(sa.String(20), default="pending")  # one of STATUSES
    decided_at: Mapped[datetime | None]  # when approved or declined
    slot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("theatre_slot.id"))  # the booking, if booked
    area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("area.id"))  # the booked stage
    starts_at: Mapped[datetime | None]  # the play: start (UTC)
    ends_at: Mapped[datetime | None]  # the play: end (UTC)
    blocked_from: Mapped[datetime | None]  # the stage is taken from here (the slot's start)…
    blocked_until: Mapped[datetime | None]  # …to here (the slot's end plus its buffer)

    forum: Mapped[Forum] = relationship()  # noqa: F821
    organization: Mapped[Organization] = relationship()  # noqa: F821
    registration: Mapped[Registration | None] = relationship()  # noqa: F821
    slot: Mapped[TheatreSlot | None] = relationship(back_populates="performance")
    area: Mapped[Area | None] = relationship()  # noqa: F821
    cast: Mapped[list[CastMember]] = relationship(back_populates="performance", cascade="all, delete-orphan",
                                                  order_by="CastMember.position")

    @property
    def troupe(self) -> str:
        return self.organization.label if self.organization is not None else ""


class CastMember(Model):
    """An actor of a performance; registered as a performer (a badge) when the play is approved."""

    __tablename__ = "theatre_cast_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    performance_id: Mapped[int] = mapped_column(sa.ForeignKey("theatre_performance.id", ondelete="CASCADE"),
                                                index=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    phone: Mapped[str | None] = mapped_column(sa.String(20))  # E.164, optional; organizers only
    position: Mapped[int] = mapped_column(default=0)  # order as listed
    registration_id: Mapped[int | None] = mapped_column(sa.ForeignKey("registration.id", ondelete="SET NULL"))

    performance: Mapped[Performance] = relationship(back_populates="cast")
    registration: Mapped[Registration | None] = relationship()  # noqa: F821


# On PostgreSQL the database refuses overlapping bookings even when two transactions run at
# the same instant. Made with the table (db.create_all() in tests); the migration must run
# the same statements (see EXCLUSION_DDL).
EXCLUSION_DDL = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE theatre_performance ADD CONSTRAINT ex_theatre_performance_stage "
    "EXCLUDE USING gist (area_id WITH =, tstzrange(blocked_from, blocked_until, '[)') WITH &&) "
    "WHERE (slot_id IS NOT NULL)",
    "ALTER TABLE theatre_performance ADD CONSTRAINT ex_theatre_performance_troupe "
    "EXCLUDE USING gist (organization_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
    "WHERE (slot_id IS NOT NULL)",
]
sa.event.listen(Performance.__table__, "before_create",
                sa.DDL(EXCLUSION_DDL[0]).execute_if(dialect="postgresql"))
for _statement in EXCLUSION_DDL[1:]:
    sa.event.listen(Performance.__table__, "after_create", sa.DDL(_statement).execute_if(dialect="postgresql"))
