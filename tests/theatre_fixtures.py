"""Test data for the theatre: a forum with two stages, its opening and lunch on the agenda, and
requests made through the service the app uses."""
from __future__ import annotations

import itertools
from datetime import datetime, time
from zoneinfo import ZoneInfo

import forum.models  # noqa: F401  (every model known before a PostgreSQL database is made)
from forum.agenda import service as agenda
from forum.events.models import Area
from forum.extensions import db
from forum.theatre import service, slots
from tests import factories

ZONE = ZoneInfo("Asia/Dushanbe")
_n = itertools.count(1)


def at(hhmm: str) -> datetime:
    return datetime.combine(datetime(2011, 5, 5).date(), time.fromisoformat(hhmm), tzinfo=ZONE)


def theatre_forum(slug: str = "isfara-test", agenda_items: bool = True):
    """Published, 5 May 2011 09:00–17:00, stages "theatre" and "yard", the opening and lunch planned."""
    forum = factories.make_forum(slug=slug)
    forum.activities = ["theatre"]
    forum.areas.append(Area(key="theatre", name={"ru": "Сцена театра", "tg": "Саҳнаи театр", "en": "Theatre stage"},
                            kind="stage", capacity=150, position=3))
    forum.areas.append(Area(key="yard", name={"ru": "Двор", "tg": "Ҳавлӣ", "en": "Yard"}, kind="stage",
                            capacity=None, position=4))
    forum.areas[0].kind = "stage"  # main-stage
    db.session.commit()
    if agenda_items:
        main = stage(forum, "main-stage")
        for kind, start, end, title in (("opening", "09:00", "09:45", "Открытие"),
                                        ("break", "12:30", "13:30", "Обед")):
            agenda.create_item(forum, agenda.ItemData(kind=kind, title={"ru": title}, area_id=main.id,
                                                      starts_at=at(start), ends_at=at(end)))
        db.session.commit()
    return forum


def stage(forum, key: str = "theatre") -> Area:
    return next(a for a in forum.areas if a.key == key)


def make_slots(forum, key="theatre", start="10:00", end="12:30", minutes=30, buffer=15, breaks=()):
    made = slots.generate(forum, slots.SlotPlan(area_id=stage(forum, key).id, start=time.fromisoformat(start),
                                                end=time.fromisoformat(end), slot_minutes=minutes,
                                                buffer_minutes=buffer, breaks=list(breaks)))
    db.session.commit()
    return made


def request_data(troupe: str | None = None, title: str | None = None, minutes: int = 25, cast=None,
                 phone: str | None = None) -> service.RequestData:
    n = next(_n)
    return service.RequestData(
        troupe_name=troupe or f"Театр «Ойина-{n}»", title={"ru": title or f"Письмо из России {n}", "tg": "Мактуб"},
        contact_name=f"Сафарова Нигина {n}", contact_phone=phone or f"+99293{n:07d}", duration_minutes=minutes,
        cast_size=3, cast=cast if cast is not None else [(f"Холов Далер {n}", f"+99298{n:07d}"), (f"Зокирова Зебо {n}", None)])


def approved(forum, **kwargs):
    performance = service.request_slot(forum, request_data(**kwargs)).performance
    service.decide(performance, approve=True)
    db.session.commit()
    return performance
