"""Fair limits on the login and the public forms.

A venue's Wi-Fi (or the reverse proxy of docs/https.md) puts a whole hall behind one address,
so counting addresses alone would make a school class or a room of guests share one bucket.
Each limit therefore counts the person first (the account for a login, the phone or email for
a form) and the address only with a generous ceiling. Only what costs something counts:
failed logins, and accepted submissions (a refused or invalid form counts nothing). When a
limit is reached the view re-renders its form with what was typed, says how long to wait
(the limit's real reset time), and answers 429.

The counting is Flask-Limiter's: the same storage (memory, or Redis with FORUM_REDIS_URL, shared
by every worker) and strategy, asked from the view because the person is known only once the
form is read and only the view can show its form again. `RATELIMIT_ENABLED = False` (tests)
turns it off like the decorators.
"""
from __future__ import annotations

import logging
import math
import os
import shlex
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from flask import Flask, current_app, flash, request
from flask.globals import request_ctx
from flask_babel import format_timedelta
from flask_babel import gettext as _
from limits import parse

from forum.extensions import limiter
from forum.people.phones import PhoneError, normalize_phone

log = logging.getLogger(__name__)
_WAIT = "forum.ratelimits.wait"


@dataclass(frozen=True)
class Gate:
    """The limits of one form: per person (`per_person`) and per client address (`per_address`)."""

    name: str
    per_person: str
    per_address: str


LOGIN = Gate("login", "10 per 10 minutes", "100 per 10 minutes")  # failed attempts only
SELF_REGISTRATION = Gate("register", "5 per hour", "300 per hour")
DRAWINGS = Gate("drawings", "30 per hour", "300 per hour")  # a teacher may send a whole class's
THEATRE = Gate("theatre", "10 per hour", "100 per hour")
EXHIBITION = Gate("exhibition", "10 per hour", "100 per hour")
EMPLOYERS = Gate("employers", "5 per hour", "100 per hour")
# Emailed links (a password reset, a confirmation sent again): each request sends an email.
EMAIL_LINKS = Gate("email-links", "5 per hour", "100 per hour")
# "Lost your link?": per number or email asked for (each request may send an SMS), and per
# forum ("person" is the forum there), so nobody drains the SMS budget by trying many numbers.
LOST_LINK = Gate("lost-link", "5 per hour", "60 per hour")
LOST_LINK_FORUM = Gate("lost-link-forum", "500 per hour", "60 per hour")


def _on() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True) and limiter.enabled)


def _buckets(gate: Gate, person: str | None):
    person = _person_key(person)
    yield parse(gate.per_person), ("forum-limit", gate.name, "person", person)
    yield parse(gate.per_address), ("forum-limit", gate.name, "address", request.remote_addr or "-")


def _person_key(person: str | None) -> str:
    """"92 770 18 06" and "+992927701806" are one phone; an email in any case one account."""
    text = (person or "").strip()
    if "@" not in text:
        try:
            return normalize_phone(text) or "-"
        except PhoneError:
            pass
    return text.casefold() or "-"


def wait_seconds(gate: Gate, person: str | None) -> int:
    """0 when `person` may go on; else the seconds until the fullest of the gate's limits resets."""
    if not _on():
        return 0
    waits = []
    for item, key in _buckets(gate, person):
        if not limiter.limiter.test(item, *key):
            reset_at = limiter.limiter.get_window_stats(item, *key).reset_time
            waits.append(max(1, math.ceil(reset_at - time.time())))
    return max(waits, default=0)


def count(gate: Gate, person: str | None) -> None:
    """Count one accepted submission (or one failed login) for the person and the address."""
    if _on():
        for item, key in _buckets(gate, person):
            limiter.limiter.hit(item, *key)


def wait_text(seconds: int) -> str:
    """'Too many…' with the real wait, in the visitor's language."""
    return _("Too many attempts from this phone, account or place. Please try again %(wait)s; "
             "what you typed is kept below.", wait=_in(seconds))


def _in(seconds: int) -> str:
    """'in 42 seconds', 'in 58 minutes', 'in 2 hours' (rounded up), in the visitor's language."""
    wait = timedelta(seconds=seconds if seconds < 60 else 60 * math.ceil(seconds / 60))
    return format_timedelta(wait, add_direction=True, threshold=1.5)


def limit_reached_text() -> str:
    """For a limit of Flask-Limiter's decorators: the wait until it resets, in the visitor's language."""
    current = limiter.current_limit
    if current is None:
        return ""
    wait = max(1, math.ceil(current.reset_at - time.time()))
    return _("Too many requests. Please try again %(wait)s.", wait=_in(wait))


def held_back(gate: Gate, person: str | None) -> bool:
    """True when `person` (or the address) must wait: the wait is flashed for the page, and
    `answer()` then turns the re-rendered form into a 429."""
    wait = wait_seconds(gate, person)
    if wait:
        flash(wait_text(wait), "error")
        request.environ[_WAIT] = wait  # the request's own: `g` may outlive it (an app context kept open)
    return bool(wait)


def answer(page: str):
    """The form page as is, or as a 429 with Retry-After when `held_back()` refused it."""
    wait = request.environ.get(_WAIT)
    return (page, 429, {"Retry-After": str(wait)}) if wait else page


# --- where Flask-Limiter checks ------------------------------------------------------------

def check_only_where_limited(app: Flask) -> None:
    """Flask-Limiter checks every request, before its view, for limits set app-wide, by default
    or on the request's blueprint (the partners' API has one). Every other limit of this site
    is on its view (@limiter.limit, checked by the decorator's own wrapper) or is a form's Gate
    above. For the rest, the door's scans among them, the check resolved the route's limits to
    find none: a tenth of a scan's CPU. It now runs only where such a limit applies, so one
    added later is still enforced. Its after-request hook (the X-RateLimit headers, deductions)
    and teardown read what a check of this request left; where none ran, they are skipped."""
    hooks = app.before_request_funcs.setdefault(None, [])
    if limiter._check_request_limit in hooks:
        hooks[hooks.index(limiter._check_request_limit)] = _app_wide_limits
    for registry in (app.after_request_funcs, app.teardown_request_funcs):
        found = registry.setdefault(None, [])
        for i, hook in enumerate(found):
            if _limiters(hook):
                found[i] = _if_checked(hook)


def _limiters(hook) -> bool:
    """Whether `hook` is one of the extension's own (a method of `limiter`, or a partial of one)."""
    return getattr(hook, "__self__", None) is limiter or (isinstance(hook, partial) and hook.args[:1] == (limiter,))


def _if_checked(hook):
    def hook_if_checked(value):
        # The extension keeps a request's limits on its context, made by the first check.
        return hook(value) if hasattr(request_ctx, "_limiter_request_context") else value

    return hook_if_checked


def _app_wide_limits() -> None:
    manager = limiter.limit_manager
    if manager._application_limits or manager._default_limits or _blueprint_limited(manager._blueprint_limits):
        limiter._check_request_limit()


def _blueprint_limited(limited: dict) -> bool:
    """Whether the request's blueprint or one it is nested in has limits (as Flask-Limiter
    finds them: by the blueprint's name and the dotted path's parts)."""
    blueprint = request.blueprint
    if not limited or not blueprint:
        return False
    own = current_app.blueprints.get(blueprint)
    return not limited.keys().isdisjoint({*blueprint.split("."), own.name if own else blueprint})


# --- one counter per process ------------------------------------------------------------------

def warn_if_counts_are_per_process(app: Flask) -> None:
    """In-memory counting with several worker processes: each worker counts alone, so every
    limit is multiplied by the number of workers. Say so at start; Redis fixes it."""
    storage = str(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if storage.startswith("memory://") and app.config.get("RATELIMIT_ENABLED", True) and _workers() > 1:
        log.warning("Rate limits are counted in memory by each of %d worker processes, so each limit is "
                    "multiplied by the number of workers. Set FORUM_REDIS_URL to share the counts.", _workers())


def _workers() -> int:
    """How many worker processes gunicorn starts, as its command line or environment says."""
    if "gunicorn" not in (sys.argv[0] or ""):
        return 1
    args = shlex.split(os.environ.get("GUNICORN_CMD_ARGS", "")) + sys.argv[1:]
    workers = os.environ.get("WEB_CONCURRENCY", "1")
    for i, arg in enumerate(args):
        if arg in ("-w", "--workers") and i + 1 < len(args):
            workers = args[i + 1]
        elif arg.startswith("--workers="):
            workers = arg.split("=", 1)[1]
        elif arg.startswith("-w") and arg[2:].isdigit():
            workers = arg[2:]
    try:
        return int(workers)
    except ValueError:
        return 1
