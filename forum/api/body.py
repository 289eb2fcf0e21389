"""Reading API request bodies: a JSON object or a clear JSON error, never a 500."""
from __future__ import annotations

from flask import request
from flask_babel import gettext as _


class ApiError(Exception):
    """An API request refused: answered as {"error": {"code", "message", …}} with `status`."""

    def __init__(self, status: int, code: str, message: str, **extra):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def json_object() -> dict:
    """The request's JSON body, which must be an object."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", _("The request body must be a JSON object."))
    return data


def require_strings(data: dict, *names: str, optional: tuple[str, ...] = ()) -> dict[str, str]:
    """The named fields as strings; a missing or non-string field is an "invalid" error naming it."""
    fields, values = {}, {}
    for name in names + optional:
        value = data.get(name)
        if value is None and name in optional:
            continue
        if not isinstance(value, str) or (name in names and not value.strip()):
            fields[name] = _("Required, as a text string.")
        else:
            values[name] = value
    if fields:
        raise ApiError(400, "invalid", _("Some fields are missing or wrong."), fields=fields)
    return values
