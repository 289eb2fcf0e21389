from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from forum.db import TimestampMixin, enum_check
from forum.extensions import Model
from forum.people.folding import fold

if TYPE_CHECKING:  # other packages' models, named in relationships
    from forum.events.models import Forum

LANGUAGES = ("ru", "tg", "en")
ORGANIZATION_KINDS = ("shg", "ngo", "government", "international", "mfi", "employer", "school", "theatre", "media")
CATEGORIES = (
    "shg_member", "shg_leader", "coordinator", "mobilizer", "government", "international", "mfi",
    "employer", "exhibitor", "performer", "guest", "press", "staff",
)
# What a participant may pick when registering themself; the rest are given by organizers.
SELF_CATEGORIES = ("shg_member", "shg_leader", "mobilizer", "guest", "press")
STATUSES = ("invited", "confirmed", "declined", "cancelled")
EXPECTED_STATUSES = ("invited", "confirmed")  # expected to come: the door's, the board's and the reports' one rule
GENDERS = ("f", "m")
SOURCES = ("self", "organizer", "import", "demo", "feature", "walkin")  # walkin: at the door, by staff


class District(Model):
    __tablename__ = "district"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(40), unique=True)  # stable code, e.g. "isfara"
    name: Mapped[dict[str, Any]]  # {"ru": "Исфара", "tg": "Исфара", "en": "Isfara"}

    jamoats: Mapped[list[Jamoat]] = relationship(back_populates="district", order_by="Jamoat.id")


class Jamoat(Model):
    """A rural sub-district; self-help groups are formed jamoat by jamoat."""

    __tablename__ = "jamoat"
    __table_args__ = (sa.UniqueConstraint("district_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(sa.ForeignKey("district.id"), index=True)
    key: Mapped[str] = mapped_column(sa.String(40))  # stable code inside its district
    name: Mapped[dict[str, Any]]

    district: Mapped[District] = relationship(back_populates="jamoats")


class Organization(TimestampMixin, Model):
    __tablename__ = "organization"
    __table_args__ = (enum_check("kind", ORGANIZATION_KINDS), sa.UniqueConstraint("name", "kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))  # as the organization writes it (the original)
    # The name in each page language, where someone wrote it: {"ru": "ООН-Женщины", "en": "UN Women"};
    # pages show it through forum.localize (falling back to `name`, marked untranslated).
    names: Mapped[dict[str, Any]] = mapped_column(default=dict)
    short_name: Mapped[str] = mapped_column(sa.String(60), default="")  # e.g. "IOM", "АЖО"
    # Other ways people write it ("Структура ООН-женщины"): an import naming one of them
    # means this organization (forum.people.organizations matches them, folded).
    aliases: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    kind: Mapped[str] = mapped_column(sa.String(20))  # one of ORGANIZATION_KINDS
    district_id: Mapped[int | None] = mapped_column(sa.ForeignKey("district.id"), index=True)
    jamoat_id: Mapped[int | None] = mapped_column(sa.ForeignKey("jamoat.id"), index=True)
    contact_person: Mapped[str] = mapped_column(sa.String(200), default="")
    phone: Mapped[str | None] = mapped_column(sa.String(20))  # E.164, e.g. +992927701806
    email: Mapped[str | None] = mapped_column(sa.String(254))
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    district: Mapped[District | None] = relationship()
    jamoat: Mapped[Jamoat | None] = relationship()
    members: Mapped[list[Person]] = relationship(back_populates="organization")

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Person(TimestampMixin, Model):
    __tablename__ = "person"
    __table_args__ = (
        enum_check("language", LANGUAGES),
        sa.CheckConstraint("gender IS NULL OR gender IN ('f', 'm')", name="gender_allowed"),
        # Searches look for each folded word anywhere in the name (LIKE '%word%', see
        # people.search), which a B-tree cannot serve: on PostgreSQL the index is a GIN of
        # trigrams (pg_trgm, created before the table, see below), so a search among 50,000
        # people reads only the rows holding the words. On SQLite, which has no such index,
        # it stays a plain one.
        sa.Index("ix_person_name_folded", "name_folded", postgresql_using="gin",
                 postgresql_ops={"name_folded": "gin_trgm_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(sa.String(200), index=True)
    # fold(full_name), kept by `_fold_name` whenever the name is written: searches compare
    # folded query with this column, so "Рахимова" and "Rahimova" find "Раҳимова". Folding
    # may lengthen a name (ж → zh), hence the width. Indexed in __table_args__.
    name_folded: Mapped[str] = mapped_column(sa.String(400), default="")
    # E.164; one person per number, so a number identifies who registers (many have no email)
    phone: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    email: Mapped[str | None] = mapped_column(sa.String(254), index=True)
    language: Mapped[str] = mapped_column(sa.String(2), default="ru")  # badges, messages, pages
    gender: Mapped[str | None] = mapped_column(sa.String(1))  # recorded only when given
    position: Mapped[str] = mapped_column(sa.String(200), default="")  # e.g. "group leader", "deputy chairman"
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(sa.ForeignKey("district.id"), index=True)
    jamoat_id: Mapped[int | None] = mapped_column(sa.ForeignKey("jamoat.id"), index=True)

    organization: Mapped[Organization | None] = relationship(back_populates="members")
    district: Mapped[District | None] = relationship()
    jamoat: Mapped[Jamoat | None] = relationship()
    registrations: Mapped[list[Registration]] = relationship(back_populates="person")

    @validates("full_name")
    def _fold_name(self, _key: str, value: str) -> str:
        self.name_folded = fold(value)
        return value


# The trigram operators the index above uses: created with the tables (create_all, as tests and
# benchmarks build the schema) as the migration creates them; trusted, so the database's owner may.
sa.event.listen(Person.__table__, "before_create",
                sa.DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"))


class Registration(TimestampMixin, Model):
    """A person at one forum: their category, their status and their two secrets."""

    __tablename__ = "registration"
    __table_args__ = (
        sa.UniqueConstraint("forum_id", "person_id"),
        enum_check("category", CATEGORIES),
        enum_check("status", STATUSES),
        enum_check("source", SOURCES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(sa.String(20))  # one of CATEGORIES
    status: Mapped[str] = mapped_column(sa.String(20), default="confirmed")  # one of STATUSES
    source: Mapped[str] = mapped_column(sa.String(20), default="organizer")  # how it came in
    # Printed as the badge's QR; random, never derived from personal data (see people.secrets).
    badge_secret: Mapped[str] = mapped_column(sa.String(40), unique=True)
    # The private page /r/<token>: no password, so it is long and random.
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The short link /l/<short_code> of SMS (a few characters instead of the token's 32);
    # random like the token, unguessable behind its rate limit. Given when first sent.
    short_code: Mapped[str | None] = mapped_column(sa.String(16), unique=True)
    consent_at: Mapped[datetime | None] = mapped_column(default=None)  # when the person agreed to data use
    badge_printed_at: Mapped[datetime | None]
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    forum: Mapped[Forum] = relationship(back_populates="registrations")  # noqa: F821
    person: Mapped[Person] = relationship(back_populates="registrations")


