"""Messaging in the copy of a forum (forum.events.copying): messages and invitations belong to
the forum they were sent for and are never copied; the new forum's checklist says whether its
invitations have gone out yet."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from forum.events.copying import Todo
from forum.extensions import db
from forum.messaging.models import Invitation


def checklist(forum) -> list[Todo]:
    sent = db.session.scalar(sa.select(sa.func.count(Invitation.id)).where(
        Invitation.forum_id == forum.id, Invitation.invited_at.is_not(None))) or 0
    detail = ngettext("%(num)d sent", "%(num)d sent", sent) if sent else _("none sent yet")
    return [Todo(_("Invitations"), sent > 0, "invitations_manage.invitations", detail, order=30)]
