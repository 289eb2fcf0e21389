"""Check-ins when two persons registered at one forum are merged (forum.people.merging): the
other registration's scans move to the kept one, and a person is let in once per checkpoint,
so of two first entries at one checkpoint the earlier stays the entry and the later becomes
a re-entry (the partial unique index uq_checkin_first_entry would refuse two)."""
from __future__ import annotations

import sqlalchemy as sa

from forum.checkin.models import FIRST_ENTRY, Checkin
from forum.extensions import db
from forum.people.models import Registration


def registrations(kept: Registration, removed: Registration) -> None:
    first = sa.text(FIRST_ENTRY)
    for scan in db.session.scalars(sa.select(Checkin).where(Checkin.registration_id == removed.id, first)):
        other = db.session.scalar(sa.select(Checkin).where(
            Checkin.registration_id == kept.id, Checkin.checkpoint_id == scan.checkpoint_id, first))
        if other is not None:
            later = scan if scan.created_at >= other.created_at else other
            later.reason = "reentry"
