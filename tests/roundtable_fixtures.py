"""Helpers for round-table tests: a round-table item on the forum's round-table area, a round
table with quotas, and invitees of each group."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from forum.agenda import service as agenda
from forum.extensions import db
from forum.roundtable import service
from tests import factories

ZONE = ZoneInfo("Asia/Dushanbe")


def make_round_table(forum, quotas: dict[str, int], capacity: int | None = None, tables: int = 3, seats: int = 6):
    area = next(a for a in forum.areas if a.key == "round-table")
    saved = agenda.create_item(forum, agenda.ItemData(
        kind="round_table", title={"ru": "Круглый стол", "tg": "Мизи мудаввар", "en": "Round table"},
        area_id=area.id, starts_at=datetime(2011, 5, 5, 10, tzinfo=ZONE), ends_at=datetime(2011, 5, 5, 12, tzinfo=ZONE)))
    table = service.set_up(forum, saved.item, capacity if capacity is not None else sum(quotas.values()),
                           tables, seats, quotas)
    db.session.commit()
    return table


def invite_people(table, forum, group: str, count: int, **person):
    registrations = [factories.make_registration(forum, factories.make_person(
        email=f"{group}{i}-{next(factories._seq)}@example.org", **person), category=group)
        for i in range(count)]
    invitees = service.invite(table, registrations, group)
    db.session.commit()
    return invitees
