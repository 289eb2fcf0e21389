"""Copying a forum brings the drawing contest's settings (age groups, criteria), no drawings."""
import pytest
import sqlalchemy as sa

from forum.drawings import copying
from forum.drawings.models import Drawing, DrawingSettings
from forum.drawings.service import save_settings, settings_for
from forum.extensions import db
from tests.copy_fixtures import demo_copy_app, empty_copy  # noqa: F401  (demo_copy_app: a fixture)

pytestmark = pytest.mark.usefixtures("demo_copy_app")


def test_age_groups_and_criteria_are_copied_but_not_drawings():
    made = empty_copy()
    settings = settings_for(made.source)
    criteria = [*settings.criteria, {"key": "message", "name": {"ru": "Идея", "tg": "Ғоя", "en": "Message"}}]
    save_settings(settings, False, [[5, 8], [9, 12], [13, 17]], criteria)
    db.session.flush()
    copying.copy_settings(made)
    stored = db.session.scalar(sa.select(DrawingSettings).where(DrawingSettings.forum_id == made.target.id))
    assert stored.age_groups == [[5, 8], [9, 12], [13, 17]]
    assert [c["key"] for c in stored.criteria] == ["theme", "originality", "technique", "message"]
    assert stored.submissions_open is False
    assert db.session.scalar(sa.select(sa.func.count(Drawing.id)).where(Drawing.forum_id == made.source.id))
    assert not db.session.scalar(sa.select(sa.func.count(Drawing.id)).where(Drawing.forum_id == made.target.id))
