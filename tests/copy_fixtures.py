"""Helpers for the tests of forum copying: an empty next forum with the source's areas, to run
one feature's copier on, and local wall-clock times to compare shifted times by."""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from forum.events.copying import ForumCopy, start_shift
from forum.events.models import Area, Forum
from forum.events.service import forum_by_slug
from forum.extensions import db

NEXT_DAY = date(2027, 5, 5)


@pytest.fixture
def demo_copy_app(demo_app):
    """The whole demo, inside a request (copiers describe what they did in the page's language)."""
    with demo_app.test_request_context("/"):
        yield demo_app


def empty_copy(source_slug: str = "isfara-2011", slug: str = "isfara-2027", day: date = NEXT_DAY) -> ForumCopy:
    """The forum and areas as copy_forum makes them, but no feature's copier run yet."""
    source = forum_by_slug(source_slug)
    made = ForumCopy(source, Forum(slug=slug, status="draft", title=dict(source.title), city={}, venue={},
                                   address={}, goals={}, description={}, contacts={},
                                   activities=list(source.activities), timezone=source.timezone),
                     start_shift(source, day))
    made.target.starts_at, made.target.ends_at = made.shift(source.starts_at), made.shift(source.ends_at)
    for area in source.areas:
        made.target.areas.append(Area(key=area.key, name=dict(area.name), kind=area.kind, capacity=area.capacity,
                                      position=area.position))
    db.session.add(made.target)
    db.session.flush()
    return made


def wall_clock(moment, tz: str = "Asia/Dushanbe") -> tuple:
    """(month, day, hour, minute) in local time: the same for a source time and its copy."""
    local = moment.astimezone(ZoneInfo(tz))
    return local.month, local.day, local.hour, local.minute


def local_day(moment, tz: str = "Asia/Dushanbe") -> date:
    return moment.astimezone(ZoneInfo(tz)).date()
