"""Users and API tokens: creation, authentication, revocation."""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from forum.auth.models import FORUM_ROLES, ROLES, ApiToken, ForumMember, User
from forum.db import execute_built_once, utcnow
from forum.events.models import Forum
from forum.extensions import db

TOKEN_PREFIX = "fm_"


class UserError(ValueError):
    """A user cannot be created as asked; the message says why."""


def find_user(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == email.strip().lower()))


def create_user(email: str, role: str, password: str | None = None, name: str = "",
                language: str = "ru", forums: Iterable[Forum] = ()) -> tuple[User, str]:
    """Create a user, holding `role` at each of `forums` (organizer, staff and jury; an
    administrator and an employer have no forums); returns it and its password (generated
    when none is given)."""
    email = email.strip().lower()
    forums = list(forums)
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if "@" not in email:
        raise UserError(f"{email!r} is not an email address")
    if find_user(email):
        raise UserError(f"a user with email {email} already exists")
    if forums and role not in FORUM_ROLES:
        raise UserError(f"the role {role} is not held at a forum; leave out --forum")
    password = password or secrets.token_urlsafe(12)
    user = User(email=email, role=role, name=name or email.split("@")[0], language=language)
    user.set_password(password)
    db.session.add(user)
    for forum in forums:
        user.memberships.append(ForumMember(forum=forum, role=role))
    db.session.flush()
    return user, password


def members(forum: Forum) -> list[ForumMember]:
    """The forum's team: its members with their users, by role then email."""
    return list(db.session.scalars(
        db.select(ForumMember).join(User).options(joinedload(ForumMember.user)).where(ForumMember.forum_id == forum.id)
        .order_by(ForumMember.role, User.email)))


def set_member(user: User, forum: Forum, role: str) -> ForumMember:
    """Make `user` hold `role` at `forum` (adding them to its team, or changing their role).
    An administrator or an employer cannot be a member: refused with UserError."""
    if role not in FORUM_ROLES:
        raise UserError(f"unknown role {role!r}; choose one of {', '.join(FORUM_ROLES)}")
    if user.role not in FORUM_ROLES:
        raise UserError(f"{user.email} is {user.role}, not a member of a team")
    member = next((m for m in user.memberships if m.forum_id == forum.id), None)
    if member is None:
        member = ForumMember(forum=forum, role=role)
        user.memberships.append(member)
    member.role = role
    db.session.flush()
    return member


def copy_team(source: Forum, target: Forum) -> None:
    """Give `source`'s team (organizers, staff, jury) the same roles at `target`."""
    for member in members(source):
        set_member(member.user, target, member.role)


def remove_member(member: ForumMember) -> None:
    """Take the user off the forum's team; their account and other forums stay."""
    member.user.memberships.remove(member)
    db.session.delete(member)
    db.session.flush()


@dataclass(frozen=True)
class RoleThere:
    """A user's role at the forum a URL names: whether that forum exists, and the role (or None)."""

    exists: bool
    role: str | None


def forum_role(user: User, slug: str) -> RoleThere:
    """The user's role at the forum with this slug ("organizer" for an administrator), in one query."""
    row = db.session.execute(
        db.select(Forum.id, ForumMember.role).outerjoin(
            ForumMember, sa.and_(ForumMember.forum_id == Forum.id, ForumMember.user_id == user.id))
        .where(Forum.slug == slug)).first()
    if row is None:
        return RoleThere(False, None)
    return RoleThere(True, "organizer" if user.is_admin else row.role)


def forum_ids_of(user: User, *roles: str) -> set[int] | None:
    """Ids of the forums where `user` holds one of `roles` (any role when none is given);
    None for an administrator, who has them all. Lists of forums are narrowed by it."""
    if user.is_admin:
        return None
    return {m.forum_id for m in user.memberships if not roles or m.role in roles}


def only_theirs(user: User, forums, *roles: str) -> list:
    """The forums among `forums` where `user` holds one of `roles` (all for an administrator)."""
    ids = forum_ids_of(user, *roles)
    return [f for f in forums if ids is None or f.id in ids]


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None (same answer for both mistakes)."""
    user = find_user(email)
    if user is None or not user.active or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    return user


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str = "", forum=None, read_only: bool = False) -> tuple[ApiToken, str]:
    """A new API token for `user` (for one `forum` only, and only for reading, when asked);
    the plain token is returned once and only its hash is kept."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=_hash(plain), prefix=plain[:10], forum=forum,
                     read_only=read_only)
    db.session.add(token)
    db.session.flush()
    return token, plain


def user_for_token(plain: str) -> User | None:
    """The active user owning this unrevoked token, or None."""
    bearer = token_for(plain)
    return bearer.user if bearer is not None else None


@dataclass
class TokenBearer:
    """Who holds a token, and what it allows: its one forum (or any) and reading only. The
    user's id and role come with the token's row; the User itself is built only when a view
    asks for it (`user`): the door's scan needs no more than the id."""

    user_id: int
    role: str  # the user's own role (admin, organizer, staff, …)
    forum_id: int | None = None
    forum_slug: str | None = None
    read_only: bool = False
    url_forum_id: int | None = None  # the forum the request's URL names, when it exists
    role_there: str | None = None  # the user's role at that forum
    url_forum_timezone: str | None = None  # and that forum's time zone and status, for the door
    url_forum_status: str | None = None

    @cached_property
    def user(self) -> User:
        return db.session.get_one(User, self.user_id)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def has_role(self, *roles: str) -> bool:
        return self.user.has_role(*roles)

    @property
    def there(self) -> RoleThere:
        return RoleThere(self.url_forum_id is not None, "organizer" if self.is_admin else self.role_there)


def token_for(plain: str, slug: str | None = None) -> TokenBearer | None:
    """The active user owning this unrevoked token with the token's limits, or None; with the
    user's role at the forum `slug` (the URL's) when given."""
    if not plain or not plain.startswith(TOKEN_PREFIX):
        return None
    row = execute_built_once(db.session.connection(), _token_query(slug is not None),
                             {"hash": _hash(plain), "slug": slug}).first()
    return TokenBearer(*row) if row is not None else None


@cache
def _token_query(with_forum: bool) -> sa.Select:
    """Every API request asks: one query of plain values (the token's row, its user's id and
    role, the URL's forum and the membership there), no object built. The URL's forum comes
    whole enough for the door's scan, which then needs no query of its own for it. Built once: making the
    aliases and the select anew cost more than running it."""
    url_forum, member = aliased(Forum), aliased(ForumMember)
    return (db.select(User.id, User.role, ApiToken.forum_id, Forum.slug, ApiToken.read_only, url_forum.id, member.role,
                      url_forum.timezone, url_forum.status)
            .join(ApiToken, ApiToken.user_id == User.id).outerjoin(Forum, Forum.id == ApiToken.forum_id)
            .outerjoin(url_forum, url_forum.slug == sa.bindparam("slug") if with_forum else sa.false())
            .outerjoin(member, sa.and_(member.forum_id == url_forum.id, member.user_id == User.id))
            .where(ApiToken.token_hash == sa.bindparam("hash"), ApiToken.revoked_at.is_(None), User.active.is_(True)))


API_ROLES = ("staff", "organizer")  # the roles whose tokens the API accepts anywhere


def tokens(by: User | None = None) -> list[ApiToken]:
    """The API tokens `by` may see (every one for an administrator or the command line: None)
    with their users, active ones first, newest first."""
    stmt = db.select(ApiToken).options(joinedload(ApiToken.user), joinedload(ApiToken.forum))
    if by is not None and not by.is_admin:
        stmt = stmt.where(ApiToken.user_id.in_(_team_of(by)))
    return list(db.session.scalars(stmt.order_by(
        ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())))


def _team_of(organizer: User):
    """Ids of the users in the teams of the forums `organizer` organizes, and theirs: a
    token acts with its user's roles, so an organizer hands out only their own forums' ones."""
    forums = db.select(ForumMember.forum_id).where(ForumMember.user_id == organizer.id, ForumMember.role == "organizer")
    return db.select(ForumMember.user_id).where(ForumMember.forum_id.in_(forums)).union(
        db.select(sa.literal(organizer.id)))


def token_holders(by: User | None = None) -> list[User]:
    """Active users `by` may make a token for (door phones, partners' programs): staff and
    organizers of the forums `by` organizes; any for an administrator."""
    stmt = db.select(User).where(User.active, User.role.in_(API_ROLES))
    if by is not None and not by.is_admin:
        stmt = stmt.where(User.id.in_(_team_of(by)))
    return list(db.session.scalars(stmt.order_by(User.email)))


def revoke_token(token: ApiToken) -> bool:
    """Revoke the token: the API answers 401 to it from now on. False when it already was
    (the first revocation's time is kept)."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    return True
