"""Drawings when two persons are merged (forum.people.merging): a drawing knows its guardian
by phone, not by person, so the other person's drawings follow to the kept person's phone,
except where the kept phone already has a drawing of that child at that forum."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from forum.drawings.models import Drawing
from forum.extensions import db
from forum.people.models import Person


def persons(kept: Person, removed: Person) -> None:
    if not (kept.phone and removed.phone):
        return  # the kept person takes the other's phone, and its drawings with it
    twin = aliased(Drawing)
    taken = sa.exists().where(twin.forum_id == Drawing.forum_id, twin.child_key == Drawing.child_key,
                              twin.guardian_phone == kept.phone)
    db.session.execute(sa.update(Drawing).where(Drawing.guardian_phone == removed.phone, ~taken)
                       .values(guardian_phone=kept.phone).execution_options(synchronize_session=False))
