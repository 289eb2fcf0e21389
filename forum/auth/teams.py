"""A forum's team (its organizers, door staff and jury), managed by its organizers, and the
users of the site, managed by the administrators."""
from __future__ import annotations

import secrets

from forum.auth import links
from forum.auth.models import ROLES, ForumMember, User
from forum.auth.service import UserError, create_user, find_user, set_member
from forum.extensions import db


class TeamError(ValueError):
    """A change to a team or a user that is refused; `code` says why (the page words it)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def add_to_team(forum, email: str, role: str, inviter: User) -> tuple[User, bool]:
    """Give the user with `email` `role` at `forum`; a colleague without an account gets one
    and an email with a set-password link. Returns the user and whether the account is new.
    Refused: "not_team" (an administrator or employer), "bad_email". The caller commits."""
    user = find_user(email)
    if user is None:
        return invite(email, role, inviter, forums=[forum]), True
    if user.role not in ("organizer", "staff", "jury"):
        raise TeamError("not_team")
    set_member(user, forum, role)
    return user, False


def invite(email: str, role: str, inviter: User, name: str = "", forums=(), language: str | None = None) -> User:
    """A new user with an unknown password, who chooses one from the emailed link."""
    try:
        user, _password = create_user(email, role, password=secrets.token_urlsafe(24), name=name,
                                      language=language or inviter.language, forums=forums)
    except UserError:
        raise TeamError("bad_email") from None
    links.queue_password_link(user, inviter, forums[0] if forums else None)
    return user


def _last_organizer(member: ForumMember) -> bool:
    if member.role != "organizer":
        return False
    others = db.session.scalar(db.select(db.func.count(ForumMember.id)).where(
        ForumMember.forum_id == member.forum_id, ForumMember.role == "organizer", ForumMember.id != member.id))
    return not others


def change_role(member: ForumMember, role: str) -> None:
    """Refused with "last_organizer" when the forum would have no organizer left."""
    if role != "organizer" and _last_organizer(member):
        raise TeamError("last_organizer")
    set_member(member.user, member.forum, role)


def remove(member: ForumMember) -> None:
    """Take the user off the team (the account stays). Refused with "last_organizer"."""
    if _last_organizer(member):
        raise TeamError("last_organizer")
    from forum.auth.service import remove_member

    remove_member(member)


def set_user_role(user: User, role: str, by: User) -> None:
    """An administrator changes a user's own role. Refused: "self" (no one demotes themselves,
    so a site always keeps an administrator), "has_forums" (an administrator or employer holds
    no forum: take them off the teams first)."""
    if role not in ROLES:
        raise TeamError("bad_role")
    if user.id == by.id:
        raise TeamError("self")
    if role in ("admin", "employer") and user.memberships:
        raise TeamError("has_forums")
    user.role = role


def set_active(user: User, active: bool, by: User) -> None:
    """Refused with "self": an administrator does not lock themselves out."""
    if user.id == by.id:
        raise TeamError("self")
    user.active = active


def users() -> list[User]:
    return list(db.session.scalars(db.select(User).order_by(User.role, User.email)))
