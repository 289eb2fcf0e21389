from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from forum.db import enum_check, utcnow
from forum.extensions import db

ROLES = ("organizer", "staff", "employer", "jury")


class User(UserMixin, db.Model):
    __tablename__ = "user_account"  # "user" is reserved in PostgreSQL
    __table_args__ = (enum_check("role", ROLES), enum_check("language", ("ru", "tg", "en")))

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)  # stored lower-case; the login
    name: Mapped[str] = mapped_column(sa.String(200), default="")  # shown to colleagues in scan logs
    role: Mapped[str] = mapped_column(sa.String(20))  # one of ROLES
    password_hash: Mapped[str] = mapped_column(sa.String(255))  # werkzeug scrypt hash
    language: Mapped[str] = mapped_column(sa.String(2), default="ru")  # pages and emails
    active: Mapped[bool] = mapped_column(default=True)  # a deactivated user cannot log in
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApiToken(db.Model):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100), default="")  # e.g. "door phone 3"
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # sha256 of the token; the token itself is shown once
    prefix: Mapped[str] = mapped_column(sa.String(12))  # first characters, to tell tokens apart in lists
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens")
