"""What badges add to a registration: the short code printed under the QR, and the secrets of
badges that were replaced (so a scan of a lost badge can say so)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.badges import codes  # noqa: F401  (gives every new registration its short code)
from forum.db import utcnow
from forum.extensions import Model

if TYPE_CHECKING:  # other packages' models, named in relationships
    from forum.auth.models import User
    from forum.events.models import Forum
    from forum.people.models import Registration


class BadgeCode(Model):
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


class RetiredBadge(Model):
    """A badge secret replaced by a reissue. Only a hash is kept: the old badge no longer
    admits anyone, but its scan can be told apart from a forged one."""

    __tablename__ = "retired_badge"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # sha256 of the old secret
    code_hash: Mapped[str | None] = mapped_column(sa.String(64), index=True)  # sha256 of the old short code
    retired_at: Mapped[datetime] = mapped_column(default=utcnow)  # when the badge was replaced
    # Who reissued it (unknown for badges replaced before this was recorded).
    retired_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    registration: Mapped[Registration] = relationship()  # noqa: F821
    retired_by: Mapped[User | None] = relationship()  # noqa: F821
