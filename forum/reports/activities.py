"""The activities of a forum in figures: the exhibition, the theatre, the drawings, the round
table and the job fair. Part of `figures.collect`; the same privacy rules hold: groups,
troupes and employers by name, job seekers only counted, children as the gallery shows them."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from forum.agenda.models import AgendaItem
from forum.auth.models import ForumMember, User
from forum.checkin.models import Checkin, Checkpoint
from forum.checkin.service import first_entry_of
from forum.drawings import scoring
from forum.drawings import service as drawings_service
from forum.drawings.models import Drawing, DrawingScore, JuryConflict
from forum.events.models import Forum
from forum.exhibition import service as exhibition_service
from forum.exhibition.models import ExhibitorApplication, ExhibitorMember, Product, Stand
from forum.exhibition.plan import natural_key
from forum.extensions import db
from forum.jobfair import figures as jobfair_figures
from forum.roundtable import recommendations as rt_recommendations
from forum.roundtable.hooks import RULE as ROUNDTABLE_RULE
from forum.roundtable.models import GROUPS, Invitee, Problem, RoundTable, Topic
from forum.theatre.models import CastMember, Performance, TheatreSlot

Name = dict[str, Any] | None  # a translated name; None where nothing is recorded


@dataclass
class Exhibitor:
    stand: str  # stand number, "" when none yet
    group: str  # the group's name, as public in the catalogue
    district: Name
    jamoat: str  # chosen from the list (translated later) or typed in
    jamoat_name: Name
    members: int
    products: int


@dataclass
class ExhibitionFigures:
    applications: dict[str, int]  # pending, approved, rejected
    stands: dict[str, int]  # free, reserved, assigned, blocked
    products: int  # of approved groups
    by_product_category: list[tuple[str, int]]
    exhibitors: list[Exhibitor]  # approved groups, by stand


@dataclass
class Play:
    starts_at: datetime
    stage: Name
    troupe: str
    title: Name
    cast: int


@dataclass
class TheatreFigures:
    slots: int
    filled: int
    requests: dict[str, int]  # pending, approved, declined
    plays: list[Play]  # booked performances, in time order


@dataclass
class Award:
    award: str
    title: str
    first_name: str
    age: int
    place: str


@dataclass
class DrawingFigures:
    by_status: dict[str, int]  # pending, approved, rejected
    awaiting_scores: int  # approved drawings not yet scored by every juror free of conflict
    jurors: int
    by_age_group: list[tuple[tuple[int, int] | None, int]]  # approved drawings per group
    awards: list[Award]


@dataclass
class GroupSeats:
    group: str
    quota: int | None
    invited: int = 0  # not answered yet
    confirmed: int = 0
    waitlisted: int = 0
    declined: int = 0
    attended: int = 0  # confirmed and checked in at the round table (or at the forum when it has no door)


@dataclass
class RoundTableFigures:
    title: Name
    item_id: int
    capacity: int
    groups: list[GroupSeats]
    problems: int
    topics: int

    @property
    def total(self) -> GroupSeats:
        total = GroupSeats("total", sum(g.quota or 0 for g in self.groups))
        for g in self.groups:
            for name in ("invited", "confirmed", "waitlisted", "declined", "attended"):
                setattr(total, name, getattr(total, name) + getattr(g, name))
        return total


@dataclass
class RecommendationRow:
    position: int
    text: Name
    topic: Name
    addressed_to: str
    owner: str
    deadline: date | None
    status: str
    last_note: str
    last_note_on: date | None


@dataclass
class EmployerRow:
    name: str
    sector: str
    figures: dict[str, int]  # as jobfair.figures rows: vacancies, positions, seekers, interviews, offers, hires


@dataclass
class JobFairFigures:
    total: dict[str, int]
    employers: dict[str, int]  # approved, pending, rejected
    vacancies: dict[str, int]  # by status
    by_sector: list[tuple[str, dict[str, int]]]
    by_location: list[tuple[tuple[str, str], dict[str, int]]]
    by_employer: list[EmployerRow]



def exhibition(forum: Forum) -> ExhibitionFigures:
    applications = {"pending": 0, "approved": 0, "rejected": 0} | exhibition_service.status_counts(forum)
    stands = {"free": 0, "reserved": 0, "assigned": 0, "blocked": 0}
    for stand in db.session.scalars(sa.select(Stand).where(Stand.forum_id == forum.id)):
        stands[stand.status] += 1
    approved = ExhibitorApplication.status == "approved"
    by_category = db.session.execute(
        sa.select(Product.category, sa.func.count()).join(Product.application)
        .where(ExhibitorApplication.forum_id == forum.id, approved)
        .group_by(Product.category).order_by(sa.func.count().desc(), Product.category)).tuples().all()
    members = dict(db.session.execute(
        sa.select(ExhibitorMember.application_id, sa.func.count()).join(ExhibitorMember.application)
        .where(ExhibitorApplication.forum_id == forum.id).group_by(ExhibitorMember.application_id)).tuples().all())
    products = dict(db.session.execute(
        sa.select(Product.application_id, sa.func.count()).join(Product.application)
        .where(ExhibitorApplication.forum_id == forum.id).group_by(Product.application_id)).tuples().all())
    groups = db.session.scalars(
        sa.select(ExhibitorApplication).options(
            joinedload(ExhibitorApplication.stand), joinedload(ExhibitorApplication.district),
            joinedload(ExhibitorApplication.jamoat))
        .where(ExhibitorApplication.forum_id == forum.id, approved)).unique()
    exhibitors = [Exhibitor(
        stand=a.stand.number if a.stand is not None else "", group=a.group_name,
        district=a.district.name if a.district is not None else None,
        jamoat=a.jamoat_other, jamoat_name=a.jamoat.name if a.jamoat is not None else None,
        members=members.get(a.id, 0), products=products.get(a.id, 0)) for a in groups]
    exhibitors.sort(key=lambda e: (e.stand == "", natural_key(e.stand), e.group))
    return ExhibitionFigures(applications=applications, stands=stands,
                             products=sum(n for _c, n in by_category), by_product_category=list(by_category),
                             exhibitors=exhibitors)


def theatre(forum: Forum) -> TheatreFigures:
    slots = db.session.scalar(sa.select(sa.func.count()).select_from(TheatreSlot).where(
        TheatreSlot.forum_id == forum.id)) or 0
    requests = {"pending": 0, "approved": 0, "declined": 0}
    requests.update(db.session.execute(sa.select(Performance.status, sa.func.count()).where(
        Performance.forum_id == forum.id).group_by(Performance.status)).tuples().all())
    cast = (sa.select(sa.func.count(CastMember.id)).where(CastMember.performance_id == Performance.id)
            .scalar_subquery())
    booked = db.session.execute(
        sa.select(Performance, cast)
        .options(joinedload(Performance.organization), joinedload(Performance.area))
        .where(Performance.forum_id == forum.id, Performance.slot_id.is_not(None))
        .order_by(Performance.starts_at)).unique().all()
    plays = [Play(p.starts_at, p.area.name if p.area is not None else None, p.troupe, p.title, max(cast, p.cast_size))
             for p, cast in booked]
    return TheatreFigures(slots=slots, filled=len(plays), requests=requests, plays=plays)


def drawings(forum: Forum) -> DrawingFigures:
    by_status = {"pending": 0, "approved": 0, "rejected": 0} | drawings_service.status_counts(forum)
    jurors = set(db.session.scalars(sa.select(User.id).join(ForumMember, ForumMember.user_id == User.id).where(
        ForumMember.forum_id == forum.id, ForumMember.role == "jury", User.active.is_(True))))
    groups = scoring.results(forum)
    # Done by a juror: scored it, or declared a conflict. Organizers may score on the jury page
    # too, so who scored matters, not how many.
    done: dict[int, set[int]] = defaultdict(set)
    for model in (DrawingScore, JuryConflict):
        for drawing_id, juror_id in db.session.execute(
                sa.select(model.drawing_id, model.juror_id).join(Drawing, Drawing.id == model.drawing_id)
                .where(Drawing.forum_id == forum.id, Drawing.status == "approved").distinct()):
            done[drawing_id].add(juror_id)
    # Without any juror account yet, a drawing waits until someone scores it.
    awaiting = sum(1 for g in groups for row in g.rows
                   if not (jurors <= done[row.drawing.id] if jurors else done[row.drawing.id]))
    order = {key: i for i, key in enumerate(("first", "second", "third", "special"))}
    awarded = db.session.scalars(sa.select(Drawing).where(
        Drawing.forum_id == forum.id, Drawing.status == "approved", Drawing.award.is_not(None)))
    awards = sorted((Award(d.award or "", d.title, d.child_first_name, d.child_age, d.place) for d in awarded),
                    key=lambda a: (order.get(a.award, 9), a.age, a.title))
    return DrawingFigures(by_status=by_status, awaiting_scores=awaiting, jurors=len(jurors),
                          by_age_group=[(g.age_group, len(g.rows)) for g in groups], awards=awards)


def round_tables(forum: Forum) -> list[RoundTableFigures]:
    tables = list(db.session.scalars(sa.select(RoundTable).options(
        joinedload(RoundTable.item), joinedload(RoundTable.quotas))
        .where(RoundTable.forum_id == forum.id).order_by(RoundTable.id)).unique())
    if not tables:
        return []
    counts = db.session.execute(
        sa.select(Invitee.round_table_id, Invitee.group, Invitee.state, sa.func.count())
        .join(RoundTable, RoundTable.id == Invitee.round_table_id).where(RoundTable.forum_id == forum.id)
        .group_by(Invitee.round_table_id, Invitee.group, Invitee.state)).all()
    attended = _roundtable_attendance(forum)
    problems = dict(db.session.execute(sa.select(Problem.round_table_id, sa.func.count()).join(
        RoundTable, RoundTable.id == Problem.round_table_id).where(RoundTable.forum_id == forum.id)
        .group_by(Problem.round_table_id)).tuples().all())
    topics = dict(db.session.execute(sa.select(Topic.round_table_id, sa.func.count()).join(
        RoundTable, RoundTable.id == Topic.round_table_id).where(RoundTable.forum_id == forum.id)
        .group_by(Topic.round_table_id)).tuples().all())
    out = []
    for table in tables:
        quotas = {q.group: q.seats for q in table.quotas}
        seats = {g: GroupSeats(g, quotas.get(g)) for g in GROUPS}
        for table_id, group, state, count in counts:
            if table_id == table.id:
                setattr(seats[group], state, getattr(seats[group], state) + count)
        for (table_id, group), count in attended.items():
            if table_id == table.id:
                seats[group].attended = count
        out.append(RoundTableFigures(
            title=table.item.title, item_id=table.item_id, capacity=table.capacity,
            groups=[s for g, s in seats.items() if g in quotas or s.invited or s.confirmed or s.waitlisted
                    or s.declined or s.attended],
            problems=problems.get(table.id, 0), topics=topics.get(table.id, 0)))
    return out


def _roundtable_attendance(forum: Forum) -> dict[tuple[int, str], int]:
    """Confirmed invitees who came: through a door of the round table's hall (a checkpoint in
    its area, or one with the round-table rule) when the forum has one, else through any door."""
    invitees = db.session.execute(
        sa.select(Invitee.round_table_id, Invitee.group, Invitee.registration_id, AgendaItem.area_id)
        .join(RoundTable, RoundTable.id == Invitee.round_table_id).join(AgendaItem, AgendaItem.id == RoundTable.item_id)
        .where(RoundTable.forum_id == forum.id, Invitee.state == "confirmed")).all()
    entries = db.session.execute(
        sa.select(Checkin.registration_id, Checkpoint.area_id, Checkpoint.rule)
        .join(Checkpoint, Checkpoint.id == Checkin.checkpoint_id)
        .where(Checkin.forum_id == forum.id, first_entry_of())).all()
    anywhere = {e.registration_id for e in entries}
    halls = {(e.registration_id, e.area_id) for e in entries}
    by_rule = {e.registration_id for e in entries if e.rule == ROUNDTABLE_RULE}
    checkpoints = db.session.execute(sa.select(Checkpoint.area_id, Checkpoint.rule).where(
        Checkpoint.forum_id == forum.id)).all()
    door_areas = {c.area_id for c in checkpoints if c.area_id is not None}
    rule_door = any(c.rule == ROUNDTABLE_RULE for c in checkpoints)
    out: dict[tuple[int, str], int] = defaultdict(int)
    for table_id, group, registration_id, hall in invitees:
        if hall in door_areas or rule_door:
            came = (registration_id, hall) in halls or registration_id in by_rule
        else:
            came = registration_id in anywhere
        out[(table_id, group)] += came
    return out


def recommendations(forum: Forum) -> list[RecommendationRow]:
    rows = []
    for position, rec in enumerate(rt_recommendations.of_forum(forum), 1):
        last = rec.notes[-1] if rec.notes else None
        addressed = rec.addressed_to
        rows.append(RecommendationRow(
            position=position, text=rec.text, topic=rec.topic.title if rec.topic is not None else None,
            addressed_to=(addressed.short_name or addressed.name) if addressed is not None else "",
            owner=rt_recommendations.owner_name(rec), deadline=rec.deadline, status=rec.status,
            last_note=last.text if last else "", last_note_on=last.noted_on if last else None))
    return rows


def jobfair(forum: Forum) -> JobFairFigures:
    fair = jobfair_figures.forum_figures(forum)
    names = jobfair_figures.employer_names(forum)
    return JobFairFigures(
        total=fair["total"], employers=fair["employers"], vacancies=fair["vacancies"],
        by_sector=fair["by_sector"], by_location=fair["by_location"],
        by_employer=[EmployerRow(names[employer_id][0], names[employer_id][1], row)
                     for employer_id, row in fair["by_employer"]])

