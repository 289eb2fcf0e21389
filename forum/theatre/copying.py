"""The theatre's part of copying a forum (forum.events.copying): whether troupes may ask, and
the slot plan of each stage at the same local hours. Performances are troupes' requests (people
and their plays) and stay behind: every slot of the copy is free."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from forum.extensions import db
from forum.theatre.models import TheatreSettings, TheatreSlot


def copy_settings(copy) -> None:
    settings = db.session.get(TheatreSettings, copy.source.id)
    if settings is not None:
        db.session.add(TheatreSettings(forum_id=copy.target.id, requests_open=settings.requests_open, bookings=0))
    count, missing = 0, set()
    slots = db.session.scalars(sa.select(TheatreSlot).where(TheatreSlot.forum_id == copy.source.id)
                               .order_by(TheatreSlot.starts_at, TheatreSlot.id))
    for slot in slots:
        stage = copy.area_for(slot.area_id)
        if stage is None:
            missing.add(slot.area.key)
            continue
        db.session.add(TheatreSlot(forum_id=copy.target.id, area_id=stage.id, starts_at=copy.shift(slot.starts_at),
                                   ends_at=copy.shift(slot.ends_at), buffer_minutes=slot.buffer_minutes))
        count += 1
    db.session.flush()
    copy.copied(ngettext("%(num)d theatre slot", "%(num)d theatre slots", count))
    for key in sorted(missing):
        copy.note(_("Theatre slots on the stage “%(key)s” were not copied: the new forum has no such area.", key=key))
