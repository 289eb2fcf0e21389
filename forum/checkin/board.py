"""Figures for the organizers' live board: expected and arrived per category and checkpoint,
arrivals per quarter hour, the last scans and the failed scans that need attention."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.orm import joinedload

from forum.checkin.models import Checkin, Checkpoint
from forum.checkin.rules import get_rule
from forum.checkin.service import first_entry_of
from forum.events.models import Forum
from forum.extensions import db
from forum.people.models import CATEGORIES, Person, Registration

EXPECTED_STATUSES = ("invited", "confirmed")
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
        .group_by(Registration.category)).all())
    arrived_ids = sa.select(Checkin.registration_id).where(Checkin.forum_id == forum.id, first_entry_of()).distinct().subquery()
    arrived = dict(db.session.execute(
        sa.select(Registration.category, sa.func.count()).join(arrived_ids, arrived_ids.c.registration_id == Registration.id)
        .group_by(Registration.category)).all())
    return {c: Count(expected.get(c, 0), arrived.get(c, 0)) for c in CATEGORIES if expected.get(c) or arrived.get(c)}


def by_checkpoint(forum: Forum, checkpoints: list[Checkpoint]) -> dict[int, Count]:
    first = dict(db.session.execute(
        sa.select(Checkin.checkpoint_id, sa.func.count()).where(Checkin.forum_id == forum.id, first_entry_of())
        .group_by(Checkin.checkpoint_id)).all())
    entries = dict(db.session.execute(
        sa.select(Checkin.checkpoint_id, sa.func.count()).where(
            Checkin.forum_id == forum.id, Checkin.result == "ok", Checkin.undone_at.is_(None))
        .group_by(Checkin.checkpoint_id)).all())
    counts = {}
    for checkpoint in checkpoints:
        rule = get_rule(checkpoint.rule)
        expected = None
        if rule is not None and rule.expected is not None:
            ids = rule.expected(checkpoint).subquery()
            expected = db.session.scalar(
                sa.select(sa.func.count()).select_from(Registration).join(ids, ids.c[0] == Registration.id)
                .where(Registration.forum_id == forum.id, Registration.status.in_(EXPECTED_STATUSES)))
        counts[checkpoint.id] = Count(expected, first.get(checkpoint.id, 0), entries.get(checkpoint.id, 0))
    return counts


def arrivals_per_quarter(forum: Forum) -> list[tuple[datetime, int]]:
    """(start of the quarter hour in the forum's zone, people first arriving in it), from the
    first arrival to the last, empty quarters included."""
    zone = ZoneInfo(forum.timezone)
    firsts = db.session.scalars(
        sa.select(sa.func.min(Checkin.created_at)).where(Checkin.forum_id == forum.id, first_entry_of())
        .group_by(Checkin.registration_id))
    # Every zone's offset is a whole number of quarter hours, so quarters counted on UTC
    # timestamps are the forum's local quarters; only the few quarter starts are converted.
    buckets: dict[int, int] = {}
    for arrived in firsts:
        if arrived.tzinfo is None:  # func.min() loses the column type on SQLite
            arrived = arrived.replace(tzinfo=UTC)
        start = int(arrived.timestamp()) // QUARTER * QUARTER
        buckets[start] = buckets.get(start, 0) + 1
    if not buckets:
        return []
    return [(datetime.fromtimestamp(start, zone), buckets.get(start, 0))
            for start in range(min(buckets), max(buckets) + QUARTER, QUARTER)]


def _with_people(stmt):
    return stmt.options(joinedload(Checkin.registration).joinedload(Registration.person).joinedload(Person.organization),
                        joinedload(Checkin.checkpoint), joinedload(Checkin.user))


def last_scans(forum: Forum, limit: int = 20) -> list[Checkin]:
    return list(db.session.scalars(_with_people(sa.select(Checkin)).where(Checkin.forum_id == forum.id)
                                   .order_by(Checkin.created_at.desc(), Checkin.id.desc()).limit(limit)))


def needing_attention(forum: Forum, limit: int = 30) -> list[Checkin]:
    """Failed scans nobody has looked into yet, newest first."""
    return list(db.session.scalars(_with_people(sa.select(Checkin)).where(
        Checkin.forum_id == forum.id, Checkin.result.in_(FAILED), Checkin.seen_at.is_(None))
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
