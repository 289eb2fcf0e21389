"""Agenda items: what happens where and when at a forum, who hosts it and who is invited."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from forum.db import TimestampMixin, enum_check
from forum.extensions import Model

if TYPE_CHECKING:  # other packages' models, named in relationships
    from forum.events.models import Area, Forum
    from forum.people.models import Organization, Person, Registration

ITEM_KINDS = ("opening", "exhibition", "theatre", "drawings", "round_table", "job_fair", "training", "break", "other")
ITEM_STATUSES = ("scheduled", "cancelled")
# Why a person has an item in their own schedule beyond the public agenda.
ATTENDEE_ROLES = ("invited", "performer", "speaker")


class AgendaItem(TimestampMixin, Model):
    """One thing on a forum's timetable, in one area, over a half-open interval [starts_at, ends_at)."""

    __tablename__ = "agenda_item"
    __table_args__ = (
        enum_check("kind", ITEM_KINDS),
        enum_check("status", ITEM_STATUSES),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("expected_audience IS NULL OR expected_audience >= 0", name="audience_not_negative"),
        sa.CheckConstraint("sequence >= 0", name="sequence_not_negative"),
        sa.Index("ix_agenda_item_forum_starts", "forum_id", "starts_at"),
        sa.Index("ix_agenda_item_source", "source", "source_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"))
    # No cascade: an area with items on it cannot be deleted (the areas page says so).
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20), default="other")  # one of ITEM_KINDS
    title: Mapped[dict[str, Any]]  # translated: {"ru", "tg", "en"}
    description: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)  # translated, may be empty
    starts_at: Mapped[datetime]  # UTC, included
    ends_at: Mapped[datetime]  # UTC, excluded: 09:00–10:00 and 10:00–11:00 do not meet
    is_public: Mapped[bool] = mapped_column(default=True)  # False: internal, never on public pages or feeds
    expected_audience: Mapped[int | None]  # people expected; warned about above the area's capacity
    status: Mapped[str] = mapped_column(sa.String(20), default="scheduled")  # one of ITEM_STATUSES
    # iCalendar SEQUENCE: grows with each change of time, place, title or status.
    sequence: Mapped[int] = mapped_column(default=0)
    source: Mapped[str] = mapped_column(sa.String(20), default="agenda")  # the feature that owns it
    source_id: Mapped[int | None]  # the owning feature's row (a performance, a round table…)

    # The backref lets a deleted forum take its items along before its areas go (areas refuse
    # to be deleted while items use them).
    forum: Mapped[Forum] = relationship(  # noqa: F821
        backref=backref("agenda_items", cascade="all, delete-orphan", lazy="select"))
    area: Mapped[Area] = relationship()  # noqa: F821
    hosts: Mapped[list[AgendaItemHost]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="AgendaItemHost.position, AgendaItemHost.id"
    )
    attendees: Mapped[list[AgendaItemAttendee]] = relationship(
        back_populates="item", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"


class AgendaItemHost(Model):
    """A person or an organization that hosts an item (speaks, leads, presents)."""

    __tablename__ = "agenda_item_host"
    __table_args__ = (
        sa.CheckConstraint("(person_id IS NULL) <> (organization_id IS NULL)", name="person_or_organization"),
        sa.UniqueConstraint("item_id", "person_id", "organization_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)  # order of names on the programme

    item: Mapped[AgendaItem] = relationship(back_populates="hosts")
    person: Mapped[Person | None] = relationship()  # noqa: F821
    organization: Mapped[Organization | None] = relationship()  # noqa: F821

    @property
    def name(self) -> str:
        if self.person is not None:
            return self.person.full_name
        return self.organization.label if self.organization is not None else ""

    @property
    def key(self) -> tuple[str, int | None]:
        """Who this is, for finding a host booked twice: ("p", person id) or ("o", organization id)."""
        return ("p", self.person_id) if self.person_id is not None else ("o", self.organization_id)


class AgendaItemAttendee(Model):
    """A registration that takes part in an item beyond the public: invited to it or performing in
    it. The item then appears in that person's own calendar, even when it is internal."""

    __tablename__ = "agenda_item_attendee"
    __table_args__ = (
        sa.UniqueConstraint("item_id", "registration_id"),
        enum_check("role", ATTENDEE_ROLES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(20), default="invited")  # one of ATTENDEE_ROLES
    source: Mapped[str] = mapped_column(sa.String(20), default="agenda")  # the feature that added the person

    item: Mapped[AgendaItem] = relationship(back_populates="attendees")
    registration: Mapped[Registration] = relationship()  # noqa: F821
