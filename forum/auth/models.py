from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from forum.db import enum_check, utcnow
from forum.extensions import Model

if TYPE_CHECKING:
    from forum.events.models import Forum

ROLES = ("admin", "organizer", "staff", "employer", "jury")
# Roles held at a forum (ForumMember); an administrator holds them all at every forum.
FORUM_ROLES = ("organizer", "staff", "jury")


class User(UserMixin, Model):
    __tablename__ = "user_account"  # "user" is reserved in PostgreSQL
    __table_args__ = (enum_check("role", ROLES), enum_check("language", ("ru", "tg", "en")))

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)  # stored lower-case; the login
    name: Mapped[str] = mapped_column(sa.String(200), default="")  # shown to colleagues in scan logs
    # One of ROLES: "admin" for the whole site, "employer" for the job fair; for the others the
    # kind of work they came for (where they land), their forums are in `memberships`.
    role: Mapped[str] = mapped_column(sa.String(20))
    password_hash: Mapped[str] = mapped_column(sa.String(255))  # werkzeug scrypt hash
    language: Mapped[str] = mapped_column(sa.String(2), default="ru")  # pages and emails
    active: Mapped[bool] = mapped_column(default=True)  # a deactivated user cannot log in
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # When the user proved the email is theirs (a link from it followed); None: not yet. An
    # employer cannot send vacancies for approval before (forum.jobfair.service).
    email_confirmed_at: Mapped[datetime | None]

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")
    memberships: Mapped[list[ForumMember]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def has_role(self, *roles: str) -> bool:
        """Whether the user holds one of `roles` anywhere: as their own role, at one of their
        forums, or as an administrator (who holds every forum role)."""
        if self.role in roles or (self.is_admin and any(role in FORUM_ROLES for role in roles)):
            return True
        return any(m.role in roles for m in self.memberships)

    def role_at(self, forum) -> str | None:
        """The user's role at `forum` (a Forum or its id): "organizer" for an administrator,
        the membership's role, or None when the user has none there."""
        if self.is_admin:
            return "organizer"
        forum_id = forum if isinstance(forum, int) else forum.id
        return next((m.role for m in self.memberships if m.forum_id == forum_id), None)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ForumMember(Model):
    """A user's role at one forum: its organizers, door staff and jury (one role per forum)."""

    __tablename__ = "forum_member"
    __table_args__ = (sa.UniqueConstraint("user_id", "forum_id"), enum_check("role", FORUM_ROLES))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    forum_id: Mapped[int] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(20))  # one of FORUM_ROLES
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    forum: Mapped[Forum] = relationship()


class ApiToken(Model):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100), default="")  # e.g. "door phone 3"
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # sha256 of the token; the token itself is shown once
    prefix: Mapped[str] = mapped_column(sa.String(12))  # first characters, to tell tokens apart in lists
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    # A partner's token may be kept to one forum (other forums answer 403) and to reading.
    forum_id: Mapped[int | None] = mapped_column(sa.ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    read_only: Mapped[bool] = mapped_column(default=False)  # only GET: creating or changing anything is refused

    user: Mapped[User] = relationship(back_populates="tokens")
    forum: Mapped[Forum | None] = relationship()
