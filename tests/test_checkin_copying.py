"""Copying a forum brings its checkpoints and their rules, never its allow-lists or scans."""
import pytest
import sqlalchemy as sa

from forum.checkin import copying
from forum.checkin.models import Checkin, Checkpoint, CheckpointAllowance
from forum.extensions import db
from tests.copy_fixtures import demo_copy_app, empty_copy  # noqa: F401  (demo_copy_app: a fixture)

pytestmark = pytest.mark.usefixtures("demo_copy_app")


def _checkpoints(forum):
    return list(db.session.scalars(sa.select(Checkpoint).where(Checkpoint.forum_id == forum.id)
                                   .order_by(Checkpoint.position, Checkpoint.id)))


def test_checkpoints_come_with_rules_and_areas_but_no_list_or_scan():
    made = empty_copy()
    copying.copy_settings(made)
    old, new = _checkpoints(made.source), _checkpoints(made.target)
    assert old and len(new) == len(old)
    for a, b in zip(old, new, strict=True):
        assert (b.key, b.name, b.rule, b.categories, b.reentry, b.active, b.position) == \
               (a.key, a.name, a.rule, a.categories, a.reentry, a.active, a.position)
        assert (b.area.key if b.area else None) == (a.area.key if a.area else None)
        assert b.area is None or b.area.forum_id == made.target.id
    ids = [c.id for c in new]
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(CheckpointAllowance)
                                 .where(CheckpointAllowance.checkpoint_id.in_(ids)))
    assert not db.session.scalar(sa.select(sa.func.count(Checkin.id)).where(Checkin.forum_id == made.target.id))
    assert made.lines == ["3 пункта контроля с правилами"]  # what the organizer reads, in Russian by default
