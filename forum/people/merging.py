"""Merging two organizations, or two persons, that are one: everything that points at the one
removed is moved to the one kept, in the caller's transaction (nothing is committed here).

What points at them is found in the schema, not listed by hand: every foreign key to
organization.id, person.id (and, for a person's registrations, registration.id) of every
model, so a feature added later (a change history, a new kind of submission) is moved too.
Where a move would break a unique rule, the kept one's row stays and the other's is dropped
with the removed record: a forum both organizations partner, a forum both persons are
registered at. For the latter the kept person's registration stays (its category, badge and
private link) and the other registration's check-ins, submissions and messages move to it
(features fix what a plain move cannot: forum.checkin.merging keeps one first entry per
checkpoint, forum.drawings.merging follows the guardian's phone). A reference that can
neither move nor go (both organizations are job-fair employers) refuses the merge
(MergeRefused); the caller then rolls back what was moved.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult

from forum.extensions import Model, db
from forum.people.models import Organization, Person, Registration
from forum.people.organizations import parse_aliases


class MergeRefused(ValueError):
    """The two cannot be merged; `table` names what both have that cannot be shared."""

    def __init__(self, table: str):
        super().__init__(table)
        self.table = table


@dataclass
class MergeReport:
    moved: dict[str, int] = field(default_factory=dict)  # table → rows moved to the kept one
    shared_forums: list[int] = field(default_factory=list)  # persons: forums both were registered at

    def add(self, table: str, count: int) -> None:
        if count:
            self.moved[table] = self.moved.get(table, 0) + count


def _references(target: sa.Column) -> list[tuple[sa.Table, sa.Column]]:
    """Every (table, column) whose foreign key points at `target`."""
    found = []
    for table in Model.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column is target:
                found.append((table, fk.parent))
    return found


def _unique_partners(table: sa.Table, column: sa.Column) -> list[list[sa.Column]]:
    """For each unique rule that includes `column` (primary key, constraint or plain unique
    index; partial indexes are the callers' business), the other columns of that rule."""
    rules: list[list[sa.Column]] = []
    for constraint in table.constraints:
        if isinstance(constraint, sa.PrimaryKeyConstraint | sa.UniqueConstraint) and column.name in constraint.columns:
            rules.append([c for c in constraint.columns if c.name != column.name])
    for index in table.indexes:
        partial = index.dialect_options["sqlite"].get("where") is not None or \
            index.dialect_options["postgresql"].get("where") is not None
        if index.unique and not partial and column.name in index.columns:
            rules.append([c for c in index.columns if c.name != column.name])
    if column.unique:
        rules.append([])
    return rules


def _move(table: sa.Table, column: sa.Column, old_id: int, new_id: int) -> int:
    """Point `column` from old_id to new_id wherever no unique rule forbids it; the rows left
    behind are the other's duplicates. Returns how many rows moved."""
    stmt = sa.update(table).where(column == old_id)
    for others in _unique_partners(table, column):
        twin = table.alias("twin")
        same = [twin.c[column.name] == new_id] + [twin.c[c.name] == c for c in others]
        stmt = stmt.where(~sa.exists().where(*same))
    return cast(CursorResult, db.session.execute(stmt.values({column.name: new_id}))).rowcount or 0


def _left_behind(table: sa.Table, column: sa.Column, old_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(table).where(column == old_id)) or 0


def _move_all(target: sa.Column, old_id: int, new_id: int, report: MergeReport) -> None:
    """Move every reference to `target` = old_id; refuse when one that cannot be dropped is
    left (its foreign key neither cascades nor nulls on delete)."""
    for table, column in _references(target):
        report.add(table.name, _move(table, column, old_id, new_id))
        fk = next(iter(column.foreign_keys))
        if fk.ondelete is None and _left_behind(table, column, old_id):
            raise MergeRefused(table.name)


def references(obj: Organization | Person) -> dict[str, int]:
    """What points at `obj`, table by table, and for a person at their registrations too
    (what a merge would move, at most): for the page."""
    counts: dict[str, int] = {}
    found = [(type(obj).__table__.c.id, [obj.id])]
    if isinstance(obj, Person):
        found.append((Registration.__table__.c.id, [r.id for r in obj.registrations]))
    for target, ids in found:
        for table, column in _references(target):
            count = db.session.scalar(sa.select(sa.func.count()).select_from(table).where(column.in_(ids))) or 0
            if count:
                counts[table.name] = counts.get(table.name, 0) + count
    return counts


def shared_forums(kept: Person, removed: Person) -> list[tuple[Registration, Registration]]:
    """(kept's, removed's) registrations at the forums both persons are registered at."""
    theirs = {r.forum_id: r for r in removed.registrations}
    return [(r, theirs[r.forum_id]) for r in kept.registrations if r.forum_id in theirs]


def _feature_steps(name: str):
    """The features' own steps of a merge (a package's `MERGE` modules, see forum.features):
    `registrations(kept, removed)` before a registration's references move, `persons(kept,
    removed)` before a person's do; each fixes what a plain move would break or miss."""
    from forum import features

    for module_name in features.collect("MERGE"):
        step = getattr(importlib.import_module(module_name), name, None)
        if step is not None:
            yield step


def merge_organizations(kept: Organization, removed: Organization) -> MergeReport:
    """Move everything of `removed` to `kept` and delete `removed`; its names become `kept`'s
    aliases, so an import naming it finds `kept`; blanks of `kept` are filled from it.
    The caller commits, or rolls back on MergeRefused."""
    if kept.id == removed.id:
        raise MergeRefused("organization")
    report = MergeReport()
    db.session.flush()
    _move_all(Organization.__table__.c.id, removed.id, kept.id, report)
    texts = [*(kept.aliases or []), removed.name, removed.short_name, *(removed.names or {}).values(),
             *(removed.aliases or [])]
    own = {kept.name, kept.short_name, *(kept.names or {}).values()}
    kept.aliases = parse_aliases("\n".join(t for t in texts if t and t not in own))
    kept.names = {**(removed.names or {}), **(kept.names or {})}
    for name in ("short_name", "contact_person", "phone", "email", "website", "district_id", "jamoat_id"):
        if not getattr(kept, name) and getattr(removed, name):
            setattr(kept, name, getattr(removed, name))
    if removed.notes and removed.notes not in kept.notes:
        kept.notes = "\n".join(n for n in (kept.notes, removed.notes) if n)
    db.session.execute(sa.delete(Organization.__table__).where(Organization.__table__.c.id == removed.id))
    db.session.flush()
    db.session.expire_all()
    return report


def merge_persons(kept: Person, removed: Person) -> MergeReport:
    """Move everything of `removed` to `kept` and delete `removed`: registrations, and at
    forums where both are registered the other registration's check-ins, submissions and
    messages onto the kept one's (see the module). Blanks of `kept` are filled from `removed`
    (phone, email, organization, place, position, gender). The caller commits."""
    if kept.id == removed.id:
        raise MergeRefused("person")
    report = MergeReport()
    db.session.flush()
    registration_id = Registration.__table__.c.id
    for mine, theirs in shared_forums(kept, removed):
        report.shared_forums.append(mine.forum_id)
        for step in _feature_steps("registrations"):
            step(mine, theirs)
        db.session.flush()
        _move_all(registration_id, theirs.id, mine.id, report)
        db.session.execute(sa.delete(Registration.__table__).where(registration_id == theirs.id))
    for step in _feature_steps("persons"):
        step(kept, removed)
    db.session.flush()
    _move_all(Person.__table__.c.id, removed.id, kept.id, report)
    phone = removed.phone
    blanks = {name: getattr(removed, name) for name in ("email", "organization_id", "district_id", "jamoat_id",
                                                        "position", "gender") if not getattr(kept, name)}
    db.session.execute(sa.delete(Person.__table__).where(Person.__table__.c.id == removed.id))
    db.session.expire_all()
    for name, value in blanks.items():
        setattr(kept, name, value)
    if not kept.phone and phone:  # one person per number: free once the other is gone
        kept.phone = phone
    db.session.flush()
    return report
