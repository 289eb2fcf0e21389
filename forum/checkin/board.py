"""Figures for the organizers' live board: expected and arrived per category and checkpoint,
arrivals per quarter hour, the last scans and the failed scans that need attention."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.orm import aliased, joinedload

from forum.checkin.models import Checkin, Checkpoint
from forum.checkin.rules import get_rule
from forum.checkin.service import first_entry_of
from forum.events.models import Forum
from forum.extensions import db
from forum.people.models import CATEGORIES, EXPECTED_STATUSES, Person, Registration

FAILED = ("unknown", "not_allowed", "cancelled")
QUARTER = 15 * 60  # seconds


@dataclass
class Count:
    expected: int | None  # None when the rule cannot say in advance
    arrived: int
    entries: int = 0  # scans let through, re-entries included


def by_category(forum: Forum) -> dict[str, Count]:
    """Per category: registrations expected, and how many came in through any checkpoint."""
    expected = dict(db.session.execute(
        sa.select(Registration.category, sa.func.count()).where(
            Registration.forum_id == forum.id, Registration.status.in_(EXPECTED_STATUSES))
        .group_by(Registration.category)).tuples().all())
    arrived_ids = first_arrivals(forum).subquery()
    arrived = dict(db.session.execute(
        sa.select(Registration.category, sa.func.count()).join(arrived_ids, arrived_ids.c.registration_id == Registration.id)
        .group_by(Registration.category)).tuples().all())
    return {c: Count(expected.get(c, 0), arrived.get(c, 0)) for c in CATEGORIES if expected.get(c) or arrived.get(c)}


def first_arrivals(forum: Forum) -> sa.Select:
    """Everyone who came in through any door, once: (registration_id, at), `at` being their
    first entry's time. Grouped per person, so both databases read it from the partial index
    of first entries alone (SQLite otherwise takes the forum's index of scans and reads every
    scan's row to check it is a first entry)."""
    return (sa.select(Checkin.registration_id, sa.func.min(Checkin.created_at).label("at"))
            .where(Checkin.forum_id == forum.id, first_entry_of()).group_by(Checkin.registration_id))


@dataclass
class DoorCounts:
    """The door's log of a forum counted in one pass: per checkpoint, first entries (`arrived`)
    and scans let through (`entries`); over the forum, refused scans and scans dated outside
    its days."""

    arrived: dict[int, int]
    entries: dict[int, int]
    failed: int
    outside_days: int


def door_counts(forum: Forum) -> DoorCounts:
    """One statement over the forum's scans, grouped per checkpoint, rather than one per
    figure: each figure is a sum over the same rows, so 40,000 scans are read once."""
    start, end = forum_days(forum)

    def total(condition) -> sa.ColumnElement:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    rows = db.session.execute(
        sa.select(Checkin.checkpoint_id, total(first_entry_of()),
                  total(sa.and_(Checkin.result == "ok", Checkin.undone_at.is_(None))),
                  total(Checkin.result.in_(FAILED)),
                  total(sa.or_(Checkin.created_at < start, Checkin.created_at >= end)))
        .where(Checkin.forum_id == forum.id).group_by(Checkin.checkpoint_id)).tuples().all()
    return DoorCounts(arrived={c: int(first) for c, first, _e, _f, _o in rows},
                      entries={c: int(entries) for c, _a, entries, _f, _o in rows},
                      failed=sum(int(failed) for *_x, failed, _o in rows),
                      outside_days=sum(int(outside) for *_x, outside in rows))


def by_checkpoint(forum: Forum, checkpoints: list[Checkpoint], counts: DoorCounts | None = None) -> dict[int, Count]:
    """Per checkpoint: expected (by its rule, None when the rule cannot say), arrived and entries.
    The expected figures of every checkpoint are one statement, whatever their number."""
    counts = counts or door_counts(forum)
    # Counted in one pass over the forum's expected registrations, each checkpoint's rule read
    # once as a set (IN a subquery); a subquery per checkpoint filtering the registrations by
    # `id IN (rule)` would join the registrations with themselves ("all": 50,000 lookups).
    expected: dict[int, sa.ColumnElement] = {}
    for checkpoint in checkpoints:
        rule = get_rule(checkpoint.rule)
        if rule is not None and rule.expected is not None:
            admitted = Registration.id.in_(rule.expected(checkpoint).correlate(None))
            expected[checkpoint.id] = sa.func.count(sa.case((admitted, 1)))
    found: dict[int, int] = {}
    if expected:
        row = db.session.execute(sa.select(*expected.values()).where(
            Registration.forum_id == forum.id, Registration.status.in_(EXPECTED_STATUSES))).one()
        found = dict(zip(expected, row, strict=True))
    return {checkpoint.id: Count(found.get(checkpoint.id), counts.arrived.get(checkpoint.id, 0),
                                 counts.entries.get(checkpoint.id, 0)) for checkpoint in checkpoints}


def forum_days(forum: Forum) -> tuple[datetime, datetime]:
    """The forum's days in UTC: from local midnight of its first day to local midnight after
    its last. Charts count only what falls inside, so their size follows the forum, not the
    clock of whichever phone scanned."""
    zone = ZoneInfo(forum.timezone)
    first = forum.starts_at.astimezone(zone).date()
    last = (forum.ends_at - timedelta(microseconds=1)).astimezone(zone).date()  # ending at midnight: not the next day
    return (datetime.combine(first, time(), zone).astimezone(UTC),
            datetime.combine(last + timedelta(days=1), time(), zone).astimezone(UTC))


def scans_outside_days(forum: Forum) -> int:
    """Scans dated outside the forum's days (a phone with a wrong clock, a test scan long
    after): recorded and counted here, left out of the charts."""
    return door_counts(forum).outside_days


def arrivals_per_quarter(forum: Forum) -> list[tuple[datetime, int]]:
    """(start of the quarter hour in the forum's zone, people first arriving in it), from the
    first arrival to the last within the forum's days, empty quarters included: at most 96
    quarters per day of the forum, whatever the scans' dates."""
    zone = ZoneInfo(forum.timezone)
    days_start, days_end = forum_days(forum)
    # Counted in the database: each person's first arrival (read from the partial index of
    # first entries), grouped per quarter as seconds since 1970; only the quarters come back,
    # not one row per person. Every zone's offset is a whole number of quarter hours, so
    # quarters counted on UTC timestamps are the forum's local quarters; only the few quarter
    # starts are converted. The forum's days bound the times themselves (the days start on a
    # whole second), so the conversion runs once per person, for the grouping alone.
    firsts = first_arrivals(forum).subquery()
    quarter = (_epoch(firsts.c.at) // QUARTER * QUARTER).label("quarter")  # integer division on both databases
    buckets = {int(start): count for start, count in db.session.execute(
        sa.select(quarter, sa.func.count())
        .where(firsts.c.at >= days_start, firsts.c.at < days_end)  # outside: scans_outside_days()
        .group_by(quarter)).tuples()}
    if not buckets:
        return []
    return [(datetime.fromtimestamp(start, zone), buckets.get(start, 0))
            for start in range(min(buckets), max(buckets) + QUARTER, QUARTER)]


def _sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def _epoch(moment) -> sa.ColumnElement:
    """Whole seconds since 1970 of a UTC timestamp column. SQLite stores naive UTC text, and its
    date functions round to milliseconds (59.9999 s would become the next minute): the
    fraction is cut off first."""
    if _sqlite():
        return sa.cast(sa.func.strftime("%s", sa.func.substr(moment, 1, 19)), sa.Integer)
    return sa.cast(sa.func.floor(sa.extract("epoch", moment)), sa.BigInteger)


def _with_people(stmt):
    from forum.badges.models import RetiredBadge

    return stmt.options(joinedload(Checkin.registration).joinedload(Registration.person).joinedload(Person.organization),
                        joinedload(Checkin.checkpoint), joinedload(Checkin.user),
                        joinedload(Checkin.retired_badge).joinedload(RetiredBadge.retired_by))


def last_scans(forum: Forum, limit: int = 20) -> list[Checkin]:
    return list(db.session.scalars(_with_people(sa.select(Checkin)).where(Checkin.forum_id == forum.id)
                                   .order_by(Checkin.created_at.desc(), Checkin.id.desc()).limit(limit)))


def needing_attention(forum: Forum, limit: int = 30) -> list[Checkin]:
    """Failed scans nobody has looked into yet, newest first."""
    return list(db.session.scalars(_with_people(sa.select(Checkin)).where(
        Checkin.forum_id == forum.id, Checkin.result.in_(FAILED), Checkin.seen_at.is_(None))
        .order_by(Checkin.created_at.desc(), Checkin.id.desc()).limit(limit)))


def offline_conflicts(forum: Forum, limit: int = 50) -> list[Checkin]:
    """Second scans a door let through all the same: two phones admitted the same person
    while offline (or an earlier offline scan reached the server after this entry). Each
    comes with its first entry (`first`); newest first."""
    first = aliased(Checkin)
    return list(db.session.scalars(
        _with_people(sa.select(Checkin)).options(joinedload(Checkin.first.of_type(first)).joinedload(first.user))
        .where(Checkin.forum_id == forum.id, Checkin.answered == "ok", Checkin.result == "already_checked_in")
        .order_by(Checkin.created_at.desc(), Checkin.id.desc()).limit(limit)))


def chart_svg(quarters: list[tuple[datetime, int]], title: str) -> Markup:
    """Arrivals per quarter hour as an SVG bar chart, labelled every hour."""
    if not quarters:
        return Markup("")
    width, height, left, bottom, top = 640, 220, 34, 26, 12
    peak = max(n for _t, n in quarters) or 1
    step = (width - left - 8) / len(quarters)
    bar = max(step - 2, 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" class="chart" '
             f'aria-label="{Markup.escape(title)}">']
    for fraction in (0, 0.5, 1):
        y = top + (height - top - bottom) * (1 - fraction)
        parts.append(f'<line x1="{left}" x2="{width - 4}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{round(peak * fraction)}</text>')
    for index, (start, count) in enumerate(quarters):
        x = left + index * step + 1
        h = (height - top - bottom) * count / peak
        y = height - bottom - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="#1b8a2f">'
                     f'<title>{start:%H:%M} — {count}</title></rect>')
        if start.minute == 0 or index == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - 8}" font-size="11">{start:%H:%M}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
