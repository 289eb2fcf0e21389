"""Set-password links: a colleague invited to a forum's team (or a user an administrator
creates) chooses their own password from a link sent by email through the outbox.

A link is signed with the app's secret, expires after LINK_DAYS and works once: it carries a
fingerprint of the password hash it was made for, which the new password replaces."""
from __future__ import annotations

import hashlib

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from itsdangerous.timed import TimestampSigner

from forum import clock
from forum.auth.models import User
from forum.db import translated
from forum.extensions import db

LINK_DAYS = 7
_SALT = "forum.auth.set-password"


class _ClockSigner(TimestampSigner):
    """Timestamps from the app's clock (tests set it), not the machine's."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def serializer(salt: str = _SALT) -> URLSafeTimedSerializer:
    """Signs links with the app's secret; each kind of link its own `salt`, so one never opens another."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt, signer=_ClockSigner)


def fingerprint(user: User) -> str:
    """Changes with the password: a link carrying it dies when the password is set."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def password_link_token(user: User) -> str:
    return str(serializer().dumps({"user": user.id, "hash": fingerprint(user)}))


def user_for_link(token: str) -> User | None:
    """The user a valid, unexpired, unused set-password link is for, or None."""
    try:
        data = serializer().loads(token, max_age=LINK_DAYS * 86400)
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("hash") != fingerprint(user):
        return None
    return user


def queue_password_link(user: User, inviter: User, forum=None) -> None:
    """Queue the email with a set-password link to `user` (in their language); the caller commits."""
    from forum.messaging import outbox
    from forum.messaging.compose import base_url

    link = base_url() + url_for("auth.set_password", token=password_link_token(user))
    with force_locale(user.language):
        where = translated(forum.title, user.language) if forum is not None else ""
        subject = _("Your account on the forum site")
        lines = [_("%(who)s has given you an account on the forum site.", who=inviter.name or inviter.email)]
        if where:
            lines.append(_("You are in the team of %(forum)s.", forum=where))
        lines += [_("Choose your password here (the link works once, for %(days)s days):", days=LINK_DAYS), link,
                  _("Your login is %(email)s.", email=user.email)]
    outbox.queue(channel="email", recipient=user.email, subject=str(subject), body="\n\n".join(str(x) for x in lines),
                 language=user.language, forum=forum)
