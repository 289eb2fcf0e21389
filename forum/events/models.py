from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import TimestampMixin, enum_check
from forum.extensions import Model

if TYPE_CHECKING:  # other packages' models, named in relationships
    from forum.people.models import Organization, Registration

FORUM_STATUSES = ("draft", "published", "archived")
AREA_KINDS = ("stage", "exhibition", "hall", "tent", "entrance", "other")
# The activities a forum day may hold; the landing page describes the ones a forum has.
# A forum's address in URLs (/f/<slug>/), e.g. isfara-2011.
SLUG_PATTERN = r"[a-z0-9][a-z0-9-]{1,78}[a-z0-9]"
ACTIVITIES = ("exhibition", "theatre", "drawings", "round_table", "job_fair")

forum_partner = sa.Table(
    "forum_partner",
    Model.metadata,
    sa.Column("forum_id", sa.ForeignKey("forum.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("organization_id", sa.ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True),
)


class Forum(TimestampMixin, Model):
    __tablename__ = "forum"
    __table_args__ = (
        enum_check("status", FORUM_STATUSES),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)  # /f/<slug>/, e.g. isfara-2011
    title: Mapped[dict[str, Any]]  # translated: {"ru", "tg", "en"}
    city: Mapped[dict[str, Any]]
    venue: Mapped[dict[str, Any]]  # e.g. House of Culture
    address: Mapped[dict[str, Any]]
    goals: Mapped[dict[str, Any]]  # why the forum is held, a paragraph per language
    description: Mapped[dict[str, Any]]  # what happens that day, beyond the activity list
    contacts: Mapped[dict[str, Any]]  # who to call, as text per language
    activities: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # subset of ACTIVITIES
    starts_at: Mapped[datetime]  # UTC
    ends_at: Mapped[datetime]  # UTC
    timezone: Mapped[str] = mapped_column(sa.String(40), default="Asia/Dushanbe")  # IANA name, for display
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    registration_open: Mapped[bool] = mapped_column(default=False)  # self-registration at /f/<slug>/register
    languages: Mapped[str] = mapped_column(sa.String(20), default="ru,tg,en")  # offered languages
    organizer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organization.id"))

    organizer: Mapped[Organization | None] = relationship()  # noqa: F821
    partners: Mapped[list[Organization]] = relationship(secondary=forum_partner, order_by="Organization.id")  # noqa: F821
    areas: Mapped[list[Area]] = relationship(
        back_populates="forum", cascade="all, delete-orphan", order_by="Area.position, Area.id"
    )
    registrations: Mapped[list[Registration]] = relationship(  # noqa: F821
        back_populates="forum", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_public(self) -> bool:
        return self.status in ("published", "archived")


class Area(Model):
    """A place inside the venue: the main stage, the exhibition square, the round-table hall…"""

    __tablename__ = "area"
    __table_args__ = (
        sa.UniqueConstraint("forum_id", "key"),
        enum_check("kind", AREA_KINDS),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(40))  # matches areas across forums when copying a plan
    name: Mapped[dict[str, Any]]  # translated
    kind: Mapped[str] = mapped_column(sa.String(20), default="other")
    capacity: Mapped[int | None]  # people it holds; None when unlimited (outdoors)
    position: Mapped[int] = mapped_column(default=0)  # column order in the timetable

    forum: Mapped[Forum] = relationship(back_populates="areas")
