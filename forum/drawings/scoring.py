"""The jury: blind scoring of approved drawings, conflicts of interest, results per age group."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from forum.drawings.models import Drawing, DrawingScore, DrawingSettings, JuryConflict
from forum.drawings.service import DrawingError, age_group_of, settings_for
from forum.events.models import Forum
from forum.extensions import db

MIN_SCORE, MAX_SCORE = 1, 10


@dataclass
class JuryItem:
    """What a juror sees of a drawing: no name, no contact, no place."""

    id: int
    title: str
    age_group: tuple[int, int] | None
    state: str  # "todo", "scored" or "conflict" for this juror


def criterion_keys(settings: DrawingSettings) -> list[str]:
    return [c["key"] for c in settings.criteria]


def jury_items(forum: Forum, juror) -> list[JuryItem]:
    """The forum's approved drawings, youngest group first, each with this juror's progress."""
    settings = settings_for(forum)
    keys = set(criterion_keys(settings))
    drawings = list(db.session.scalars(sa.select(Drawing).where(
        Drawing.forum_id == forum.id, Drawing.status == "approved").order_by(Drawing.child_age, Drawing.id)))
    scored = defaultdict(set)
    for drawing_id, criterion in db.session.execute(
            sa.select(DrawingScore.drawing_id, DrawingScore.criterion).join(Drawing)
            .where(Drawing.forum_id == forum.id, DrawingScore.juror_id == juror.id)):
        scored[drawing_id].add(criterion)
    conflicts = set(db.session.scalars(sa.select(JuryConflict.drawing_id).join(Drawing).where(
        Drawing.forum_id == forum.id, JuryConflict.juror_id == juror.id)))
    items = []
    for d in drawings:
        state = "conflict" if d.id in conflicts else "scored" if keys and keys <= scored[d.id] else "todo"
        items.append(JuryItem(d.id, d.title, age_group_of(settings, d.child_age), state))
    return items


def juror_scores(drawing: Drawing, juror) -> dict[str, int]:
    return {s.criterion: s.score for s in db.session.scalars(sa.select(DrawingScore).where(
        DrawingScore.drawing_id == drawing.id, DrawingScore.juror_id == juror.id))}


def has_conflict(drawing: Drawing, juror) -> bool:
    return db.session.scalar(sa.select(JuryConflict.id).where(
        JuryConflict.drawing_id == drawing.id, JuryConflict.juror_id == juror.id)) is not None


def save_scores(drawing: Drawing, juror, scores: dict[str, int]) -> None:
    """Record (or change) the juror's scores, one per criterion of the forum, each 1–10.

    Refuses (DrawingError) a drawing that is not approved ("not_approved"), one the juror
    declared a conflict with ("conflict"), and incomplete or out-of-range scores ("scores")."""
    if drawing.status != "approved":
        raise DrawingError("not_approved")
    if has_conflict(drawing, juror):
        raise DrawingError("conflict")
    keys = criterion_keys(settings_for(db.session.get_one(Forum, drawing.forum_id)))
    if set(scores) != set(keys) or not all(
            isinstance(v, int) and MIN_SCORE <= v <= MAX_SCORE for v in scores.values()):
        raise DrawingError("scores")
    existing = {s.criterion: s for s in db.session.scalars(sa.select(DrawingScore).where(
        DrawingScore.drawing_id == drawing.id, DrawingScore.juror_id == juror.id))}
    for key, value in scores.items():
        if key in existing:
            existing[key].score = value
        else:
            db.session.add(DrawingScore(drawing_id=drawing.id, juror_id=juror.id, criterion=key, score=value))
    db.session.flush()


def declare_conflict(drawing: Drawing, juror) -> None:
    """The juror skips this drawing; any scores they gave it are removed."""
    db.session.execute(sa.delete(DrawingScore).where(
        DrawingScore.drawing_id == drawing.id, DrawingScore.juror_id == juror.id))
    if not has_conflict(drawing, juror):
        db.session.add(JuryConflict(drawing_id=drawing.id, juror_id=juror.id))
    db.session.flush()


def withdraw_conflict(drawing: Drawing, juror) -> None:
    db.session.execute(sa.delete(JuryConflict).where(
        JuryConflict.drawing_id == drawing.id, JuryConflict.juror_id == juror.id))


@dataclass
class ResultRow:
    drawing: Drawing
    average: float | None  # of all scores on the current criteria; None before any score
    jurors: int  # how many jurors scored it
    conflicts: int  # how many declared a conflict
    rank: int | None = None  # 1 = best; equal averages share a rank
    tied: bool = False  # another drawing of the group has the same average


@dataclass
class GroupResult:
    age_group: tuple[int, int] | None  # None: ages outside every group
    rows: list[ResultRow] = field(default_factory=list)


def results(forum: Forum) -> list[GroupResult]:
    """Approved drawings per age group, ranked by average score; equal averages share a rank
    (1, 2, 2, 4) and are marked as ties. Unscored drawings come last, unranked."""
    settings = settings_for(forum)
    keys = criterion_keys(settings)
    drawings = list(db.session.scalars(sa.select(Drawing).where(
        Drawing.forum_id == forum.id, Drawing.status == "approved").order_by(Drawing.id)))
    stats = {row.drawing_id: row for row in db.session.execute(
        sa.select(DrawingScore.drawing_id, sa.func.sum(DrawingScore.score).label("total"),
                  sa.func.count().label("n"), sa.func.count(sa.distinct(DrawingScore.juror_id)).label("jurors"))
        .join(Drawing).where(Drawing.forum_id == forum.id, DrawingScore.criterion.in_(keys))
        .group_by(DrawingScore.drawing_id))}
    conflicts = dict(db.session.execute(
        sa.select(JuryConflict.drawing_id, sa.func.count()).join(Drawing)
        .where(Drawing.forum_id == forum.id).group_by(JuryConflict.drawing_id)).tuples().all())
    groups: dict[tuple[int, int] | None, GroupResult] = {tuple(g): GroupResult(tuple(g)) for g in settings.age_groups}
    for drawing in drawings:
        stat = stats.get(drawing.id)
        average = round(stat.total / stat.n, 2) if stat else None
        group = groups.setdefault(age_group_of(settings, drawing.child_age), GroupResult(None))
        group.rows.append(ResultRow(drawing, average, stat.jurors if stat else 0, conflicts.get(drawing.id, 0)))
    for group in groups.values():
        _rank(group.rows)
    ordered = [groups[tuple(g)] for g in settings.age_groups]
    return ordered + ([groups[None]] if None in groups else [])


def _rank(rows: list[ResultRow]) -> None:
    rows.sort(key=lambda r: (r.average is None, -(r.average or 0), r.drawing.id))
    scored = [r for r in rows if r.average is not None]
    counts = Counter(r.average for r in scored)
    rank, previous = 0, None
    for position, row in enumerate(scored, 1):
        if row.average != previous:
            rank, previous = position, row.average
        row.rank = rank
        row.tied = counts[row.average] > 1
