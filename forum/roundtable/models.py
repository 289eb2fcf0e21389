"""A round table (an agenda item of kind round_table), its quotas, invitees and seats, the
problems invitees bring, the topics they are grouped into, and the recommendations."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import TimestampMixin, enum_check, utcnow
from forum.extensions import Model

if TYPE_CHECKING:  # other packages' models, named in relationships
    from forum.agenda.models import AgendaItem
    from forum.events.models import Forum
    from forum.messaging.models import Invitation
    from forum.people.models import Organization, Person, Registration

GROUPS = ("shg_leader", "coordinator", "mobilizer", "government", "international", "mfi", "other")
# The group a registration's category suggests when an organizer invites it.
GROUP_OF_CATEGORY = {g: g for g in GROUPS if g != "other"}
INVITEE_STATES = ("invited", "confirmed", "waitlisted", "declined")
REC_STATUSES = ("proposed", "agreed", "in_progress", "done", "dropped")
PUBLIC_STATUSES = ("agreed", "in_progress", "done")


class RoundTable(TimestampMixin, Model):
    """The round-table specifics of one agenda item: how many seats, at how many tables."""

    __tablename__ = "round_table"
    __table_args__ = (
        sa.CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint("tables >= 1 AND seats_per_table >= 1", name="tables_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(  # the agenda item (kind round_table); its area is the hall
        sa.ForeignKey("agenda_item.id", ondelete="CASCADE"), unique=True)
    capacity: Mapped[int] = mapped_column(default=40)  # confirmed seats in all
    tables: Mapped[int] = mapped_column(default=5)  # tables in the hall
    seats_per_table: Mapped[int] = mapped_column(default=8)  # chairs at each table

    item: Mapped[AgendaItem] = relationship()  # noqa: F821
    forum: Mapped[Forum] = relationship()  # noqa: F821
    quotas: Mapped[list[Quota]] = relationship(back_populates="round_table", cascade="all, delete-orphan",
                                               order_by="Quota.id")


class Quota(Model):
    """Seats kept for one stakeholder group."""

    __tablename__ = "round_table_quota"
    __table_args__ = (
        sa.UniqueConstraint("round_table_id", "stakeholder_group"),
        enum_check("stakeholder_group", GROUPS),
        sa.CheckConstraint("seats >= 0", name="seats_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_table_id: Mapped[int] = mapped_column(sa.ForeignKey("round_table.id", ondelete="CASCADE"), index=True)
    group: Mapped[str] = mapped_column("stakeholder_group", sa.String(20))  # one of GROUPS
    seats: Mapped[int] = mapped_column(default=0)  # confirmed invitees of this group at most

    round_table: Mapped[RoundTable] = relationship(back_populates="quotas")


class Invitee(TimestampMixin, Model):
    """A person invited to a round table: the messaging Invitation (sending, RSVP) plus the
    group they sit for, where they stand (confirmed or waitlisted) and their seat."""

    __tablename__ = "round_table_invitee"
    __table_args__ = (
        sa.UniqueConstraint("round_table_id", "registration_id"),
        sa.UniqueConstraint("round_table_id", "table_no", "seat_no"),
        enum_check("stakeholder_group", GROUPS),
        enum_check("state", INVITEE_STATES),
        sa.CheckConstraint("(table_no IS NULL) = (seat_no IS NULL)", name="table_and_seat"),
        sa.Index("ix_round_table_invitee_group_state", "round_table_id", "stakeholder_group", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_table_id: Mapped[int] = mapped_column(sa.ForeignKey("round_table.id", ondelete="CASCADE"), index=True)
    invitation_id: Mapped[int] = mapped_column(  # messaging's invitation: messages and the answer
        sa.ForeignKey("invitation.id", ondelete="CASCADE"), unique=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    group: Mapped[str] = mapped_column("stakeholder_group", sa.String(20))  # stakeholder group, one of GROUPS
    state: Mapped[str] = mapped_column(sa.String(12), default="invited")  # one of INVITEE_STATES
    waitlisted_at: Mapped[datetime | None]  # queue order of the waitlist
    promotions: Mapped[int] = mapped_column(default=0)  # times moved from the waitlist to a seat
    table_no: Mapped[int | None]  # 1-based table, when seated
    seat_no: Mapped[int | None]  # 1-based seat at that table

    round_table: Mapped[RoundTable] = relationship()
    invitation: Mapped[Invitation] = relationship()  # noqa: F821
    registration: Mapped[Registration] = relationship()  # noqa: F821


class Topic(Model):
    """An agenda topic the organizer groups invitees' problems into."""

    __tablename__ = "round_table_topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_table_id: Mapped[int] = mapped_column(sa.ForeignKey("round_table.id", ondelete="CASCADE"), index=True)
    title: Mapped[dict[str, Any]]  # translated {"ru", "tg", "en"}
    position: Mapped[int] = mapped_column(default=0)  # order on the agenda


class Problem(Model):
    """A problem an invitee faces, sent from their private page before the forum."""

    __tablename__ = "round_table_problem"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_table_id: Mapped[int] = mapped_column(sa.ForeignKey("round_table.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)  # in the invitee's words
    topic_id: Mapped[int | None] = mapped_column(  # the topic it was grouped into
        sa.ForeignKey("round_table_topic.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)  # when it was sent

    registration: Mapped[Registration] = relationship()  # noqa: F821
    topic: Mapped[Topic | None] = relationship()


class Recommendation(TimestampMixin, Model):
    """A recommendation of the round table, and who follows it up."""

    __tablename__ = "recommendation"
    __table_args__ = (
        enum_check("status", REC_STATUSES),
        sa.CheckConstraint("NOT (owner_person_id IS NOT NULL AND owner_organization_id IS NOT NULL)",
                           name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    round_table_id: Mapped[int] = mapped_column(sa.ForeignKey("round_table.id", ondelete="CASCADE"), index=True)
    topic_id: Mapped[int | None] = mapped_column(sa.ForeignKey("round_table_topic.id", ondelete="SET NULL"))
    text: Mapped[dict[str, Any]]  # translated {"ru", "tg", "en"}; at least one filled
    addressed_to_id: Mapped[int | None] = mapped_column(  # the organization asked to act
        sa.ForeignKey("organization.id", ondelete="SET NULL"))
    owner_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"))
    owner_organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organization.id", ondelete="SET NULL"))
    deadline: Mapped[date | None]  # when it should be done
    status: Mapped[str] = mapped_column(sa.String(12), default="proposed")  # one of REC_STATUSES
    position: Mapped[int] = mapped_column(default=0)  # order in the resolution

    topic: Mapped[Topic | None] = relationship()
    addressed_to: Mapped[Organization | None] = relationship(foreign_keys=[addressed_to_id])  # noqa: F821
    owner_person: Mapped[Person | None] = relationship()  # noqa: F821
    owner_organization: Mapped[Organization | None] = relationship(foreign_keys=[owner_organization_id])  # noqa: F821
    notes: Mapped[list[ProgressNote]] = relationship(back_populates="recommendation", cascade="all, delete-orphan",
                                                     order_by="ProgressNote.noted_on, ProgressNote.id")

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES


class ProgressNote(Model):
    """A dated note on how a recommendation is followed up."""

    __tablename__ = "recommendation_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(sa.ForeignKey("recommendation.id", ondelete="CASCADE"), index=True)
    noted_on: Mapped[date]  # the day it refers to
    text: Mapped[str] = mapped_column(sa.Text)  # what happened
    created_at: Mapped[datetime] = mapped_column(default=utcnow)  # when it was written

    recommendation: Mapped[Recommendation] = relationship(back_populates="notes")
