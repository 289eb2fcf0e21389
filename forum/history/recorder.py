"""The session hooks that write the history: before a flush, the tracked objects' changed
fields (old → new) are noted; after it (ids known), they are inserted as ChangeRecord rows in
the same transaction, so a change and its record are committed or rolled back together.

Writes that bypass the session (an UPDATE statement, e.g. the race-safe stand assignment)
call `note()` themselves; the importer's plain INSERTs are heard through its signal. Only the
kinds in forum.history.tracked are looked at."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

import sqlalchemy as sa
from flask import has_request_context
from sqlalchemy.orm import InstanceState, Mapper, Session

from forum import clock
from forum.db import insert_many
from forum.extensions import db
from forum.history.models import ChangeRecord
from forum.history.tracked import BY_ENTITY, TRACKED, Tracked, by_class
from forum.people.signals import registrations_imported

_PENDING = "history_pending"  # session.info key: records waiting for the flush to end


def json_value(value: Any) -> Any:
    """A column's value as JSON (times as ISO text, amounts as text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _changes(obj: object, spec: Tracked) -> dict[str, Any]:
    state = cast(InstanceState, sa.inspect(obj))
    found: dict[str, Any] = {}
    for name in spec.fields:
        history = state.attrs[name].history
        if not history.added and not history.deleted:
            continue
        old = json_value(history.deleted[0]) if history.deleted else None
        new = json_value(history.added[0]) if history.added else None
        if old != new:
            found[name] = None if name in spec.secret else [old, new]
    return found


def _who() -> int | None:
    """The user acting: a logged-in page user or an API token's; None outside a request."""
    if not has_request_context():
        return None
    from forum.auth.access import api_user_id

    acting = api_user_id()
    if acting is not None:
        return acting
    from flask_login import current_user

    return current_user.id if current_user and current_user.is_authenticated else None


def _row(spec: Tracked, entity_id: int, forum_id: int, action: str, changes: dict[str, Any]) -> dict[str, Any]:
    return {"entity_type": spec.entity, "entity_id": entity_id, "forum_id": forum_id, "action": action,
            "changes": changes}


def _insert(session: Session, rows: list[dict[str, Any]]) -> None:
    who, at = _who(), clock.now()
    insert_many(session.connection(), ChangeRecord.__table__, [{**row, "user_id": who, "at": at} for row in rows])


def note(obj: Any, changes: dict[str, Any]) -> None:
    """Record a change made outside the session's bookkeeping (an UPDATE statement), in the
    same transaction. `changes`: {field: (old, new)} in Python values."""
    spec = by_class().get(type(obj))
    if spec is None or not changes:
        return
    values = {k: (None if k in spec.secret else [json_value(v) for v in pair]) for k, pair in changes.items()}
    row = _row(spec, obj.id, getattr(obj, spec.forum_attr), "changed", values)
    _insert(db.session(), [row])


def _keep_old_value(target, value, oldvalue, initiator):
    return value


@sa.event.listens_for(Mapper, "after_configured")
def _load_old_values() -> None:
    """Tracked fields load their old value when set on an expired object (after a commit),
    so the history says what it was; other models are left as they are."""
    for spec in TRACKED:
        cls = spec.model_class()
        for name in spec.fields:
            attribute = getattr(cls, name)
            if not sa.event.contains(attribute, "set", _keep_old_value):
                sa.event.listen(attribute, "set", _keep_old_value, active_history=True, retval=True)


@sa.event.listens_for(Session, "before_flush")
def _before_flush(session: Session, flush_context, instances) -> None:
    tracked = by_class()
    created, rows = [], []
    for obj in session.new:
        spec = tracked.get(type(obj))
        if spec is not None:
            created.append((obj, spec))
    for obj in session.dirty:
        spec = tracked.get(type(obj))
        if spec is not None:
            changes = _changes(obj, spec)
            if changes:
                rows.append(_row(spec, obj.id, getattr(obj, spec.forum_attr), "changed", changes))
    deleted = [(obj, tracked[type(obj)]) for obj in session.deleted if type(obj) in tracked]
    # A forum's history goes with it: nothing is written about a forum deleted, or its objects.
    gone = {obj.id for obj, spec in deleted if spec.entity == "forum"}
    for obj, spec in deleted:
        forum_id = getattr(obj, spec.forum_attr)
        if spec.entity != "forum" and forum_id not in gone:
            rows.append(_row(spec, obj.id, forum_id, "deleted", {}))
    if created or rows:
        session.info[_PENDING] = (created, rows)


@sa.event.listens_for(Session, "after_flush")
def _after_flush(session: Session, flush_context) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    created, rows = pending
    rows = rows + [_row(spec, obj.id, getattr(obj, spec.forum_attr), "created", {}) for obj, spec in created]
    if rows:
        _insert(session, rows)


@registrations_imported.connect
def _imported(forum, registration_ids: list[int], **_extra) -> None:
    """The importer inserts registrations without ORM objects (no flush sees them): recorded
    as created here, in the import's transaction."""
    spec = BY_ENTITY["registration"]
    if registration_ids:
        _insert(db.session(), [_row(spec, rid, forum.id, "created", {}) for rid in registration_ids])


@sa.event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction) -> None:
    session.info.pop(_PENDING, None)
