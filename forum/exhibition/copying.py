"""The exhibition's part of copying a forum (forum.events.copying): its settings (area, plan
size, whether groups may apply), stand types, the stands on the floor plan, and the
exhibition's place on the agenda. Applications, groups and assignments stay behind: every
stand of the copy is free, or reserved/blocked as the organizer had marked it."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from forum.exhibition import agenda_link
from forum.exhibition.models import ExhibitionSettings, Stand, StandType
from forum.exhibition.service import ExhibitionError
from forum.extensions import db


def copy_settings(copy) -> None:
    source, target = copy.source, copy.target
    settings = db.session.get(ExhibitionSettings, source.id)
    if settings is not None:
        area = copy.area_for(settings.area_id)
        db.session.add(ExhibitionSettings(forum_id=target.id, area_id=area.id if area is not None else None,
                                          plan_width=settings.plan_width, plan_depth=settings.plan_depth,
                                          applications_open=settings.applications_open))
    types = {}
    for stand_type in db.session.scalars(sa.select(StandType).where(StandType.forum_id == source.id)):
        types[stand_type.id] = StandType(forum_id=target.id, name=stand_type.name, width=stand_type.width,
                                         depth=stand_type.depth, tables=stand_type.tables, chairs=stand_type.chairs,
                                         power=stand_type.power)
        db.session.add(types[stand_type.id])
    db.session.flush()
    stands = list(db.session.scalars(sa.select(Stand).where(Stand.forum_id == source.id).order_by(Stand.id)))
    for stand in stands:
        db.session.add(Stand(forum_id=target.id, number=stand.number,
                             type_id=types[stand.type_id].id if stand.type_id is not None else None,
                             x=stand.x, y=stand.y, w=stand.w, h=stand.h, state=stand.state, note=stand.note))
    db.session.flush()
    copy.copied(ngettext("%(num)d stand type", "%(num)d stand types", len(types)))
    copy.copied(ngettext("%(num)d stand on the floor plan", "%(num)d stands on the floor plan", len(stands)))
    _agenda(copy)


def _agenda(copy) -> None:
    """The exhibition's own agenda item is not the plan's (the agenda's copier leaves it): put
    it on the new agenda at the same local hours."""
    item = agenda_link.agenda_item(copy.source)
    if item is None or item.source != "exhibition":
        return
    try:
        agenda_link.put_on_agenda(copy.target, copy.shift(item.starts_at), copy.shift(item.ends_at))
    except ExhibitionError:
        copy.note(_("The exhibition could not be put on the agenda: place it from the floor plan page."))
