"""Copying a forum brings the theatre's slot plan at the same local hours, every slot free."""
import pytest

from forum.theatre import copying, slots
from tests.copy_fixtures import demo_copy_app, empty_copy, local_day, wall_clock  # noqa: F401  (demo_copy_app: a fixture)

pytestmark = pytest.mark.usefixtures("demo_copy_app")


def test_slot_plan_moves_to_the_new_day_at_the_same_hours_without_performances():
    made = empty_copy()
    copying.copy_settings(made)
    old, new = slots.all_slots(made.source), slots.all_slots(made.target)
    assert any(s.performance for s in old)  # the demo booked plays…
    assert len(new) == len(old) > 0
    for a, b in zip(old, new, strict=True):
        assert local_day(b.starts_at).isoformat() == "2027-05-05"
        assert wall_clock(b.starts_at)[2:] == wall_clock(a.starts_at)[2:]
        assert b.minutes == a.minutes and b.buffer_minutes == a.buffer_minutes
        assert b.area.key == a.area.key and b.area.forum_id == made.target.id
        assert b.performance is None  # …the copy has none
    assert slots.free_slots(made.target) == new
