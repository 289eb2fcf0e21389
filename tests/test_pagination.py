"""The one pagination helper: the page's rows and the counts for its links, with the count
left out when the page itself shows it is the last one."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.pagination import paginate
from forum.people.models import Registration
from tests import factories


@pytest.fixture
def seven(forum):
    return [factories.make_registration(forum).id for _ in range(7)]


def _statements(fn):
    seen: list[str] = []

    def listener(_connection, _cursor, statement, *_args):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        return fn(), seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)


def _ids(page):
    return [r.id for r in page.items]


def _stmt(forum):
    return sa.select(Registration).where(Registration.forum_id == forum.id).order_by(Registration.id)


@pytest.mark.parametrize("number, size, shown, pages, counted", [
    (1, 10, slice(0, 7), 1, False),  # fewer than a page: the page is the last, no count
    (2, 3, slice(3, 6), 3, True),  # a full page: there may be more, so counted
    (3, 3, slice(6, 7), 3, False),  # the last, part-full page
    (1, 7, slice(0, 7), 1, True),  # exactly one full page: counted, and no next page
    (9, 3, slice(6, 7), 3, True),  # past the end: the last page
    ("x", 3, slice(0, 3), 3, True),  # not a number: the first
])
def test_a_page_and_its_counts(forum, seven, number, size, shown, pages, counted):
    page, statements = _statements(lambda: paginate(_stmt(forum), number, size))
    assert _ids(page) == seven[shown]
    assert page.total == 7 and page.pages == pages
    assert page.has_next == (page.number < pages) and page.has_prev == (page.number > 1)
    assert any("count(" in s.lower() for s in statements) == counted


def test_nothing_found_is_one_empty_page(forum, seven):
    page = paginate(_stmt(forum).where(Registration.id < 0), 4, 3)
    assert page.items == [] and page.total == 0 and page.number == 1 and page.pages == 1
