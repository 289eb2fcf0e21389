"""The agenda's part of copying a forum: the plan's items at the same local hours on the new day."""
import pytest

from forum.agenda import copying, queries
from tests.copy_fixtures import demo_copy_app, empty_copy, local_day, wall_clock  # noqa: F401  (demo_copy_app: a fixture)

pytestmark = pytest.mark.usefixtures("demo_copy_app")


def test_the_plan_moves_to_the_new_day_and_features_items_stay_behind():
    made = empty_copy()
    copying.copy_settings(made)
    planned = [i for i in queries.forum_items(made.source, public_only=False)
               if i.source == "agenda" and not i.is_cancelled]
    assert len(made.items) == len(planned) > 0
    for item in planned:
        new = made.items[item.id]
        assert new.forum_id == made.target.id and new.title == item.title and new.area.key == item.area.key
        assert local_day(new.starts_at).isoformat() == "2027-05-05"
        assert wall_clock(new.starts_at)[2:] == wall_clock(item.starts_at)[2:]
        assert wall_clock(new.ends_at)[2:] == wall_clock(item.ends_at)[2:]
        assert new.attendees == []  # people invited to the old item are not
    copied = queries.forum_items(made.target, public_only=False)
    assert all(i.source == "agenda" for i in copied)  # performances are troupes', not the plan's
