"""Copying a forum brings the job-fair booths, all free; employers and vacancies stay behind."""
import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.jobfair import booths, copying
from forum.jobfair.models import InterviewSlot, Vacancy
from tests.copy_fixtures import demo_copy_app, empty_copy  # noqa: F401  (demo_copy_app: a fixture)

pytestmark = pytest.mark.usefixtures("demo_copy_app")


def test_booths_are_copied_free_without_vacancies():
    made = empty_copy()
    copying.copy_settings(made)
    old, new = booths.booths_of(made.source), booths.booths_of(made.target)
    assert any(b.employer_id for b in old)
    assert [(b.label, b.area.key) for b in new] == [(b.label, b.area.key) for b in old]
    assert all(b.employer_id is None and b.area.forum_id == made.target.id for b in new)
    for model in (Vacancy, InterviewSlot):
        assert not db.session.scalar(sa.select(sa.func.count(model.id)).where(model.forum_id == made.target.id))
