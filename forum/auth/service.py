"""Users and API tokens: creation, authentication, revocation."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy.orm import joinedload

from forum.auth.models import ROLES, ApiToken, User
from forum.db import utcnow
from forum.extensions import db

TOKEN_PREFIX = "fm_"


class UserError(ValueError):
    """A user cannot be created as asked; the message says why."""


def find_user(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == email.strip().lower()))


def create_user(email: str, role: str, password: str | None = None, name: str = "",
                language: str = "ru") -> tuple[User, str]:
    """Create a user; returns it and its password (generated when none is given)."""
    email = email.strip().lower()
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if "@" not in email:
        raise UserError(f"{email!r} is not an email address")
    if find_user(email):
        raise UserError(f"a user with email {email} already exists")
    password = password or secrets.token_urlsafe(12)
    user = User(email=email, role=role, name=name or email.split("@")[0], language=language)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user, password


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None (same answer for both mistakes)."""
    user = find_user(email)
    if user is None or not user.active or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    return user


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new API token for `user`; the plain token is returned once and only its hash is kept."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=_hash(plain), prefix=plain[:10])
    db.session.add(token)
    db.session.flush()
    return token, plain


def user_for_token(plain: str) -> User | None:
    """The active user owning this unrevoked token, or None."""
    if not plain or not plain.startswith(TOKEN_PREFIX):
        return None
    # the user in the same query: every API request asks for it (one round trip, not two)
    token = db.session.scalar(db.select(ApiToken).options(joinedload(ApiToken.user))
                              .where(ApiToken.token_hash == _hash(plain)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    return token.user


def revoke_token(token: ApiToken) -> None:
    token.revoked_at = utcnow()
