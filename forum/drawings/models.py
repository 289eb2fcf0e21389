"""Drawings of one forum, the forum's contest settings, and the jury's scores."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import enum_check, utcnow
from forum.extensions import Model

STATUSES = ("pending", "approved", "rejected")
AWARDS = ("first", "second", "third", "special")
LANGUAGES = ("ru", "tg", "en")

DEFAULT_AGE_GROUPS = [[6, 9], [10, 13], [14, 17]]
DEFAULT_CRITERIA: list[dict[str, Any]] = [
    {"key": "theme", "name": {"ru": "Раскрытие темы", "tg": "Ифшои мавзӯъ", "en": "Theme"}},
    {"key": "originality", "name": {"ru": "Оригинальность", "tg": "Асолат", "en": "Originality"}},
    {"key": "technique", "name": {"ru": "Техника", "tg": "Техника", "en": "Technique"}},
]


class DrawingSettings(Model):
    """How one forum runs its drawing contest; made with defaults on first use."""

    __tablename__ = "drawing_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"), unique=True)
    submissions_open: Mapped[bool] = mapped_column(default=True)  # the public form takes drawings
    # Inclusive [youngest, oldest] ages, e.g. [[6, 9], [10, 13], [14, 17]]; results are ranked per group
    age_groups: Mapped[list[Any]] = mapped_column(sa.JSON, default=lambda: [list(g) for g in DEFAULT_AGE_GROUPS])
    # What the jury scores, 1–10 each: [{"key": "theme", "name": {"ru", "tg", "en"}}, …]
    criteria: Mapped[list[Any]] = mapped_column(sa.JSON, default=lambda: [dict(c) for c in DEFAULT_CRITERIA])


class Drawing(Model):
    """A child's drawing, submitted by a guardian who consented to exhibit it.

    The child is minor: only the first name, age and school/jamoat are kept about them, and
    only approved drawings are ever public. Withdrawing deletes the row and the image files.
    """

    __tablename__ = "drawing"
    __table_args__ = (
        # one drawing per child per forum: the same guardian phone and the same first name
        sa.UniqueConstraint("forum_id", "guardian_phone", "child_key"),
        enum_check("status", STATUSES),
        enum_check("consent_language", LANGUAGES),
        sa.CheckConstraint("award IS NULL OR award IN ('first', 'second', 'third', 'special')",
                           name="award_allowed"),
        sa.CheckConstraint("child_age BETWEEN 3 AND 17", name="child_age_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)  # the guardian's private link; 192 random bits
    status: Mapped[str] = mapped_column(sa.String(20), default="pending")  # one of STATUSES
    title: Mapped[str] = mapped_column(sa.String(200))  # as the child named it
    child_first_name: Mapped[str] = mapped_column(sa.String(100))  # first name only, never a surname
    child_key: Mapped[str] = mapped_column(sa.String(100))  # first name folded, for the one-per-child rule
    child_age: Mapped[int]  # years on the forum day; from the age or the birth year given
    birth_year: Mapped[int | None]  # when the guardian gave a year instead of an age
    place: Mapped[str] = mapped_column(sa.String(200))  # school or jamoat, shown with consent
    guardian_name: Mapped[str] = mapped_column(sa.String(200))  # organizers only
    guardian_phone: Mapped[str] = mapped_column(sa.String(20))  # E.164; organizers only
    consent_version: Mapped[str] = mapped_column(sa.String(20))  # which consent text was agreed to
    consent_language: Mapped[str] = mapped_column(sa.String(2))  # the language it was shown in
    consent_at: Mapped[datetime] = mapped_column(default=utcnow)  # when it was agreed to
    image_key: Mapped[str] = mapped_column(sa.String(64), unique=True)  # random file stem, never the uploaded name
    width: Mapped[int]  # of the stored image, pixels
    height: Mapped[int]
    reject_reason: Mapped[str] = mapped_column(sa.Text, default="")  # shown to the guardian
    moderated_at: Mapped[datetime | None]
    moderated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    award: Mapped[str | None] = mapped_column(sa.String(20))  # one of AWARDS, set by organizers
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    scores: Mapped[list[DrawingScore]] = relationship(back_populates="drawing", cascade="all, delete-orphan",
                                                      passive_deletes=True)
    conflicts: Mapped[list[JuryConflict]] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    def __repr__(self) -> str:  # no child data in logs
        return f"<Drawing {self.id} {self.status}>"


class DrawingScore(Model):
    """One juror's score of one drawing on one criterion."""

    __tablename__ = "drawing_score"
    __table_args__ = (
        sa.UniqueConstraint("drawing_id", "juror_id", "criterion"),
        sa.CheckConstraint("score BETWEEN 1 AND 10", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    drawing_id: Mapped[int] = mapped_column(sa.ForeignKey("drawing.id", ondelete="CASCADE"), index=True)
    juror_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    criterion: Mapped[str] = mapped_column(sa.String(40))  # a key of DrawingSettings.criteria
    score: Mapped[int]  # 1–10
    scored_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    drawing: Mapped[Drawing] = relationship(back_populates="scores")


class JuryConflict(Model):
    """A juror declared a conflict of interest with a drawing and does not score it."""

    __tablename__ = "drawing_jury_conflict"
    __table_args__ = (sa.UniqueConstraint("drawing_id", "juror_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    drawing_id: Mapped[int] = mapped_column(sa.ForeignKey("drawing.id", ondelete="CASCADE"), index=True)
    juror_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)
