"""Setting up checkpoints, and the allow-list other features fill (rule "list")."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from forum.checkin.models import Checkpoint, CheckpointAllowance
from forum.checkin.rules import get_rule
from forum.events.models import Area, Forum
from forum.extensions import db
from forum.people.models import CATEGORIES, Registration


class CheckpointError(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass
class CheckpointData:
    key: str
    name: dict[str, Any]
    rule: str = "all"
    categories: list[str] = field(default_factory=list)
    reentry: bool = False
    area_id: int | None = None
    active: bool = True
    position: int = 0


def save_checkpoint(forum: Forum, data: CheckpointData, checkpoint: Checkpoint | None = None) -> Checkpoint:
    """Create or change a checkpoint. Refuses ("key_taken", "rule", "categories", "area")
    a key used at this forum, an unknown rule, "categories" without any, or another forum's
    area. The caller commits."""
    key = data.key.strip().lower()
    clash = db.session.scalar(sa.select(Checkpoint).where(Checkpoint.forum_id == forum.id, Checkpoint.key == key))
    if clash is not None and clash is not checkpoint:
        raise CheckpointError("key_taken")
    if get_rule(data.rule) is None:
        raise CheckpointError("rule")
    categories = [c for c in data.categories if c in CATEGORIES]
    if data.rule == "categories" and not categories:
        raise CheckpointError("categories")
    if data.area_id is not None:
        area = db.session.get(Area, data.area_id)
        if area is None or area.forum_id != forum.id:
            raise CheckpointError("area")
    if checkpoint is None:
        checkpoint = Checkpoint(forum_id=forum.id)
        db.session.add(checkpoint)
    checkpoint.key, checkpoint.name, checkpoint.rule = key, {k: v for k, v in data.name.items() if v}, data.rule
    checkpoint.categories, checkpoint.reentry, checkpoint.area_id = categories, data.reentry, data.area_id
    checkpoint.active, checkpoint.position = data.active, data.position
    db.session.flush()
    return checkpoint


def allow(checkpoint: Checkpoint, registrations: Iterable[Registration], source: str = "organizer") -> int:
    """Put registrations on the checkpoint's allow-list (e.g. the round table's confirmed
    invitees); returns how many were added. Other forums' registrations are ignored. The
    caller commits."""
    present = set(db.session.scalars(sa.select(CheckpointAllowance.registration_id).where(
        CheckpointAllowance.checkpoint_id == checkpoint.id)))
    added = 0
    for registration in registrations:
        if registration.forum_id == checkpoint.forum_id and registration.id not in present:
            db.session.add(CheckpointAllowance(checkpoint_id=checkpoint.id, registration_id=registration.id, source=source))
            present.add(registration.id)
            added += 1
    db.session.flush()
    return added



def allowed_count(checkpoint: Checkpoint) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(CheckpointAllowance).where(
        CheckpointAllowance.checkpoint_id == checkpoint.id)) or 0
