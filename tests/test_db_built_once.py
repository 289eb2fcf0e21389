"""execute_built_once: statements built once per process find their compiled form by the
identity of their cache key, never by a look-alike's, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from forum.db import _BUILT_ONCE, _ByIdentity, execute_built_once
from forum.events.models import Forum
from forum.extensions import db

pytestmark = pytest.mark.both_dbs


def _by_slug() -> sa.Select:
    return sa.select(Forum.id, Forum.slug).where(Forum.slug == sa.bindparam("slug"))


def _run(statement, slug: str) -> sa.CursorResult:
    return execute_built_once(db.session.connection(), statement, {"slug": slug})


def test_a_statement_built_once_is_compiled_once_and_answers_each_time(app, forum):
    statement = _by_slug()
    first, again = _run(statement, forum.slug), _run(statement, "no-such-forum")
    assert first.all() == [(forum.id, forum.slug)] and again.all() == []
    assert again.context.compiled is first.context.compiled


def test_a_look_alike_statement_is_compiled_for_itself(app, forum):
    one, other = _by_slug(), _by_slug()  # equal cache keys, as SQLAlchemy's own cache would share
    assert one._generate_cache_key() == other._generate_cache_key()
    compiled = _run(one, forum.slug).context.compiled
    found = _run(other, forum.slug)
    assert found.all() == [(forum.id, forum.slug)]
    assert found.context.compiled is not compiled


def test_the_cache_stays_small_and_right_when_statements_are_not_built_once(app, forum):
    for round_ in range(3 * _ByIdentity.LIMIT):
        assert _run(_by_slug(), forum.slug if round_ % 2 else "other").all() == (
            [(forum.id, forum.slug)] if round_ % 2 else [])
    assert len(_BUILT_ONCE["compiled_cache"]._found) <= _ByIdentity.LIMIT


def test_keys_are_told_apart_by_dialect_and_key_identity():
    from sqlalchemy.dialects import postgresql, sqlite

    cache = _ByIdentity()
    lite, pg = sqlite.dialect(), postgresql.dialect()
    key, look_alike = tuple(["select", 1]), tuple(["select", 1])
    cache[(lite, key, (), False, False)] = "compiled for SQLite"
    assert cache.get((lite, key, (), False, False)) == "compiled for SQLite"
    assert cache.get((pg, key, (), False, False)) is None
    assert cache.get((lite, look_alike, (), False, False)) is None  # equal, not the same key
    assert cache.get((lite, key, ("id",), False, False)) is None
    assert cache.get((lite, key, (), False, True), "default") == "default"
