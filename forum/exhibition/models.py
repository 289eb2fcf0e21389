"""Exhibitor applications (a self-help group at one forum), their members and products, stand
types and stands on the floor plan of the exhibition area.

The database holds the rules that two people acting at once could break: one application
per group and per contact phone at a forum, one stand number per forum, one stand per
application, a blocked stand never holds a group, prices never below zero.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import TimestampMixin, enum_check, utcnow
from forum.extensions import Model

if TYPE_CHECKING:  # other packages' models, named in relationships
    from forum.events.models import Area
    from forum.people.models import District, Jamoat, Organization, Registration

# Members of a group at its stand: what the form has always told groups (a stand is a table or
# two; the press release counts 525 members in 91 groups, about six each). Form, service and
# the database's check all read this one number.
MAX_MEMBERS = 10

APPLICATION_STATUSES = ("pending", "approved", "rejected")
PRODUCT_CATEGORIES = ("sewing", "embroidery", "dried_fruit", "food", "crafts", "carpets", "other")
# A stand's own state; "assigned" is not stored: it is a stand with an application.
STAND_STATES = ("open", "reserved", "blocked")
METRES = sa.Numeric(6, 2)  # positions and sizes on the plan, in metres, to the centimetre


class ExhibitionSettings(Model):
    """Per forum: which area holds the exhibition, its size for the plan, whether groups may apply."""

    __tablename__ = "exhibition_settings"
    __table_args__ = (
        sa.CheckConstraint("plan_width > 0 AND plan_depth > 0", name="plan_size_positive"),
    )

    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"), primary_key=True)
    area_id: Mapped[int | None] = mapped_column(  # the exhibition square; stands are drawn on it
        sa.ForeignKey("area.id", ondelete="SET NULL"))
    plan_width: Mapped[Decimal] = mapped_column(METRES, default=Decimal("30"))  # metres, left to right
    plan_depth: Mapped[Decimal] = mapped_column(METRES, default=Decimal("20"))  # metres, top to bottom
    applications_open: Mapped[bool] = mapped_column(default=True)  # the public form takes applications

    area: Mapped[Area | None] = relationship()  # noqa: F821


class ExhibitorApplication(TimestampMixin, Model):
    """A self-help group's application for a stand at one forum."""

    __tablename__ = "exhibitor_application"
    __table_args__ = (
        sa.UniqueConstraint("forum_id", "organization_id"),
        sa.UniqueConstraint("forum_id", "contact_phone"),
        enum_check("status", APPLICATION_STATUSES),
        sa.CheckConstraint(f"member_count BETWEEN 1 AND {MAX_MEMBERS}", name="member_count_range"),
        sa.Index("ix_exhibitor_application_forum_status", "forum_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)  # the group
    group_name: Mapped[str] = mapped_column(sa.String(300))  # as the group wrote it; public
    district_id: Mapped[int | None] = mapped_column(sa.ForeignKey("district.id"))
    jamoat_id: Mapped[int | None] = mapped_column(sa.ForeignKey("jamoat.id"))  # chosen from the list
    jamoat_other: Mapped[str] = mapped_column(sa.String(100), default="")  # typed in when not in the list
    contact_name: Mapped[str] = mapped_column(sa.String(200))  # never public
    contact_phone: Mapped[str] = mapped_column(sa.String(20))  # E.164; never public
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))  # never public
    language: Mapped[str] = mapped_column(sa.String(2), default="ru")  # of the messages to the contact
    member_count: Mapped[int] = mapped_column(default=2)  # members who will stand at the stand
    needs_table: Mapped[bool] = mapped_column(default=True)
    needs_power: Mapped[bool] = mapped_column(default=False)
    needs_note: Mapped[str] = mapped_column(sa.String(500), default="")  # other needs, in their words
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")  # one of APPLICATION_STATUSES
    decision_reason: Mapped[str] = mapped_column(sa.Text, default="")  # told to the group
    decided_at: Mapped[datetime | None]  # when an organizer approved or rejected
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    # The contact person's registration: their private page /r/<token> is the group's page.
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registration.id", ondelete="SET NULL"), index=True)

    organization: Mapped[Organization] = relationship()  # noqa: F821
    district: Mapped[District | None] = relationship()  # noqa: F821
    jamoat: Mapped[Jamoat | None] = relationship()  # noqa: F821
    registration: Mapped[Registration | None] = relationship()  # noqa: F821
    members: Mapped[list[ExhibitorMember]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="ExhibitorMember.position")
    products: Mapped[list[Product]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="Product.position, Product.id")
    stand: Mapped[Stand | None] = relationship(back_populates="application", uselist=False)

    def jamoat_name(self, language: str) -> str:
        from forum.db import translated

        return translated(self.jamoat.name, language) if self.jamoat is not None else self.jamoat_other


class ExhibitorMember(Model):
    """A member of the group who will stand at the stand; registered (with a badge) on approval."""

    __tablename__ = "exhibitor_member"
    __table_args__ = (sa.UniqueConstraint("application_id", "phone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exhibitor_application.id", ondelete="CASCADE"), index=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))  # never public
    phone: Mapped[str | None] = mapped_column(sa.String(20))  # E.164; finds the person again; never public
    position: Mapped[int] = mapped_column(default=0)  # order on the form
    registration_id: Mapped[int | None] = mapped_column(  # set when the group is approved
        sa.ForeignKey("registration.id", ondelete="SET NULL"), index=True)

    application: Mapped[ExhibitorApplication] = relationship(back_populates="members")
    registration: Mapped[Registration | None] = relationship()  # noqa: F821


class Product(TimestampMixin, Model):
    """Something a group shows and sells: public in the catalogue once the group is approved."""

    __tablename__ = "exhibitor_product"
    __table_args__ = (
        enum_check("category", PRODUCT_CATEGORIES),
        sa.CheckConstraint("price >= 0", name="price_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exhibitor_application.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))  # e.g. "Сузани", "Курага"
    category: Mapped[str] = mapped_column(sa.String(20), default="other")  # one of PRODUCT_CATEGORIES
    description: Mapped[str] = mapped_column(sa.String(300), default="")  # a line or two
    price: Mapped[Decimal] = mapped_column(sa.Numeric(10, 2))  # somoni, two places
    # Stem of the photo files (random, see forum.images); None without a photo.
    image_key: Mapped[str | None] = mapped_column(sa.String(40))
    position: Mapped[int] = mapped_column(default=0)  # order in the catalogue

    application: Mapped[ExhibitorApplication] = relationship(back_populates="products")


class StandType(Model):
    """A kind of stand: its size and what comes with it."""

    __tablename__ = "stand_type"
    __table_args__ = (
        sa.UniqueConstraint("forum_id", "name"),
        sa.CheckConstraint("width > 0 AND depth > 0", name="size_positive"),
        sa.CheckConstraint("tables >= 0 AND chairs >= 0", name="furniture_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))  # e.g. "Standard 3 × 2 m"
    width: Mapped[Decimal] = mapped_column(METRES)  # metres along the plan's width
    depth: Mapped[Decimal] = mapped_column(METRES)  # metres along the plan's depth
    tables: Mapped[int] = mapped_column(default=1)  # tables that come with it
    chairs: Mapped[int] = mapped_column(default=2)
    power: Mapped[bool] = mapped_column(default=False)  # a socket at the stand


class Stand(Model):
    """A stand drawn on the plan at (x, y) with size w × h, in metres from the area's top-left corner."""

    __tablename__ = "stand"
    __table_args__ = (
        sa.UniqueConstraint("forum_id", "number"),
        # One stand per group: the second of two organizers giving a group a stand fails here.
        sa.UniqueConstraint("application_id"),
        enum_check("state", STAND_STATES),
        sa.CheckConstraint("w > 0 AND h > 0 AND x >= 0 AND y >= 0", name="geometry_valid"),
        sa.CheckConstraint("state <> 'blocked' OR application_id IS NULL", name="blocked_is_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(sa.String(12))  # printed on the sign, e.g. "12" or "A-3"
    type_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stand_type.id"), index=True)
    x: Mapped[Decimal] = mapped_column(METRES)
    y: Mapped[Decimal] = mapped_column(METRES)
    w: Mapped[Decimal] = mapped_column(METRES)
    h: Mapped[Decimal] = mapped_column(METRES)
    state: Mapped[str] = mapped_column(sa.String(10), default="open")  # one of STAND_STATES
    note: Mapped[str] = mapped_column(sa.String(200), default="")  # why reserved or blocked; organizers only
    application_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("exhibitor_application.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime | None] = mapped_column(default=None)
    assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    type: Mapped[StandType | None] = relationship()
    application: Mapped[ExhibitorApplication | None] = relationship(back_populates="stand")

    @property
    def status(self) -> str:
        """free, reserved, assigned or blocked: what the plan's colours show."""
        if self.application_id is not None:
            return "assigned"
        return {"open": "free"}.get(self.state, self.state)
