"""An API request may carry only the query parameters its operation declares in the OpenAPI
document: a misspelt filter (?categry=guest) is a 400 naming it, never a silently unfiltered
list. One check for every /api/v1 route, read from the document itself."""
from __future__ import annotations

import re

from flask import request
from flask_babel import gettext as _

from forum.api import openapi
from forum.api.body import ApiError
from forum.api.routes import bp

_PLACEHOLDER = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")
PREFIX = "/api/v1"


@bp.before_app_request
def refuse_undeclared_query_parameters() -> None:
    # No query string (every scan at the door): nothing to check, and request.args not parsed.
    if not request.environ.get("QUERY_STRING"):
        return
    rule = request.url_rule
    if rule is None or not rule.rule.startswith(PREFIX + "/") or not request.args:
        return
    operation = openapi.operation(_PLACEHOLDER.sub(r"{\1}", rule.rule[len(PREFIX):]), request.method)
    if operation is None:
        return
    declared = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
    unknown = [name for name in request.args if name not in declared]
    if unknown:
        message = _("Not a parameter of this operation.")
        raise ApiError(400, "invalid", _("Some fields are missing or wrong."),
                       fields={name: message for name in unknown})
