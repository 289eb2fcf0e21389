"""Forums and their areas: creation, publication, copying one forum as the next one's template."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import ngettext

from forum import clock
from forum.events.copying import ForumCopy, run_copiers, start_shift
from forum.events.models import ACTIVITIES, SLUG_PATTERN, Area, Forum
from forum.extensions import db

SLUG_RE = re.compile(SLUG_PATTERN)


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


def forms_close_at(forum: Forum) -> datetime:
    """When the public forms stop taking submissions: the end of the forum's last day, in
    its own time zone (registering at the door on the day itself still works)."""
    zone = ZoneInfo(forum.timezone)
    last_day = forum.ends_at.astimezone(zone).date()
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=zone).astimezone(ZoneInfo("UTC"))


def is_over(forum: Forum) -> bool:
    """The forum's last day is past (by the app's clock)."""
    return clock.now() >= forms_close_at(forum)


def accepts_public_forms(forum: Forum) -> bool:
    """The one rule every public form (self-registration, stands, theatre, drawings, employer
    sign-up) starts from: the forum is published and not over. Each feature adds its own
    organizer switch on top."""
    return forum.status == "published" and not is_over(forum)


def forum_of_the_day(forums: list[Forum] | None = None, now: datetime | None = None) -> Forum | None:
    """The published forum staff work at now: the one going on, else the next to start, else
    the one that ended last (its check-in is still looked at); None when there is none.
    `forums` narrows the choice (e.g. forums with drawings)."""
    now = now or clock.now()
    published = [f for f in (forums if forums is not None else public_forums()) if f.status == "published"]
    going = [f for f in published if f.starts_at <= now <= f.ends_at]
    coming = sorted((f for f in published if f.starts_at > now), key=lambda f: f.starts_at)
    past = sorted((f for f in published if f.ends_at < now), key=lambda f: f.ends_at, reverse=True)
    return next(iter(going + coming + past), None)


def all_forums() -> list[Forum]:
    return list(db.session.scalars(sa.select(Forum).order_by(Forum.starts_at.desc())))


def registration_count(forum: Forum) -> int:
    """How many registrations the forum has, counted by the database (not by loading them)."""
    from forum.people.models import Registration  # people builds on events, not the other way

    return db.session.scalar(sa.select(sa.func.count()).select_from(Registration)
                             .where(Registration.forum_id == forum.id)) or 0


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


def _copy_team(source: Forum, target: Forum, made: ForumCopy) -> None:
    """The team comes along: the same organizers, door staff and jury usually run the next
    forum of the same NGO, and a copy nobody may open at the door would be no copy. Users who
    were deactivated stay behind; the Team page adds and removes people."""
    from forum.auth.models import ForumMember

    members = db.session.scalars(sa.select(ForumMember).where(ForumMember.forum_id == source.id)
                                 .order_by(ForumMember.id))
    count = 0
    for member in members:
        if member.user.active:
            db.session.add(ForumMember(user=member.user, forum=target, role=member.role))
            count += 1
    made.copied(ngettext("%(num)d member of the team (organizers, door staff, jury)",
                         "%(num)d members of the team (organizers, door staff, jury)", count))


def copy_forum(source: Forum, slug: str, starts_on: date) -> ForumCopy:
    """A new draft forum from `source`, starting on `starts_on`: its texts, settings and areas,
    and every feature's settings (agenda, checkpoints, stands, slots…, see forum.events.copying),
    all times moved by the difference of the start dates at the same local hours. People,
    registrations, scans, submissions and messages are never copied. Refused with nothing
    written: "slug_taken", "bad_slug". The caller commits (or rolls back)."""
    if not SLUG_RE.fullmatch(slug or ""):
        raise ForumError("bad_slug")
    if forum_by_slug(slug) is not None:
        raise ForumError("slug_taken")
    days = start_shift(source, starts_on)
    copy = Forum(
        slug=slug, status="draft", registration_open=False,
        title=dict(source.title), city=dict(source.city), venue=dict(source.venue),
        address=dict(source.address), goals=dict(source.goals), description=dict(source.description),
        contacts=dict(source.contacts), activities=list(source.activities), timezone=source.timezone,
        languages=source.languages, organizer_id=source.organizer_id, partners=list(source.partners),
    )
    made = ForumCopy(source, copy, days)
    copy.starts_at, copy.ends_at = made.shift(source.starts_at), made.shift(source.ends_at)
    for area in source.areas:
        copy.areas.append(Area(key=area.key, name=dict(area.name), kind=area.kind,
                               capacity=area.capacity, position=area.position))
    db.session.add(copy)
    db.session.flush()
    made.copied(ngettext("%(num)d area", "%(num)d areas", len(copy.areas)))
    _copy_team(source, copy, made)
    run_copiers(made)
    db.session.flush()
    return made


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
