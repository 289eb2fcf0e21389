"""Forums and their areas: creation, publication, copying one forum as the next one's template."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from forum.events.models import ACTIVITIES, Area, Forum
from forum.extensions import db


class ForumError(ValueError):
    """A forum change was refused; `code` for programs, the message for people."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(message or code)
        self.code = code


def forum_by_slug(slug: str) -> Forum | None:
    return db.session.scalar(sa.select(Forum).where(Forum.slug == slug))


def public_forums() -> list[Forum]:
    """Published forums first by date (soonest/latest first), then the archive."""
    stmt = sa.select(Forum).where(Forum.status.in_(("published", "archived")))
    forums = list(db.session.scalars(stmt.order_by(Forum.starts_at.desc())))
    return sorted(forums, key=lambda f: f.status != "published")


def all_forums() -> list[Forum]:
    return list(db.session.scalars(sa.select(Forum).order_by(Forum.starts_at.desc())))


def local_span(day: date, start: time, end: time, tz: str) -> tuple[datetime, datetime]:
    """A local day and hours as UTC instants (the zone's rules, not a fixed offset)."""
    zone = ZoneInfo(tz)
    starts = datetime.combine(day, start, tzinfo=zone)
    ends = datetime.combine(day, end, tzinfo=zone)
    if ends <= starts:
        raise ForumError("ends_before_start")
    return starts.astimezone(ZoneInfo("UTC")), ends.astimezone(ZoneInfo("UTC"))


@dataclass
class ForumData:
    slug: str
    title: dict
    starts_at: datetime
    ends_at: datetime
    city: dict = field(default_factory=dict)
    venue: dict = field(default_factory=dict)
    address: dict = field(default_factory=dict)
    goals: dict = field(default_factory=dict)
    description: dict = field(default_factory=dict)
    contacts: dict = field(default_factory=dict)
    activities: list[str] = field(default_factory=list)
    timezone: str = "Asia/Dushanbe"
    registration_open: bool = False
    organizer_id: int | None = None
    partner_ids: list[int] = field(default_factory=list)


def save_forum(data: ForumData, forum: Forum | None = None) -> Forum:
    """Create a forum (draft) or update one. Refuses a slug already taken by another forum."""
    other = forum_by_slug(data.slug)
    if other is not None and other is not forum:
        raise ForumError("slug_taken")
    if data.ends_at <= data.starts_at:
        raise ForumError("ends_before_start")
    from forum.people.models import Organization

    forum = forum or Forum(status="draft")
    forum.slug = data.slug
    for name in ("title", "city", "venue", "address", "goals", "description", "contacts"):
        setattr(forum, name, {k: v.strip() for k, v in getattr(data, name).items() if v and v.strip()})
    forum.starts_at, forum.ends_at = data.starts_at, data.ends_at
    forum.timezone = data.timezone
    forum.activities = [a for a in ACTIVITIES if a in data.activities]
    forum.registration_open = data.registration_open
    forum.organizer_id = data.organizer_id
    forum.partners = list(db.session.scalars(sa.select(Organization).where(Organization.id.in_(data.partner_ids))))
    db.session.add(forum)
    db.session.flush()
    return forum


ALLOWED_TRANSITIONS = {
    "draft": ("published", "archived"),
    "published": ("draft", "archived"),
    "archived": ("published",),
}


def set_status(forum: Forum, status: str) -> None:
    if status not in ALLOWED_TRANSITIONS.get(forum.status, ()):
        raise ForumError("bad_transition")
    forum.status = status
    if status == "archived":
        forum.registration_open = False


def copy_forum(source: Forum, slug: str, starts_on: date) -> Forum:
    """A new draft forum from `source`: its texts, settings and areas, the day moved to
    `starts_on` at the same local hours. People, agenda and the rest are not copied."""
    if forum_by_slug(slug) is not None:
        raise ForumError("slug_taken")
    zone = ZoneInfo(source.timezone)
    old_day = source.starts_at.astimezone(zone).date()
    shift = starts_on - old_day
    copy = Forum(
        slug=slug, status="draft", registration_open=False,
        title=dict(source.title), city=dict(source.city), venue=dict(source.venue),
        address=dict(source.address), goals=dict(source.goals), description=dict(source.description),
        contacts=dict(source.contacts), activities=list(source.activities), timezone=source.timezone,
        languages=source.languages, organizer_id=source.organizer_id, partners=list(source.partners),
        starts_at=_shift_local(source.starts_at, shift, zone), ends_at=_shift_local(source.ends_at, shift, zone),
    )
    for area in source.areas:
        copy.areas.append(Area(key=area.key, name=dict(area.name), kind=area.kind,
                               capacity=area.capacity, position=area.position))
    db.session.add(copy)
    db.session.flush()
    return copy


def _shift_local(moment: datetime, days: timedelta, zone: ZoneInfo) -> datetime:
    """Move by whole days in local time, so 09:00 stays 09:00 across any clock change."""
    local = moment.astimezone(zone)
    moved = datetime.combine(local.date() + days, local.time(), tzinfo=zone)
    return moved.astimezone(ZoneInfo("UTC"))


def save_area(forum: Forum, key: str, name: dict, kind: str, capacity: int | None,
              position: int = 0, area: Area | None = None) -> Area:
    """Add or edit an area; its key is unique within the forum."""
    clash = db.session.scalar(sa.select(Area).where(Area.forum_id == forum.id, Area.key == key))
    if clash is not None and clash is not area:
        raise ForumError("area_key_taken")
    area = area or Area(forum=forum)
    area.key, area.kind, area.capacity, area.position = key, kind, capacity, position
    area.name = {k: v.strip() for k, v in name.items() if v and v.strip()}
    db.session.add(area)
    db.session.flush()
    return area


def delete_area(area: Area) -> None:
    db.session.delete(area)
    db.session.flush()
