"""A forum in figures: the one place the dashboard, the report PDF and its XLSX read from.

`collect(forum)` runs a fixed number of grouped queries and returns plain data with no
translated text (names stay as their {"ru", "tg", "en"} dicts), so the same `Figures` can be
shown in any language. Nothing here names a person who did not agree to be shown: job
seekers are counted, never listed; children appear only as the public gallery shows them
(approved drawings: first name, age, school or jamoat); phones are never read.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from forum.agenda import queries as agenda_queries
from forum.agenda.conflicts import HARD
from forum.checkin import board
from forum.checkin.models import Checkpoint
from forum.events.models import Forum
from forum.extensions import db
from forum.messaging import outbox
from forum.people.models import CATEGORIES, EXPECTED_STATUSES, District, Jamoat, Organization, Person, Registration
from forum.reports.activities import (  # the activities' sections, also reached as figures.*
    DrawingFigures,
    ExhibitionFigures,
    JobFairFigures,
    Name,
    RecommendationRow,
    RoundTableFigures,
    TheatreFigures,
    drawings,
    exhibition,
    jobfair,
    recommendations,
    round_tables,
    theatre,
)


@dataclass
class Pair:
    """Expected (registered, invited or confirmed) and arrived (came in through any door)."""

    expected: int = 0
    arrived: int = 0

    def add(self, expected: int, arrived: int) -> None:
        self.expected += expected
        self.arrived += arrived

    @property
    def rate(self) -> int | None:
        """Arrived as a whole percentage of expected; None when nobody was expected."""
        return (200 * self.arrived + self.expected) // (2 * self.expected) if self.expected else None  # halves up


@dataclass
class Participation:
    total: Pair
    declined: int  # said they would not come
    cancelled: int  # taken off by organizers
    groups: int  # self-help groups with at least one person expected or arrived
    by_category: list[tuple[str, Pair]]  # category key, in CATEGORIES order
    by_district: list[tuple[Name, Pair]]  # None last: district not recorded
    by_jamoat: list[tuple[Name, Name, Pair]]  # (district, jamoat); jamoat None: not recorded
    by_gender: list[tuple[str | None, Pair]]  # "f", "m", None (not recorded)


@dataclass
class Arrivals:
    quarters: list[tuple[datetime, int]]  # start of the quarter hour (forum's zone), people first arriving
    by_checkpoint: list[tuple[Name, int | None, int, int]]  # (name, expected or None, arrived, entries)
    failed_scans: int  # scans refused at a door (unknown, not allowed, cancelled)
    outside_days: int = 0  # scans dated outside the forum's days: not in `quarters`

    @property
    def peak(self) -> tuple[datetime, int] | None:
        return max(self.quarters, key=lambda q: q[1]) if self.quarters else None


@dataclass
class AgendaIssue:
    item_id: int
    title: Name
    starts_at: datetime
    codes: list[str]  # conflict codes: HARD ones first


@dataclass
class AgendaFigures:
    scheduled: int
    cancelled: int
    conflicts: list[AgendaIssue]  # items with a hard conflict
    warnings: list[AgendaIssue]  # items with only warnings


@dataclass
class Figures:
    forum: Forum
    participation: Participation
    arrivals: Arrivals
    agenda: AgendaFigures
    outbox: dict[str, int]  # queued, sending, sent, failed
    exhibition: ExhibitionFigures | None = None  # None: the forum has no such activity
    theatre: TheatreFigures | None = None
    drawings: DrawingFigures | None = None
    round_tables: list[RoundTableFigures] = field(default_factory=list)
    recommendations: list[RecommendationRow] = field(default_factory=list)
    jobfair: JobFairFigures | None = None

    def headline(self) -> list[tuple[str, int]]:
        """The forum's key figures, in report order: the summary, the dashboard's cards and
        the comparison across forums all show exactly these."""
        p = self.participation
        women = dict(p.by_gender).get("f", Pair())
        rows = [("registered", p.total.expected), ("arrived", p.total.arrived), ("women_arrived", women.arrived),
                ("districts", sum(1 for name, pair in p.by_district if name is not None and pair.arrived)),
                ("groups", p.groups)]
        if self.exhibition is not None:
            rows += [("exhibitors", self.exhibition.applications.get("approved", 0)),
                     ("products", self.exhibition.products)]
        if self.theatre is not None:
            rows.append(("performances", len(self.theatre.plays)))
        if self.drawings is not None:
            rows += [("drawings", self.drawings.by_status.get("approved", 0)), ("awards", len(self.drawings.awards))]
        if "round_table" in (self.forum.activities or ()):
            rows += [("roundtable_attended", sum(t.total.attended for t in self.round_tables)),
                     ("recommendations", len(self.recommendations))]
        if self.jobfair is not None:
            rows += [("employers", self.jobfair.total["employers"]), ("vacancies", self.jobfair.total["vacancies"]),
                     ("positions", self.jobfair.total["positions"]), ("seekers", self.jobfair.total["seekers"]),
                     ("hires", self.jobfair.total["hires"])]
        return rows


def collect(forum: Forum) -> Figures:
    activities = set(forum.activities or ())
    figures = Figures(forum=forum, participation=participation(forum), arrivals=arrivals(forum),
                      agenda=agenda(forum), outbox=outbox.status_counts(forum))
    if "exhibition" in activities:
        figures.exhibition = exhibition(forum)
    if "theatre" in activities:
        figures.theatre = theatre(forum)
    if "drawings" in activities:
        figures.drawings = drawings(forum)
    if "round_table" in activities:
        figures.round_tables = round_tables(forum)
        figures.recommendations = recommendations(forum)
    if "job_fair" in activities:
        figures.jobfair = jobfair(forum)
    return figures


def _came(forum: Forum):
    """Whether the registration has a first entry that counts: IN over the forum's first
    arrivals, read once from their partial index (a correlated EXISTS per registration costs
    one index probe each, 50,000 of them at a big forum)."""
    firsts = board.first_arrivals(forum).subquery()
    return Registration.id.in_(sa.select(firsts.c.registration_id))


def participation(forum: Forum) -> Participation:
    """One statement: registrations grouped by category, status, gender, place, organization
    and arrived, then by the figures' keys once each group's organization is joined; and, from
    the same groups, the self-help groups taking part. A person's district and jamoat are their
    own, else their organization's."""
    rows = sa.select(Registration.category, Registration.status, Person.gender, Person.district_id,
                     Person.jamoat_id, Person.organization_id, _came(forum).label("came")).join(
        Person, Person.id == Registration.person_id).where(Registration.forum_id == forum.id).subquery()
    # Grouped before the organization is read: one lookup per group of rows, not per person, and
    # the registrations are joined and grouped once for both the breakdown and the groups.
    people = (sa.select(*rows.c, sa.func.count().label("n")).group_by(*rows.c)).cte("people")
    taking_part, group = people.alias("taking_part"), aliased(Organization)
    groups_taking_part = (
        sa.select(sa.func.count(sa.distinct(taking_part.c.organization_id)))
        .join(group, group.id == taking_part.c.organization_id)
        .where(group.kind == "shg", sa.or_(taking_part.c.status.in_(EXPECTED_STATUSES), taking_part.c.came))
        .correlate(None).scalar_subquery())
    keys = (people.c.category, people.c.status, people.c.gender,
            sa.func.coalesce(people.c.district_id, Organization.district_id),
            sa.case((people.c.district_id.is_not(None), people.c.jamoat_id), else_=Organization.jamoat_id),
            people.c.came)
    found = db.session.execute(
        sa.select(*keys, sa.cast(sa.func.sum(people.c.n), sa.Integer), groups_taking_part)
        .outerjoin(Organization, Organization.id == people.c.organization_id).group_by(*keys)).all()
    groups = found[0][-1] if found else 0  # the same on every row
    total, declined, cancelled = Pair(), 0, 0
    by_category: dict[str, Pair] = defaultdict(Pair)
    by_district: dict[int | None, Pair] = defaultdict(Pair)
    by_jamoat: dict[tuple[int | None, int | None], Pair] = defaultdict(Pair)
    by_gender: dict[str | None, Pair] = defaultdict(Pair)
    for category, status, gender, district, jamoat, has_come, count, _groups in found:
        expected = count if status in EXPECTED_STATUSES else 0
        came_count = count if has_come else 0
        declined += count if status == "declined" else 0
        cancelled += count if status == "cancelled" else 0
        if not expected and not came_count:
            continue
        for pair in (total, by_category[category], by_district[district], by_jamoat[(district, jamoat)],
                     by_gender[gender]):
            pair.add(expected, came_count)
    districts = {d.id: d for d in db.session.scalars(sa.select(District))}
    jamoats = {j.id: j for j in db.session.scalars(sa.select(Jamoat))}

    def district_name(key):
        return districts[key].name if key in districts else None

    return Participation(
        total=total, declined=declined, cancelled=cancelled, groups=groups,
        by_category=[(c, by_category[c]) for c in CATEGORIES if c in by_category],
        by_district=sorted(((district_name(k), v) for k, v in by_district.items()),
                           key=lambda kv: (kv[0] is None, -kv[1].expected)),
        by_jamoat=sorted(((district_name(d), jamoats[j].name if j in jamoats else None, v)
                          for (d, j), v in by_jamoat.items()),
                         key=lambda row: (row[0] is None, (row[0] or {}).get("en", ""), row[1] is None, -row[2].expected)),
        by_gender=[(g, by_gender[g]) for g in ("f", "m", None) if g in by_gender],
    )


def arrivals(forum: Forum) -> Arrivals:
    checkpoints = list(db.session.scalars(
        sa.select(Checkpoint).where(Checkpoint.forum_id == forum.id).order_by(Checkpoint.position, Checkpoint.id)))
    door = board.door_counts(forum)  # the scans read once for every figure below
    counts = board.by_checkpoint(forum, checkpoints, door)
    return Arrivals(
        quarters=board.arrivals_per_quarter(forum),
        by_checkpoint=[(c.name, counts[c.id].expected, counts[c.id].arrived, counts[c.id].entries)
                       for c in checkpoints],
        failed_scans=door.failed, outside_days=door.outside_days)


def agenda(forum: Forum) -> AgendaFigures:
    items = agenda_queries.forum_items(forum, public_only=False, include_cancelled=True)
    scheduled = [item for item in items if item.status == "scheduled"]
    found = agenda_queries.day_conflicts(forum, scheduled)
    conflicts: list[AgendaIssue] = []
    warnings: list[AgendaIssue] = []
    for item in scheduled:
        codes = sorted({c.code for c in found.get(item.id, [])}, key=lambda code: (code not in HARD, code))
        if codes:
            issue = AgendaIssue(item.id, item.title, item.starts_at, codes)
            (conflicts if codes[0] in HARD else warnings).append(issue)
    return AgendaFigures(scheduled=len(scheduled), cancelled=len(items) - len(scheduled),
                         conflicts=conflicts, warnings=warnings)
