"""Agenda benchmarks: the public agenda page and agenda.ics of a forum with 300 items, and
1,000 personal calendars of 10 items each, each beside a floor measured in the same run.

SQLite only: the floors read the file with the bare sqlite3 module.
Floors: the same rows read with a bare sqlite3 query and serialised directly (an f-string
page; icalendar events built straight from the rows), and for personal calendars the same ten
VEVENTs built once and reused by every calendar.
"""
from __future__ import annotations

import sqlite3
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

from bench import Figure, Row, alternate, scaled

ITEMS = 300
AREAS = 10
PEOPLE = scaled(1000, 50)
PERSONAL_ITEMS = 10
ZONE = ZoneInfo("Asia/Dushanbe")

ROWS_SQL = """
SELECT i.id, i.kind, i.title, i.description, i.starts_at, i.ends_at, i.status, i.sequence, i.updated_at,
       i.created_at, a.name, a.key
FROM agenda_item i JOIN area a ON a.id = i.area_id
WHERE i.forum_id = ? AND i.is_public = 1
ORDER BY i.starts_at, a.position, a.id, i.id
"""


def _forum(db, slug: str, areas: int):
    from forum.events.models import Area, Forum
    from forum.events.service import local_span

    starts_at, ends_at = local_span(date(2011, 5, 5), time(9), time(17), "Asia/Dushanbe")
    forum = Forum(slug=slug, status="published", title={"ru": "Форум", "tg": "Форум", "en": "Forum"},
                  city={"ru": "Исфара"}, venue={"ru": "Дом культуры", "tg": "Хонаи фарҳанг"}, address={},
                  goals={}, description={}, contacts={}, activities=[], starts_at=starts_at, ends_at=ends_at)
    for n in range(areas):
        forum.areas.append(Area(key=f"hall-{n}", name={"ru": f"Зал {n}", "tg": f"Толор {n}"}, kind="hall",
                                capacity=100, position=n))
    db.session.add(forum)
    db.session.flush()
    return forum


def _fill(db, forum, count: int) -> None:
    from forum.agenda import service

    for n in range(count):
        area = forum.areas[n % len(forum.areas)]
        start = datetime.combine(date(2011, 5, 5), time(9), tzinfo=ZONE) + timedelta(minutes=15 * (n // len(forum.areas)))
        service.create_item(forum, service.ItemData(
            kind="other", title={"ru": f"Пункт программы {n}", "tg": f"Банди барнома {n}", "en": f"Item {n}"},
            description={"ru": f"Описание пункта {n}: кто, что и зачем.", "tg": f"Тавсифи банди {n}."},
            area_id=area.id, starts_at=start, ends_at=start + timedelta(minutes=15)))
    db.session.commit()


def _setup(directory: Path):
    from config import TestConfig
    from forum import create_app
    from forum.extensions import db
    from forum.people.models import Person
    from forum.people.service import new_registration

    path = directory / "bench.sqlite3"
    app = create_app(TestConfig(database_url=f"sqlite:///{path}"))
    with app.app_context():
        db.create_all()
        big = _forum(db, "bench-300", AREAS)
        _fill(db, big, ITEMS)
        small = _forum(db, "bench-personal", 1)
        _fill(db, small, PERSONAL_ITEMS)
        people = [Person(full_name=f"Участник {n}", phone=None) for n in range(PEOPLE)]
        db.session.add_all(people)
        for person in people:
            new_registration(small, person, "shg_member")
        db.session.commit()
        ids = (big.id, small.id)
    return app, path, ids


# --- floors: the same rows, read and serialised the bare way -----------------------------------

def _rows(path: Path, forum_id: int) -> list[tuple]:
    import json

    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(ROWS_SQL, (forum_id,)).fetchall()
    finally:
        conn.close()
    return [(r[0], r[1], json.loads(r[2]), json.loads(r[3] or "{}"), *r[4:10], json.loads(r[10]), r[11])
            for r in rows]


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC).astimezone(ZONE)


def _bare_page(path: Path, forum_id: int) -> str:
    parts = ["<!doctype html><html lang=ru><body><h1>Программа</h1><ol>"]
    for (item_id, kind, title, description, starts, ends, _status, *_rest, area, _key) in _rows(path, forum_id):
        parts.append(
            f'<li id="item-{item_id}" class="kind-{kind}"><time>{_when(starts):%H:%M}–{_when(ends):%H:%M}</time>'
            f"<strong>{escape(title.get('ru', ''))}</strong><small>{escape(area.get('ru', ''))}</small>"
            f"<p>{escape(description.get('ru', ''))}</p><a href=\"/f/x/agenda/{item_id}.ics\">ics</a></li>")
    parts.append("</ol></body></html>")
    return "".join(parts)


def _bare_event(row) -> object:
    from icalendar import Event

    item_id, _kind, title, description, starts, ends, status, sequence, updated, created, area, _key = row
    stamp = datetime.fromisoformat(updated).replace(tzinfo=UTC)
    return Event.new(uid=f"agenda-item-{item_id}@bench", summary=title.get("ru", ""),
                     description=description.get("ru", ""), location=f"{area.get('ru', '')}, Дом культуры",
                     url=f"http://bench/f/x/agenda#item-{item_id}", start=_when(starts), end=_when(ends),
                     stamp=stamp, created=datetime.fromisoformat(created).replace(tzinfo=UTC),
                     last_modified=stamp, sequence=sequence,
                     status="CANCELLED" if status == "cancelled" else "CONFIRMED")


@cache
def _bare_timezone():
    from icalendar import Timezone

    return Timezone.from_tzid("Asia/Dushanbe", first_date=date(2010, 1, 1), last_date=date(2012, 12, 31))


def _bare_calendar(events) -> bytes:
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", "-//bench//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add_component(_bare_timezone())
    for event in events:
        cal.add_component(event)
    return cal.to_ical()


def _bare_feed(path: Path, forum_id: int) -> bytes:
    return _bare_calendar([_bare_event(row) for row in _rows(path, forum_id)])


# --- the product ----------------------------------------------------------------------------------

def _paired(product, floor, repeat: int, rounds: int = 3):
    """Seconds per call of `product` and of `floor`, in turns (bench.alternate): medians with min and max."""
    return alternate(product, floor, runs=rounds, repeat=repeat)


def run():
    with tempfile.TemporaryDirectory() as tmp:
        app, path, (big_id, small_id) = _setup(Path(tmp))
        client = app.test_client()

        def page():
            response = client.get("/f/bench-300/agenda", headers={"Accept-Language": "ru"})
            assert response.status_code == 200 and response.data.count(b'class="agenda-item') == ITEMS
            return response

        page()  # warm up: templates compiled, statements cached
        page_time, page_floor = _paired(page, lambda: _bare_page(path, big_id), 5, rounds=5)
        yield Row("agenda page, 300 items", _ms(page_time), _ms(page_floor), "ms", "≤ 3× floor",
                  page_time.median <= 3 * page_floor.median, "full request: queries, template, response",
                  floor_name="bare sqlite3 + f-string page")

        def feed():
            response = client.get("/f/bench-300/agenda.ics?lang=ru")
            assert response.status_code == 200 and response.data.count(b"BEGIN:VEVENT") == ITEMS
            return response

        from forum.calendar import ics

        def cold_feed():
            ics._cached_event.cache_clear()  # every VEVENT built again, as after a restart
            return feed()

        cold_time, feed_floor = _paired(cold_feed, lambda: _bare_feed(path, big_id), 3)
        yield Row("agenda.ics, 300 items (first request)", _ms(cold_time), _ms(feed_floor), "ms",
                  "≤ 3× floor", cold_time.median <= 3 * feed_floor.median, "VEVENTs built from scratch",
                  floor_name="bare icalendar")
        warm_time, feed_floor = _paired(feed, lambda: _bare_feed(path, big_id), 3)
        yield Row("agenda.ics, 300 items (next requests)", _ms(warm_time), _ms(feed_floor), "ms",
                  "≤ 3× floor", warm_time.median <= 3 * feed_floor.median, "shared VEVENTs reused",
                  floor_name="bare icalendar")
        yield _personal(app, path, small_id)


def _ms(figure: Figure) -> Figure:
    return Figure(figure.median * 1000, figure.low * 1000, figure.high * 1000, figure.runs)


def _personal(app, path: Path, forum_id: int) -> Row:
    """1,000 personal calendars of the same 10 items: the product's personal_calendar() (its
    queries included) against building the ten VEVENTs once and wrapping them 1,000 times."""
    import sqlalchemy as sa

    from forum.calendar import ics, service
    from forum.extensions import db
    from forum.people.models import Registration

    with app.app_context():
        registrations = list(db.session.scalars(sa.select(Registration).where(Registration.forum_id == forum_id)
                                                .options(sa.orm.joinedload(Registration.forum))))
        assert len(registrations) == PEOPLE

        def product():
            for registration in registrations:
                body = ics.to_ical(service.personal_calendar(registration, "ru", "http://bench"))
            assert body.count(b"BEGIN:VEVENT") == PERSONAL_ITEMS

        def floor():
            events = [_bare_event(row) for row in _rows(path, forum_id)]
            for _ in registrations:
                body = _bare_calendar(events)
            assert body.count(b"BEGIN:VEVENT") == PERSONAL_ITEMS

        value, bare = _paired(product, floor, 1, rounds=3)
    return Row(f"{PEOPLE:,} personal calendars × 10 items", value, bare, "s", "≤ 2× floor",
               value.median <= 2 * bare.median, "with each calendar's 2 queries; VEVENTs shared",
               floor_name="bare icalendar, events built once")
