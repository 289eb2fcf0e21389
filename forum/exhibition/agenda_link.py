"""The exhibition on the forum's agenda: one item of kind "exhibition" in the exhibition area,
placed through the agenda's own service (so its conflict rules hold). An item the agenda
already has (e.g. planned in the timetable editor) is reused, never duplicated."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from forum.agenda import service as agenda
from forum.agenda.models import AgendaItem
from forum.events.models import Forum
from forum.exhibition.service import ExhibitionError, settings_for
from forum.extensions import db

TITLE = {"ru": "Выставка изделий групп взаимопомощи", "tg": "Намоишгоҳи маҳсулоти гурӯҳҳои худёрӣ",
         "en": "Exhibition of the self-help groups' products"}
DESCRIPTION = {"ru": "Стенды ГВП: швейные изделия, вышивка, сухофрукты, ремёсла. Каталог и план — на странице выставки.",
               "tg": "Стендҳои гурӯҳҳои худёрӣ: дӯзандагӣ, гулдӯзӣ, меваи хушк, ҳунарҳо. Феҳрист ва нақша дар "
                     "саҳифаи намоишгоҳ.",
               "en": "The groups' stands: sewing, embroidery, dried fruit, crafts. Catalogue and plan on the "
                     "exhibition page."}


def agenda_item(forum: Forum) -> AgendaItem | None:
    """The exhibition's item on the agenda (not cancelled), in the exhibition area if one is set."""
    settings = settings_for(forum)
    stmt = sa.select(AgendaItem).where(AgendaItem.forum_id == forum.id, AgendaItem.kind == "exhibition",
                                       AgendaItem.status != "cancelled")
    found = list(db.session.scalars(stmt.order_by(AgendaItem.starts_at, AgendaItem.id)))
    in_area = [item for item in found if item.area_id == settings.area_id]
    return next(iter(in_area or found), None)


def put_on_agenda(forum: Forum, starts_at: datetime, ends_at: datetime) -> AgendaItem:
    """Place (or move) the exhibition on the agenda from `starts_at` to `ends_at` in its area.

    Refused with nothing changed: "no_area" (no exhibition area chosen), "agenda_area_busy"
    (`other`: the item in the way), "agenda_outside_hours", "agenda_times". The caller commits."""
    settings = settings_for(forum)
    if settings.area_id is None:
        raise ExhibitionError("no_area")
    item = agenda_item(forum)
    try:
        if item is None:
            item = agenda.create_item(forum, agenda.ItemData(
                kind="exhibition", title=dict(TITLE), description=dict(DESCRIPTION), area_id=settings.area_id,
                starts_at=starts_at, ends_at=ends_at, is_public=True, source="exhibition", source_id=forum.id)).item
        else:
            agenda.move_item(item, starts_at, area=settings.area, ends_at=ends_at)
    except agenda.AgendaConflict as conflict:
        raise ExhibitionError(f"agenda_{conflict.code}", other=conflict.other) from None
    except agenda.AgendaError:
        raise ExhibitionError("agenda_times") from None
    return item
