"""Copying a forum brings the exhibition's settings, stand types and floor plan, all stands free."""
import pytest

from forum.agenda import copying as agenda_copying
from forum.agenda import queries
from forum.exhibition import agenda_link, copying, plan
from forum.exhibition.service import settings_for
from tests.copy_fixtures import demo_copy_app, empty_copy, wall_clock  # noqa: F401  (demo_copy_app: a fixture)

pytestmark = pytest.mark.usefixtures("demo_copy_app")


def test_floor_plan_and_stand_types_are_copied_without_groups():
    made = empty_copy()
    copying.copy_settings(made)
    old, new = settings_for(made.source), settings_for(made.target)
    assert new.area.key == old.area.key and new.area.forum_id == made.target.id
    assert (new.plan_width, new.plan_depth, new.applications_open) == (old.plan_width, old.plan_depth,
                                                                       old.applications_open)
    assert [(t.name, t.width, t.depth, t.tables, t.chairs, t.power) for t in plan.types_of(made.target)] == \
           [(t.name, t.width, t.depth, t.tables, t.chairs, t.power) for t in plan.types_of(made.source)]
    old_stands, new_stands = plan.stands_of(made.source), plan.stands_of(made.target)
    assert any(s.application_id for s in old_stands)  # the demo had groups at stands…
    assert [(s.number, s.x, s.y, s.w, s.h, s.type.name if s.type else None) for s in new_stands] == \
           [(s.number, s.x, s.y, s.w, s.h, s.type.name if s.type else None) for s in old_stands]
    assert all(s.application_id is None and s.type in (None, *plan.types_of(made.target)) for s in new_stands)


@pytest.mark.parametrize("owner", ["agenda", "exhibition"])
def test_the_exhibition_keeps_its_hours_on_the_new_agenda_once(owner):
    made = empty_copy()
    old = agenda_link.agenda_item(made.source)
    old.source, old.source_id = owner, made.source.id  # planned in the timetable, or from the floor-plan page
    agenda_copying.copy_settings(made)
    copying.copy_settings(made)
    [new] = [i for i in queries.forum_items(made.target, public_only=False) if i.kind == "exhibition"]
    assert new.area.key == old.area.key and new.starts_at.year == 2027
    assert wall_clock(new.starts_at)[2:] == wall_clock(old.starts_at)[2:]
    assert wall_clock(new.ends_at)[2:] == wall_clock(old.ends_at)[2:]
