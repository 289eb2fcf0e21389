"""The time the app's date rules act on.

Rules that depend on the date (public forms close after a forum's last day) ask `now()`
rather than the system clock, so that
- a test sets the moment it needs (`app.config["CLOCK"]`: a UTC datetime, or a callable
  giving one) instead of waiting for it or moving a forum's dates;
- the demo loader fills the 2011 forums as they stood before their day (`at(moment)`),
  through the same service functions and rules as the public forms.
Unset in production: the real time.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from flask import current_app, has_app_context

_moment: ContextVar[datetime | None] = ContextVar("forum_clock_moment", default=None)


def now() -> datetime:
    """The current instant, UTC: the moment of `at()`, else the configured clock, else the real time."""
    moment = _moment.get()
    if moment is not None:
        return moment
    fixed = current_app.config.get("CLOCK") if has_app_context() else None
    if fixed is None:
        return datetime.now(UTC)
    return fixed() if callable(fixed) else fixed


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    """Act as if it were `moment` inside the block (this thread or task only)."""
    token = _moment.set(moment)
    try:
        yield
    finally:
        _moment.reset(token)
