"""Query parameters of the partners' API: filters read strictly (a wrong value is a 400 naming
the parameter, never silently ignored) and cursor pages of a bounded size."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import request, url_for
from flask_babel import gettext as _

from forum.api.body import ApiError
from forum.extensions import db

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# Ids are INTEGER columns: a larger number is no row of ours, and PostgreSQL refuses to
# compare it ("integer out of range"), so it is a 400 here rather than a 500 there.
MAX_ID = 2**31 - 1


def invalid(name: str, message: str) -> ApiError:
    return ApiError(400, "invalid", _("Some fields are missing or wrong."), fields={name: message})


def choice(name: str, allowed: tuple[str, ...]) -> str:
    """The parameter's value, one of `allowed`; "" when not given (given empty is wrong)."""
    value = request.args.get(name)
    if value is None:
        return ""
    if value not in allowed:
        raise invalid(name, _("One of: %(values)s.", values=", ".join(allowed)))
    return value


def boolean(name: str) -> bool | None:
    value = request.args.get(name)
    if value is None:
        return None
    if value not in ("true", "false"):
        raise invalid(name, _("Write true or false."))
    return value == "true"


def integer(name: str) -> int | None:
    value = request.args.get(name)
    if value is None:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 12 or int(value) > MAX_ID:
        raise invalid(name, _("A whole number."))
    return int(value)


def moment(name: str) -> datetime | None:
    """An ISO 8601 time with its offset (2011-05-05T09:00:00+05:00 or …Z)."""
    value = request.args.get(name)
    if value is None:
        return None
    try:
        if "T" in value:  # an unescaped "+05:00" in a query string arrives as " 05:00"
            value = value.replace(" ", "+")
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise invalid(name, _("A time in ISO 8601 with its offset, e.g. 2011-05-05T09:00:00+05:00."))
    return parsed


@dataclass
class CursorPage:
    items: list[Any]
    next_cursor: str | None

    def links(self) -> dict:
        """`next`: the URL of the following page (same filters), or null on the last page."""
        if self.next_cursor is None:
            return {"next": None, "next_cursor": None}
        args: dict = {**(request.view_args or {}), **request.args.to_dict(), "cursor": self.next_cursor}
        return {"next": url_for(request.endpoint or "", **args),
                "next_cursor": self.next_cursor}


def _encode(last_id: int) -> str:
    return str(last_id)


def _decode(cursor: str) -> int:
    """The id the page starts after: the keys are row ids, nothing secret in them."""
    if not (cursor.isascii() and cursor.isdigit() and len(cursor) <= 12 and int(cursor) <= MAX_ID):
        raise invalid("cursor", _("Not a cursor of this list: use the next_cursor of the last answer."))
    return int(cursor)


def cursor_page(stmt: sa.Select, id_column) -> CursorPage:
    """One page of `stmt` in the order of `id_column`, after the request's `cursor`, at most
    `limit` (1–200) rows. Keyset paging: rows added meanwhile are neither lost nor repeated."""
    limit = integer("limit")
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        raise invalid("limit", _("From 1 to %(max)s.", max=MAX_LIMIT))
    limit = limit or DEFAULT_LIMIT
    cursor = request.args.get("cursor")
    if cursor is not None:
        stmt = stmt.where(id_column > _decode(cursor))
    rows = list(db.session.scalars(stmt.order_by(id_column).limit(limit + 1)).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    return CursorPage(rows, _encode(rows[-1].id) if more else None)
