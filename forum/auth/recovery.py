"""Proving an email is one's own, and getting back into an account: emailed links.

Both links are signed with the app's secret (forum.auth.links), each kind with its own salt,
expire (CONFIRM_DAYS, RESET_HOURS) and work once:
- a confirmation link carries the email it was sent to and is refused once the account is
  confirmed (or its email changed);
- a reset link carries a fingerprint of the password hash, which the new password replaces.

Nothing here tells a visitor whether an email has an account: asking for a reset, or signing
up with a known email, answers the same whatever the email, and only the mailbox learns more.
Every message goes through the outbox in the user's language; the caller commits.
"""
from __future__ import annotations

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired

from forum import clock
from forum.auth import models
from forum.auth.links import fingerprint, serializer
from forum.auth.models import User
from forum.auth.service import find_user
from forum.extensions import db

CONFIRM_DAYS = 3
RESET_HOURS = 2
_CONFIRM_SALT = "forum.auth.confirm-email"
_RESET_SALT = "forum.auth.reset-password"


# --- tokens -----------------------------------------------------------------------------------

def confirmation_token(user: User) -> str:
    return str(serializer(_CONFIRM_SALT).dumps({"user": user.id, "email": user.email}))


def user_to_confirm(token: str) -> User | None:
    """The active, not yet confirmed user a valid, unexpired confirmation link is for, or None."""
    data = _load(token, _CONFIRM_SALT, CONFIRM_DAYS * 86400) or {}
    user = db.session.get(User, data["user"]) if isinstance(data.get("user"), int) else None
    if user is None or not user.active or user.email_confirmed_at is not None or data.get("email") != user.email:
        return None
    return user


def reset_token(user: User) -> str:
    return str(serializer(_RESET_SALT).dumps({"user": user.id, "hash": fingerprint(user)}))


def user_to_reset(token: str) -> User | None:
    """The active user a valid, unexpired, unused reset link is for, or None."""
    data = _load(token, _RESET_SALT, RESET_HOURS * 3600) or {}
    user = db.session.get(User, data["user"]) if isinstance(data.get("user"), int) else None
    if user is None or not user.active or data.get("hash") != fingerprint(user):
        return None
    return user


def _load(token: str, salt: str, max_age: int) -> dict | None:
    try:
        data = serializer(salt).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    return data if isinstance(data, dict) else None


# --- what the links do ------------------------------------------------------------------------

def confirm_email(user: User) -> None:
    """Record that the user proved the email is theirs (kept from the first time)."""
    if user.email_confirmed_at is None:
        user.email_confirmed_at = clock.now()
        db.session.flush()


def set_new_password(user: User, password: str) -> None:
    """Set the password from an emailed link: every earlier reset or set-password link dies,
    and the email is confirmed (the link reached its mailbox)."""
    user.set_password(password)
    confirm_email(user)
    db.session.flush()


def spend_hashing_time(password: str) -> None:
    """Hash a password for nothing: an answer that creates no account takes as long as one that does."""
    models.generate_password_hash(password)


def request_reset(email: str) -> None:
    """Mail a reset link to the account with this email, if there is an active one; else nothing."""
    user = find_user(email)
    if user is not None and user.active:
        queue_reset(user)


# --- the emails -------------------------------------------------------------------------------

def _send(user: User, subject: str, lines: list, forum=None) -> None:
    from forum.messaging import outbox  # messaging builds on auth: imported when mailing

    outbox.queue(channel="email", recipient=user.email, subject=str(subject), language=user.language, forum=forum,
                 body="\n\n".join(str(line) for line in lines))


def _url(endpoint: str, **values) -> str:
    from forum.messaging.compose import base_url  # messaging builds on auth: imported when mailing

    return base_url() + url_for(endpoint, **values)


def _in_language(user: User):
    return force_locale(user.language if user.language in ("ru", "tg", "en") else "ru")


def queue_confirmation(user: User, forum=None) -> None:
    """The email with the link that confirms the address (a new sign-up, or asked again)."""
    link = _url("auth.confirm_email", token=confirmation_token(user))
    with _in_language(user):
        subject = _("Confirm your email")
        lines = [_("Hello. To finish signing up for the job fair on the forum site, confirm your email here "
                   "(the link works once, for %(days)s days):", days=CONFIRM_DAYS),
                 link, _("Your login is %(email)s.", email=user.email),
                 _("If you did not sign up, ignore this email: nothing happens without the link.")]
    _send(user, subject, lines, forum)


def queue_already_registered(user: User, forum=None) -> None:
    """Answer to a sign-up with an email that already has an account: say so to that mailbox
    only, with a way back in (the page said the same as to anyone: check your email)."""
    link = _url("auth.reset_password", token=reset_token(user))
    with _in_language(user):
        subject = _("You already have an account")
        lines = [_("Someone, probably you, tried to sign up for the job fair on the forum site with this email. "
                   "You already have an account: your login is %(email)s.", email=user.email),
                 _("Forgot the password? Reset your password here (the link works once, for %(hours)s hours):",
                   hours=RESET_HOURS), link,
                 _("If it was not you, ignore this email: your account is unchanged.")]
    _send(user, subject, lines, forum)


def queue_reset(user: User) -> None:
    """The email with a password reset link."""
    link = _url("auth.reset_password", token=reset_token(user))
    with _in_language(user):
        subject = _("Reset your password")
        lines = [_("Someone, probably you, asked to reset the password of %(email)s on the forum site.",
                   email=user.email),
                 _("Choose a new password here (the link works once, for %(hours)s hours):", hours=RESET_HOURS),
                 link, _("If it was not you, ignore this email: your password is unchanged.")]
    _send(user, subject, lines)
