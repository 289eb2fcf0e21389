"""Round-table invitees, a group the organizer can write to (forum.messaging.groups)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from forum.messaging.groups import Group
from forum.people.models import Registration
from forum.roundtable.models import Invitee, RoundTable

# value → the invitee states it takes; "invited" is everyone still invited, seated or waiting.
CHOICES = {"invited": ("invited", "confirmed", "waitlisted"), "confirmed": ("confirmed",),
           "waitlisted": ("waitlisted",), "declined": ("declined",)}


def _choices(forum) -> list[tuple[str, str]]:
    return [("invited", _("Invited (not declined)")), ("confirmed", _("Confirmed a seat")),
            ("waitlisted", _("On the waitlist")), ("declined", _("Declined"))]


def _condition(forum, value: str) -> sa.ColumnElement[bool] | None:
    states = CHOICES.get(value)
    if states is None:
        return None
    return Registration.id.in_(
        sa.select(Invitee.registration_id).join(RoundTable, Invitee.round_table_id == RoundTable.id)
        .where(RoundTable.forum_id == forum.id, Invitee.state.in_(states)))


groups = [Group("round_table", _l("Round table"), _choices, _condition, order=40)]
