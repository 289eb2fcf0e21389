"""The floor plan of the exhibition area: stand types, stands placed in metres, a grid made in
one step, and giving stands to approved groups.

Two organizers giving out stands at the same moment cannot double-book: a stand is taken
with a conditional UPDATE (only while it holds no group and is not blocked), and a group
holds one stand per forum by a unique key on the stand's application. Whoever comes second
is told who was faster. Moving or renumbering a stand that holds a group needs a second,
confirmed request (`ConfirmationNeeded`), so nobody changes a group's place by accident.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import joinedload

from forum.db import utcnow
from forum.events.models import Area, Forum
from forum.exhibition import notify
from forum.exhibition.models import STAND_STATES, ExhibitorApplication, Stand, StandType
from forum.exhibition.service import ExhibitionError, settings_for, stored_settings
from forum.extensions import db
from forum.history import recorder as history

MAX_STANDS = 300
MAX_SIDE = Decimal("500")  # metres: an area larger than this is a typing mistake


class ConfirmationNeeded(ExhibitionError):
    """The change would move or renumber a stand that holds a group: ask, then call again with confirm=True."""

    def __init__(self, stand: Stand, changes: list[str]):
        super().__init__("confirm", other=stand)
        self.changes = changes


def _metres(value) -> Decimal:
    value = Decimal(str(value)).quantize(Decimal("0.01"))
    if not value.is_finite():
        raise ExhibitionError("geometry")
    return value


def natural_key(number: str) -> tuple:
    """'2' before '10', 'A-2' before 'A-10'."""
    import re

    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", number))


def stands_of(forum: Forum) -> list[Stand]:
    stands = db.session.scalars(
        sa.select(Stand).options(joinedload(Stand.type), joinedload(Stand.application)
                                 .joinedload(ExhibitorApplication.jamoat))
        .where(Stand.forum_id == forum.id))
    return sorted(stands, key=lambda s: natural_key(s.number))


def stand_of(forum: Forum, stand_id: int) -> Stand | None:
    stand = db.session.get(Stand, stand_id)
    return stand if stand is not None and stand.forum_id == forum.id else None


def types_of(forum: Forum) -> list[StandType]:
    return list(db.session.scalars(sa.select(StandType).where(StandType.forum_id == forum.id)
                                   .order_by(StandType.name, StandType.id)))


def type_of(forum: Forum, type_id: int | None) -> StandType | None:
    if not type_id:
        return None
    stand_type = db.session.get(StandType, type_id)
    return stand_type if stand_type is not None and stand_type.forum_id == forum.id else None


# --- the area and the stand types -----------------------------------------------------------

def change_settings(forum: Forum, area_id: int | None, width, depth, applications_open: bool) -> None:
    """Which area, how big (metres) and whether groups may apply. Refuses a plan that would
    leave an existing stand outside it."""
    settings = stored_settings(forum)
    width, depth = _metres(width), _metres(depth)
    if not (Decimal("1") <= width <= MAX_SIDE and Decimal("1") <= depth <= MAX_SIDE):
        raise ExhibitionError("plan_size", field="plan_width")
    if area_id and ((area := db.session.get(Area, area_id)) is None or area.forum_id != forum.id):
        raise ExhibitionError("area", field="area_id")
    outside = [s for s in stands_of(forum) if s.x + s.w > width or s.y + s.h > depth]
    if outside:
        raise ExhibitionError("stands_outside", field="plan_width", other=outside[0])
    settings.area_id, settings.plan_width, settings.plan_depth = area_id or None, width, depth
    settings.applications_open = bool(applications_open)
    db.session.flush()


@dataclass
class TypeData:
    name: str
    width: Decimal
    depth: Decimal
    tables: int = 1
    chairs: int = 2
    power: bool = False


def save_type(forum: Forum, data: TypeData, stand_type: StandType | None = None) -> StandType:
    name = " ".join(data.name.split())[:100]
    width, depth = _metres(data.width), _metres(data.depth)
    if not name:
        raise ExhibitionError("type_name", field="name")
    if not (Decimal("0.5") <= width <= Decimal("20") and Decimal("0.5") <= depth <= Decimal("20")):
        raise ExhibitionError("type_size", field="width")
    if data.tables < 0 or data.chairs < 0 or data.tables > 20 or data.chairs > 50:
        raise ExhibitionError("furniture", field="chairs")
    clash = db.session.scalar(sa.select(StandType).where(StandType.forum_id == forum.id,
                                                         sa.func.lower(StandType.name) == name.lower()))
    if clash is not None and clash is not stand_type:
        raise ExhibitionError("type_exists", field="name")
    if stand_type is None:
        stand_type = StandType(forum_id=forum.id)
        db.session.add(stand_type)
    stand_type.name, stand_type.width, stand_type.depth = name, width, depth
    stand_type.tables, stand_type.chairs, stand_type.power = data.tables, data.chairs, bool(data.power)
    db.session.flush()
    return stand_type


def delete_type(stand_type: StandType) -> None:
    used = db.session.scalar(sa.select(sa.func.count(Stand.id)).where(Stand.type_id == stand_type.id))
    if used:
        raise ExhibitionError("type_used", other=used)
    db.session.delete(stand_type)
    db.session.flush()


# --- stands -------------------------------------------------------------------------------------

@dataclass
class StandData:
    number: str
    x: Decimal
    y: Decimal
    w: Decimal
    h: Decimal
    type_id: int | None = None
    state: str = "open"
    note: str = ""


def _rect(x, y, w, h) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    return _metres(x), _metres(y), _metres(w), _metres(h)


def _overlaps(a: tuple, b: tuple) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def _check_place(forum: Forum, rect: tuple, exclude: Stand | None = None, others: list[Stand] | None = None) -> None:
    settings = settings_for(forum)
    x, y, w, h = rect
    if w <= 0 or h <= 0 or x < 0 or y < 0:
        raise ExhibitionError("geometry", field="w")
    if x + w > settings.plan_width or y + h > settings.plan_depth:
        raise ExhibitionError("outside", field="x")
    for other in others if others is not None else stands_of(forum):
        if other is not exclude and _overlaps(rect, (other.x, other.y, other.w, other.h)):
            raise ExhibitionError("overlap", field="x", other=other)


def _number(text: str) -> str:
    number = "".join(text.split())[:12]
    if not number:
        raise ExhibitionError("number", field="number")
    return number


def _number_taken(forum: Forum, number: str, exclude: Stand | None = None) -> Stand | None:
    stmt = sa.select(Stand).where(Stand.forum_id == forum.id, sa.func.lower(Stand.number) == number.lower())
    if exclude is not None:
        stmt = stmt.where(Stand.id != exclude.id)
    return db.session.scalar(stmt.limit(1))


def _flush_stand() -> None:
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()  # another organizer took the number at the same moment
        raise ExhibitionError("number_taken", field="number") from None


def add_stand(forum: Forum, data: StandData) -> Stand:
    number = _number(data.number)
    if _number_taken(forum, number):
        raise ExhibitionError("number_taken", field="number", other=_number_taken(forum, number))
    if data.state not in STAND_STATES:
        raise ExhibitionError("state", field="state")
    rect = _rect(data.x, data.y, data.w, data.h)
    _check_place(forum, rect)
    chosen = type_of(forum, data.type_id)
    stand = Stand(forum_id=forum.id, number=number, x=rect[0], y=rect[1], w=rect[2], h=rect[3],
                  type_id=chosen.id if chosen else None,
                  state=data.state, note=" ".join(data.note.split())[:200])
    db.session.add(stand)
    _flush_stand()
    return stand


def change_stand(stand: Stand, data: StandData, confirm: bool = False) -> None:
    """Change a stand's number, place, size, type or state. A stand that holds a group is
    renumbered or moved only with `confirm` (else ConfirmationNeeded lists what would change);
    it cannot be blocked while it holds one."""
    forum = db.session.get_one(Forum, stand.forum_id)
    number = _number(data.number)
    rect = _rect(data.x, data.y, data.w, data.h)
    if data.state not in STAND_STATES:
        raise ExhibitionError("state", field="state")
    if _number_taken(forum, number, exclude=stand):
        raise ExhibitionError("number_taken", field="number", other=_number_taken(forum, number, exclude=stand))
    _check_place(forum, rect, exclude=stand)
    if data.state == "blocked" and stand.application_id is not None:
        raise ExhibitionError("blocked_has_group", field="state")
    changes = []
    if number != stand.number:
        changes.append("number")
    if rect != (stand.x, stand.y, stand.w, stand.h):
        changes.append("place")
    if stand.application_id is not None and changes and not confirm:
        raise ConfirmationNeeded(stand, changes)
    stand.number, (stand.x, stand.y, stand.w, stand.h) = number, rect
    chosen = type_of(forum, data.type_id)
    stand.type_id = chosen.id if chosen else None
    stand.state, stand.note = data.state, " ".join(data.note.split())[:200]
    _flush_stand()
    if stand.application_id is not None and "number" in changes:
        stand.assigned_at = utcnow()
        db.session.flush()
        notify.stand_assigned(stand.application, stand)


def delete_stand(stand: Stand) -> None:
    if stand.application_id is not None:
        raise ExhibitionError("stand_has_group", other=stand.application)
    db.session.delete(stand)
    db.session.flush()


def next_numbers(forum: Forum, count: int, prefix: str = "", start: int = 1) -> list[str]:
    taken = {n.lower() for n in db.session.scalars(sa.select(Stand.number).where(Stand.forum_id == forum.id))}
    numbers: list[str] = []
    n = max(start, 1)
    while len(numbers) < count:
        candidate = f"{prefix}{n}"
        if candidate.lower() not in taken:
            numbers.append(candidate)
        n += 1
    return numbers


@dataclass
class GridData:
    rows: int
    columns: int
    type_id: int
    x: Decimal = Decimal("1")  # top-left corner of the first stand, metres
    y: Decimal = Decimal("1")
    gap_x: Decimal = Decimal("0")  # between stands in a row
    gap_y: Decimal = Decimal("2")  # between rows: the aisle
    prefix: str = ""
    start: int = 1


def make_grid(forum: Forum, data: GridData) -> list[Stand]:
    """rows × columns stands of one type, numbered after the numbers in use; all or nothing:
    refused when any would fall outside the plan or on an existing stand."""
    stand_type = type_of(forum, data.type_id)
    if stand_type is None:
        raise ExhibitionError("type_missing", field="type_id")
    if not (1 <= data.rows <= 50 and 1 <= data.columns <= 50):
        raise ExhibitionError("grid_size", field="rows")
    existing = stands_of(forum)
    if len(existing) + data.rows * data.columns > MAX_STANDS:
        raise ExhibitionError("too_many_stands", field="rows")
    gap_x, gap_y = _metres(data.gap_x), _metres(data.gap_y)
    if gap_x < 0 or gap_y < 0:
        raise ExhibitionError("geometry", field="gap_x")
    prefix = "".join(data.prefix.split())[:6]
    numbers = iter(next_numbers(forum, data.rows * data.columns, prefix, data.start))
    made = []
    for row in range(data.rows):
        for column in range(data.columns):
            rect = _rect(_metres(data.x) + column * (stand_type.width + gap_x),
                         _metres(data.y) + row * (stand_type.depth + gap_y), stand_type.width, stand_type.depth)
            _check_place(forum, rect, others=existing)
            made.append(Stand(forum_id=forum.id, number=next(numbers), x=rect[0], y=rect[1], w=rect[2],
                              h=rect[3], type_id=stand_type.id, state="open", note=""))
    db.session.add_all(made)
    _flush_stand()
    return made


# --- giving stands to groups --------------------------------------------------------------------

# Floor space a group needs per member standing at its stand: about a square metre each
# (a table and the people behind it); a 3 × 2 m stand holds six, the most a group may bring ten.
AREA_PER_MEMBER = Decimal("1")
SHORTFALLS = ("power", "table", "size")


def shortfalls(stand: Stand, application: ExhibitorApplication) -> list[str]:
    """What the stand lacks of what the group asked for, of SHORTFALLS: "power" (asked for
    electricity, the stand's type has no socket or the stand has no type), "table", "size"
    (less floor than AREA_PER_MEMBER for each member). The organizer may still give it."""
    kind = stand.type
    lacks = []
    if application.needs_power and not (kind is not None and kind.power):
        lacks.append("power")
    if application.needs_table and not (kind is not None and kind.tables > 0):
        lacks.append("table")
    if stand.w * stand.h < application.member_count * AREA_PER_MEMBER:
        lacks.append("size")
    return lacks

def assign(stand: Stand, application: ExhibitorApplication, user=None, notify_group: bool = True) -> None:
    """Give a free (or reserved) stand to an approved group of the same forum. The caller commits.

    Refused with nothing changed: "not_approved"; "blocked"; "stand_taken" (`other`: the group
    that has it, also when another organizer was faster); "group_has_stand" (`other`: its stand)."""
    if application.forum_id != stand.forum_id or application.status != "approved":
        raise ExhibitionError("not_approved")
    if stand.application_id == application.id:
        return
    current = db.session.scalar(sa.select(Stand).where(Stand.application_id == application.id))
    if current is not None:
        raise ExhibitionError("group_has_stand", other=current)
    now = utcnow()
    try:
        with db.session.begin_nested():
            taken = cast(CursorResult, db.session.execute(
                sa.update(Stand).where(Stand.id == stand.id, Stand.application_id.is_(None), Stand.state != "blocked")
                .values(application_id=application.id, assigned_at=now,
                        assigned_by_id=user.id if user is not None else None)
                .execution_options(synchronize_session=False)
            )).rowcount
    except sa.exc.IntegrityError:
        # The same group given another stand by someone else at the same moment.
        db.session.expire_all()
        raise ExhibitionError("group_has_stand", other=db.session.scalar(
            sa.select(Stand).where(Stand.application_id == application.id))) from None
    except sa.exc.OperationalError:
        # SQLite: another organizer's change was committed after this request started writing.
        db.session.expire_all()
        raise ExhibitionError("busy") from None
    db.session.refresh(stand)
    if not taken:
        if stand.state == "blocked":
            raise ExhibitionError("blocked")
        raise ExhibitionError("stand_taken", other=stand.application)
    db.session.refresh(application)
    # The UPDATE above bypasses the session's bookkeeping, which the history listens to.
    history.note(stand, {"application_id": (None, application.id)})
    if notify_group:
        notify.stand_assigned(application, stand)


def unassign(stand: Stand) -> None:
    stand.application_id, stand.assigned_at, stand.assigned_by_id = None, None, None
    db.session.flush()
    db.session.expire(stand, ["application"])


def unplaced(forum: Forum) -> list[ExhibitorApplication]:
    """Approved groups without a stand, by name."""
    return list(db.session.scalars(
        sa.select(ExhibitorApplication).outerjoin(Stand, Stand.application_id == ExhibitorApplication.id)
        .where(ExhibitorApplication.forum_id == forum.id, ExhibitorApplication.status == "approved",
               Stand.id.is_(None))
        .order_by(ExhibitorApplication.group_name)))
