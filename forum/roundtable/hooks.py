"""How the round table hears about the rest of the forum: answers to its invitations (from
messaging's `rsvp_changed`) and the check-in rule that admits only confirmed invitees."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from forum.checkin.rules import register_rule
from forum.extensions import db
from forum.messaging.signals import rsvp_changed
from forum.roundtable.models import Invitee, RoundTable

RULE = "roundtable"


@rsvp_changed.connect
def _answered(invitation, previous=None, **_extra) -> None:
    from forum.agenda import service as agenda
    from forum.roundtable import service

    invitee = service.invitee_for(invitation)
    if invitee is None:
        return
    service.answered(invitee.id, invitation.status)
    item = invitee.round_table.item
    if invitation.status == "declined":
        from forum.agenda.models import AgendaItemAttendee

        attendee = db.session.scalar(sa.select(AgendaItemAttendee).where(
            AgendaItemAttendee.item_id == item.id, AgendaItemAttendee.registration_id == invitee.registration_id))
        if attendee is not None and attendee.source == "roundtable":
            agenda.remove_attendee(item, invitee.registration)
    else:
        agenda.add_attendee(item, invitee.registration, "invited", source="roundtable")


def _confirmed(checkpoint) -> sa.Select:
    from forum.agenda.models import AgendaItem

    stmt = (sa.select(Invitee.registration_id).join(RoundTable, RoundTable.id == Invitee.round_table_id)
            .join(AgendaItem, AgendaItem.id == RoundTable.item_id)
            .where(RoundTable.forum_id == checkpoint.forum_id, Invitee.state == "confirmed"))
    if checkpoint.area_id is not None:
        stmt = stmt.where(AgendaItem.area_id == checkpoint.area_id)
    return stmt


def _allows(checkpoint, registration) -> bool:
    return db.session.scalar(_confirmed(checkpoint).where(Invitee.registration_id == registration.id).limit(1)) is not None


register_rule(RULE, _l("Confirmed round-table invitees"), _allows, _confirmed)
