"""The two forums of the press release (Isfara, 5 May 2011; B. Gafurov, 7 May 2011) as
demo data. `load()` is idempotent: what exists is kept, what is missing is added.

Feature packages add their part of the demo (agenda, stands, theatre…) through `DEMO` in
their `__init__.py` (see forum.features): a module whose `load(forums)` is itself idempotent.
"""
from __future__ import annotations

import importlib
from datetime import UTC, datetime

from forum import clock
from forum.demo.core import DEMO_ORGANIZER_EMAIL, DEMO_ORGANIZER_PASSWORD, load_core  # noqa: F401
from forum.extensions import db

# The demo's drawings, stands and theatre requests came in the week before the forums of
# 5 and 7 May 2011: loaded as of then, through the same rules as the public forms (which
# close after a forum's last day).
DEMO_MOMENT = datetime(2011, 4, 28, 5, 0, tzinfo=UTC)


def load() -> dict:
    """Load (or complete) the demo; returns the forums by slug. Commits."""
    with clock.at(DEMO_MOMENT):
        forums = load_core()
        db.session.commit()
        from forum.features import demo_steps

        for name in demo_steps():
            importlib.import_module(name).load(forums)
            db.session.commit()
    return forums
