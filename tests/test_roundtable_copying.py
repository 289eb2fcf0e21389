"""Copying a forum brings each round table's seats and group quotas, on the copied agenda item."""
import pytest
import sqlalchemy as sa

from forum.agenda import copying as agenda_copying
from forum.extensions import db
from forum.roundtable import copying, service
from forum.roundtable.models import Invitee, Problem
from tests.copy_fixtures import demo_copy_app, empty_copy  # noqa: F401  (demo_copy_app: a fixture)

pytestmark = pytest.mark.usefixtures("demo_copy_app")


def test_quotas_come_on_the_copied_item_without_invitees():
    made = empty_copy()
    agenda_copying.copy_settings(made)
    copying.copy_settings(made)
    [old] = service.round_tables(made.source)
    [new] = service.round_tables(made.target)
    assert new.item.forum_id == made.target.id and new.item.title == old.item.title
    assert (new.capacity, new.tables, new.seats_per_table) == (old.capacity, old.tables, old.seats_per_table)
    assert {q.group: q.seats for q in new.quotas} == {q.group: q.seats for q in old.quotas}
    assert any(q.seats for q in new.quotas)
    for model in (Invitee, Problem):
        assert not db.session.scalar(sa.select(sa.func.count(model.id)).where(model.round_table_id == new.id))


def test_a_round_table_whose_item_was_not_copied_is_noted():
    made = empty_copy()  # the agenda's copier has not run: no item to hang the round table on
    copying.copy_settings(made)
    assert service.round_tables(made.target) == []
    assert len(made.notes) == 1
