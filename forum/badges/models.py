"""What badges add to a registration: the short code printed under the QR, and the secrets of
badges that were replaced (so a scan of a lost badge can say so)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.badges import codes  # noqa: F401  (gives every new registration its short code)
from forum.db import utcnow
from forum.extensions import db


class BadgeCode(db.Model):
    """The short code printed under a badge's QR: staff type it when the QR will not scan."""

    __tablename__ = "badge_code"
    __table_args__ = (sa.UniqueConstraint("forum_id", "code"),)

    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True)  # one code per registration
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"))  # codes are unique per forum
    code: Mapped[str] = mapped_column(sa.String(12))  # e.g. "K7MQ4X", shown as "K7M-Q4X"
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)  # when this code (and badge) was issued

    registration: Mapped[Registration] = relationship()  # noqa: F821
    forum: Mapped[Forum] = relationship()  # noqa: F821


class RetiredBadge(db.Model):
    """A badge secret replaced by a reissue. Only a hash is kept: the old badge no longer
    admits anyone, but its scan can be told apart from a forged one."""

    __tablename__ = "retired_badge"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # sha256 of the old secret
    retired_at: Mapped[datetime] = mapped_column(default=utcnow)  # when the badge was replaced

    registration: Mapped[Registration] = relationship()  # noqa: F821
